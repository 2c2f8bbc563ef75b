// The inbox of /admin: the filter form, the responses newest first with "Load more", the CSV export of
// the applied filters, and the details of the response opened. Renders inside <csat-admin>'s shadow
// root, with its styles.
import { html, LitElement, nothing } from 'lit';
import { BUILT_IN_MOMENTS } from '../api/domain/moments.js';
import type { AdminApi, Notice } from './csat-admin-api.js';
import { describeFilters, EMPTY_FILTERS, filterQuery, type Filters } from './csat-admin-filters.js';
import './csat-admin-filters.js';
import { answerCell } from './csat-admin-response.js';
import { momentName, type SurveyKind } from './csat-admin-kinds.js';
import { FOLLOW_UP_LABEL, formatDate, type Detail, type InboxItem } from './csat-admin-words.js';

const none = html`<span class="empty">—</span>`;

/**
 * The responses of the signed-in site. Loads its first page once connected.
 */
export class CsatAdminInbox extends LitElement {
  static override properties = {
    api: { attribute: false },
    site: { attribute: false },
    pageSize: { attribute: false },
    kind: { attribute: false },
    applied: { state: true, attribute: false },
    items: { state: true, attribute: false },
    nextCursor: { state: true, attribute: false },
    loading: { state: true, attribute: false },
    notice: { state: true, attribute: false },
    selected: { state: true, attribute: false },
  };

  /** The API calls of the page (set by <csat-admin>). */
  api: AdminApi | null = null;
  /** The signed-in site, for the export's file name. */
  site = '';
  /** Responses per page (1 to 200). */
  pageSize = 50;
  /** The site's survey kind: the class filter speaks its words. */
  kind: SurveyKind = 'reaction';

  private applied: Filters = EMPTY_FILTERS;
  private items: InboxItem[] = [];
  private nextCursor: string | null = null;
  private loading = false;
  private notice: Notice | null = null;
  private selected: Detail | null = null;

  /** Bumped by every new inbox load, so an older answer never overwrites a newer one. */
  private inboxLoad = 0;

  // Rendered into <csat-admin>'s shadow root: one stylesheet, one set of ids, one focus scope.
  protected override createRenderRoot() {
    return this;
  }

  protected override firstUpdated() {
    void this.loadInbox(false);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.inboxLoad++; // a page still on its way belongs to a session that ended
  }

  /** Moves focus to the inbox's title, where keyboard users continue after signing in. */
  async focusTitle() {
    await this.updateComplete;
    this.querySelector<HTMLElement>('#inbox-title')?.focus();
  }

  private async fetchPage(filters: Filters, cursor: string | null) {
    const query = filterQuery(filters);
    query.set('limit', String(Math.min(200, Math.max(1, Math.floor(this.pageSize) || 50))));
    if (cursor) query.set('cursor', cursor);
    const res = await this.api!.call(`/responses?${query}`);
    return (await res.json()) as { items: InboxItem[]; nextCursor: string | null };
  }

  /** The first page for `applied` (more = false), or the next one after the cursor. */
  private async loadInbox(more: boolean) {
    if (!this.api) return;
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
        this.notice = { text: `Ticket ${open.ticketRef} is not in these results: its details were closed.`, kind: 'ok' };
      }
    } catch (error) {
      if (load === this.inboxLoad) this.api.fail(error, (n) => (this.notice = n));
    } finally {
      if (load === this.inboxLoad) this.loading = false;
    }
  }

  private onFilters(event: CustomEvent<Filters>) {
    this.applied = event.detail;
    void this.loadInbox(false);
  }

  /** GET responses.csv needs the key in a header, so it is fetched here and saved through a Blob URL. */
  private async exportCsv() {
    const scope = describeFilters(this.applied, this.kind);
    this.notice = { text: 'Preparing the CSV export…', kind: 'ok' };
    try {
      const res = await this.api!.call(`/responses.csv?${filterQuery(this.applied)}`);
      const blob = await res.blob();
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? `${this.site || 'site'}-responses.csv`;
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.hidden = true;
      this.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      this.notice = { text: `Exported ${name} (${scope}).`, kind: 'ok' };
    } catch (error) {
      this.api!.fail(error, (n) => (this.notice = n));
    }
  }

  private async openDetail(id: string) {
    try {
      const res = await this.api!.call(`/responses/${encodeURIComponent(id)}`);
      this.selected = (await res.json()) as Detail;
      await this.updateComplete;
      await this.querySelector('csat-admin-response')?.focusTitle();
    } catch (error) {
      this.api!.fail(error, (n) => (this.notice = n));
    }
  }

  private closeDetail() {
    const id = this.selected?.id;
    this.selected = null;
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(`button[data-id="${CSS.escape(id ?? '')}"]`)?.focus());
  }

  /** A move or a note saved in the details: the row shows it too. */
  private onResponseChange(event: CustomEvent<Detail>) {
    const detail = event.detail;
    if (this.selected?.id === detail.id) this.selected = detail;
    this.items = this.items.map((item) => (item.id === detail.id ? { ...item, ...detail } : item));
  }

  /** Moments to filter by: the built-in ones and any other the loaded responses carry. */
  private get moments(): string[] {
    const seen = new Set<string>(BUILT_IN_MOMENTS);
    for (const item of this.items) if (item.moment) seen.add(item.moment);
    if (this.applied.moment) seen.add(this.applied.moment);
    return [...seen];
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
              <th scope="col">Answer</th>
              <th scope="col">Moment</th>
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
                <td class="answer">${answerCell(item)}</td>
                <td class="moment" data-label="Moment">${item.moment ? momentName(item.moment) : none}</td>
                <td class="comment ${item.comment === null ? 'none' : ''}">${item.comment ?? none}</td>
                <td class="team ${item.team === null ? 'none' : ''}" data-label="Team">${item.team ?? none}</td>
                <td class="technician ${item.technician === null ? 'none' : ''}" data-label="Technician">${item.technician ?? none}</td>
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

  protected override render() {
    return html`<h2 id="inbox-title" tabindex="-1">Inbox</h2>
      <csat-admin-filters .applied=${this.applied} .kind=${this.kind} .moments=${this.moments} @filters-change=${this.onFilters} @export-csv=${this.exportCsv}></csat-admin-filters>
      <p class="status inbox-status ${this.notice?.kind ?? ''}" role="status" aria-live="polite">${this.notice?.text ?? ''}</p>
      <div class="layout ${this.selected ? 'with-details' : ''}">
        <div>${this.renderTable()}</div>
        ${this.selected
          ? html`<csat-admin-response .api=${this.api} .response=${this.selected} @response-change=${this.onResponseChange} @response-close=${this.closeDetail}></csat-admin-response>`
          : nothing}
      </div>`;
  }
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin-inbox')) customElements.define('csat-admin-inbox', CsatAdminInbox);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin-inbox': CsatAdminInbox;
  }
}
