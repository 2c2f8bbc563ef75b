// One response's details on /admin: its fields, the follow-up moves allowed from its state, and its
// notes with the form to add one. Renders inside <csat-admin>'s shadow root, with its styles.
import { html, LitElement, nothing } from 'lit';
import { AdminApiError, AUTHOR_ITEM, readItem, writeItem, type AdminApi, type Notice } from './csat-admin-api.js';
import { answerText, classWord, dimensionName, momentName } from './csat-admin-kinds.js';
import { FOLLOW_UP_LABEL, formatDate, mailto, movesFrom, type Detail, type FollowUp, type InboxItem } from './csat-admin-words.js';

/** The answer in its kind's words, its class beside a number, and the dimensions the respondent named. */
export function answerCell(item: InboxItem) {
  const word = classWord(item);
  return html`<span class="tag ${item.reaction}">${answerText(item)}</span>${word ? html`${' '}<span class="class">${word}</span>` : nothing}${item.dimensions?.length
    ? html`<span class="named">Mattered: ${item.dimensions.map(dimensionName).join(', ')}</span>`
    : nothing}`;
}

/**
 * The details of `response`. Fires `response-change` (detail: the Detail the API answered) after a
 * move or a note, and `response-close` when the operator closes it.
 *
 * @fires response-change - the response's follow-up or notes changed
 * @fires response-close - the operator closed the details
 */
export class CsatAdminResponse extends LitElement {
  static override properties = {
    api: { attribute: false },
    response: { attribute: false },
    notice: { state: true, attribute: false },
    saving: { state: true, attribute: false },
    author: { state: true, attribute: false },
  };

  /** The API calls of the page (set by <csat-admin>). */
  api: AdminApi | null = null;
  /** The response shown, as GET /v1/sites/:site/responses/:id answers it. */
  response: Detail | null = null;

  private notice: Notice | null = null;
  private saving = false;
  private author = '';

  // Rendered into <csat-admin>'s shadow root: one stylesheet, one set of ids, one focus scope.
  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.author = readItem(AUTHOR_ITEM) ?? '';
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    // Another response opened: the last one's "Saved" is not about this one.
    const before = changed.get('response') as Detail | null | undefined;
    if (changed.has('response') && before?.id !== this.response?.id) this.notice = null;
  }

  /** Moves focus to the title, where keyboard users continue. */
  async focusTitle() {
    await this.updateComplete;
    this.querySelector<HTMLElement>('#detail-title')?.focus();
  }

  private changed(detail: Detail) {
    this.dispatchEvent(new CustomEvent('response-change', { detail, bubbles: true, composed: true }));
  }

  /** PATCH the response; the answer replaces it here and in the table. */
  private async patch(body: { followUp?: FollowUp; note?: { author: string; text: string } }, saved: (d: Detail) => string): Promise<boolean> {
    const current = this.response;
    const api = this.api;
    if (!current || !api) return false;
    this.saving = true;
    this.notice = null;
    try {
      const res = await api.call(`/responses/${encodeURIComponent(current.id)}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const detail = (await res.json()) as Detail;
      this.changed(detail);
      this.notice = { text: saved(detail), kind: 'ok' };
      return true;
    } catch (error) {
      api.fail(error, (n) => (this.notice = n));
      // A 409 means the page showed a stale state (someone else moved it): show the current one.
      if (error instanceof AdminApiError && error.status === 409) void this.refresh(current.id);
      return false;
    } finally {
      this.saving = false;
    }
  }

  private async refresh(id: string) {
    try {
      const detail = (await (await this.api!.call(`/responses/${encodeURIComponent(id)}`)).json()) as Detail;
      if (this.response?.id === id) this.changed(detail);
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
      this.notice = { text: 'A note needs your name and a text.', kind: 'error' };
      return;
    }
    this.author = author;
    writeItem(AUTHOR_ITEM, author);
    if (await this.patch({ note: { author, text } }, () => 'Saved: the note was added.')) {
      const textarea = formElement.querySelector('textarea');
      if (textarea) textarea.value = '';
    }
  }

  protected override render() {
    const d = this.response;
    if (!d) return null;
    const none = html`<span class="empty">—</span>`;
    const { name, email } = d.contact ?? { name: null, email: null };
    const contact = email ? html`${name ? `${name} · ` : ''}<a class="email" href=${mailto(email)}>${email}</a>` : name;
    return html`<aside class="details" aria-labelledby="detail-title">
      <div class="top">
        <h2 id="detail-title" tabindex="-1">Ticket ${d.ticketRef}</h2>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('response-close', { bubbles: true, composed: true }))}>Close</button>
      </div>
      <dl>
        <dt>Answer</dt>
        <dd class="answer">${answerCell(d)}</dd>
        <dt>Moment</dt>
        <dd>${d.moment ? momentName(d.moment) : none}</dd>
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
        ${movesFrom(d.followUp).map(
          (m) => html`<button type="button" class="move" data-to=${m.to} ?disabled=${this.saving} @click=${() => this.move(m.to)}>${m.label}</button>`,
        )}
      </div>
      <p class="status ${this.notice?.kind ?? ''}" role="status" aria-live="polite">${this.notice?.text ?? ''}</p>
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
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin-response')) customElements.define('csat-admin-response', CsatAdminResponse);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin-response': CsatAdminResponse;
  }
}
