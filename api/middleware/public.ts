// Routes other websites may call or embed: CORS open to any origin, and Cross-Origin-Resource-Policy
// relaxed (the global default is same-origin, which would block the badge on every other site).
//
// CORS is set here with c.header() before the handler instead of hono/cors, which writes to c.res
// before the handler runs: that turns every response into a full Response object, a cost paid on every
// read of the public score, the route read most. Origin `*` needs no Vary.
import { createMiddleware } from 'hono/factory';

export const publicAccess = createMiddleware(async (c, next) => {
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Access-Control-Expose-Headers', 'ETag, Retry-After');
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  if (c.req.method === 'OPTIONS') {
    c.header('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Content-Type, If-None-Match');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  }
  await next();
});
