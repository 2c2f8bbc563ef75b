// The webhooks part of /admin: each webhook's state, queue, last delivery and last error, with
// disable/enable (which also confirms a webhook held after its key was revoked), delete, secret
// rotation, and the latest deliveries with redelivery. <csat-admin> mounts it and lends it its API call.
import { css, html, LitElement, nothing } from 'lit';
import { adminStyles } from './csat-admin.styles.js';
import { themeStyles } from './theme.styles.js';

type State = 'enabled' | 'disabled' | 'needs_confirmation';

interface Webhook {
  id: string;
  url: string;
  events: string[];
  state: State;
  pending: number;
  failed: number;
  previousSecretExpiresAt: string | null;
  lastDelivery: { status: string; attempts: number; httpStatus: number | null; error: string | null; at: string } | null;
  lastError: { error: string; at: string } | null;
}

interface Delivery {
  id: number;
  event: string;
  status: string;
  attempts: number;
  httpStatus: number | null;
  error: string | null;
  createdAt: string;
}

const STATE_TEXT: Record<State, string> = { enabled: 'Enabled', disabled: 'Disabled', needs_confirmation: 'Needs confirmation' };

const when = (iso: string) => html`<time datetime=${iso}>${new Date(iso).toLocaleString()}</time>`;

/**
 * Webhook management for one site, inside `<csat-admin>`.
 */
export class CsatAdminWebhooks extends LitElement {
  static override styles = [
    themeStyles,
    adminStyles,
    css`
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.375rem;
      }
      .danger {
        color: var(--csat-color-negative);
      }
      .secret code {
        overflow-wrap: anywhere;
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
    `,
  ];

  static override properties = {
    call: { attribute: false },
    fail: { attribute: false },
    hooks: { state: true, attribute: false },
    error: { state: true, attribute: false },
    status: { state: true, attribute: false },
    secret: { state: true, attribute: false },
    deleting: { state: true, attribute: false },
    deliveriesOf: { state: true, attribute: false },
    deliveries: { state: true, attribute: false },
    busy: { state: true, attribute: false },
  };

  /** A call to /v1/sites/<site><path> with the admin key; rejects unless 2xx (set by <csat-admin>). */
  call: ((path: string, init?: RequestInit) => Promise<Response>) | null = null;
  /** Reports a failed call; a 401 signs the page out (set by <csat-admin>). */
  fail: ((error: unknown, show: (text: string) => void) => void) | null = null;

  private hooks: Webhook[] | null = null;
  private error = '';
  private status = '';
  /** A secret just made by a rotation: shown once. */
  private secret: { id: string; secret: string; until: string } | null = null;
  /** The webhook whose delete button now asks for confirmation. */
  private deleting: string | null = null;
  private deliveriesOf: string | null = null;
  private deliveries: Delivery[] = [];
  private busy = false;

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async request(path: string, init?: RequestInit): Promise<Response | null> {
    if (!this.call) return null;
    this.error = '';
    try {
      return await this.call(path, init);
    } catch (error) {
      (this.fail ?? ((_e, show) => show(String(_e))))(error, (text) => (this.error = text));
      return null;
    }
  }

  async load() {
    const res = await this.request('/webhooks');
    if (res) this.hooks = ((await res.json()) as { items: Webhook[] }).items;
    if (res && this.deliveriesOf) await this.loadDeliveries(this.deliveriesOf);
  }

  private async act(hook: Webhook, path: string, method: string, done: string) {
    this.busy = true;
    try {
      const res = await this.request(`/webhooks/${encodeURIComponent(hook.id)}${path}`, { method });
      if (!res) return;
      if (path === '/rotate-secret') {
        const body = (await res.json()) as { secret: string; previousSecretExpiresAt: string };
        this.secret = { id: hook.id, secret: body.secret, until: body.previousSecretExpiresAt };
      }
      if (method === 'DELETE' && this.deliveriesOf === hook.id) this.deliveriesOf = null;
      this.deleting = null;
      this.status = done;
      await this.load();
    } finally {
      this.busy = false;
    }
  }

  private async loadDeliveries(id: string) {
    const res = await this.request(`/webhooks/${encodeURIComponent(id)}/deliveries?limit=20`);
    if (!res) return;
    this.deliveries = ((await res.json()) as { items: Delivery[] }).items;
    this.deliveriesOf = id;
  }

  private async redeliver(hook: Webhook, delivery: Delivery) {
    await this.act(hook, `/deliveries/${delivery.id}/redeliver`, 'POST', `Delivery ${delivery.id} is queued again for ${hook.url}.`);
  }

