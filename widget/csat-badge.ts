import { html, nothing } from 'lit/html.js';
import { CsatElement } from './csat-badge-element.js';
import { fetchAnswer, fetchScore, REACTIONS, watchScore, type Score } from './api-client.js';
import { badgeStyles } from './csat-badge.styles.js';
import { dirOf, fill, formatDay, formatNumber, hasStrings, langOf, loadStrings, strings, type Lang, type Strings } from './i18n.js';
import { apiBase } from './script-origin.js';
import { themeStyles } from './theme.styles.js';
import './csat-survey.js';

/** Without `live`, a tab that comes back after this long fetches the score again. */
const REFRESH_AFTER_MS = 5 * 60_000;

type Tone = 'positive' | 'neutral' | 'negative';
const toneOf = (score: number | null): Tone | null => (score === null ? null : score >= 70 ? 'positive' : score >= 30 ? 'neutral' : 'negative');
const ratings = (t: Strings, n: number, lang: Lang) => fill(n === 1 ? t.oneRating : t.ratings, { n: formatNumber(n, lang) });
const FACE = 'M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20M9 10h0M15 10h0';
const MOUTH: Record<Tone, string> = { positive: 'M7.5 14.5q4.5 4 9 0', neutral: 'M8 15.5h8', negative: 'M7.5 17q4.5-4 9 0' };
/** "out of 100" only where it is true: a negative score is on a scale from -100. */
const scaleOf = (t: Strings, score: number) => (score < 0 ? t.scale : t.outOf);
/** The kind's name in front of its number: "CSAT 92%", "NPS 75" (a reaction score has none). */
const PREFIX = { csat: 'CSAT ', nps: 'NPS ' } as const;
/** A real minus sign, as typeset: "NPS −12". */
const signed = (n: number) => (n < 0 ? `−${-n}` : n);
/** The score as read out: "98 out of 100", "CSAT 92%", "NPS −12". */
const said = (t: Strings, { kind, score }: Score & { score: number }) =>
  kind === 'csat' ? `CSAT ${score}%` : kind === 'nps' ? `NPS ${signed(score)}` : `${score} ${scaleOf(t, score)}`;

/**
 * The survey a page URL carries (`csat_token`, `csat_r`), taken out of the URL as soon as a badge reads
 * it, so the page's analytics never see the token. Kept here until the badge of the token's own site
 * claims it: a page may hold badges of several sites.
 */
let urlSurvey: { token: string; reaction: string | null } | null = null;
function takeUrlSurvey() {
  const url = new URL(location.href);
  const token = url.searchParams.get('csat_token');
  if (token) {
    urlSurvey = { token, reaction: url.searchParams.get('csat_r') };
    url.searchParams.delete('csat_token');
    url.searchParams.delete('csat_r');
    history.replaceState(history.state, '', url);
  }
  return urlSurvey;
}

/**
 * A company's live customer-satisfaction score for a site header, in its survey kind: "98/100" (reactions)
 * with a reaction face, "CSAT 92%" or "NPS 75". It takes the room its container gives and drops parts of its label to fit. Click or Enter opens
 * the breakdown. When the page URL carries `csat_token` (and optionally `csat_r`) of this site's survey, it
 * also hosts the inline survey for that token, and removes both from the URL.
 *
 * @fires csat-response - from the hosted survey, after the visitor's reaction was saved
 * @csspart base - the badge button
 * @csspart face - the reaction face
 * @csspart score - the number
 * @csspart label - "Customer satisfaction · last 90 days · 1,061 ratings"
 * @csspart popover - the breakdown panel
 * @csspart bar - one percentage bar in the breakdown
 * @csspart survey - the panel hosting the inline survey
 * @cssprop [--csat-font-family=inherit] - font
 * @cssprop [--csat-font-size=0.875rem] - base size; everything scales with it
 * @cssprop [--csat-color-text] - main text
 * @cssprop [--csat-color-muted] - secondary text
 * @cssprop [--csat-color-background] - badge and panel background
 * @cssprop [--csat-color-border] - borders, bar tracks, skeleton
 * @cssprop [--csat-color-positive] - positive face and bar
 * @cssprop [--csat-color-neutral] - neutral face and bar
 * @cssprop [--csat-color-negative] - negative face and bar
 * @cssprop [--csat-color-focus] - focus ring and links
 * @cssprop [--csat-radius=999px] - badge corner radius
 * @cssprop [--csat-width=34em] - preferred width; the badge shrinks below it when its container is narrower
 */
