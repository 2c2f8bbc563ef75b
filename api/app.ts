// Builds the HTTP API over a store. No I/O happens here at import time or in createApp: the server
// entry (server.ts) and the tests decide which store, clock and config to use.
import { Hono } from 'hono';
import type { Clock } from './clock.js';
import type { AppConfig } from './config.js';
import { answers } from './services/answers.js';
import { errorBody, errorResponse } from './errors.js';
import { feedRoutes } from './routes/feed.js';
import { erasureRoutes } from './routes/erasures.js';
import { operatorPageRoutes } from './routes/operator-pages.js';
import { inboxRoutes } from './routes/inbox.js';
import { reportRoutes } from './routes/report.js';
import { responseRoutes } from './routes/responses.js';
import { webhookRoutes } from './routes/webhooks.js';
import { campaignRoutes } from './routes/campaigns.js';
import { connectorRoutes } from './routes/connectors.js';
import { surveyService } from './services/surveys.js';
import { scoreRoutes } from './routes/score.js';
import { scoreStreamRoutes } from './routes/score-stream.js';
import { logRoutes } from './routes/log.js';
import { receiptRoutes } from './routes/receipt.js';
import { surveyRoutes } from './routes/surveys.js';
import { emailAdminRoutes } from './routes/email-admin.js';
import { unsubscribeRoutes } from './routes/unsubscribe.js';
import { securityHeaders } from './middleware/security-headers.js';
import { reactionLimiter } from './middleware/rate-limit.js';
import { aboutRoute } from './pages/about-page.js';
import { surveyPageRoutes } from './routes/survey-page.js';
import { widgetRoutes } from './routes/widget.js';
import { ScoreCache } from './services/score-cache.js';
import { ScoreHub } from './live/score-hub.js';
import type { Store } from './store/types.js';

export interface AppDeps {
  store: Store;
  clock: Clock;
  config: AppConfig;
}

export function createApp({ store, clock, config }: AppDeps) {
  if (config.tokenSecret.length < 32) throw new Error('config.tokenSecret must be at least 32 bytes');
  const hub = new ScoreHub(store, clock);
  const scoreCache = new ScoreCache(store, clock, hub);
  const respondent = answers({ store, clock, config, hub });
  // One counter for both doors a reaction comes through (the JSON API and the survey page's form).
  const limiter = reactionLimiter(config);
  const logError = config.logError ?? ((message, error) => console.error(message, error));

  const app = new Hono()
    // Before every other middleware, so the answers kept for the score's fast path carry the headers
    // the whole chain sends (api/services/score-cache.ts).
    .use('/v1/sites/:site/score', scoreCache.capture)
    .use('/v1/sites/:site/badge.svg', scoreCache.capture)
    .use('*', securityHeaders)
    // Hono answers HEAD by running the GET route and dropping its body: cancel a streamed body so no
    // work keeps running for a reply nobody reads (the stream routes also answer HEAD themselves).
    .use('*', async (c, next) => {
      await next();
      if (c.req.method === 'HEAD' && c.res.body) await c.res.body.cancel().catch(() => {});
    })
    .route('/v1/sites', scoreRoutes({ store, cache: scoreCache }))
    .route('/v1/sites', scoreStreamRoutes({ store, clock, hub, heartbeatMs: config.heartbeatMs, config }))
    .route('/v1/sites', logRoutes({ store }))
    .route('/v1/sites', surveyRoutes({ store, clock, config }))
    .route('/v1/sites', emailAdminRoutes({ store, config }))
    .route('/', unsubscribeRoutes({ store, clock, config }))
    .route('/v1/sites', inboxRoutes({ store, clock }))
    .route('/v1/sites', reportRoutes({ store, clock }))
    .route('/v1/sites', campaignRoutes({ store, clock, config }))
    .route('/v1/sites', webhookRoutes({ store, clock, allowPrivate: config.webhookAllowPrivate }))
    .route('/v1/sites', connectorRoutes({ store, clock, config, surveys: surveyService({ store, clock, config }) }))
    .route('/v1/sites', feedRoutes({ store, clock, hub, heartbeatMs: config.heartbeatMs, config }))
    .route('/v1/sites', erasureRoutes({ store }))
    .route('/v1/responses', responseRoutes({ answers: respondent, limiter }))
    .route('/', receiptRoutes({ store }))
    .route('/', surveyPageRoutes({ answers: respondent, publicUrl: config.publicUrl, limiter }))
    .route('/', operatorPageRoutes(config.operatorScripts))
    .route('/', widgetRoutes(config.widgetScript))
    .get('/about/score', aboutRoute({ store, clock }));

  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => errorResponse(c, error, logError));

  // The score's fast path: a public score or badge read that the full route answered before is answered
  // from the score cache without the router, the middleware chain or the store; anything else, and a
  // read whose score may have changed, goes through the router as usual. HEAD is left to the router.
  const routerFetch = app.fetch;
  app.fetch = (request, env, executionCtx) => (request.method === 'GET' && scoreCache.answer(request)) || routerFetch(request, env, executionCtx);
  return Object.assign(app, { hub, scoreCache });
}

export type App = ReturnType<typeof createApp>;
