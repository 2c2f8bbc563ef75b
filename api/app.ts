// Builds the HTTP API over a store. No I/O happens here at import time or in createApp: the server
// entry (server.ts) and the tests decide which store, clock and config to use.
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Clock } from './clock.js';
import type { AppConfig } from './config.js';
import { errorBody, errorResponse } from './errors.js';
import { responseRoutes } from './routes/responses.js';
import { scoreRoutes } from './routes/score.js';
import { surveyRoutes } from './routes/surveys.js';
import { ScoreHub } from './score-hub.js';
import type { Store } from './store/types.js';

export interface AppDeps {
  store: Store;
  clock: Clock;
  config: AppConfig;
}

export function createApp({ store, clock, config }: AppDeps) {
  if (config.tokenSecret.length < 32) throw new Error('config.tokenSecret must be at least 32 bytes');
  const hub = new ScoreHub(store, clock);
  const logError = config.logError ?? ((message, error) => console.error(message, error));

  const app = new Hono()
    // CORP is set per route: same-origin by default (below), cross-origin on the embeddable routes.
    .use('*', secureHeaders({ crossOriginResourcePolicy: false }))
    .use('*', async (c, next) => {
      await next();
      if (!c.res.headers.has('Cross-Origin-Resource-Policy')) c.res.headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    })
    .route('/v1/sites', scoreRoutes({ store, clock, hub, heartbeatMs: config.heartbeatMs }))
    .route('/v1/sites', surveyRoutes({ store, clock, config }))
    .route('/v1/responses', responseRoutes({ store, clock, config, hub }));

  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => errorResponse(c, error, logError));
  return Object.assign(app, { hub });
}

export type App = ReturnType<typeof createApp>;
