import { html, nothing } from 'lit/html.js';
import { CsatElement } from './csat-badge-element.js';
import { DIMENSIONS } from '../api/domain/dimensions.js';
import { answerValues } from '../api/domain/kinds.js';
import { ApiError, fetchAnswer, postAnswer, REACTIONS, type Answer, type Asks, type Reaction } from './api-client.js';
import { dirOf, fill, hasStrings, langOf, loadStrings, strings, type Strings } from './i18n.js';
import { apiBase } from './script-origin.js';
import { surveyStyles } from './csat-survey.styles.js';
import { themeStyles } from './theme.styles.js';

const FACE: Record<Reaction, string> = { positive: '😀', neutral: '😐', negative: '😞' };
/** Pause before a reaction preselected by a link is sent, once the page is visible to a person. */
export const AUTO_SEND_DELAY_MS = 1200;

/** The last three are final, and named as the keys of their texts. */
type Status = 'loading' | 'ask' | 'saving' | 'answered' | 'invalid' | 'expired' | 'failed';

/** One answer a survey offers: a reaction, or a number of its scale. */
type Value = Reaction | number;
const valueOf = (answer: Answer): Value => answer.score ?? answer.reaction;

export interface CsatResponseDetail {
  /** The answer's class (the reaction itself for reaction surveys). */
  reaction: Reaction;
  /** The number answered on a CSAT or NPS survey; null for reactions. */
  score: number | null;
  dimensions: string[];
  comment: string | null;
  /** true for the first answer, false for a change. */
  created: boolean;
}