export class CsatBadge extends CsatElement {
  static override styles = [themeStyles, badgeStyles];

  // Reactive properties, declared without decorators (a smaller drop-in script). Private state says
  // attribute: false so custom-elements.json does not list it as an attribute.
  static override properties = {
    site: {},
    api: {},
    window: { type: Number },
    live: { type: Boolean },
    compact: { type: Boolean, reflect: true },
    locale: { attribute: 'lang' },
    theme: { reflect: true },
    about: {},
    score: { state: true, attribute: false },
    failed: { state: true, attribute: false },
    open: { state: true, attribute: false },
    surveyToken: { state: true, attribute: false },
    surveyReaction: { state: true, attribute: false },
  };

  /** The site's name on the csat-badge server, e.g. "acme". */
  site = '';
  /** Origin of the csat-badge API; defaults to the origin the script was loaded from. */
  api: string | null = null;
  /** Days of the rolling window, if shorter than the site's own (7 or more). */
  window: number | null = null;
  /** Keep the score live over Server-Sent Events instead of fetching once. */
  live = false;
  /** Only the face and the number. */
  compact = false;
  /** Language: en, fr or ar; defaults to the page's language. */
  locale = '';
  /** light, dark, or auto (the visitor's system); defaults to the page's `color-scheme`. */
  theme: 'light' | 'dark' | 'auto' | null = null;
  /** Link of "How is this score computed?"; defaults to the API's explanation page. */
  about: string | null = null;

  private score: Score | null = null;
  private failed = false;
  private open = false;
  private surveyToken: string | null = null;
  private surveyReaction: string | null = null;

  // ES private members (#): the minifier shortens their names, which it cannot do for TypeScript's.
  #loading?: AbortController;
  #stopLive?: () => void;
  #loadedAt = 0;
  #warned = false;

  #onVisibility = () => {
    if (!this.live && document.visibilityState === 'visible' && Date.now() - this.#loadedAt > REFRESH_AFTER_MS) this.#load();
  };

  override connectedCallback() {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    // Moved in the page (disconnected, then connected again): the live stream closed on the way out.
    if (this.#stopLive) this.#load();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#loading?.abort();
    this.#stopLive?.();
  }

  // The panels are popovers (the top layer: no ancestor's overflow clips them); the survey opens by itself.
  protected override updated() {
    const survey = this.renderRoot.querySelector<HTMLElement>('[part="survey"]');
    if (survey && !survey.matches(':popover-open')) survey.showPopover();
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('site') || changed.has('api') || changed.has('window') || changed.has('live')) this.#load();
    const lang = langOf(this, this.locale);
    const api = apiBase(this.api);
    // Until its texts arrive the badge stays a skeleton (they are fetched while the score is).
    if (!hasStrings(lang) && api) void loadStrings(api, lang).then(() => this.requestUpdate());
  }

