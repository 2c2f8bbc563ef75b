// The body size limit decided from Content-Length alone when the request declares one, as Hono's
// bodyLimit does too, but without touching `c.req.raw.body`: on @hono/node-server that property builds
// a whole web Request with a ReadableStream over the socket, a cost of every reaction that a CPU profile
// showed (bench/cpu-profile.md), while `c.req.json()` can read the body directly.
// Node's HTTP parser reads exactly Content-Length bytes as the body, so the declared length is the
// length. Chunked bodies (no length) still go through `limitBody`, which counts them as they come.
import { createMiddleware } from 'hono/factory';
import { MAX_BODY_BYTES } from '../config.js';
import { ApiError } from '../errors.js';
import { limitBody } from './json-body.js';

export const limitDeclaredBody = createMiddleware(async (c, next) => {
  const length = c.req.header('Content-Length');
  if (length === undefined || c.req.header('Transfer-Encoding') !== undefined || !/^\d+$/.test(length)) return limitBody(c, next);
  if (Number(length) > MAX_BODY_BYTES) {
    throw new ApiError(413, 'payload_too_large', `the request body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  await next();
});
