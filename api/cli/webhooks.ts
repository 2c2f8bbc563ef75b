// `csat webhook ...`: the same management as the API and /admin, for the server's operator. Enabling a
// webhook here confirms it with no key as its owner (the operator of the server vouches for it).
import { newWebhookSecret, ROTATION_OVERLAP_MS, webhookState } from '../domain/webhook.js';
import type { Site, Store } from '../store/types.js';

export const WEBHOOK_USAGE = `  webhook list <site>              the site's webhooks: id, state, url, events, queue, last delivery
  webhook deliveries <site> <webhook-id>
                                   its latest deliveries (ids for redeliver)
  webhook disable|enable|delete <site> <webhook-id>
                                   enable also confirms a webhook held because its key was revoked
  webhook rotate <site> <webhook-id>
                                   new secret (shown once); the old one also signs for 24 hours
  webhook redeliver <site> <webhook-id> <delivery-id>
                                   send a finished delivery again (same webhook-id)`;

export interface WebhookCliContext {
  store: Store;
  site: (slug: string | undefined) => Promise<Site>;
  out: (line: string) => void;
  now: () => number;
  /** An error meant as a usage problem (exit code 2). */
  usage: (message: string) => Error;
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

export async function runWebhookCommand(sub: string | undefined, args: string[], ctx: WebhookCliContext): Promise<number> {
  const { store, out, usage } = ctx;
  const site = await ctx.site(args[0]);
  const hookId = args[1];
  const needHook = () => {
    if (!hookId) throw usage(`name the webhook id (see: csat webhook list ${site.slug})`);
    return hookId;
  };
  const missing = () => usage(`"${site.slug}" has no webhook ${hookId}`);

  switch (sub) {
    case 'list': {
      for (const h of await store.listWebhooks(site.id)) {
        const last = h.last ? `last ${h.last.status} ${iso(h.last.at)}${h.last.error ? ` (${h.last.error})` : ''}` : 'no delivery yet';
        out(`${h.id}  ${webhookState(h)}  ${h.url}  ${h.events.join(',')}  pending ${h.pending}, failed ${h.failed}  ${last}`);
      }
      return 0;
    }
    case 'deliveries': {
      const id = needHook();
      if (!(await store.getWebhook(site.id, id))) throw missing();
      for (const d of await store.listDeliveries(site.id, id, 50)) {
        out(`${d.id}  ${d.event}  ${d.status}  attempts ${d.attempts}  ${d.httpStatus ?? '-'}  ${iso(d.createdAt)}${d.error ? `  ${d.error}` : ''}`);
      }
      return 0;
    }
    case 'disable':
    case 'enable': {
      const id = needHook();
      if (!(await store.setWebhookEnabled(site.id, id, sub === 'enable', null, ctx.now()))) throw missing();
      out(`Webhook ${id} of "${site.slug}" is ${sub}d.`);
      return 0;
    }
    case 'delete': {
      const id = needHook();
      if (!(await store.deleteWebhook(site.id, id))) throw missing();
      out(`Deleted webhook ${id} of "${site.slug}" and its deliveries.`);
      return 0;
    }
    case 'rotate': {
      const id = needHook();
      const secret = newWebhookSecret();
      const until = ctx.now() + ROTATION_OVERLAP_MS;
      if (!(await store.rotateWebhookSecret(site.id, id, secret, until))) throw missing();
      out(`New secret of webhook ${id} (shown once, store it now): ${secret}`);
      out(`The previous secret also signs until ${iso(until)}.`);
      return 0;
    }
    case 'redeliver': {
      const id = needHook();
      const hook = await store.getWebhook(site.id, id);
      if (!hook) throw missing();
      const state = webhookState(hook);
      if (state !== 'enabled') throw usage(`webhook ${id} is ${state.replace('_', ' ')}: enable it first`);
      const deliveryId = Number(args[2]);
      if (!args[2] || !/^\d{1,15}$/.test(args[2])) throw usage(`name the delivery id (see: csat webhook deliveries ${site.slug} ${id})`);
      const outcome = await store.redeliver(site.id, id, deliveryId, ctx.now());
      if (outcome.status === 'not_found') throw usage(`webhook ${id} has no delivery ${args[2]}`);
      if (outcome.status === 'still_pending') throw usage(`delivery ${args[2]} is still queued; it will be retried by itself`);
      out(`Queued delivery ${outcome.delivery.id} (again ${outcome.delivery.messageId}) for webhook ${id}.`);
      return 0;
    }
    default:
      throw usage(`unknown command: webhook ${sub ?? ''}`.trim());
  }
}
