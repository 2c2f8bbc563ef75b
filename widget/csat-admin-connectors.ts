// The help-desk connectors part of /admin: each connector's last event, last error and write-back
// queue. Read-only: connectors are created and changed with `csat connector` or the API, because their
// settings carry credentials that this page never receives. <csat-admin> mounts it and lends it its API call.
import { css, html, LitElement, nothing } from 'lit';
import { adminStyles } from './csat-admin.styles.js';
import { themeStyles } from './theme.styles.js';

/** One row of GET /v1/sites/:site/connectors. */
interface Connector {
  id: string;
  provider: string;
  title: string;
  label: string | null;
  writeBack: boolean;
  reopen: boolean;
  disabled: boolean;
  lastEvent: { at: string; summary: string } | null;
  lastError: { at: string; message: string } | null;
  writeBacks: {
    pending: number;
    delivered: number;
    failed: number;
    last: { status: string; action: string; ticketId: string; attempts: number; httpStatus: number | null; error: string | null; at: string } | null;
  };
}

const when = (iso: string) => html`<time datetime=${iso}>${new Date(iso).toLocaleString()}</time>`;

/**
 * Help-desk connector status for one site, inside `<csat-admin>`.
 */
export class CsatAdminConnectors extends LitElement {
  static override styles = [
    themeStyles,
    adminStyles,
    css`
      .id {
        font-size: 0.85em;
        color: var(--csat-color-muted, inherit);
      }
      .error {
        overflow-wrap: anywhere;
      }
    `,
  ];

  static override properties = {
    call: { attribute: false },
    fail: { attribute: false },
    connectors: { state: true, attribute: false },
    error: { state: true, attribute: false },
  };

  /** A call to /v1/sites/<site><path> with the admin key; rejects unless 2xx (set by <csat-admin>). */
  call: ((path: string, init?: RequestInit) => Promise<Response>) | null = null;
  /** Reports a failed call; a 401 signs the page out (set by <csat-admin>). */
  fail: ((error: unknown, show: (text: string) => void) => void) | null = null;

  private connectors: Connector[] | null = null;
  private error = '';

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    if (!this.call) return;
    this.error = '';
    try {
      const res = await this.call('/connectors');
      this.connectors = ((await res.json()) as { items: Connector[] }).items;
    } catch (error) {
      (this.fail ?? ((e, show) => show(String(e))))(error, (text) => (this.error = text));
    }
  }

  private renderWriteBack(c: Connector) {
    if (!c.writeBack) return html`<span class="empty">Off (no API credentials)</span>`;
    const w = c.writeBacks;
    const last = w.last;
    return html`${w.delivered} delivered, ${w.pending} pending, ${w.failed} failed${c.reopen ? ', reopens' : ''}
      ${last
        ? html`<br />Last: ${last.action} on ticket ${last.ticketId}, ${last.status}${last.httpStatus ? ` (HTTP ${last.httpStatus})` : ''},
            ${last.attempts} ${last.attempts === 1 ? 'attempt' : 'attempts'}, ${when(last.at)}
            ${last.error ? html`<br /><span class="error">${last.error}</span>` : nothing}`
        : nothing}`;
  }

  protected override render() {
    const items = this.connectors;
    return html`<section aria-labelledby="connectors-title">
      <div class="row">
        <h2 id="connectors-title">Help-desk connectors</h2>
        <button type="button" @click=${() => this.load()}>Refresh</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${items === null
        ? this.error
          ? nothing
          : html`<p class="empty">Loading…</p>`
        : items.length === 0
          ? html`<p class="empty">No connectors. Create one on the server with <code>npx csat connector create &lt;site&gt; &lt;help desk&gt;</code>.</p>`
          : html`<div class="table-wrap">
              <table class="connectors">
                <thead>
                  <tr>
                    <th scope="col">Connector</th>
                    <th scope="col">Last event</th>
                    <th scope="col">Last error</th>
                    <th scope="col">Write-back</th>
                  </tr>
                </thead>
                <tbody>
                  ${items.map(
                    (c) => html`<tr>
                      <td>${c.title}${c.label ? ` (${c.label})` : ''}${c.disabled ? ' — disabled' : ''}<br /><code class="id">${c.id}</code></td>
                      <td>${c.lastEvent ? html`${c.lastEvent.summary}, ${when(c.lastEvent.at)}` : html`<span class="empty">None yet</span>`}</td>
                      <td>${c.lastError ? html`<span class="error">${c.lastError.message}</span>, ${when(c.lastError.at)}` : '—'}</td>
                      <td>${this.renderWriteBack(c)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
    </section>`;
  }
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin-connectors')) customElements.define('csat-admin-connectors', CsatAdminConnectors);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin-connectors': CsatAdminConnectors;
  }
}
