// Webhook subscriptions of a site. The secret is shown once, at creation; deliveries are signed with it
// (see domain/webhook.ts) and their state is listed here.
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { publicId } from '../domain/tokens.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { jsonBody, limitBody, requireJson } from '../middleware/json-body.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import type { Store, WebhookEvent } from '../store/types.js';

const EVENTS = ['response.created', 'response.changed'] as const satisfies readonly WebhookEvent[];

const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(z.enum(EVENTS)).min(1).max(EVENTS.length).refine((e) => new Set(e).size === e.length, 'events must not repeat'),
});

const iso = (ms: number) => new Date(ms).toISOString();

export function webhookRoutes(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  const site = loadSite(store);
  const admin = adminAuth(store);
  return new Hono<SiteEnv>()
    .post('/:site/webhooks', site, admin, limitBody, requireJson, jsonBody(webhookSchema), async (c) => {
      const body = c.req.valid('json');
      const webhook = { id: publicId('wh'), siteId: c.get('site').id, url: body.url, events: body.events, secret: `whsec_${randomBytes(24).toString('base64url')}` };
      const now = clock.now();
      await store.createWebhook(webhook, now);
      return c.json({ id: webhook.id, url: webhook.url, events: webhook.events, secret: webhook.secret, createdAt: iso(now) }, 201);
    })
    .get('/:site/webhooks', site, admin, async (c) => {
      c.header('Cache-Control', 'no-store');
      const hooks = await store.listWebhooks(c.get('site').id);
      return c.json({
        items: hooks.map((h) => ({
          id: h.id,
          url: h.url,
          events: h.events,
          createdAt: iso(h.createdAt),
          pending: h.pending,
          failed: h.failed,
          lastDelivery: h.last && { status: h.last.status, attempts: h.last.attempts, httpStatus: h.last.httpStatus, error: h.last.error, at: iso(h.last.at) },
        })),
      });
    });
}
