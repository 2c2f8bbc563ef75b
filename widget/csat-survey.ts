import { html, LitElement, nothing } from 'lit';
import { ApiError, fetchAnswer, postAnswer, REACTIONS, type Answer, type Reaction } from './api-client.js';
import { dirOf, fill, hasStrings, langOf, loadStrings, strings } from './i18n.js';
import { apiBase } from './script-origin.js';
import { surveyStyles } from './csat-survey.styles.js';
import { themeStyles } from './theme.styles.js';

const FACE: Record<Reaction, string> = { positive: '😀', neutral: '😐', negative: '😞' };
/** Pause before a reaction preselected by a link is sent, once the page is visible to a person. */
export const AUTO_SEND_DELAY_MS = 1200;

type Status = 'loading' | 'ask' | 'saving' | 'answered' | 'invalid' | 'expired' | 'error';

export interface CsatResponseDetail {
  reaction: Reaction;
  comment: string | null;
  /** true for the first answer, false for a change. */
  created: boolean;
}

/**
 * The three-reaction survey for one survey token, usable on any page (for example a client portal).
 * Loading it records nothing: a reaction is sent when the person presses one, or, for a reaction
 * preselected by a link (`reaction`), once the page is visible to a person and after a short pause.
 *
 * @fires csat-response - after a reaction or comment was saved; detail: `{ reaction, comment, created }`
 * @csspart base - the survey card
 * @cssprop [--csat-font-family=inherit] - font
 * @cssprop [--csat-color-text] - main text
 * @cssprop [--csat-color-muted] - secondary text
 * @cssprop [--csat-color-background] - card background
 * @cssprop [--csat-color-border] - borders
 * @cssprop [--csat-color-positive] - positive reaction
 * @cssprop [--csat-color-neutral] - neutral reaction
 * @cssprop [--csat-color-negative] - negative reaction
 * @cssprop [--csat-color-focus] - focus ring
 */
export class CsatSurvey extends LitElement {
  static override styles = [themeStyles, surveyStyles];

  // Reactive properties, declared without decorators (a smaller drop-in script). Private state says
  // attribute: false so custom-elements.json does not list it as an attribute.
  static override properties = {
    token: {},
    api: {},
    reaction: {},
    locale: { attribute: 'lang' },
    theme: { reflect: true },
    status: { state: true, attribute: false },
    answer: { state: true, attribute: false },
    justSaved: { state: true, attribute: false },
    failed: { state: true, attribute: false },
  };

  /** The survey token from the survey link. */
  token = '';
  /** Origin of the csat-badge API; defaults to the origin the script was loaded from. */
  api: string | null = null;
  /** A reaction to preselect (and send once a person sees it): positive, neutral or negative. */
  reaction: string | null = null;
  /** Language: en, fr or ar; defaults to the page's language. */
  locale = '';
  /** light, dark, or auto (the visitor's system); defaults to the page's `color-scheme`. */
  theme: 'light' | 'dark' | 'auto' | null = null;

  private status: Status = 'loading';
  private answer: Answer | null = null;
  /** What the last save was, for the live region: a changed text is what screen readers announce. */
  private justSaved: '' | 'answer' | 'comment' = '';
  private failed = false;

  private loading?: AbortController;
  private autoTimer = 0;
  private autoCancelled = false;
  private readonly onVisibility = () => this.armAutoSend();
  private readonly cancelAutoSend = () => {
    this.autoCancelled = true;
    clearTimeout(this.autoTimer);
  };

