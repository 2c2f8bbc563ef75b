// Webhook subscriptions of a site: register, list with delivery state, disable/enable (enable also
// confirms a webhook held because its key was revoked), delete, rotate the secret, list deliveries and
// redeliver one. The secret is shown once, at creation or rotation; deliveries are signed with it (see
// domain/webhook.ts). Receiver URLs on internal addresses are refused unless the server allows them.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { adminKeyId, publicId } from '../domain/tokens.js';
import { newWebhookSecret, ROTATION_OVERLAP_MS, WEBHOOK_EVENTS, webhookState } from '../domain/webhook.js';
import { ApiError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { jsonBody, limitBody, requireJson } from '../middleware/json-body.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import type { DeliveryStatus, Store, WebhookStatus } from '../store/types.js';
import { ALLOW_PRIVATE_HINT, registrationProblem } from '../webhooks/send.js';

const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).refine((e) => new Set(e).size === e.length, 'events must not repeat'),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function webhookView(h: WebhookStatus) {
  return {
    id: h.id,
    url: h.url,
    events: h.events,
    state: webhookState(h),
    createdAt: iso(h.createdAt),
    disabledAt: iso(h.disabledAt),
    previousSecretExpiresAt: iso(h.previousSecretUntil),
    pending: h.pending,
    failed: h.failed,
    lastDelivery: h.last && { id: h.last.id, status: h.last.status, attempts: h.last.attempts, httpStatus: h.last.httpStatus, error: h.last.error, at: iso(h.last.at) },
    lastError: h.lastError && { error: h.lastError.error, at: iso(h.lastError.at) },
  };
}

export function deliveryView(d: DeliveryStatus) {
  return {
    id: d.id,
    messageId: d.messageId,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    httpStatus: d.httpStatus,
    error: d.error,
    createdAt: iso(d.createdAt),
    nextAttemptAt: iso(d.nextAttemptAt),
    deliveredAt: iso(d.deliveredAt),
  };
}

/** The id of the admin key on this request (adminAuth has already checked it). */
const presentedKeyId = (c: Context) => adminKeyId(/^Bearer[ \t]+(\S+)/i.exec(c.req.header('Authorization') ?? '')?.[1] ?? '');

const noWebhook = (id: string) => new ApiError(404, 'webhook_not_found', `this site has no webhook "${id}"`);

export function webhookRoutes(deps: { store: Store; clock: Clock; allowPrivate?: boolean }) {
  const { store, clock, allowPrivate = false } = deps;
  const site = loadSite(store);
  const admin = adminAuth(store);

  const found = async (c: Context<SiteEnv>, id: string) => {
    const hook = await store.getWebhook(c.get('site').id, id);
    if (!hook) throw noWebhook(id);
    return hook;
  };

  return new Hono<SiteEnv>()
    .post('/:site/webhooks', site, admin, limitBody, requireJson, jsonBody(webhookSchema), async (c) => {
      const body = c.req.valid('json');
      const problem = allowPrivate ? null : await registrationProblem(body.url);
      if (problem) throw new ApiError(400, 'internal_address', `url: receivers on internal addresses are refused: ${problem} (${ALLOW_PRIVATE_HINT})`);
      const webhook = { id: publicId('wh'), siteId: c.get('site').id, url: body.url, events: body.events, secret: newWebhookSecret(), registeredBy: presentedKeyId(c) };
      const now = clock.now();
      await store.createWebhook(webhook, now);
      return c.json({ id: webhook.id, url: webhook.url, events: webhook.events, secret: webhook.secret, createdAt: iso(now) }, 201);
    })
    .get('/:site/webhooks', site, admin, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ items: (await store.listWebhooks(c.get('site').id)).map(webhookView) });
    })
    .get('/:site/webhooks/:id', site, admin, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(webhookView(await found(c, c.req.param('id'))));
    })
    .post('/:site/webhooks/:id/disable', site, admin, async (c) => {
      const id = c.req.param('id');
      if (!(await store.setWebhookEnabled(c.get('site').id, id, false, null, clock.now()))) throw noWebhook(id);
      return c.json(webhookView(await found(c, id)));
    })
    .post('/:site/webhooks/:id/enable', site, admin, async (c) => {
      const id = c.req.param('id');
      if (!(await store.setWebhookEnabled(c.get('site').id, id, true, presentedKeyId(c), clock.now()))) throw noWebhook(id);
      return c.json(webhookView(await found(c, id)));
    })
    .delete('/:site/webhooks/:id', site, admin, async (c) => {
      const id = c.req.param('id');
      if (!(await store.deleteWebhook(c.get('site').id, id))) throw noWebhook(id);
      return c.body(null, 204);
    })
    .post('/:site/webhooks/:id/rotate-secret', site, admin, async (c) => {
      const id = c.req.param('id');
      const secret = newWebhookSecret();
      const until = clock.now() + ROTATION_OVERLAP_MS;
      if (!(await store.rotateWebhookSecret(c.get('site').id, id, secret, until))) throw noWebhook(id);
      return c.json({ id, secret, previousSecretExpiresAt: iso(until) });
    })
    .get('/:site/webhooks/:id/deliveries', site, admin, async (c) => {
      c.header('Cache-Control', 'no-store');
      const id = c.req.param('id');
      await found(c, id);
      const limit = Math.min(Math.max(Number.parseInt(c.req.query('limit') ?? '50', 10) || 50, 1), 200);
      return c.json({ items: (await store.listDeliveries(c.get('site').id, id, limit)).map(deliveryView) });
    })
    .post('/:site/webhooks/:id/deliveries/:delivery/redeliver', site, admin, async (c) => {
      const id = c.req.param('id');
      const hook = await found(c, id);
      const state = webhookState(hook);
      if (state !== 'enabled') throw new ApiError(409, 'webhook_not_enabled', `the webhook is ${state.replace('_', ' ')}: enable it first`);
      const deliveryId = /^\d{1,15}$/.test(c.req.param('delivery')) ? Number(c.req.param('delivery')) : NaN;
      const outcome = Number.isSafeInteger(deliveryId) ? await store.redeliver(c.get('site').id, id, deliveryId, clock.now()) : { status: 'not_found' as const };
      if (outcome.status === 'not_found') throw new ApiError(404, 'delivery_not_found', `webhook "${id}" has no delivery ${c.req.param('delivery')}`);
      if (outcome.status === 'still_pending') throw new ApiError(409, 'delivery_pending', 'this delivery is still queued; it will be retried by itself');
      return c.json(deliveryView(outcome.delivery), 202);
    });
}
