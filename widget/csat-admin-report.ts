// The report of /admin: the site's score per team, technician, week or moment over its window, each
// group's score in the site's kind ("NPS 40", "CSAT 88%", "92/100"). Renders inside <csat-admin>'s
// shadow root, with its styles.
import { html, LitElement, nothing } from 'lit';
import type { AdminApi } from './csat-admin-api.js';
import { classesOf, momentName, scoreText, type SurveyKind } from './csat-admin-kinds.js';
import type { Reaction } from './csat-admin-words.js';

const GROUPS = ['team', 'technician', 'week', 'moment'] as const;
type GroupBy = (typeof GROUPS)[number];
const GROUP_LABEL: Record<GroupBy, string> = { team: 'Team', technician: 'Technician', week: 'Week', moment: 'Moment' };
const CLASSES: readonly Reaction[] = ['positive', 'neutral', 'negative'];

/** GET /v1/sites/:site/report?groupBy=… */
interface Report {
  groupBy: GroupBy;
  window: { days: number; from: string; to: string };
  groups: Array<{
    group: string | null;
    score: number | null;
    counts: Record<Reaction | 'total', number>;
    percent: Record<Reaction, number>;
  }>;
}

const weekFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/**
 * The site's score per group, over its window.
 */
export class CsatAdminReport extends LitElement {
  static override properties = {
    api: { attribute: false },
    kind: { attribute: false },
    groupBy: { state: true, attribute: false },
    report: { state: true, attribute: false },
    error: { state: true, attribute: false },
  };

  /** The API calls of the page (set by <csat-admin>). */
  api: AdminApi | null = null;
  /** The site's survey kind: scores and classes are shown in its terms. */
  kind: SurveyKind = 'reaction';

  private groupBy: GroupBy = 'team';
  private report: Report | null = null;
  private error = '';
  private loads = 0;

  // Rendered into <csat-admin>'s shadow root: one stylesheet, one set of ids, one focus scope.
  protected override createRenderRoot() {
    return this;
  }

  protected override firstUpdated() {
    void this.load();
  }

  private async load() {
    if (!this.api) return;
    const load = ++this.loads;
    const groupBy = this.groupBy;
    this.error = '';
    try {
      const res = await this.api.call(`/report?groupBy=${groupBy}`);
      const report = (await res.json()) as Report;
      if (load === this.loads) this.report = report;
    } catch (error) {
      if (load === this.loads) this.api.fail(error, (n) => (this.error = n.text));
    }
  }

  private onGroupBy(event: Event) {
    this.groupBy = (event.target as HTMLSelectElement).value as GroupBy;
    this.report = null;
    void this.load();
  }

  private groupName(group: string | null, groupBy: GroupBy): string {
    if (group === null) return groupBy === 'moment' ? momentName('ticket-closed') : 'Not set';
    if (groupBy === 'moment') return momentName(group);
    if (groupBy === 'week') return `Week of ${weekFormat.format(new Date(`${group}T00:00:00Z`))}`;
    return group;
  }

  protected override render() {
    const report = this.report;
    const classes = classesOf(this.kind);
    return html`<section aria-labelledby="report-title" class="report">
      <div class="row">
        <h2 id="report-title">Report</h2>
        <label for="report-group">Group by</label>
        <select id="report-group" .value=${this.groupBy} @change=${this.onGroupBy}>
          ${GROUPS.map((g) => html`<option value=${g} ?selected=${g === this.groupBy}>${GROUP_LABEL[g]}</option>`)}
        </select>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${report === null
        ? this.error
          ? nothing
          : html`<p class="empty">Loading…</p>`
        : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Score per ${GROUP_LABEL[report.groupBy].toLowerCase()}">
            <table class="report">
              <caption>
                Score per ${GROUP_LABEL[report.groupBy].toLowerCase()}, last ${report.window.days} days
              </caption>
              <thead>
                <tr>
                  <th scope="col">${GROUP_LABEL[report.groupBy]}</th>
                  <th scope="col">Score</th>
                  <th scope="col">Answers</th>
                  ${CLASSES.map((c) => html`<th scope="col">${classes[c]}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${report.groups.length === 0
                  ? html`<tr>
                      <td colspan="6" class="empty">No answers in this window.</td>
                    </tr>`
                  : report.groups.map(
                      (g) => html`<tr>
                        <th scope="row" class="group">${this.groupName(g.group, report.groupBy)}</th>
                        <td class="score">${scoreText(this.kind, g.score) ?? '—'}</td>
                        <td class="count">${g.counts.total}</td>
                        ${CLASSES.map((c) => html`<td class="share ${c}">${g.percent[c]}%</td>`)}
                      </tr>`,
                    )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin-report')) customElements.define('csat-admin-report', CsatAdminReport);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin-report': CsatAdminReport;
  }
}
