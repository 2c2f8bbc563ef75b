// What createApp needs to know about its deployment. server.ts fills it from the environment.
import type { Store as RateLimitStore } from 'hono-rate-limiter';

export interface AppConfig {
  /** Origin (and optional path) survey links point at, e.g. https://csat.example.com; no trailing slash. */
  publicUrl: string;
  /** HMAC key for survey tokens (>= 32 bytes). Changing it invalidates every survey link handed out. */
  tokenSecret: Buffer;
  /** Milliseconds between SSE heartbeat comments; proxies drop idle connections after ~60 s. */
  heartbeatMs?: number;
  /** The built drop-in script (dist/widget/csat-badge.js), served at /widget/csat-badge.js. */
  widgetScript?: string;
  /** The built operator pages' scripts (dist/widget/csat-wall.js, csat-admin.js), by element name. */
  operatorScripts?: Partial<Record<OperatorPage, string>>;
  /** Reactions (POST /v1/responses, POST /s/:token) allowed per client address per window; false turns
   * the limit off. Defaults to DEFAULT_RATE_LIMIT. */
  rateLimit?: { windowMs: number; limit: number } | false;
  /** Where the reaction limit counts hits. Default: this process's memory. Several instances behind one
   * address must share one (api/store/pg/rate-limit.ts, over the instances' PostgreSQL database), or
   * each one grants the full budget. The limiter sets its window with the store's init(). */
  rateLimitStore?: RateLimitStore;
  /** Behind a reverse proxy: take the client address from the last X-Forwarded-For hop (the address the
   * proxy saw) instead of the TCP peer. Leave false when clients reach the server directly. */
  trustProxy?: boolean;
  /** Accept webhook receivers on loopback, private, link-local and other internal addresses (refused by
   * default: an admin key must not reach into the server's own network). */
  webhookAllowPrivate?: boolean;
  /** Live streams (badge score streams, wall feeds) one client address may hold open at once, counted
   * per address as the rate limit counts it; false turns the cap off. Defaults to
   * DEFAULT_STREAMS_PER_ADDRESS. */
  streamsPerAddress?: { badge?: number; wall?: number } | false;
  /** Where unexpected errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
}

export type OperatorPage = 'csat-wall' | 'csat-admin';

export const DEFAULT_HEARTBEAT_MS = 25_000;
export const MAX_BODY_BYTES = 16 * 1024;
export const DEFAULT_RATE_LIMIT = { windowMs: 60_000, limit: 30 } as const;
/** A page shows one badge stream per badge, and an office behind one NAT address may show many pages;
 * walls are fewer (one per screen) and authenticated. */
export const DEFAULT_STREAMS_PER_ADDRESS = { badge: 64, wall: 16 } as const;
