// Security headers on every response: the same set hono/secure-headers sends by default, written with
// c.header() before the handler runs. hono's middleware writes them onto c.res afterwards, which turns
// every reply into a full Response object, a cost paid on every reply, and the public score is read on
// every page view of every embedding site.
// Routes relax single headers with their own c.header() (embeds: CORP cross-origin; pages that post
// their own form: Referrer-Policy same-origin).
import { createMiddleware } from 'hono/factory';

const HEADERS = Object.entries({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
});

export const securityHeaders = createMiddleware(async (c, next) => {
  for (const [name, value] of HEADERS) c.header(name, value);
  await next();
});