  /** Fetches (or subscribes to) the score; a newer load always wins over an older one. */
  #load() {
    this.#loading?.abort();
    this.#stopLive?.();
    this.#stopLive = undefined;
    const api = apiBase(this.api);
    if (!this.site || !api) return this.#fail('set the site and api attributes');
    const show = (score: Score) => {
      this.score = score;
      this.failed = false;
      this.#loadedAt = Date.now();
    };
    const survey = takeUrlSurvey();
    if (survey && !this.surveyToken) {
      fetchAnswer(api, survey.token).then(({ site }) => {
        if (site !== this.site || urlSurvey !== survey) return;
        urlSurvey = null;
        this.surveyToken = survey.token;
        this.surveyReaction = survey.reaction;
      }, () => {});
    }
    if (this.live) {
      this.#stopLive = watchScore(api, this.site, this.window, show, () => this.#fail('the live stream closed'));
      return;
    }
    const controller = (this.#loading = new AbortController());
    fetchScore(api, this.site, this.window, controller.signal).then(
      (score) => controller === this.#loading && show(score),
      (error: Error) => controller === this.#loading && error.name !== 'AbortError' && this.#fail(error.message),
    );
  }

  /** A quiet fallback: one console warning, and the badge keeps its size without a number. */
  #fail(reason: string) {
    if (!this.#warned) console.warn(`csat-badge: the score of "${this.site}" is unavailable (${reason})`);
    this.#warned = true;
    if (!this.score) this.failed = true;
  }