/**
 * The survey for one survey token, usable on any page (for example a client portal), in the token's kind:
 * three reactions, a CSAT scale (1-3, 1-5 as stars, 1-10) or NPS (0-10), each a row of toggle buttons.
 * After the answer it asks the follow-up of the answer's class, and "What mattered most?".
 * Loading it records nothing: an answer is sent when the person presses one, or, for one preselected by
 * a link (`reaction`), once the page is visible to a person and after a short pause.
 *
 * @fires csat-response - after an answer, comment or choice of dimensions was saved; detail:
 * `{ reaction, score, dimensions, comment, created }`
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
export class CsatSurvey extends CsatElement {
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
    asks: { state: true, attribute: false },
    answer: { state: true, attribute: false },
    justSaved: { state: true, attribute: false },
    failed: { state: true, attribute: false },
  };

  /** The survey token from the survey link. */
  token = '';
  /** Origin of the csat-badge API; defaults to the origin the script was loaded from. */
  api: string | null = null;
  /** An answer to preselect (and send once a person sees it): positive, neutral or negative, or a number
   * of the survey's scale. */
  reaction: string | null = null;
  /** Language: en, fr or ar; defaults to the page's language. */
  locale = '';
  /** light, dark, or auto (the visitor's system); defaults to the page's `color-scheme`. */
  theme: 'light' | 'dark' | 'auto' | null = null;

  private status: Status = 'loading';
  private asks: Asks = { kind: 'reaction', scale: null };
  private answer: Answer | null = null;
  /** What the last save was, for the live region: a changed text is what screen readers announce. */
  private justSaved: '' | 'answer' | 'comment' = '';
  private failed = false;

  #loading?: AbortController;
  #autoTimer = 0;
  #autoCancelled = false;
  #onVisibility = () => this.#armAutoSend();
  #cancelAutoSend = () => {
    this.#autoCancelled = true;
    clearTimeout(this.#autoTimer);
  };

  override connectedCallback() {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    // Any interaction means the person answers themselves.
    for (const type of ['pointerdown', 'keydown', 'input']) this.addEventListener(type, this.#cancelAutoSend);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#cancelAutoSend();
    this.#loading?.abort();
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('token') || changed.has('api')) void this.#load();
    const lang = langOf(this, this.locale);
    const api = apiBase(this.api);
    if (!hasStrings(lang) && api) void loadStrings(api, lang).then(() => this.requestUpdate());
  }

  async #load() {
    this.#loading?.abort();
    const api = apiBase(this.api);
    if (!this.token || !api) {
      this.status = 'invalid';
      return;
    }
    const controller = (this.#loading = new AbortController());
    this.status = 'loading';
    try {
      const { asks, answer } = await fetchAnswer(api, this.token, controller.signal);
      if (controller !== this.#loading) return; // a newer load owns the state
      this.asks = { kind: asks.kind ?? 'reaction', scale: asks.scale };
      this.answer = answer;
      this.status = answer ? 'answered' : 'ask';
      this.#armAutoSend();
    } catch (error) {
      if (controller !== this.#loading || (error as Error).name === 'AbortError') return;
      this.status = error instanceof ApiError && error.code === 'invalid_token' ? 'invalid' : 'failed';
    }
  }

  /** The answers of the survey's kind, in the order shown. */
  get #values(): readonly Value[] {
    return this.asks.kind === 'reaction' ? REACTIONS : answerValues(this.asks);
  }

  get #preselected(): Value | null {
    return this.#values.find((v) => String(v) === this.reaction) ?? null;
  }

  /** Still asking, seen by a person, who has not interacted. */
  get #mayAutoSend() {
    return !this.#autoCancelled && document.visibilityState === 'visible' && this.status === 'ask';
  }

  #armAutoSend() {
    clearTimeout(this.#autoTimer);
    const reaction = this.#preselected;
    // An automated browser (a mail scanner's) never sends by itself; a person there presses a reaction.
    if (reaction === null || navigator.webdriver || !this.#mayAutoSend) return;
    this.#autoTimer = window.setTimeout(() => {
      if (!this.#mayAutoSend) return;
      this.#autoCancelled = true;
      void this.#send(reaction);
    }, AUTO_SEND_DELAY_MS);
  }

  async #send(value: Value, details?: { comment: string; dimensions: string[] }) {
    const api = apiBase(this.api);
    if (!api) return;
    const previous = this.status;
    const previousValue = this.answer && valueOf(this.answer);
    // Whether the person's focus is in the survey (the button just pressed), before that button may go.
    const focused = this.renderRoot.activeElement;
    this.status = 'saving';
    this.failed = false;
    try {
      const { created, answer } = await postAnswer(api, this.token, typeof value === 'number' ? { score: value } : { reaction: value }, details);
      this.answer = answer;
      this.status = 'answered';
      this.justSaved = details && value === previousValue ? 'comment' : 'answer';
      // The pressed button may be gone with the question: the focus stays in the survey, at its start,
      // so the next Tab reaches the comment box instead of the page's start.
      if (focused) void this.updateComplete.then(() => this.renderRoot.activeElement || this.renderRoot.querySelector('section')!.focus());
      this.dispatchEvent(
        new CustomEvent<CsatResponseDetail>('csat-response', {
          detail: { reaction: answer.reaction, score: answer.score ?? null, dimensions: answer.dimensions ?? [], comment: answer.comment, created },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      const code = error instanceof ApiError ? error.code : '';
      if (code === 'token_expired') this.status = 'expired';
      else if (code === 'invalid_token') this.status = 'invalid';
      else if (code === 'change_window_closed') void this.#load();
      else {
        this.status = previous;
        this.failed = true;
      }
    }
  }

  /** Once answered, a change of mind keeps the comment and the dimensions as they are on screen. */
  #react(value: Value) {
    this.#cancelAutoSend();
    // One save at a time; the buttons stay enabled, as a disabled button would lose the focus.
    if (this.status === 'saving') return;
    const root = this.renderRoot;
    void this.#send(
      value,
      this.answer
        ? { comment: root.querySelector('textarea')?.value ?? '', dimensions: [...root.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value) }
        : undefined,
    );
  }

  /** "😀 Good", or "4 out of 5" (the highest value of the scale is its last). */
  #said(t: Strings, value: Value) {
    return typeof value === 'number' ? fill(t.scaleValue, { value, max: this.#values.at(-1)! }) : `${FACE[value]} ${t[value]}`;
  }

  /**
   * The answers as a row of toggle buttons (each a tab stop; Enter or Space answers). A numbered scale
   * names its ends below the row; a 5-point CSAT scale shows stars. Once answered, the reaction row leaves
   * out the current answer; a numbered row keeps it, pressed.
   */
  #choices(t: Strings, label: string | undefined, pressed: Value | null) {
    const { kind, scale } = this.asks;
    const numbered = kind !== 'reaction';
    return html`<div class="reactions${numbered ? ' nums' : ''}" role="group" aria-label=${label} aria-describedby=${numbered ? 'ends' : nothing}>
        ${this.#values
          .filter((v) => numbered || !this.answer || v !== pressed)
          .map(
            (v) => html`<button type="button" class="r ${typeof v === 'number' ? 'n' : v}" aria-pressed=${v === pressed} @click=${() => this.#react(v)}>
              ${typeof v === 'number' ? (scale === 5 ? html`<span aria-hidden="true">★</span>${v}` : v) : html`<span aria-hidden="true">${FACE[v]}</span> ${t[v]}`}
            </button>`,
          )}
      </div>
      ${numbered ? html`<p class="ends meta" id="ends"><span>${t[`lo.${kind}`]}</span><span>${t[`hi.${kind}`]}</span></p>` : nothing}`;
  }

  protected override render() {
    const lang = langOf(this, this.locale);
    const t = strings(lang);
    const answer = this.answer;
    const open = answer?.changeable;
    const question = t[`q.${this.asks.kind}`];
    let body;
    const status = this.status;
    if (status === 'invalid' || status === 'expired' || status === 'failed') {
      body = html`<p class="note bad" role="alert">${t[status]}</p>`;
    } else if (status === 'loading' || !hasStrings(lang)) {
      body = html`<p class="meta">…</p>`;
    } else if (!answer) {
      body = html`${this.#choices(t, question, this.#preselected)}
        <p class="meta" role="status">${this.status === 'saving' ? t.saving : ''}</p>`;
    } else if (!open) {
      // The dimensions named follow the question without its "(optional, …)" hint.
      body = html`<p><strong>${t.yourAnswer}:</strong> ${this.#said(t, valueOf(answer))}</p>
        ${answer.comment ? html`<p class="answer">${answer.comment}</p>` : nothing}
        ${answer.dimensions?.length ? html`<p>${t.dimensionsQuestion.replace(/ \(.*/, '')} ${answer.dimensions.map((d) => t[`d.${d}`]).join(' · ')}</p>` : nothing}
        <p class="meta">${t.final}</p>`;
    } else {
      // The respondent's own clock and time zone, named, as on the survey page.
      const until = new Date(answer.changeableUntil).toLocaleString(lang, { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
      body = html`<p class="note ok" role="status">${this.status === 'saving' ? t.saving : this.justSaved === 'comment' ? t.commentSaved : this.justSaved ? t.saved : ''}</p>
        <p><strong>${t.yourAnswer}:</strong> ${this.#said(t, valueOf(answer))}</p>
        <label for="comment">${t[`fu.${this.asks.kind}.${answer.reaction}`]} ${t.optional}</label>
        <textarea id="comment" maxlength="2000" .value=${answer.comment ?? ''}></textarea>
        <fieldset>
          <legend>${t.dimensionsQuestion}</legend>
          ${DIMENSIONS.map((d) => html`<label class="d"><input type="checkbox" value=${d} .checked=${!!answer.dimensions?.includes(d)} />${t[`d.${d}`]}</label>`)}
        </fieldset>
        <button type="button" class="save" @click=${() => this.#react(valueOf(answer))}>${t.save}</button>
        <p class="meta">${fill(t.changeUntil, { date: until })}</p>
        <p class="meta">${t.changedMind}</p>
        ${this.#choices(t, t.changedMind, valueOf(answer))}`;
    }
    return html`<section part="base" tabindex="-1" dir=${dirOf(lang)} lang=${lang} aria-label=${question}>
      <p class="q">${question}</p>
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
