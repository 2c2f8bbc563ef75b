// The sign-in form of /admin: the site and its admin key, checked against the API before anything is
// kept; a read-only wall key is refused with what to do instead. Renders inside <csat-admin>'s shadow
// root, with its styles.
import { html, LitElement } from 'lit';
import { AdminApiError, type Session } from './csat-admin-api.js';

/**
 * Asks for the site and the admin key and hands them to `signIn`, which throws (an AdminApiError) when
 * the API refuses them.
 */
export class CsatAdminLogin extends LitElement {
  static override properties = {
    site: { attribute: false },
    signIn: { attribute: false },
    error: { attribute: false },
    wallKeyRefused: { state: true, attribute: false },
    checking: { state: true, attribute: false },
  };

  /** Prefills the site field. */
  site = '';
  /** Checks and keeps the session (set by <csat-admin>). */
  signIn: ((session: Session) => Promise<void>) | null = null;
  /** Why the page came back here (a revoked key), or why the last try failed. */
  error = '';

  /** The site whose read-only wall key was pasted: the form says what to do instead. */
  private wallKeyRefused: string | null = null;
  private checking = false;

  // Rendered into <csat-admin>'s shadow root: one stylesheet, one set of ids, one focus scope.
  protected override createRenderRoot() {
    return this;
  }

  /** Moves focus to the key field (after the key was forgotten or refused). */
  async focusKey() {
    await this.updateComplete;
    this.querySelector<HTMLElement>('#login-key')?.focus();
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const site = String(form.get('site') ?? '').trim();
    const key = String(form.get('key') ?? '').trim();
    this.wallKeyRefused = null;
    if (!site || !key) {
      this.error = 'Enter the site and its admin key.';
      return;
    }
    this.checking = true;
    this.error = '';
    try {
      await this.signIn?.({ site, key });
    } catch (error) {
      this.wallKeyRefused = error instanceof AdminApiError && error.code === 'read_only_key' ? site : null;
      this.error = error instanceof AdminApiError ? error.message : String(error);
    } finally {
      this.checking = false;
    }
  }

  /** Our own words rather than the API's ("this route"): the person is on /admin, holding a wall key. */
  private renderWallKeyHelp(site: string) {
    return html`<p>This is a read-only wall key: it shows the office wall (/wall), not this admin page.</p>
      <p class="fix">The admin page needs an admin key. On the server, create one with <code>npx csat key create ${site}</code> and paste it here.</p>`;
  }

  protected override render() {
    return html`<form class="login" @submit=${this.onSubmit} aria-labelledby="login-title">
      <h1 id="login-title">Customer satisfaction · admin</h1>
      <p class="hint">Paste the site's admin key. It stays in this browser tab until you close it or press "Forget key".</p>
      <div class="field">
        <label for="login-site">Site</label>
        <input id="login-site" name="site" required autocomplete="off" spellcheck="false" .value=${this.site} />
      </div>
      <div class="field">
        <label for="login-key">Admin key</label>
        <input id="login-key" name="key" type="password" required autocomplete="off" spellcheck="false" />
      </div>
      <div class="status error" role="alert">${this.wallKeyRefused !== null ? this.renderWallKeyHelp(this.wallKeyRefused) : this.error}</div>
      <button type="submit" class="primary" ?disabled=${this.checking}>${this.checking ? 'Checking…' : 'Open the inbox'}</button>
    </form>`;
  }
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin-login')) customElements.define('csat-admin-login', CsatAdminLogin);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin-login': CsatAdminLogin;
  }
}
