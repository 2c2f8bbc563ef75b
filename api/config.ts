// What createApp needs to know about its deployment. server.ts fills it from the environment.

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
  /** Where unexpected errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
}

export type OperatorPage = 'csat-wall' | 'csat-admin';

export const DEFAULT_HEARTBEAT_MS = 25_000;
export const MAX_BODY_BYTES = 16 * 1024;