  override connectedCallback() {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    // Any interaction means the person answers themselves.
    for (const type of ['pointerdown', 'keydown', 'input']) this.addEventListener(type, this.cancelAutoSend);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.cancelAutoSend();
    this.loading?.abort();
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('token') || changed.has('api')) void this.load();
    const lang = langOf(this, this.locale);
    const api = apiBase(this.api);
    if (!hasStrings(lang) && api) void loadStrings(api, lang).then(() => this.requestUpdate());
  }

  private async load() {
    this.loading?.abort();
    const api = apiBase(this.api);
    if (!this.token || !api) {
      this.status = 'invalid';
      return;
    }
    const controller = (this.loading = new AbortController());
    this.status = 'loading';
    try {
      const { answer } = await fetchAnswer(api, this.token, controller.signal);
      if (controller !== this.loading) return; // a newer load owns the state
      this.answer = answer;
      this.status = answer ? 'answered' : 'ask';
      this.armAutoSend();
    } catch (error) {
      if (controller !== this.loading || (error as Error).name === 'AbortError') return;
      this.status = error instanceof ApiError && error.code === 'invalid_token' ? 'invalid' : 'error';
    }
  }

  private get preselected(): Reaction | null {
    return REACTIONS.includes(this.reaction as Reaction) ? (this.reaction as Reaction) : null;
  }

  private armAutoSend() {
    clearTimeout(this.autoTimer);
    const reaction = this.preselected;
    // An automated browser (a mail scanner's) never sends by itself; a person there presses a reaction.
    if (!reaction || navigator.webdriver || this.status !== 'ask' || this.autoCancelled || document.visibilityState !== 'visible') return;
    this.autoTimer = window.setTimeout(() => {
      if (this.autoCancelled || document.visibilityState !== 'visible' || this.status !== 'ask') return;
      this.autoCancelled = true;
      void this.send(reaction);
    }, AUTO_SEND_DELAY_MS);
  }

  private async send(reaction: Reaction, comment?: string | null) {
    const api = apiBase(this.api);
    if (!api) return;
    const previous = this.status;
    const previousReaction = this.answer?.reaction;
    this.status = 'saving';
    this.failed = false;
    try {
      const { created, answer } = await postAnswer(api, this.token, reaction, comment);
      this.answer = answer;
      this.status = 'answered';
      this.justSaved = comment !== undefined && reaction === previousReaction ? 'comment' : 'answer';
      this.dispatchEvent(
        new CustomEvent<CsatResponseDetail>('csat-response', {
          detail: { reaction: answer.reaction, comment: answer.comment, created },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      const code = error instanceof ApiError ? error.code : '';
      if (code === 'token_expired') this.status = 'expired';
      else if (code === 'invalid_token') this.status = 'invalid';
      else if (code === 'change_window_closed') void this.load();
      else {
        this.status = previous;
        this.failed = true;
      }
    }
  }

  private react(reaction: Reaction) {
    this.cancelAutoSend();
    void this.send(reaction, this.answer ? this.commentValue() : undefined);
  }

  private commentValue(): string {
    return this.renderRoot.querySelector('textarea')?.value ?? '';
  }

  private button(reaction: Reaction, pressed: boolean) {
    const t = strings(langOf(this, this.locale));
    return html`<button type="button" class="r ${reaction}" aria-pressed=${pressed ? 'true' : 'false'} ?disabled=${this.status === 'saving'} @click=${() => this.react(reaction)}>
      <span aria-hidden="true">${FACE[reaction]}</span> ${t[reaction]}
    </button>`;
  }

  protected override render() {
    const lang = langOf(this, this.locale);
    const t = strings(lang);
    const answer = this.answer;
    const open = answer?.changeable;
    let body;
    if (this.status === 'invalid' || this.status === 'expired' || this.status === 'error') {
      body = html`<p class="note bad" role="alert">${this.status === 'expired' ? t.expired : this.status === 'invalid' ? t.invalid : t.failed}</p>`;
    } else if (this.status === 'loading' || !hasStrings(lang)) {
      body = html`<p class="meta">…</p>`;
    } else if (!answer) {
      const pre = this.preselected;
      body = html`<div class="reactions" role="group" aria-label=${t.question}>${REACTIONS.map((r) => this.button(r, r === pre))}</div>
        <p class="meta" role="status">${this.status === 'saving' ? t.saving : ''}</p>`;
    } else if (!open) {
      body = html`<p><strong>${t.yourAnswer}:</strong> ${FACE[answer.reaction]} ${t[answer.reaction]}</p>
        ${answer.comment ? html`<p class="answer">${answer.comment}</p>` : nothing}
        <p class="meta">${t.final}</p>`;
    } else {
      // The respondent's own clock and time zone, named, as on the survey page.
      const until = new Date(answer.changeableUntil).toLocaleString(lang, { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
      body = html`<p class="note ok" role="status">${this.status === 'saving' ? t.saving : this.justSaved === 'comment' ? t.commentSaved : this.justSaved ? t.saved : ''}</p>
        <p><strong>${t.yourAnswer}:</strong> ${FACE[answer.reaction]} ${t[answer.reaction]}</p>
        <label for="comment">${t.commentLabel}</label>
        <textarea id="comment" maxlength="2000" .value=${answer.comment ?? ''}></textarea>
        <button type="button" class="save" ?disabled=${this.status === 'saving'} @click=${() => this.react(answer.reaction)}>${t.saveComment}</button>
        <p class="meta">${fill(t.changeUntil, { date: until })}</p>
        <p class="meta">${t.changedMind}</p>
        <div class="reactions" role="group" aria-label=${t.changedMind}>
          ${REACTIONS.filter((r) => r !== answer.reaction).map((r) => this.button(r, false))}
        </div>`;
    }
    return html`<section part="base" dir=${dirOf(lang)} lang=${lang} aria-label=${t.question}>
      <p class="q">${t.question}</p>
      ${body}
      ${this.failed ? html`<p class="note bad" role="alert">${t.failed}</p>` : nothing}
    </section>`;
  }
}

if (!customElements.get('csat-survey')) customElements.define('csat-survey', CsatSurvey);

declare global {
  interface HTMLElementTagNameMap {
    'csat-survey': CsatSurvey;
  }
}
