import { html, LitElement, nothing, svg } from 'lit';
import { REACTIONS, type Reaction, type Score } from './api-client.js';
import { answerText, classesOf, WORDS, type AnswerJson, type SurveyKind } from './csat-admin-kinds.js';
import { readFeed } from './csat-wall-stream.js';
import { wallStyles } from './csat-wall.styles.js';
import { themeStyles } from './theme.styles.js';

/** First wait before reopening a feed the browser gave up on; doubles up to RETRY_MAX_MS. */
const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 30_000;
/** How long a newly arrived reaction stays highlighted. */
const HIGHLIGHT_MS = 6_000;
/** Relative times ("5 min ago") are refreshed this often. */
const TICK_MS = 30_000;

type Counts = { positive: number; neutral: number; negative: number; total: number };

/** What GET /v1/sites/:site/feed sends as `event: snapshot` (api/services/wall-snapshot.ts). */
export interface WallSnapshot {
  /** The public score, in the site's kind (reaction when `kind` is absent). */
  score: Score & { kind?: SurveyKind; scale?: number | null };
  /** Answers per class (promoters, passives, detractors for NPS) today and over the last 7 days. */
  today: Counts;
  week: Counts;
  /** The site kind's score per week. */
  trend: Array<{ week: string; score: number | null; total: number }>;
  /** The newest answers, each in its own kind (`reaction` is the class; `score` the CSAT or NPS value). */
  recent: Array<AnswerJson & { id: string; reaction: Reaction; comment: string | null; team: string | null; createdAt: string; updatedAt: string }>;
}

/** no-key/no-site: nothing to connect with; denied: 401/403; missing: 404; the rest: the connection. */
export type WallStatus = 'no-key' | 'no-site' | 'connecting' | 'live' | 'reconnecting' | 'denied' | 'missing';

type Tone = 'positive' | 'neutral' | 'negative';
/** Where a score turns good [0] or poor [1], per kind: reaction and CSAT scores are usually high, while an
 * NPS above 0 already has more promoters than detractors. */
const TONE_FROM: Record<SurveyKind, readonly [number, number]> = { reaction: [70, 30], csat: [80, 60], nps: [30, 0] };
const toneOf = (score: number | null, kind: SurveyKind = 'reaction'): Tone | null => {
  const [good, fair] = TONE_FROM[kind];
  return score === null ? null : score >= good ? 'positive' : score >= fair ? 'neutral' : 'negative';
};
const MOUTH: Record<Tone, string> = { positive: 'M7.5 14.5q4.5 4 9 0', neutral: 'M8 15.5h8', negative: 'M7.5 17q4.5-4 9 0' };

/** Under the big number: what it is out of. */
const OUT_OF: Record<SurveyKind, string> = {
  reaction: 'out of 100',
  csat: `${WORDS.classes.csat.positive.toLowerCase()} answers`,
  nps: `${WORDS.classes.nps.positive.toLowerCase()} minus ${WORDS.classes.nps.negative.toLowerCase()}`,
};

const numbers = new Intl.NumberFormat('en');
const weekLabel = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const ratings = (n: number) => `${numbers.format(n)} ${n === 1 ? 'rating' : 'ratings'}`;

/** "just now", "5 minutes ago", "yesterday"; a time ahead of this browser's clock is "just now". */
function ago(iso: string, now: number): string {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return relative.format(-Math.floor(seconds / 60), 'minute');
  if (seconds < 86_400) return relative.format(-Math.floor(seconds / 3600), 'hour');
  return relative.format(-Math.floor(seconds / 86_400), 'day');
}

