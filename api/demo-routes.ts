// The demo company site next to the API (built pages from dist/demo), and its "try the inline survey"
// button: a survey for a made-up ticket on the demo site, opened on the portal page as an email link
// pointing at a company's own website would.
//
// The routes exist only on a demo database, one that holds the demo site and no other (checked on each
// request, so a real site created later with the CLI turns them off without a restart); they only
// ever touch the demo site; and minting a survey is limited per client address, because it needs no key.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import type { Clock } from './clock.js';
import type { AppConfig } from './config.js';
import { DEMO_SLUG } from './demo-seed.js';
import { newTokenId, publicId, surveyToken } from './domain/tokens.js';
import { DAY_MS } from './domain/window.js';
import { reactionLimiter } from './middleware/rate-limit.js';
import type { Store } from './store/types.js';

/** Surveys one address may mint on the demo site per minute: enough to try it, too few to flood it. */
export const DEMO_TRY_LIMIT = { windowMs: 60_000, limit: 10 };

/** A database made for the demo: the demo site is its only site. */
export async function isDemoDatabase(store: Store): Promise<boolean> {
  const sites = await store.listSites();
  return sites.length === 1 && sites[0]!.slug === DEMO_SLUG;
}

export function demoRoutes(deps: {
  store: Store;
  clock: Clock;
  tokenSecret: Buffer;
  root: string;
  /** Behind a trusted proxy: count the proxy's last X-Forwarded-For hop (see middleware/rate-limit.ts). */
  trustProxy?: boolean;
  rateLimit?: AppConfig['rateLimit'];
}) {
  const { store, clock, tokenSecret, root } = deps;
  const limited = reactionLimiter({ rateLimit: deps.rateLimit ?? DEMO_TRY_LIMIT, trustProxy: deps.trustProxy })((c, retryAfter) =>
    c.json({ error: { code: 'rate_limited', message: `too many demo surveys from this address: try again in ${retryAfter} s` } }, 429),
  );
  return new Hono()
    .use('/demo', demoOnly(store))
    .use('/demo/*', demoOnly(store))
    .get('/demo', (c) => c.redirect('/demo/'))
    .post('/demo/try', csrf(), limited, async (c) => {
      const site = await store.getSite(DEMO_SLUG);
      if (!site) return c.text('the demo site does not exist on this server', 404);
      const now = clock.now();
      const { survey } = await store.createSurvey(
        { siteId: site.id, ticketRef: publicId('DEMO'), tokenId: newTokenId(), expiresAt: now + site.tokenTtlDays * DAY_MS },
        now,
      );
      return c.redirect(`/demo/portal.html?csat_token=${surveyToken(tokenSecret, survey.tokenId)}`, 303);
    })
    .use('/demo/*', serveStatic({ root, rewriteRequestPath: (path) => path.replace(/^\/demo/, '') || '/' }));
}

/** 404 for every demo route unless this is a demo database: a server with real sites has no demo. */
function demoOnly(store: Store): MiddlewareHandler {
  return async (c, next) => {
    if (!(await isDemoDatabase(store))) {
      return c.json({ error: { code: 'not_found', message: 'there is no demo on this server: the demo runs only on a database that holds the demo site alone' } }, 404);
    }
    await next();
  };
}
