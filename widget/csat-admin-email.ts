// The survey-email part of /admin: each ticket's email status (queued, sent, failed with the last error,
// throttled, opted out) and the site's sender settings (the SMTP server only as set / not set).
// <csat-admin> mounts it and lends it its API call.
import { css, html, LitElement, nothing } from 'lit';
import { adminStyles } from './csat-admin.styles.js';
import { themeStyles } from './theme.styles.js';

type EmailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'throttled' | 'opted_out';

interface Email {
  id: number;
  ticketRef: string;
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  sendAt: string | null;
  sentAt: string | null;
  createdAt: string;
}

interface Settings {
  senderName: string | null;
  senderEmail: string | null;
  replyTo: string | null;
  smtp: 'set' | 'not set';
  delayMinutes: number;
}

const STATUS_TEXT: Record<EmailStatus, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  cancelled: 'Cancelled (ticket reopened)',
  throttled: 'Not sent: throttled',
  opted_out: 'Not sent: opted out',
};

const when = (iso: string | null) => (iso ? html`<time datetime=${iso}>${new Date(iso).toLocaleString()}</time>` : '—');

/**
 * Survey emails of one site, inside `<csat-admin>`.
 */
export class CsatAdminEmail extends LitElement {
  static override styles = [
    themeStyles,
    adminStyles,
    css`
      .status-failed {
        color: var(--csat-color-negative);
      }
      .last-error {
        overflow-wrap: anywhere;
      }
    `,
  ];

  static override properties = {
    call: { attribute: false },
    fail: { attribute: false },
    emails: { state: true, attribute: false },
    settings: { state: true, attribute: false },
    error: { state: true, attribute: false },
  };

  /** A call to /v1/sites/<site><path> with the admin key; rejects unless 2xx (set by <csat-admin>). */
  call: ((path: string, init?: RequestInit) => Promise<Response>) | null = null;
  /** Reports a failed call; a 401 signs the page out (set by <csat-admin>). */
  fail: ((error: unknown, show: (text: string) => void) => void) | null = null;

  private emails: Email[] | null = null;
  private settings: Settings | null = null;
  private error = '';

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async request(path: string): Promise<Response | null> {
    if (!this.call) return null;
    try {
      return await this.call(path);
    } catch (error) {
      (this.fail ?? ((e, show) => show(String(e))))(error, (text) => (this.error = text));
      return null;
    }
  }

  async load() {
    this.error = '';
    const [list, settings] = await Promise.all([this.request('/emails?limit=50'), this.request('/email-settings')]);
    if (list) this.emails = ((await list.json()) as { emails: Email[] }).emails;
    if (settings) this.settings = (await settings.json()) as Settings;
  }

  private renderSettings() {
    const s = this.settings;
    if (!s) return nothing;
    if (!s.senderEmail) return html`<p class="empty">This site does not send survey emails (no sender address: <code>csat site set --sender-email</code>).</p>`;
    return html`<p class="settings">
      From ${s.senderName ? html`${s.senderName} ` : nothing}&lt;${s.senderEmail}&gt;${s.replyTo ? html`, replies to ${s.replyTo}` : nothing},
      ${s.delayMinutes} min after the ticket closed; SMTP server of its own: ${s.smtp}.
    </p>`;
  }

  protected override render() {
    const emails = this.emails;
    return html`<section aria-labelledby="emails-title">
      <div class="row">
        <h2 id="emails-title">Survey emails</h2>
        <button type="button" @click=${() => this.load()}>Refresh</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.renderSettings()}
      ${emails === null
        ? this.error
          ? nothing
          : html`<p class="empty">Loading…</p>`
        : emails.length === 0
          ? html`<p class="empty">No survey emails yet.</p>`
          : html`<div class="table-wrap">
              <table class="emails">
                <thead>
                  <tr>
                    <th scope="col">Ticket</th>
                    <th scope="col">Email</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Last error</th>
                    <th scope="col">Sent / next attempt</th>
                  </tr>
                </thead>
                <tbody>
                  ${emails.map(
                    (e) => html`<tr>
                      <td>${e.ticketRef}</td>
                      <td class="status-${e.status}">${STATUS_TEXT[e.status]}</td>
                      <td>${e.attempts}</td>
                      <td class="last-error">${e.lastError ? html`<span class="error">${e.lastError}</span>` : '—'}</td>
                      <td>${e.sentAt ? when(e.sentAt) : when(e.sendAt)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
    </section>`;
  }
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin-email')) customElements.define('csat-admin-email', CsatAdminEmail);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin-email': CsatAdminEmail;
  }
}