  private renderActions(h: Webhook) {
    const toggle =
      h.state === 'enabled'
        ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.act(h, '/disable', 'POST', `Disabled ${h.url}.`)}>Disable</button>`
        : html`<button type="button" ?disabled=${this.busy} @click=${() => this.act(h, '/enable', 'POST', `Enabled ${h.url}.`)}>
            ${h.state === 'needs_confirmation' ? 'Confirm' : 'Enable'}
          </button>`;
    const del =
      this.deleting === h.id
        ? html`<button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.act(h, '', 'DELETE', `Deleted ${h.url}.`)}>Really delete</button>
            <button type="button" @click=${() => (this.deleting = null)}>Keep</button>`
        : html`<button type="button" ?disabled=${this.busy} @click=${() => (this.deleting = h.id)}>Delete</button>`;
    return html`<div class="actions">
      ${toggle}
      <button type="button" ?disabled=${this.busy} @click=${() => this.act(h, '/rotate-secret', 'POST', `New secret for ${h.url}.`)}>Rotate secret</button>
      <button type="button" aria-expanded=${this.deliveriesOf === h.id ? 'true' : 'false'}
        @click=${() => (this.deliveriesOf === h.id ? (this.deliveriesOf = null) : this.loadDeliveries(h.id))}>Deliveries</button>
      ${del}
    </div>`;
  }

  private renderDeliveries(h: Webhook) {
    if (this.deliveriesOf !== h.id) return nothing;
    return html`<tr class="deliveries">
      <td colspan="8">
        ${this.deliveries.length === 0
          ? html`<p class="empty">No delivery yet.</p>`
          : html`<table>
              <caption>Latest deliveries to ${h.url}</caption>
              <thead>
                <tr><th scope="col">Id</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Queued</th><th scope="col"><span class="visually-hidden">Action</span></th></tr>
              </thead>
              <tbody>
                ${this.deliveries.map(
                  (d) => html`<tr>
                    <td>${d.id}</td>
                    <td>${d.event}</td>
                    <td>${d.status}${d.httpStatus ? ` (HTTP ${d.httpStatus})` : ''}${d.error ? html`<br /><span class="error">${d.error}</span>` : nothing}</td>
                    <td>${d.attempts}</td>
                    <td>${when(d.createdAt)}</td>
                    <td>
                      ${d.status === 'pending' || h.state !== 'enabled'
                        ? nothing
                        : html`<button type="button" ?disabled=${this.busy} @click=${() => this.redeliver(h, d)}>Redeliver</button>`}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      </td>
    </tr>`;
  }

  protected override render() {
    const hooks = this.hooks;
    return html`<section aria-labelledby="webhooks-title">
      <div class="row">
        <h2 id="webhooks-title">Webhooks</h2>
        <button type="button" @click=${() => this.load()}>Refresh</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="status ok" role="status" aria-live="polite">${this.status}</p>
      ${this.secret
        ? html`<p class="secret">
            New secret (shown once, store it now): <code>${this.secret.secret}</code>. The previous one also signs until
            ${when(this.secret.until)}.
          </p>`
        : nothing}
      ${hooks === null
        ? this.error
          ? nothing
          : html`<p class="empty">Loading…</p>`
        : hooks.length === 0
          ? html`<p class="empty">No webhooks.</p>`
          : html`<div class="table-wrap">
              <table class="webhooks">
                <thead>
                  <tr>
                    <th scope="col">URL</th>
                    <th scope="col">Events</th>
                    <th scope="col">State</th>
                    <th scope="col">Last delivery</th>
                    <th scope="col">Last error</th>
                    <th scope="col">Pending</th>
                    <th scope="col">Failed</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  ${hooks.map((h) => {
                    const last = h.lastDelivery;
                    return html`<tr>
                        <td><code>${h.url}</code></td>
                        <td>${h.events.join(', ')}</td>
                        <td class="state ${h.state}">${STATE_TEXT[h.state]}</td>
                        <td class="last">
                          ${last
                            ? html`${last.status}${last.httpStatus ? ` (HTTP ${last.httpStatus})` : ''}, ${last.attempts} ${last.attempts === 1 ? 'attempt' : 'attempts'},
                                ${when(last.at)}`
                            : html`<span class="empty">No delivery yet</span>`}
                        </td>
                        <td class="last-error">${h.lastError ? html`<span class="error">${h.lastError.error}</span>, ${when(h.lastError.at)}` : '—'}</td>
                        <td>${h.pending}</td>
                        <td>${h.failed}</td>
                        <td>${this.renderActions(h)}</td>
                      </tr>
                      ${this.renderDeliveries(h)}`;
                  })}
                </tbody>
              </table>
            </div>`}
    </section>`;
  }
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin-webhooks')) customElements.define('csat-admin-webhooks', CsatAdminWebhooks);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin-webhooks': CsatAdminWebhooks;
  }
}
