import { html, LitElement, nothing } from 'lit';
import { adminStyles } from './csat-admin.styles.js';
import './csat-admin-webhooks.js';
import './csat-admin-connectors.js';
import './csat-admin-email.js';
import { themeStyles } from './theme.styles.js';

type Reaction = 'positive' | 'neutral' | 'negative';
type FollowUp = 'none' | 'open' | 'contacted' | 'resolved';

/** One row of GET /v1/sites/:site/responses. */
interface InboxItem {
  id: string;
  ticketRef: string;
  reaction: Reaction;
  comment: string | null;
  source: string;
  followUp: FollowUp;
  team: string | null;
  technician: string | null;
  contact: { email: string | null; name: string | null } | null;
  notes: number;
  createdAt: string;
  updatedAt: string;
}

interface Note {
  author: string;
  text: string;
  followUp: FollowUp | null;
  at: string;
}

/** GET /v1/sites/:site/responses/:id */
interface Detail extends InboxItem {
  noteList: Note[];
}

/** The inbox filters as the form holds them: empty means "any". Dates are YYYY-MM-DD, local time. */
interface Filters {
  reaction: '' | Reaction;
  followUp: '' | FollowUp;
  team: string;
  technician: string;
  hasComment: '' | 'true' | 'false';
  since: string;
  until: string;
}

interface Session {
  site: string;
  key: string;
}

interface Notice {
  text: string;
  kind: 'ok' | 'error';
}

const EMPTY_FILTERS: Filters = { reaction: '', followUp: '', team: '', technician: '', hasComment: '', since: '', until: '' };

const REACTION_LABEL: Record<Reaction, string> = { positive: 'Positive', neutral: 'Neutral', negative: 'Negative' };
const FOLLOW_UP_LABEL: Record<FollowUp, string> = { none: 'Not needed', open: 'Open', contacted: 'Contacted', resolved: 'Resolved' };

/** The follow-up moves the API allows from each state (api/domain/follow-up.ts), as buttons. */
const MOVES: Record<FollowUp, ReadonlyArray<{ to: FollowUp; label: string }>> = {
  none: [{ to: 'open', label: 'Needs follow-up' }],
  open: [
    { to: 'contacted', label: 'Contacted' },
    { to: 'resolved', label: 'Resolved' },
  ],
  contacted: [{ to: 'resolved', label: 'Resolved' }],
  resolved: [{ to: 'open', label: 'Reopen' }],
};

/** sessionStorage names: the key lives as long as the browser tab, the note author likewise. */
const SESSION_ITEM = 'csat-admin:session';
const AUTHOR_ITEM = 'csat-admin:author';

/** sessionStorage can throw (disabled storage, sandboxed frames): then nothing is remembered. */
function readItem(name: string): string | null {
  try {
    return sessionStorage.getItem(name);
  } catch {
    return null;
  }
}

function writeItem(name: string, value: string | null) {
  try {
    if (value === null) sessionStorage.removeItem(name);
    else sessionStorage.setItem(name, value);
  } catch {
    // not remembered; the page still works
  }
}

function readSession(): Session | null {
  try {
    const value = JSON.parse(readItem(SESSION_ITEM) ?? 'null') as Partial<Session> | null;
    return value && typeof value.site === 'string' && typeof value.key === 'string' && value.key ? { site: value.site, key: value.key } : null;
  } catch {
    return null;
  }
}

/** A failed API call, with the API's own message (`{ error: { code, message } }`). */
class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sentence = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text).replace(/([^.!?])$/, '$1.');

/** Local midnight of a YYYY-MM-DD day (plus `days`), as the ISO instant the API expects; null if invalid. */
function dayToIso(day: string, days = 0): string | null {
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return null;
  date.setDate(date.getDate() + days);
  return date.toISOString();
}

/** The API's query string for the filters: since is inclusive, until takes the whole chosen day. */
function filterQuery(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.reaction) query.set('reaction', filters.reaction);
  if (filters.followUp) query.set('followUp', filters.followUp);
  if (filters.team.trim()) query.set('team', filters.team.trim());
  if (filters.technician.trim()) query.set('technician', filters.technician.trim());
  if (filters.hasComment) query.set('hasComment', filters.hasComment);
  const since = filters.since && dayToIso(filters.since);
  const until = filters.until && dayToIso(filters.until, 1);
  if (since) query.set('since', since);
  if (until) query.set('until', until);
  return query;
}

