// The demo company site next to the API (built pages from dist/demo), and its "try the inline survey"
// button: a survey for a made-up ticket on the demo site, opened on the portal page as an email link
// pointing at a company's own website would.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import type { Clock } from './clock.js';
import { DEMO_SLUG } from './demo-seed.js';
import { newTokenId, publicId, surveyToken } from './domain/tokens.js';
import { DAY_MS } from './domain/window.js';
import type { Store } from './store/types.js';

export function demoRoutes(deps: { store: Store; clock: Clock; tokenSecret: Buffer; root: string }) {
  const { store, clock, tokenSecret, root } = deps;
  return new Hono()
    .get('/demo', (c) => c.redirect('/demo/'))
    .post('/demo/try', csrf(), async (c) => {
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
