// Routes other websites may call or embed: CORS open, and Cross-Origin-Resource-Policy relaxed (the
// global secure headers default to same-origin, which would block the badge on every other site).
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';

const openCors = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
  allowHeaders: ['Content-Type', 'If-None-Match'],
  exposeHeaders: ['ETag'],
  maxAge: 86_400,
});

const crossOriginResource = createMiddleware(async (c, next) => {
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  await next();
});

export const publicAccess = [openCors, crossOriginResource] as const;