  /** The browser opens and closes the breakdown (button, Escape, a click elsewhere); this follows it. */
  #onToggle(event: ToggleEvent) {
    const panel = event.target as HTMLElement;
    this.open = event.newState === 'open';
    if (this.open) panel.focus();
    // Closed by Escape or its close button: the focus goes back to the badge, not to the page's start.
    else if (panel.contains(this.shadowRoot!.activeElement)) this.renderRoot.querySelector<HTMLElement>('[part="base"]')?.focus();
  }

  // One path: the outline, two eyes (zero-length strokes with round caps) and the tone's mouth. Its end
  // tag is written out: the build's template minifier reads SVG as HTML, where "/>" closes nothing.
  #face(tone: Tone | null) {
    return html`<svg part="face" viewBox="0 0 24 24" aria-hidden="true" class=${tone ?? ''}>
      <path d=${FACE + (tone ? MOUTH[tone] : '')} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"></path>
    </svg>`;
  }

  /**
   * The breakdown: the three classes with their shares (Good/Okay/Bad; Promoters/Passives/Detractors), or
   * for CSAT the answers per value of the scale and the share of satisfied ones.
   */
  #details(score: Score, lang: Lang) {
    const t = strings(lang);
    const api = apiBase(this.api);
    const { benchmark, origin: o, log, kind, distribution } = score;
    const total = score.counts.total;
    const share = (k: number) => formatNumber(Math.round((k / total) * 1000) / 10, lang);
    const bar = (tone: string, name: unknown, width: number, figure: string) =>
      html`<li class=${tone}><span>${name}</span> <span part="bar"><span class="fill" .style=${`width:${width}%`}></span></span> <span class="pct">${figure}</span></li>`;
    // Where the ratings came from, and how to check them: each line only when it says something.
    const notes = [
      benchmark && fill(t.benchmark, { pct: formatNumber(score.percent.positive, lang), label: benchmark.label, avg: formatNumber(benchmark.positivePercent, lang) }),
      benchmark && fill(t.source, benchmark),
      o && score.counts.total && fill(t.origin, { imported: share(o.imported), seeded: share(o.seeded), sealed: share(o.sealed) }),
      log && fill(t.verifiable, { n: formatNumber(log.size, lang) }),
    ];
    const heading = `${t.title}: ${score.score === null ? t.noRatings : said(t, score as Score & { score: number })}`;
    return html`<div part="popover" id="details" popover role="dialog" aria-label=${heading} tabindex="-1" @toggle=${this.#onToggle}>
      <button type="button" class="close" aria-label=${t.close} popovertarget="details" popovertargetaction="hide">×</button>
      <p class="title">${heading}</p>
      <p class="muted">${fill(t.window, { from: formatDay(score.window.from, lang), to: formatDay(score.window.to, lang) })} · ${ratings(t, score.counts.total, lang)}</p>
      <ul>
        ${kind === 'csat' && distribution
          ? distribution.map(({ value, count }) => bar('neutral', value, total && (count / total) * 100, formatNumber(count, lang)))
          : REACTIONS.map((r) => bar(r, kind === 'nps' ? t[`c.nps.${r}`] : t[r], score.percent[r], `${formatNumber(score.percent[r], lang)}%`))}
      </ul>
      ${kind === 'csat' ? html`<p>${t['c.csat.positive']}: ${formatNumber(score.percent.positive, lang)}%</p>` : nothing}
      ${notes.map((note) => (note ? html`<p class="muted">${note}</p>` : nothing))}
      <p><a href=${this.about ?? `${api}/about/score?site=${encodeURIComponent(this.site)}`} target="_blank" rel="noopener">${t.how}</a></p>
    </div>`;
  }

  protected override render() {
    const lang = langOf(this, this.locale);
    const t = strings(lang);
    const score = this.score;
    // Parts of the label in the order they give way when room runs out: the last one first (see .parts in
    // the styles). The number and the face never do.
    // A part whose text is still on its way (the skeleton's, before the language's pack) is left out
    // rather than shown empty: a part that appears later moves none before it.
    const label = (...parts: string[]) => html`<span part="label" class=${parts.length < 3 ? 'state' : ''}>${parts.map((p) => (p ? html`<span>${p}</span>` : nothing))}</span>`;
    const details = (days: number, total: number) => label(t.title, fill(t.days, { n: days }), ratings(t, total, lang));
    let badge;
    if (this.failed) {
      badge = html`<div part="base" class="off">${this.#face(null)}${label(t.title, t.unavailable)}</div>`;
    } else if (!score || !hasStrings(lang)) {
      // The skeleton has the loaded badge's shape, so nothing moves when the score arrives.
      badge = html`<div part="base" class="skeleton off" aria-busy="true">${this.#face(null)}<span part="score">00<span class="of">/100</span></span>${details(90, 1000)}</div>`;
    } else {
      const n = score.score;
      const tone = toneOf(n);
      const prefix = PREFIX[score.kind as keyof typeof PREFIX];
      // "CSAT 92%" and "NPS −12" are read as shown; "98/100" is read "98 out of 100".
      badge = html`<button type="button" part="base" class=${tone ?? 'empty'} aria-expanded=${this.open} aria-haspopup="dialog" popovertarget="details">
        ${this.#face(tone)}
        ${n === null
          ? label(t.title, t.noRatings)
          : html`<span part="score">${prefix
                ? html`<span class="of">${prefix}</span>${signed(n)}${score.kind === 'csat' ? html`<span class="of">%</span>` : nothing}`
                : html`${n}${n < 0 ? nothing : html`<span class="of" aria-hidden="true">/100</span>`}<span class="sr"> ${scaleOf(t, n)}</span>`}</span>
              ${details(score.window.days, score.counts.total)}`}
      </button>`;
    }
    return html`<div dir=${dirOf(lang)} lang=${lang}>
      ${badge}
      <span class="sr" role="status">${score && score.score !== null && hasStrings(lang) ? `${t.title}: ${said(t, score as Score & { score: number })}` : ''}</span>
      ${score ? this.#details(score, lang) : nothing}
      ${this.surveyToken
        ? html`<div part="survey" popover="manual">
            <button type="button" class="close" aria-label=${t.close} @click=${() => (this.surveyToken = null)}>×</button>
            <csat-survey .token=${this.surveyToken} .api=${this.api} .reaction=${this.surveyReaction} .locale=${this.locale} .theme=${this.theme} @csat-response=${() => !this.live && this.#load()}></csat-survey>
          </div>`
        : nothing}
    </div>`;
  }
}

// Guarded: an embed can be loaded twice, or two versions side by side.
if (!customElements.get('csat-badge')) customElements.define('csat-badge', CsatBadge);

declare global {
  interface HTMLElementTagNameMap {
    'csat-badge': CsatBadge;
  }
}
