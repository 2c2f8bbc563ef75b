// "What mattered" on /admin: how often each service dimension was named by each class of answers over
// the site's window ("Responsiveness: named by 60% of detractors"). Renders inside <csat-admin>'s shadow
// root, with its styles.
import { html, LitElement, nothing } from 'lit';
import { CLASS_NAMES } from '../api/domain/kinds.js';
import type { AdminApi } from './csat-admin-api.js';
import { classesOf, dimensionName, type Dimension, type SurveyKind } from './csat-admin-kinds.js';
import type { Reaction } from './csat-admin-words.js';

/** Worst first: what detractors named is what to fix. */
const CLASSES: readonly Reaction[] = ['negative', 'neutral', 'positive'];

/** "2 detractors", "1 passive" (reactions: "1 bad", "2 good"). */
function answersOf(kind: SurveyKind, c: Reaction, n: number): string {
  const name = n === 1 && kind !== 'reaction' ? CLASS_NAMES[kind][c] : classesOf(kind)[c].toLowerCase();
  return `${n} ${name}`;
}

/** GET /v1/sites/:site/report/dimensions */
interface DimensionsReport {
  kind: SurveyKind;
  window: { days: number };
  answers: Record<Reaction, number>;
  rows: Array<{ dimension: Dimension; count: Record<Reaction, number>; percent: Record<Reaction, number | null> }>;
}

/**
 * The "What mattered" panel.
 */
export class CsatAdminDimensions extends LitElement {
  static override properties = {
    api: { attribute: false },
    report: { state: true, attribute: false },
    error: { state: true, attribute: false },
  };

  /** The API calls of the page (set by <csat-admin>). */
  api: AdminApi | null = null;

  private report: DimensionsReport | null = null;
  private error = '';

  // Rendered into <csat-admin>'s shadow root: one stylesheet, one set of ids, one focus scope.
  protected override createRenderRoot() {
    return this;
  }

  protected override firstUpdated() {
    void this.load();
  }

  private async load() {
    if (!this.api) return;
    this.error = '';
    try {
      this.report = (await (await this.api.call('/report/dimensions')).json()) as DimensionsReport;
    } catch (error) {
      this.api.fail(error, (n) => (this.error = n.text));
    }
  }

  /** "named by 60% of detractors, 20% of passives"; classes without answers are left out. */
  private shares(row: DimensionsReport['rows'][number], kind: SurveyKind): string {
    const classes = classesOf(kind);
    const parts = CLASSES.flatMap((c) => {
      const percent = row.percent[c];
      return percent === null ? [] : [`${percent}% of ${classes[c].toLowerCase()}`];
    });
    return `named by ${parts.join(', ')}`;
  }

  protected override render() {
    const report = this.report;
    const answered = report ? CLASSES.some((c) => report.answers[c] > 0) : false;
    return html`<section aria-labelledby="dimensions-title" class="dimensions">
      <div class="row">
        <h2 id="dimensions-title">What mattered</h2>
        <button type="button" @click=${() => this.load()}>Refresh</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${report === null
        ? this.error
          ? nothing
          : html`<p class="empty">Loading…</p>`
        : !answered
          ? html`<p class="empty">No answers in the last ${report.window.days} days.</p>`
          : html`<p class="hint">
                Share of each class's answers in the last ${report.window.days} days that named the dimension
                (${CLASSES.map((c) => answersOf(report.kind, c, report.answers[c])).join(', ')}).
              </p>
              <ul class="mattered">
                ${report.rows.map((row) => html`<li data-dimension=${row.dimension}><strong>${dimensionName(row.dimension)}</strong>: ${this.shares(row, report.kind)}</li>`)}
              </ul>`}
    </section>`;
  }
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin-dimensions')) customElements.define('csat-admin-dimensions', CsatAdminDimensions);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin-dimensions': CsatAdminDimensions;
  }
}