/** The `key` parameter of the page URL's fragment (`#key=...`), which browsers never send to servers. */
function fragmentKey(): string | null {
  return new URLSearchParams(location.hash.replace(/^#/, '')).get('key') || null;
}

/**
 * The office wall: a full-screen, live view of a site's customer satisfaction for a monitor, readable
 * from across the room. The score, today's and this week's reactions, a 12-week trend and the newest
 * reactions with their comments and teams (never technicians), over the read-only Server-Sent Events
 * feed. It reconnects by itself after a network drop or a server restart; it never needs a reload.
 *
 * @csspart header - the title bar with the site's name and the connection state
 * @csspart status - "Live" or "Reconnecting…"
 * @csspart score - the big number
 * @csspart label - "Customer satisfaction · last 90 days · 1,061 ratings"
 * @csspart breakdown - the positive/neutral/negative bar under the score
 * @csspart today - today's reaction counts
 * @csspart week - the last 7 days' reaction counts
 * @csspart trend - the 12-week chart
 * @csspart feed - the list of the newest reactions
 * @csspart reaction - one reaction in the feed
 * @csspart fresh - a reaction that just arrived (highlighted for a few seconds)
 * @csspart comment - a reaction's comment
 * @csspart team - a reaction's team
 * @csspart message - the full-screen message of the no-key, connecting and error states
 * @cssprop [--csat-font-family=inherit] - font
 * @cssprop [--csat-font-size] - base size, by default from the screen size (24px at 1920x1080); everything scales with it
 * @cssprop [--csat-color-text] - main text
 * @cssprop [--csat-color-muted] - secondary text
 * @cssprop [--csat-color-background] - wall background
 * @cssprop [--csat-color-surface] - panels
 * @cssprop [--csat-color-border] - borders and chart grid
 * @cssprop [--csat-color-positive] - positive faces, bars and counts
 * @cssprop [--csat-color-neutral] - neutral faces, bars and counts
 * @cssprop [--csat-color-negative] - negative faces, bars and counts
 * @cssprop [--csat-color-focus] - focus ring and the highlight of new reactions
 */
export class CsatWall extends LitElement {
  static override styles = [themeStyles, wallStyles];

  // Reactive properties, declared without decorators like the other elements. Private state says
  // attribute: false so custom-elements.json does not list it as an attribute.
  static override properties = {
    site: {},
    key: {},
    api: {},
    theme: { reflect: true },
    snapshot: { state: true, attribute: false },
    status: { state: true, attribute: false },
    hashKey: { state: true, attribute: false },
  };

  /** The site's name on the csat-badge server, e.g. "acme". */
  site = '';
  /** A read-only wall key (or an admin key); defaults to `#key=...` in the page URL's fragment. */
  key: string | null = null;
  /** Origin of the csat-badge API; defaults to the page's own origin (the API serves /wall). */
  api: string | null = null;
  /** light or dark; dark unless set. */
  theme: 'light' | 'dark' | null = null;

  private snapshot: WallSnapshot | null = null;
  private status: WallStatus = 'connecting';
  private hashKey: string | null = null;

  private stream?: AbortController;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private retryMs = RETRY_MIN_MS;
  private ticker?: ReturnType<typeof setInterval>;
  /** `id@updatedAt` of every reaction shown so far: anything else in a snapshot is new. */
  private seen = new Set<string>();
  /** Reaction ids highlighted as new, with the time their highlight ends. */
  private fresh = new Map<string, number>();
  private freshTimer?: ReturnType<typeof setTimeout>;
  /** Re-measures the feed when its box changes (window resized, panels moved). */
  private readonly feedResize = new ResizeObserver(() => this.measureFeed());
  private observedFeed: Element | null = null;

  private readonly onHashChange = () => {
    this.hashKey = fragmentKey();
  };

  override connectedCallback() {
    super.connectedCallback();
    this.hashKey = fragmentKey();
    window.addEventListener('hashchange', this.onHashChange);
    this.ticker = setInterval(() => this.requestUpdate(), TICK_MS);
    // Reconnected after a removal: the properties did not change, so willUpdate would not connect.
    if (this.hasUpdated) this.connect();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    clearInterval(this.ticker);
    clearTimeout(this.freshTimer);
    this.feedResize.disconnect();
    this.observedFeed = null;
    this.close();
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('site') || changed.has('key') || changed.has('api') || changed.has('hashKey')) this.connect();
  }

  protected override updated() {
    const feed = this.renderRoot.querySelector('ol[part="feed"]');
    if (feed !== this.observedFeed) {
      this.feedResize.disconnect();
      if (feed) this.feedResize.observe(feed);
      this.observedFeed = feed;
    }
    // New reactions change the feed's content, not always its box: measure after every render too.
    this.measureFeed();
  }

  /** Fades the feed's bottom only when it holds more reactions than fit: a last card with room below it
   * stays fully visible. A class set here rather than rendered: measuring needs the rendered list. */
  private measureFeed() {
    const feed = this.observedFeed;
    feed?.classList.toggle('overflows', feed.scrollHeight > feed.clientHeight + 1);
  }

  private get feedUrl(): string | null {
    if (!this.site) return null;
    const api = (this.api || location.origin).replace(/\/+$/, '');
    return `${api}/v1/sites/${encodeURIComponent(this.site)}/feed`;
  }

  private close() {
    this.stream?.abort();
    this.stream = undefined;
    clearTimeout(this.retryTimer);
  }

  /** Opens the feed; a newer connection always replaces an older one. The key goes in the
   * Authorization header, never in the URL (see csat-wall-stream.ts). */
  private connect() {
    this.close();
    const key = this.key || this.hashKey;
    const url = this.feedUrl;
    if (!key || !url) {
      this.snapshot = null;
      this.status = !key ? 'no-key' : 'no-site';
      return;
    }
    if (this.status !== 'live' && this.status !== 'reconnecting') this.status = 'connecting';
    let opened = false;
    const stream = (this.stream = readFeed(url, key, {
      onEvent: (name, data) => {
        if (stream !== this.stream || name !== 'snapshot') return;
        let snapshot: WallSnapshot;
        try {
          snapshot = JSON.parse(data) as WallSnapshot;
        } catch {
          return; // a malformed event is ignored; the next one replaces it
        }
        opened = true;
        this.retryMs = RETRY_MIN_MS;
        this.status = 'live';
        this.show(snapshot);
      },
      onEnd: (status, advice) => {
        if (stream !== this.stream) return;
        // A wrong key or site stops here; anything else (a restart, a proxy's 502, a dropped
        // connection) retries: after the server's `retry:` advice if the stream had been live, as
        // EventSource would, otherwise with a doubling backoff.
        if (status === 401 || status === 403) return void (this.status = 'denied');
        if (status === 404) return void (this.status = 'missing');
        this.status = this.snapshot ? 'reconnecting' : 'connecting';
        const delay = opened ? (advice ?? RETRY_MIN_MS) : this.retryMs;
        if (!opened) this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
        // Jittered, so the walls cut by one restart do not all come back in the same instant.
        this.retryTimer = setTimeout(() => this.connect(), delay * (0.5 + Math.random() / 2));
      },
    }));
  }

  private show(snapshot: WallSnapshot) {
    const first = this.snapshot === null;
    const now = Date.now();
    for (const r of snapshot.recent) {
      const id = `${r.id}@${r.updatedAt}`;
      if (!this.seen.has(id) && !first) this.fresh.set(r.id, now + HIGHLIGHT_MS);
      this.seen.add(id);
    }
    this.snapshot = snapshot;
    this.expireFresh();
  }

  /** Drops ended highlights and wakes up when the next one ends. */
  private expireFresh() {
    const now = Date.now();
    for (const [id, until] of this.fresh) if (until <= now) this.fresh.delete(id);
    clearTimeout(this.freshTimer);
    if (this.fresh.size === 0) return;
    const next = Math.min(...this.fresh.values());
    this.freshTimer = setTimeout(() => {
      this.expireFresh();
      this.requestUpdate();
    }, next - now + 20);
  }

  // SVG elements are closed with end tags, not "/>": the build's template minifier reads svg`` as HTML,
  // where "<circle/>" opens an element that swallows its siblings.
  private face(tone: Tone | null) {
    return html`<svg class="face ${tone ?? ''}" viewBox="0 0 24 24" aria-hidden="true">
      ${svg`<circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="2"></circle><circle cx="9" cy="10" r="1.3" fill="currentColor"></circle><circle cx="15" cy="10" r="1.3" fill="currentColor"></circle>`}
      ${tone ? svg`<path d=${MOUTH[tone]} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"></path>` : nothing}
    </svg>`;
  }

  private counts(name: 'today' | 'week', title: string, counts: Counts, kind: SurveyKind | undefined) {
    return html`<section part=${name} class="panel counts" aria-labelledby="h-${name}">
      <h2 id="h-${name}">${title} <span class="muted">${ratings(counts.total)}</span></h2>
      <ul>
        ${REACTIONS.map(
          (r) => html`<li class=${r}>${this.face(r)}<span class="n">${numbers.format(counts[r])}</span><span class="muted">${classesOf(kind)[r]}</span></li>`,
        )}
      </ul>
    </section>`;
  }

  private trend(trend: WallSnapshot['trend'], kind: SurveyKind | undefined) {
    const W = 1000;
    const H = 230;
    const left = 72; // room for the gridlines' labels
    const top = 40;
    const bottom = 186;
    // Reaction scores run from -100 to 100: the scale goes below 0 only when a week did, so the usual
    // all-positive quarter keeps the full height for its bars.
    const floor = trend.some((t) => t.score !== null && t.score < 0) ? -100 : 0;
    const y = (score: number) => bottom - ((bottom - top) * (score - floor)) / (100 - floor);
    const ticks = floor < 0 ? [100, 50, 0, -50, -100] : [100, 50, 0];
    const slot = (W - left) / Math.max(trend.length, 1);
    const cx = (i: number) => left + (i + 0.5) * slot;
    const zero = y(0);
    const points = trend.flatMap((t, i) => (t.score === null ? [] : [`${cx(i)},${y(t.score)}`])).join(' ');
    const summary = trend.map((t) => `${weekLabel.format(new Date(t.week))}: ${t.score ?? 'no ratings'}`).join(', ');
    return html`<section part="trend" class="panel trend" aria-labelledby="h-trend">
      <h2 id="h-trend">Last 12 weeks <span class="muted">score per week</span></h2>
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Score per week: ${summary}">
        ${svg`
          ${ticks.map(
            (v) => svg`<line class=${v === 0 ? 'axis' : 'grid'} x1=${left} x2=${W} y1=${y(v)} y2=${y(v)}></line>
              <text class="tick" x=${left - 12} y=${y(v) + 8} text-anchor="end">${v}</text>`,
          )}
          ${trend.map((t, i) => {
            const date = svg`<text class="week" x=${cx(i)} y=${H - 10} text-anchor="middle">${weekLabel.format(new Date(t.week))}</text>`;
            if (t.score === null) return svg`<text class="none" x=${cx(i)} y=${zero - 12} text-anchor="middle">–</text>${date}`;
            const end = y(t.score);
            // A week at exactly 0 had ratings: it gets a solid marker on the axis, never nothing.
            const bar =
              t.score === 0
                ? svg`<rect class="bar zero ${toneOf(0, kind)}" x=${cx(i) - slot * 0.3} width=${slot * 0.6} y=${zero - 4} height="8" rx="4"></rect>`
                : svg`<rect class="bar ${toneOf(t.score, kind)}" x=${cx(i) - slot * 0.3} width=${slot * 0.6} y=${Math.min(end, zero)} height=${Math.max(Math.abs(zero - end), 3)} rx="6"></rect>`;
            return svg`${bar}<text class="value" x=${cx(i)} y=${Math.min(end, zero) - 12} text-anchor="middle">${t.score}</text>${date}`;
          })}
          ${points ? svg`<polyline class="line" points=${points}></polyline>` : nothing}
        `}
      </svg>
    </section>`;
  }

  private feed(recent: WallSnapshot['recent'], kind: SurveyKind | undefined) {
    const now = Date.now();
    return html`<section class="panel feed" aria-labelledby="h-feed">
      <h2 id="h-feed">${kind === 'csat' || kind === 'nps' ? 'Latest answers' : 'Latest reactions'}</h2>
      ${recent.length === 0
        ? html`<p class="muted empty">Reactions will appear here as they arrive.</p>`
        : html`<ol part="feed">
            ${recent.map(
              (r) => html`<li part=${this.fresh.has(r.id) ? 'reaction fresh' : 'reaction'} class="${r.reaction}${this.fresh.has(r.id) ? ' fresh' : ''}" data-id=${r.id}>
                ${this.face(r.reaction)}
                <div class="body">
                  <p class="what"><span class="reaction-label">${answerText(r)}</span>${r.team ? html` <span part="team" class="team">${r.team}</span>` : nothing}<span class="when">${ago(r.updatedAt, now)}</span></p>
                  ${r.comment ? html`<p part="comment" class="comment">${r.comment}</p>` : nothing}
                </div>
              </li>`,
            )}
          </ol>`}
    </section>`;
  }

  /** "98" (out of 100), "CSAT 92%", "NPS 75": the kind's name and unit smaller than the number, so the
   * part's text reads as the score does everywhere else. Written without whitespace between the spans. */
  private scoreFigure(kind: SurveyKind | undefined, value: number) {
    if (kind === 'nps') return html`<span part="score" class="score"><span class="unit">NPS </span>${value}</span>`;
    if (kind === 'csat') return html`<span part="score" class="score"><span class="unit">CSAT </span>${value}<span class="unit">%</span></span>`;
    return html`<span part="score" class="score">${value}</span>`;
  }

  private message(text: string, detail?: unknown) {
    return html`<div part="message" class="message" role="status"><p>${text}</p>${detail ? html`<p class="muted">${detail}</p>` : nothing}</div>`;
  }

  protected override render() {
    const { snapshot, status } = this;
    if (status === 'no-key') return this.message('Add #key=<wall key> to the address', html`A read-only wall key from your csat-badge admin, e.g. <code>/wall?site=acme#key=csat_…</code>`);
    if (status === 'no-site') return this.message('Add ?site=<site> to the address');
    if (status === 'denied') return this.message('This key cannot read the feed', `Check the wall key of “${this.site}”, or ask for a new one.`);
    if (status === 'missing') return this.message(`There is no site named “${this.site}”`);
    if (!snapshot) return this.message(status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…');

    const { score } = snapshot;
    const kind = score.kind;
    const tone = toneOf(score.score, kind);
    const classes = classesOf(kind);
    return html`<div class="wall">
      <header part="header">
        <h1>${score.name} <span class="muted">Customer satisfaction</span></h1>
        <p part="status" class="status ${status === 'live' ? 'live' : 'off'}" role="status">${status === 'live' ? 'Live' : 'Reconnecting…'}</p>
      </header>
      <div class="side">
        <section class="panel hero ${tone ?? 'empty'}" aria-labelledby="h-score">
          <h2 id="h-score" class="sr">Score</h2>
          ${score.score === null
            ? html`<p part="score" class="score none">–</p><p class="outof">No ratings yet</p>`
            : html`<p class="big ${kind ?? 'reaction'}">${this.face(tone)}${this.scoreFigure(kind, score.score)}</p><p class="outof">${OUT_OF[kind ?? 'reaction']}</p>`}
          <p part="label" class="label">Customer satisfaction · last ${score.window.days} days · ${ratings(score.counts.total)}</p>
          ${score.counts.total > 0
            ? html`<div part="breakdown" class="breakdown" role="img" aria-label=${REACTIONS.map((r) => `${classes[r]} ${score.percent[r]}%`).join(', ')}>
                  ${REACTIONS.map((r) => html`<span class=${r} .style=${`flex-grow:${score.percent[r]}`}></span>`)}
                </div>
                <p class="legend">${REACTIONS.map((r) => html`<span class=${r}>${classes[r]} ${score.percent[r]}%</span>`)}</p>`
            : nothing}
        </section>
        <div class="pair">${this.counts('today', 'Today', snapshot.today, kind)}${this.counts('week', 'Last 7 days', snapshot.week, kind)}</div>
      </div>
      <div class="main">${this.trend(snapshot.trend, kind)}${this.feed(snapshot.recent, kind)}</div>
    </div>`;
  }
}

// Guarded: the page could load the script twice.
if (!customElements.get('csat-wall')) customElements.define('csat-wall', CsatWall);

declare global {
  interface HTMLElementTagNameMap {
    'csat-wall': CsatWall;
  }
}
