// The Node server: reads the environment, opens the store (a SQLite file or a PostgreSQL database),
// seeds the demo site on an empty database, and serves the app until SIGINT/SIGTERM.
import fs from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { demoRoutes, isDemoDatabase } from './demo/routes.js';
import { DEMO_SLUG, seedDemo } from './demo/seed.js';
import type { OperatorPage } from './config.js';
import { readEnv } from './env.js';
import { describeTarget, isPostgresUrl, openStore } from './store/open.js';
import { openPgRateLimitStore } from './store/pg/rate-limit.js';
import { startWebhookWorker } from './webhooks/worker.js';
import { loadServerSecret } from './server-secret.js';
import { startEmailWorker } from './email/outbox-worker.js';
import { startWriteBackWorker } from './connectors/write-back-worker.js';
import { startCampaignWorker } from './campaigns/worker.js';
import { secretBox } from './domain/secret-box.js';

async function main() {
  const env = readEnv(process.env);
  const store = await openStore(env.CSAT_DB);
  // Sends queued webhook deliveries on its own timer; requests only write the queue rows.
  const webhooks = startWebhookWorker({ store, clock: systemClock, allowPrivate: env.CSAT_WEBHOOK_ALLOW_PRIVATE === '1' });
  const secret = loadServerSecret(env.CSAT_SECRET, env.CSAT_DB);
  if (secret.length < 32) throw new Error('CSAT_SECRET must decode to at least 32 bytes');

  const publicUrl = (env.CSAT_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  // Sends queued survey emails on its own timer; survey creation only writes the outbox row.
  const emails = startEmailWorker({ store, clock: systemClock, publicUrl, tokenSecret: secret, box: secretBox(secret), smtpUrl: env.CSAT_SMTP_URL });
  // Sends help-desk write-backs (internal notes on non-positive reactions); reactions only write the queue rows.
  const writeBacks = startWriteBackWorker({ store, clock: systemClock, serverSecret: secret, publicUrl });
  // Starts due relationship-campaign runs (and resumes one a stop cut short); see api/campaigns/runs.ts.
  const campaigns = startCampaignWorker({ store, clock: systemClock, config: { publicUrl, tokenSecret: secret } });

  // Instances over one PostgreSQL database share one reaction budget per client address; otherwise a
  // client spreading its reactions over them would get the full budget from each.
  const rateLimitStore = isPostgresUrl(env.CSAT_DB) && env.CSAT_RATE_LIMIT !== 0 ? openPgRateLimitStore(env.CSAT_DB) : undefined;

  let demoKey: string | null = null;
  let otherDemoKeys: Array<{ slug: string; key: string }> = [];
  if (env.CSAT_DEMO === '1' && (await store.listSites()).length === 0) {
    const seeded = await seedDemo(store, systemClock.now());
    demoKey = seeded.adminKey;
    otherDemoKeys = seeded.sites.slice(1).flatMap((s) => (s.adminKey ? [{ slug: s.site.slug, key: s.adminKey }] : []));
  }
  // The demo's links are printed only where the demo routes answer (a database with the demo site alone).
  const demoOn = env.CSAT_DEMO === '1' && (await isDemoDatabase(store));

  // The built widget and demo sit beside the built API (dist/widget, dist/demo); `npm start` builds them.
  const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const widgetFile = path.join(dist, 'widget', 'csat-badge.js');
  const widgetScript = fs.existsSync(widgetFile) ? fs.readFileSync(widgetFile, 'utf8') : undefined;
  if (!widgetScript) console.warn(`no drop-in script at ${widgetFile}: run npm run build`);

  const operatorScripts: Partial<Record<OperatorPage, string>> = {};
  for (const name of ['csat-wall', 'csat-admin'] as const) {
    const file = path.join(dist, 'widget', `${name}.js`);
    if (fs.existsSync(file)) operatorScripts[name] = fs.readFileSync(file, 'utf8');
  }

  const app = createApp({
    store,
    clock: systemClock,
    config: {
      publicUrl,
      tokenSecret: secret,
      widgetScript,
      operatorScripts,
      trustProxy: env.CSAT_TRUST_PROXY === '1',
      webhookAllowPrivate: env.CSAT_WEBHOOK_ALLOW_PRIVATE === '1',
      rateLimit: env.CSAT_RATE_LIMIT === 0 ? false : { windowMs: 60_000, limit: env.CSAT_RATE_LIMIT },
      ...(rateLimitStore ? { rateLimitStore } : {}),
      streamsPerAddress: env.CSAT_STREAMS_PER_ADDRESS === 0 ? false : { badge: env.CSAT_STREAMS_PER_ADDRESS },
    },
  });
  if (env.CSAT_DEMO === '1') app.route('/', demoRoutes({ store, clock: systemClock, tokenSecret: secret, root: path.join(dist, 'demo'), trustProxy: env.CSAT_TRUST_PROXY === '1' }));
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const base = `http://${env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST}:${info.port}`;
    const lines = [`csat-badge listening on ${base} (database ${describeTarget(env.CSAT_DB)})`];
    if (demoKey) lines.push('', `Seeded the demo site "${DEMO_SLUG}" with a quarter of history (and ${otherDemoKeys.map((d) => `"${d.slug}"`).join(', ')}: CSAT and NPS).`);
    if (demoOn) {
      lines.push(
        '',
        `  ${base}/demo/    the demo company site with the badge`,
        `  curl ${base}/v1/sites/${DEMO_SLUG}/score`,
        `  ${base}/v1/sites/${DEMO_SLUG}/badge.svg`,
      );
    }
    if (demoKey) lines.push(`Demo admin key (shown once; \`npx csat key create ${DEMO_SLUG}\` makes another): ${demoKey}`);
    for (const other of otherDemoKeys) lines.push(`Admin key of "${other.slug}" (shown once): ${other.key}`);
    console.log(lines.join('\n'));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const webhooksStopped = Promise.all([webhooks.stop(), emails.stop(), writeBacks.stop(), campaigns.stop()]);
    // Live (SSE) connections never end by themselves: close them after giving requests a moment.
    const force = setTimeout(() => (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(), 2000);
    server.close(() => {
      clearTimeout(force);
      void webhooksStopped.then(() => Promise.all([store.close(), rateLimitStore?.shutdown()])).then(() => process.exit(0));
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`csat-badge could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
