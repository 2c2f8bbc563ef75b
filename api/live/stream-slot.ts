// The per-address cap on open live streams, as route code uses it: take a slot for the request's
// client address (the same address the reaction rate limit counts, trusted proxy included) or answer
// 429 with Retry-After.
import type { Context } from 'hono';
import { DEFAULT_STREAMS_PER_ADDRESS, type AppConfig } from '../config.js';
import { ApiError } from '../errors.js';
import { clientAddress } from '../middleware/rate-limit.js';
import { StreamCap } from './stream-cap.js';

/** Seconds a refused client is asked to wait: about when a badge's own backoff would try again. */
export const STREAM_RETRY_AFTER_S = 30;

export type StreamKind = keyof typeof DEFAULT_STREAMS_PER_ADDRESS;

/** Takes a slot for the request's address and returns its release (undefined when nothing is
 * counted: no cap configured, or no address known), or throws the 429. */
export type TakeSlot = (c: Context) => (() => void) | undefined;

export function streamCapFor(config: Pick<AppConfig, 'streamsPerAddress' | 'trustProxy'> | undefined, kind: StreamKind): TakeSlot {
  if (!config || config.streamsPerAddress === false) return () => undefined;
  const perAddress = config.streamsPerAddress?.[kind] ?? DEFAULT_STREAMS_PER_ADDRESS[kind];
  const cap = new StreamCap(perAddress);
  const trustProxy = config.trustProxy ?? false;
  return (c) => {
    const address = clientAddress(c, trustProxy);
    if (address === null) return undefined;
    const release = cap.take(address);
    if (!release) {
      throw new ApiError(429, 'too_many_streams', `this address already holds ${perAddress} open ${kind === 'badge' ? 'score' : 'wall'} streams; close one or retry later`, {
        'Retry-After': String(STREAM_RETRY_AFTER_S),
      });
    }
    return release;
  };
}
