// Rate limiting of reactions (POST /v1/responses and POST /s/:token), per client address, over one
// shared counter: a client gets `limit` reactions per window whichever door it uses. The counter is this
// process's memory unless the config gives a store that all instances share (PostgreSQL's).
//
// The client address is the TCP peer address. Only when the server is told it sits behind a trusted
// proxy (`trustProxy`) is the LAST hop of X-Forwarded-For used instead: that is the address the proxy
// itself saw; every earlier hop was written by the client and proves nothing. Without trustProxy the
// header is ignored, so a forged X-Forwarded-For can neither reset nor dodge the limit.
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { MemoryStore, rateLimiter } from 'hono-rate-limiter';
import { DEFAULT_RATE_LIMIT, type AppConfig } from '../config.js';

/** The key used when no address is known (e.g. `app.request()` in tests: no socket). */
export const UNKNOWN_CLIENT = 'unknown';

/** Answers a limited request; `retryAfter` is in whole seconds (>= 1). */
export type OnLimited = (c: Context, retryAfter: number) => Response | Promise<Response>;

/** Makes a limiter middleware for one route, answering over-limit requests with `onLimited`. */
export type ReactionLimiter = (onLimited: OnLimited) => MiddlewareHandler;

const passThrough: MiddlewareHandler = async (_c, next) => {
  await next();
};

/** Expands an IPv6 address to its 8 groups (no zone), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.split('%')[0]!;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return null;
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  const groups = [...left, ...Array<number>(tail === undefined ? 0 : missing).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * The counting key for an address: IPv4 as is (also when IPv4-mapped in IPv6), IPv6 by its /64 prefix
 * (one subscriber usually holds a whole /64, so counting single addresses would be trivial to dodge).
 */
export function addressKey(raw: string): string {
  let address = raw.trim();
  if (address.startsWith('[')) address = address.slice(1, address.indexOf(']') === -1 ? undefined : address.indexOf(']'));
  // "1.2.3.4:5678" from some proxies: drop the port.
  if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  const kind = isIP(address.split('%')[0]!);
  if (kind === 4) return address;
  if (kind === 6) {
    const groups = ipv6Groups(address);
    if (!groups) return address.toLowerCase();
    const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
    if (mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
    return `${groups
      .slice(0, 4)
      .map((g) => g.toString(16))
      .join(':')}::/64`;
  }
  // Not an address (a misconfigured proxy): still a stable key, bounded in size.
  return `other:${address.slice(0, 100)}`;
}

/** The client's address as the limiter counts it, or null when the request came through no socket. */
export function clientAddress(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    // Several X-Forwarded-For headers arrive joined with ", ": the last hop is still the proxy's.
    const hops = (c.req.header('X-Forwarded-For') ?? '')
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    const last = hops.at(-1);
    if (last) return addressKey(last);
  }
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined; // no Node socket behind this request (app.request(), other runtimes)
  }
  return peer ? addressKey(peer) : null;
}

/** One counter per app (or per shared store), shared by every route the returned factory guards. */
export function reactionLimiter(config: Pick<AppConfig, 'rateLimit' | 'trustProxy' | 'rateLimitStore'>): ReactionLimiter {
  const settings = config.rateLimit === undefined ? DEFAULT_RATE_LIMIT : config.rateLimit;
  if (settings === false) return () => passThrough;
  if (!(settings.windowMs > 0) || !Number.isInteger(settings.limit) || settings.limit < 1) {
    throw new Error('config.rateLimit needs windowMs > 0 and an integer limit >= 1 (or false to turn it off)');
  }
  const trustProxy = config.trustProxy ?? false;
  const store = config.rateLimitStore ?? new MemoryStore();
  // Each middleware re-initialises the store with the same window (the memory store only restarts its
  // sweep timer; a shared store only takes the window).
  return (onLimited) =>
    rateLimiter({
      windowMs: settings.windowMs,
      limit: settings.limit,
      standardHeaders: 'draft-6',
      store,
      keyGenerator: (c) => clientAddress(c, trustProxy) ?? UNKNOWN_CLIENT,
      handler: (c) => {
        const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
        const resetMs = info?.resetTime ? info.resetTime.getTime() - Date.now() : settings.windowMs;
        const retryAfter = Math.max(1, Math.ceil(resetMs / 1000));
        c.header('Retry-After', String(retryAfter));
        return onLimited(c, retryAfter);
      },
    });
}