/** `mailto:` for an address, percent-encoded so that a `?` or `&` in it cannot add a cc or a body. */
const mailto = (email: string) => `mailto:${encodeURIComponent(email).replace(/%40/g, '@')}`;

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** What an export of these (applied) filters holds, in words: "all responses", or "negative · team
 * Network". The export applies the inbox's filters, so its button says which. */
function describeFilters(filters: Filters): string {
  const day = (value: string) => {
    const date = new Date(`${value}T00:00:00`);
    return Number.isNaN(date.getTime()) ? value : dayFormat.format(date);
  };
  const parts = [
    filters.reaction && REACTION_LABEL[filters.reaction].toLowerCase(),
    filters.followUp && `follow-up ${FOLLOW_UP_LABEL[filters.followUp].toLowerCase()}`,
    filters.team && `team ${filters.team}`,
    filters.technician && `technician ${filters.technician}`,
    filters.hasComment && (filters.hasComment === 'true' ? 'with a comment' : 'without a comment'),
    filters.since && `from ${day(filters.since)}`,
    filters.until && `to ${day(filters.until)}`,
  ].filter(Boolean);
  return parts.length === 0 ? 'all responses' : parts.join(' · ');
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatDate = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
};

/**
 * The operators' admin page for one site: paste the admin key once per browser session, then the
 * inbox (newest first, filters, "Load more"), a response's details with its notes and the follow-up
 * moves allowed from its state, a CSV export of the current filters, and the webhooks' delivery state.
 * Served by the API at /admin under a strict Content Security Policy: no inline styles, and every
 * call goes to the same origin with `Authorization: Bearer <admin key>`.
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
    wallKeyRefused: { state: true, attribute: false },
    checking: { state: true, attribute: false },
    applied: { state: true, attribute: false },
    items: { state: true, attribute: false },
    nextCursor: { state: true, attribute: false },
    loading: { state: true, attribute: false },
    notice: { state: true, attribute: false },
    selected: { state: true, attribute: false },
    detailNotice: { state: true, attribute: false },
    saving: { state: true, attribute: false },
    author: { state: true, attribute: false },
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
  /** The site whose read-only wall key was pasted at sign-in: the page says what to do instead. */
  private wallKeyRefused: string | null = null;
  private checking = false;
  private applied: Filters = EMPTY_FILTERS;
  private items: InboxItem[] = [];
  private nextCursor: string | null = null;
  private loading = false;
  private notice: Notice | null = null;
  private selected: Detail | null = null;
  private detailNotice: Notice | null = null;
  private saving = false;
  private author = '';

  /** Bumped by every new inbox load, so an older answer never overwrites a newer one. */
  private inboxLoad = 0;

  override connectedCallback() {
    super.connectedCallback();
    this.author = readItem(AUTHOR_ITEM) ?? '';
  }

  protected override firstUpdated() {
    // Attributes are set by now: resume a session of this tab for the same site.
    const stored = readSession();
    if (stored && (!this.site || stored.site === this.site)) {
      this.session = stored;
      void this.loadInbox(false);
    }
  }

  private get base(): string {
    return (this.api || location.origin).replace(/\/+$/, '');
  }

  /** A call to /v1/sites/<site><path> with the admin key; throws AdminApiError unless 2xx. */
  private async call(path: string, init: RequestInit = {}, session = this.session): Promise<Response> {
    if (!session) throw new AdminApiError(401, 'unauthorized', 'Paste the admin key first.');
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${session.key}`);
    let res: Response;
    try {
      res = await fetch(`${this.base}/v1/sites/${encodeURIComponent(session.site)}${path}`, { ...init, headers, credentials: 'omit', cache: 'no-store' });
    } catch (error) {
      throw new AdminApiError(0, 'network', `The server could not be reached (${(error as Error).message}).`);
    }
    if (res.ok) return res;
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new AdminApiError(res.status, body?.error?.code ?? `http_${res.status}`, sentence(body?.error?.message ?? `The server answered ${res.status} ${res.statusText}`));
  }

  /** A 401 later on (the key was revoked): back to the sign-in form, with the reason. */
  private handleError(error: unknown, show: (notice: Notice) => void) {
    const e = error instanceof AdminApiError ? error : new AdminApiError(0, 'unexpected', (error as Error).message);
    if (e.status === 401 && this.session) {
      this.forget(`${e.message} Paste the key again.`);
      return;
    }
    show({ text: e.message, kind: 'error' });
  }

  private async onLogin(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const site = String(form.get('site') ?? '').trim();
    const key = String(form.get('key') ?? '').trim();
    this.wallKeyRefused = null;
    if (!site || !key) {
      this.loginError = 'Enter the site and its admin key.';
      return;
    }
    const session = { site, key };
    this.checking = true;
    this.loginError = '';
    try {
      // The first page of the inbox is the check: a wrong key is a 401 before anything is kept.
      const page = await this.fetchPage(EMPTY_FILTERS, null, session);
      writeItem(SESSION_ITEM, JSON.stringify(session));
      this.session = session;
      this.applied = EMPTY_FILTERS;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.notice = null;
      this.selected = null;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#inbox-title')?.focus();
    } catch (error) {
      this.wallKeyRefused = error instanceof AdminApiError && error.code === 'read_only_key' ? site : null;
      this.loginError = error instanceof AdminApiError ? error.message : String(error);
    } finally {
      this.checking = false;
    }
  }

  /** Drops the key from this tab and from the page, back to the sign-in form. */
  private forget(reason?: string) {
    writeItem(SESSION_ITEM, null);
    this.session = null;
    this.items = [];
    this.nextCursor = null;
    this.selected = null;
    this.notice = null;
    this.detailNotice = null;
    this.inboxLoad++;
    this.wallKeyRefused = null;
    this.loginError = reason ?? '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#login-key')?.focus());
  }

  private async fetchPage(filters: Filters, cursor: string | null, session = this.session) {
    const query = filterQuery(filters);
    query.set('limit', String(Math.min(200, Math.max(1, Math.floor(this.pageSize) || 50))));
    if (cursor) query.set('cursor', cursor);
    const res = await this.call(`/responses?${query}`, {}, session);
    return (await res.json()) as { items: InboxItem[]; nextCursor: string | null };
  }

  /** The first page for `applied` (more = false), or the next one after the cursor. */
  private async loadInbox(more: boolean) {
    const load = ++this.inboxLoad;
    this.loading = true;
    try {
      const page = await this.fetchPage(this.applied, more ? this.nextCursor : null);
      if (load !== this.inboxLoad) return;
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      if (!more) this.notice = null;
      // The details must not show a response the filters now leave out: it would look like part of the result.
      const open = this.selected;
      if (!more && open && !page.items.some((item) => item.id === open.id)) {
        this.selected = null;
        this.detailNotice = null;
        this.notice = { text: `Ticket ${open.ticketRef} is not in these results: its details were closed.`, kind: 'ok' };
      }
    } catch (error) {
      if (load === this.inboxLoad) this.handleError(error, (n) => (this.notice = n));
    } finally {
      if (load === this.inboxLoad) this.loading = false;
    }
  }

  private onFilter(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: keyof Filters) => String(form.get(name) ?? '');
    this.applied = {
      reaction: text('reaction') as Filters['reaction'],
      followUp: text('followUp') as Filters['followUp'],
      team: text('team').trim(),
      technician: text('technician').trim(),
      hasComment: text('hasComment') as Filters['hasComment'],
      since: text('since'),
      until: text('until'),
    };
    void this.loadInbox(false);
  }

  private onClearFilters(event: Event) {
    (event.target as HTMLButtonElement).form?.reset();
    this.applied = { ...EMPTY_FILTERS };
    void this.loadInbox(false);
  }

  /** GET responses.csv needs the key in a header, so it is fetched here and saved through a Blob URL. */
  private async exportCsv() {
    const scope = describeFilters(this.applied);
    this.notice = { text: 'Preparing the CSV export…', kind: 'ok' };
    try {
      const res = await this.call(`/responses.csv?${filterQuery(this.applied)}`);
      const blob = await res.blob();
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? `${this.session?.site ?? 'site'}-responses.csv`;
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.hidden = true;
      this.renderRoot.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      this.notice = { text: `Exported ${name} (${scope}).`, kind: 'ok' };
    } catch (error) {
      this.handleError(error, (n) => (this.notice = n));
    }
  }

  private async openDetail(id: string) {
    this.detailNotice = null;
    try {
      const res = await this.call(`/responses/${encodeURIComponent(id)}`);
      this.selected = (await res.json()) as Detail;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#detail-title')?.focus();
    } catch (error) {
      this.handleError(error, (n) => (this.notice = n));
    }
  }

  private closeDetail() {
    const id = this.selected?.id;
    this.selected = null;
    this.detailNotice = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`button[data-id="${CSS.escape(id ?? '')}"]`)?.focus());
  }

  /** PATCH the selected response; the answer replaces it in the details and in the table. */
  private async patch(body: { followUp?: FollowUp; note?: { author: string; text: string } }, saved: (d: Detail) => string): Promise<boolean> {
    const current = this.selected;
    if (!current) return false;
    this.saving = true;
    this.detailNotice = null;
    try {
      const res = await this.call(`/responses/${encodeURIComponent(current.id)}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const detail = (await res.json()) as Detail;
      this.selected = detail;
      this.items = this.items.map((item) => (item.id === detail.id ? { ...item, ...detail } : item));
      this.detailNotice = { text: saved(detail), kind: 'ok' };
      return true;
    } catch (error) {
      this.handleError(error, (n) => (this.detailNotice = n));
      // A 409 means the page showed a stale state (someone else moved it): show the current one.
      if (error instanceof AdminApiError && error.status === 409) void this.refreshSelected(current.id);
      return false;
    } finally {
      this.saving = false;
    }
  }

  private async refreshSelected(id: string) {
    try {
      const detail = (await (await this.call(`/responses/${encodeURIComponent(id)}`)).json()) as Detail;
      if (this.selected?.id !== id) return;
      this.selected = detail;
      this.items = this.items.map((item) => (item.id === detail.id ? { ...item, ...detail } : item));
    } catch {
      // the error already shown is enough
    }
  }

  private move(to: FollowUp) {
    void this.patch({ followUp: to }, (d) => `Saved: follow-up is now ${FOLLOW_UP_LABEL[d.followUp].toLowerCase()}.`);
  }

  private async addNote(event: SubmitEvent) {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const author = String(form.get('author') ?? '').trim();
    const text = String(form.get('text') ?? '').trim();
    if (!author || !text) {
      this.detailNotice = { text: 'A note needs your name and a text.', kind: 'error' };
      return;
    }
    this.author = author;
    writeItem(AUTHOR_ITEM, author);
    if (await this.patch({ note: { author, text } }, () => 'Saved: the note was added.')) {
      const textarea = formElement.querySelector('textarea');
      if (textarea) textarea.value = '';
    }
  }

  private renderLogin() {
    return html`<form class="login" @submit=${this.onLogin} aria-labelledby="login-title">
      <h1 id="login-title">Customer satisfaction · admin</h1>
      <p class="hint">Paste the site's admin key. It stays in this browser tab until you close it or press "Forget key".</p>
      <div class="field">
        <label for="login-site">Site</label>
        <input id="login-site" name="site" required autocomplete="off" spellcheck="false" .value=${this.session?.site ?? this.site} />
      </div>
      <div class="field">
        <label for="login-key">Admin key</label>
        <input id="login-key" name="key" type="password" required autocomplete="off" spellcheck="false" />
      </div>
      <div class="status error" role="alert">${this.wallKeyRefused !== null ? this.renderWallKeyHelp(this.wallKeyRefused) : this.loginError}</div>
      <button type="submit" class="primary" ?disabled=${this.checking}>${this.checking ? 'Checking…' : 'Open the inbox'}</button>
    </form>`;
  }

  /** Our own words rather than the API's ("this route"): the person is on /admin, holding a wall key. */
  private renderWallKeyHelp(site: string) {
    return html`<p>This is a read-only wall key: it shows the office wall (/wall), not this admin page.</p>
      <p class="fix">The admin page needs an admin key. On the server, create one with <code>npx csat key create ${site}</code> and paste it here.</p>`;
  }

  private renderFilters() {
    const f = this.applied;
    return html`<form class="filters" @submit=${this.onFilter} aria-label="Filters">
      <div>
        <label for="f-reaction">Reaction</label>
        <select id="f-reaction" name="reaction" .value=${f.reaction}>
          <option value="">Any</option>
          <option value="positive">Positive</option>
          <option value="neutral">Neutral</option>
          <option value="negative">Negative</option>
        </select>
      </div>
      <div>
        <label for="f-followup">Follow-up</label>
        <select id="f-followup" name="followUp" .value=${f.followUp}>
          <option value="">Any</option>
          <option value="none">Not needed</option>
          <option value="open">Open</option>
          <option value="contacted">Contacted</option>
          <option value="resolved">Resolved</option>
        </select>
      </div>
      <div>
        <label for="f-team">Team</label>
        <input id="f-team" name="team" maxlength="100" .value=${f.team} />
      </div>
      <div>
        <label for="f-technician">Technician</label>
        <input id="f-technician" name="technician" maxlength="100" .value=${f.technician} />
      </div>
      <div>
        <label for="f-comment">Comment</label>
        <select id="f-comment" name="hasComment" .value=${f.hasComment}>
          <option value="">Any</option>
          <option value="true">With a comment</option>
          <option value="false">Without a comment</option>
        </select>
      </div>
      <div>
        <label for="f-since">From (day)</label>
        <input id="f-since" name="since" type="date" .value=${f.since} />
      </div>
      <div>
        <label for="f-until">To (day, included)</label>
        <input id="f-until" name="until" type="date" .value=${f.until} />
      </div>
      <div class="actions">
        <button type="submit" class="primary">Apply filters</button>
        <button type="button" @click=${this.onClearFilters}>Clear filters</button>
        <button type="button" class="export" @click=${this.exportCsv}>Export ${describeFilters(this.applied)} as CSV</button>
      </div>
    </form>`;
  }

  private renderTable() {
    const selectedId = this.selected?.id;
    return html`<div class="table-wrap">
        <table>
          <caption>
            ${this.items.length === 0 ? (this.loading ? 'Loading…' : 'No responses match these filters.') : `${this.items.length} ${this.items.length === 1 ? 'response' : 'responses'} shown, newest first`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Reaction</th>
              <th scope="col">Comment</th>
              <th scope="col">Team</th>
              <th scope="col">Technician</th>
              <th scope="col">Follow-up</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            ${this.items.map(
              (item) => html`<tr class=${item.id === selectedId ? 'selected' : ''} data-id=${item.id}>
                <td>
                  <button type="button" class="link" data-id=${item.id} aria-current=${item.id === selectedId ? 'true' : 'false'} @click=${() => this.openDetail(item.id)}>${item.ticketRef}</button>
                </td>
                <td><span class="tag ${item.reaction}">${REACTION_LABEL[item.reaction]}</span></td>
                <td class="comment ${item.comment === null ? 'none' : ''}">${item.comment ?? html`<span class="empty">—</span>`}</td>
                <td class="team ${item.team === null ? 'none' : ''}" data-label="Team">${item.team ?? html`<span class="empty">—</span>`}</td>
                <td class="technician ${item.technician === null ? 'none' : ''}" data-label="Technician">${item.technician ?? html`<span class="empty">—</span>`}</td>
                <td class="follow-up" data-label="Follow-up">${FOLLOW_UP_LABEL[item.followUp]}</td>
                <td class="date"><time datetime=${item.createdAt}>${formatDate(item.createdAt)}</time></td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this.nextCursor
        ? html`<p class="more"><button type="button" ?disabled=${this.loading} @click=${() => this.loadInbox(true)}>${this.loading ? 'Loading…' : 'Load more'}</button></p>`
        : nothing}`;
  }

  private renderDetail(d: Detail) {
    const none = html`<span class="empty">—</span>`;
    const { name, email } = d.contact ?? { name: null, email: null };
    const contact = email ? html`${name ? `${name} · ` : ''}<a class="email" href=${mailto(email)}>${email}</a>` : name;
    return html`<aside class="details" aria-labelledby="detail-title">
      <div class="top">
        <h2 id="detail-title" tabindex="-1">Ticket ${d.ticketRef}</h2>
        <button type="button" @click=${this.closeDetail}>Close</button>
      </div>
      <dl>
        <dt>Reaction</dt>
        <dd><span class="tag ${d.reaction}">${REACTION_LABEL[d.reaction]}</span></dd>
        <dt>Comment</dt>
        <dd class="comment">${d.comment ?? none}</dd>
        <dt>Team</dt>
        <dd>${d.team ?? none}</dd>
        <dt>Technician</dt>
        <dd>${d.technician ?? none}</dd>
        <dt>Contact</dt>
        <dd>${contact || none}</dd>
        <dt>Source</dt>
        <dd>${d.source}</dd>
        <dt>Created</dt>
        <dd><time datetime=${d.createdAt}>${formatDate(d.createdAt)}</time></dd>
        <dt>Updated</dt>
        <dd><time datetime=${d.updatedAt}>${formatDate(d.updatedAt)}</time></dd>
      </dl>
      <h3 id="follow-up-title">Follow-up: <span class="state">${FOLLOW_UP_LABEL[d.followUp]}</span></h3>
      <div class="row" role="group" aria-labelledby="follow-up-title">
        ${MOVES[d.followUp].map(
          (m) => html`<button type="button" class="move" data-to=${m.to} ?disabled=${this.saving} @click=${() => this.move(m.to)}>${m.label}</button>`,
        )}
      </div>
      <p class="status ${this.detailNotice?.kind ?? ''}" role="status" aria-live="polite">${this.detailNotice?.text ?? ''}</p>
      <h3>Notes</h3>
      ${d.noteList.length === 0
        ? html`<p class="empty">No notes yet.</p>`
        : html`<ul class="notes">
            ${d.noteList.map(
              (n) => html`<li>
                <div class="meta">${n.author} · <time datetime=${n.at}>${formatDate(n.at)}</time>${n.followUp ? ` · moved to ${FOLLOW_UP_LABEL[n.followUp].toLowerCase()}` : ''}</div>
                <div class="text">${n.text}</div>
              </li>`,
            )}
          </ul>`}
      <form class="note-form" @submit=${this.addNote} aria-label="Add a note">
        <div class="field">
          <label for="note-author">Your name</label>
          <input id="note-author" name="author" required maxlength="100" autocomplete="name" .value=${this.author} />
        </div>
        <div class="field">
          <label for="note-text">Note</label>
          <textarea id="note-text" name="text" required maxlength="2000"></textarea>
        </div>
        <button type="submit" ?disabled=${this.saving}>Add note</button>
      </form>
    </aside>`;
  }

  protected override render() {
    const session = this.session;
    if (!session) return html`<main>${this.renderLogin()}</main>`;
    return html`<header>
        <h1>Customer satisfaction · admin</h1>
        <span class="site">Site: <strong>${session.site}</strong></span>
        <span class="spacer"></span>
        <button type="button" @click=${() => this.forget()}>Forget key</button>
      </header>
      <main>
        <section aria-labelledby="inbox-title">
          <h2 id="inbox-title" tabindex="-1">Inbox</h2>
          ${this.renderFilters()}
          <p class="status ${this.notice?.kind ?? ''}" role="status" aria-live="polite">${this.notice?.text ?? ''}</p>
          <div class="layout ${this.selected ? 'with-details' : ''}">
            <div>${this.renderTable()}</div>
            ${this.selected ? this.renderDetail(this.selected) : nothing}
          </div>
        </section>
        <csat-admin-email
          .call=${(path: string, init?: RequestInit) => this.call(path, init)}
          .fail=${(error: unknown, show: (text: string) => void) => this.handleError(error, (n) => show(n.text))}
        ></csat-admin-email>
        <csat-admin-webhooks
          .call=${(path: string, init?: RequestInit) => this.call(path, init)}
          .fail=${(error: unknown, show: (text: string) => void) => this.handleError(error, (n) => show(n.text))}
        ></csat-admin-webhooks>
        <csat-admin-connectors
          .call=${(path: string, init?: RequestInit) => this.call(path, init)}
          .fail=${(error: unknown, show: (text: string) => void) => this.handleError(error, (n) => show(n.text))}
        ></csat-admin-connectors>
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
