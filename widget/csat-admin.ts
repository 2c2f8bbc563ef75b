import { html, LitElement } from 'lit';
import { AdminApiError, callSite, readSession, SESSION_ITEM, writeItem, type AdminApi, type Session } from './csat-admin-api.js';
import './csat-admin-connectors.js';
import './csat-admin-email.js';
import './csat-admin-dimensions.js';
import './csat-admin-inbox.js';
import type { SurveyKind } from './csat-admin-kinds.js';
import './csat-admin-login.js';
import './csat-admin-report.js';
import { adminStyles } from './csat-admin.styles.js';
import './csat-admin-webhooks.js';
import { themeStyles } from './theme.styles.js';

/**
 * The operators' admin page for one site: paste the admin key once per browser session, then the
 * inbox (newest first, each answer in its survey kind's terms, filters by class and moment, "Load more"),
 * a report per team, technician, week or moment, what mattered per class, a response's details with its notes and the follow-up
 * moves allowed from its state, a CSV export of the current filters, and the webhooks' delivery state.
 * Served by the API at /admin under a strict Content Security Policy: no inline styles, and every
 * call goes to the same origin with `Authorization: Bearer <admin key>`.
 *
 * This element holds the session and the site's survey kind; each part of the page is an element of
 * its own (sign-in, inbox, filters, response details, report, what mattered, email, webhooks,
 * connectors) that borrows its API call.
 *
 * @cssprop [--csat-font-family=inherit] - font
 * @cssprop [--csat-font-size=0.9375rem] - base size
 * @cssprop [--csat-color-text] - main text
 * @cssprop [--csat-color-muted] - secondary text and control borders
 * @cssprop [--csat-color-background] - page background
 * @cssprop [--csat-color-border] - table rules and panel borders
 * @cssprop [--csat-color-positive] - positive reactions and "saved"
 * @cssprop [--csat-color-neutral] - neutral reactions
 * @cssprop [--csat-color-negative] - negative reactions and errors
 * @cssprop [--csat-color-focus] - focus ring, links and the main buttons
 */
export class CsatAdmin extends LitElement {
  static override styles = [themeStyles, adminStyles];

  // Reactive properties, declared without decorators, as in <csat-badge>. Private state says
  // attribute: false so custom-elements.json does not list it as an attribute.
  static override properties = {
    site: {},
    api: {},
    pageSize: { type: Number, attribute: 'page-size' },
    theme: { reflect: true },
    session: { state: true, attribute: false },
    loginError: { state: true, attribute: false },
    kind: { state: true, attribute: false },
  };

  /** The site's name on the csat-badge server, e.g. "acme"; prefills the sign-in form. */
  site = '';
  /** Origin of the csat-badge API; defaults to the page's origin (the API serves this page). */
  api: string | null = null;
  /** Responses per page of the inbox (1 to 200). */
  pageSize = 50;
  /** light or dark; defaults to the operator's colour scheme. */
  theme: 'light' | 'dark' | null = null;

  private session: Session | null = null;
  private loginError = '';
  /** The site's survey kind, from its public score: the page shows answers and scores in its terms. */
  private kind: SurveyKind = 'reaction';

  /** The calls the parts of the page make, bound to this page's session. */
  private readonly siteApi: AdminApi = {
    call: (path, init) => this.call(path, init),
    fail: (error, show) => this.handleError(error, show),
  };

  protected override firstUpdated() {
    // Attributes are set by now: resume a session of this tab for the same site.
    const stored = readSession();
    if (stored && (!this.site || stored.site === this.site)) {
      this.session = stored;
      void this.loadKind(stored);
    }
  }

  /** The kind is public (GET /v1/sites/:site/score); until it is known the page speaks of reactions. */
  private async loadKind(session: Session) {
    try {
      const score = (await (await this.call('/score', {}, session)).json()) as { kind?: SurveyKind };
      if (this.session === session && score.kind) this.kind = score.kind;
    } catch {
      // the inbox reports what is wrong with the server; the words stay those of reactions
    }
  }

  private get base(): string {
    return (this.api || location.origin).replace(/\/+$/, '');
  }

  /** A call to /v1/sites/<site><path> with the admin key; throws AdminApiError unless 2xx. */
  private call(path: string, init: RequestInit = {}, session = this.session): Promise<Response> {
    return callSite(this.base, session, path, init);
  }

  /** A 401 later on (the key was revoked): back to the sign-in form, with the reason. */
  private handleError(error: unknown, show: (notice: { text: string; kind: 'ok' | 'error' }) => void) {
    const e = error instanceof AdminApiError ? error : new AdminApiError(0, 'unexpected', (error as Error).message);
    if (e.status === 401 && this.session) {
      this.forget(`${e.message} Paste the key again.`);
      return;
    }
    show({ text: e.message, kind: 'error' });
  }

  /** The inbox is the check: a wrong key is a 401 before anything is kept. */
  private readonly signIn = async (session: Session) => {
    await this.call('/responses?limit=1', {}, session);
    writeItem(SESSION_ITEM, JSON.stringify(session));
    this.loginError = '';
    this.session = session;
    void this.loadKind(session);
    await this.updateComplete;
    await this.renderRoot.querySelector('csat-admin-inbox')?.focusTitle();
  };

  /** Drops the key from this tab and from the page, back to the sign-in form. */
  private forget(reason?: string) {
    writeItem(SESSION_ITEM, null);
    this.session = null;
    this.loginError = reason ?? '';
    void this.updateComplete.then(() => this.renderRoot.querySelector('csat-admin-login')?.focusKey());
  }

  protected override render() {
    const session = this.session;
    if (!session) return html`<main><csat-admin-login .site=${this.site} .error=${this.loginError} .signIn=${this.signIn}></csat-admin-login></main>`;
    const fail = (error: unknown, show: (text: string) => void) => this.handleError(error, (n) => show(n.text));
    return html`<header>
        <h1>Customer satisfaction · admin</h1>
        <span class="site">Site: <strong>${session.site}</strong></span>
        <span class="spacer"></span>
        <button type="button" @click=${() => this.forget()}>Forget key</button>
      </header>
      <main>
        <section aria-labelledby="inbox-title">
          <csat-admin-inbox .api=${this.siteApi} .site=${session.site} .pageSize=${this.pageSize} .kind=${this.kind}></csat-admin-inbox>
        </section>
        <csat-admin-report .api=${this.siteApi} .kind=${this.kind}></csat-admin-report>
        <csat-admin-dimensions .api=${this.siteApi}></csat-admin-dimensions>
        <csat-admin-email .call=${this.siteApi.call} .fail=${fail}></csat-admin-email>
        <csat-admin-webhooks .call=${this.siteApi.call} .fail=${fail}></csat-admin-webhooks>
        <csat-admin-connectors .call=${this.siteApi.call} .fail=${fail}></csat-admin-connectors>
      </main>`;
  }
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin')) customElements.define('csat-admin', CsatAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin': CsatAdmin;
  }
}
