// One webhook POST over node:http(s), with the receiver address policy applied to the address actually
// connected to: names are resolved by our own lookup, which refuses internal addresses, so a name that
// resolves to a public address when checked and to 127.0.0.1 when connecting (DNS rebinding) gets nowhere.
// IP literals never reach a lookup and are checked before connecting.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { internalAddressReason, isIpLiteral, receiverUrlProblem } from '../domain/ip-policy.js';

export const ALLOW_PRIVATE_HINT = 'set CSAT_WEBHOOK_ALLOW_PRIVATE=1 on the server to allow internal receivers';

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  constructor(reason: string) {
    super(`refused: ${reason} (${ALLOW_PRIVATE_HINT})`);
  }
}

/** dns.lookup, but failing when any address of the name is internal (all of them are checked, since
 * the connection may try each in turn). */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    for (const a of addresses) {
      const reason = internalAddressReason(a.address);
      if (reason) return callback(new RefusedAddressError(`${hostname} resolves to ${reason}`), '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** POSTs and resolves with the HTTP status; redirects are not followed. The answer's body is dropped
 * unread. Rejects on refusal, connection errors and the timeout (an AbortError). */
export function postWebhook(url: string, options: PostOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    if (!options.allowPrivate && isIpLiteral(target.hostname)) {
      const problem = receiverUrlProblem(url);
      if (problem) return reject(new RefusedAddressError(problem));
    }
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(target, {
      method: 'POST',
      headers: { ...options.headers, 'Content-Length': String(Buffer.byteLength(options.body)) },
      // No pooled connections: each delivery stands alone, and nothing is left open after a timeout.
      agent: false,
      ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    req.on('response', (res) => {
      res.resume();
      res.on('error', () => {});
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** What registration can know about a receiver: its URL (literal addresses, localhost) and, when the name
 * resolves now, its addresses. A name that does not resolve yet is accepted: every delivery checks again. */
export async function registrationProblem(url: string, lookupTimeoutMs = 2000): Promise<string | null> {
  const problem = receiverUrlProblem(url);
  if (problem) return problem;
  const hostname = new URL(url).hostname;
  if (isIpLiteral(hostname)) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const addresses = await Promise.race([
    dns.promises.lookup(hostname, { all: true }).catch(() => []),
    new Promise<dns.LookupAddress[]>((resolve) => (timer = setTimeout(() => resolve([]), lookupTimeoutMs))),
  ]).finally(() => clearTimeout(timer));
  for (const a of addresses) {
    const reason = internalAddressReason(a.address);
    if (reason) return `${hostname} resolves to ${reason}`;
  }
  return null;
}
