// Headers with a strict default that some routes relax: a route's own value wins, set before or after.
import { createMiddleware } from 'hono/factory';

export function defaultHeaders(defaults: Record<string, string>) {
  return createMiddleware(async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(defaults)) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
  });
}
