// The demo company site next to the API (built pages from dist/demo), and its "try the inline survey"
// buttons: a survey of the chosen kind (reaction, CSAT or NPS) on that kind's demo site, for a made-up
// ticket or check-in, opened on the portal page as an email link pointing at a company's own website would.
//
// The routes exist only on a demo database, one that holds the demo sites and no other (checked on each
// request, so a real site created later with the CLI turns them off without a restart); they only
// ever touch the demo sites; and minting a survey is limited per client address, because it needs no key.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { CAMPAIGN_MOMENT } from '../campaigns/schedule.js';
import { DEMO_CSAT_SLUG, DEMO_NPS_SLUG, DEMO_SLUG, DEMO_SLUGS } from './seed.js';
import { isKind, type SurveyKind } from '../domain/kinds.js';
import { DEFAULT_MOMENT } from '../domain/moments.js';
import { newTokenId, publicId, surveyToken } from '../domain/tokens.js';
import { DAY_MS } from '../domain/window.js';
import { reactionLimiter } from '../middleware/rate-limit.js';
import type { Store } from '../store/types.js';

/** Surveys one address may mint on the demo site per minute: enough to try it, too few to flood it. */
export const DEMO_TRY_LIMIT = { windowMs: 60_000, limit: 10 };

/** The demo site a visitor tries for each kind, and the moment its survey measures. */
export const DEMO_TRY: Readonly<Record<SurveyKind, { slug: string; moment: string; ticket: string }>> = {
  reaction: { slug: DEMO_SLUG, moment: DEFAULT_MOMENT, ticket: 'DEMO' },
  csat: { slug: DEMO_CSAT_SLUG, moment: DEFAULT_MOMENT, ticket: 'DEMO-VIS' },
  nps: { slug: DEMO_NPS_SLUG, moment: CAMPAIGN_MOMENT, ticket: 'DEMO-CHK' },
};

/** A database made for the demo: it holds the reaction demo site, and no site but the demo sites (a
 * database seeded before the CSAT and NPS demo sites existed holds the first alone). */
export async function isDemoDatabase(store: Store): Promise<boolean> {
  const sites = await store.listSites();
  return sites.some((s) => s.slug === DEMO_SLUG) && sites.every((s) => DEMO_SLUGS.includes(s.slug));
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
  return new Hono<{ Variables: { demoKind: SurveyKind } }>()
    .use('/demo', demoOnly(store))
    .use('/demo/*', demoOnly(store))
    .get('/demo', (c) => c.redirect('/demo/'))
    // `kind` (form field or query): reaction by default, as the first demo had only that one.
    .post('/demo/try', csrf(), async (c, next) => {
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const kind = body.kind ?? c.req.query('kind') ?? 'reaction';
      if (!isKind(kind)) {
        return c.json({ error: { code: 'invalid_kind', message: 'kind must be reaction, csat or nps' } }, 400);
      }
      c.set('demoKind', kind);
      await next();
    }, limited, async (c) => {
      const demo = DEMO_TRY[c.get('demoKind')];
      const site = await store.getSite(demo.slug);
      if (!site) return c.json({ error: { code: 'not_found', message: `the demo site ${demo.slug} does not exist on this server` } }, 404);
      const now = clock.now();
      const { survey } = await store.createSurvey(
        { siteId: site.id, ticketRef: publicId(demo.ticket), tokenId: newTokenId(), moment: demo.moment, expiresAt: now + site.tokenTtlDays * DAY_MS },
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
      return c.json({ error: { code: 'not_found', message: 'there is no demo on this server: the demo runs only on a database that holds the demo sites alone' } }, 404);
    }
    await next();
  };
}
