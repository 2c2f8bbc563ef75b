// The inbox filters of /admin: the form, the API query it stands for, and its description in words
// (which the export button shows). Renders inside <csat-admin>'s shadow root, with its styles.
import { html, LitElement } from 'lit';
import { FOLLOW_UP_STATES } from '../api/domain/follow-up.js';
import { REACTIONS } from '../api/domain/reaction.js';
import { classesOf, momentName, type SurveyKind } from './csat-admin-kinds.js';
import { dayFormat, FOLLOW_UP_LABEL, type FollowUp, type Reaction } from './csat-admin-words.js';

/** The inbox filters as the form holds them: empty means "any". Dates are YYYY-MM-DD, local time. */
export interface Filters {
  /** The answer's class (for reaction surveys, the reaction). */
  reaction: '' | Reaction;
  moment: string;
  followUp: '' | FollowUp;
  team: string;
  technician: string;
  hasComment: '' | 'true' | 'false';
  since: string;
  until: string;
}

export const EMPTY_FILTERS: Filters = { reaction: '', moment: '', followUp: '', team: '', technician: '', hasComment: '', since: '', until: '' };

/** Local midnight of a YYYY-MM-DD day (plus `days`), as the ISO instant the API expects; null if invalid. */
function dayToIso(day: string, days = 0): string | null {
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return null;
  date.setDate(date.getDate() + days);
  return date.toISOString();
}

/** The API's query string for the filters: since is inclusive, until takes the whole chosen day. */
export function filterQuery(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.reaction) query.set('reaction', filters.reaction);
  if (filters.moment) query.set('moment', filters.moment);
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

/** What an export of these (applied) filters holds, in words: "all responses", or "negative · team
 * Network". The export applies the inbox's filters, so its button says which. */
export function describeFilters(filters: Filters, kind: SurveyKind = 'reaction'): string {
  const day = (value: string) => {
    const date = new Date(`${value}T00:00:00`);
    return Number.isNaN(date.getTime()) ? value : dayFormat.format(date);
  };
  const parts = [
    filters.reaction && classesOf(kind)[filters.reaction].toLowerCase(),
    filters.moment && `moment ${momentName(filters.moment).toLowerCase()}`,
    filters.followUp && `follow-up ${FOLLOW_UP_LABEL[filters.followUp].toLowerCase()}`,
    filters.team && `team ${filters.team}`,
    filters.technician && `technician ${filters.technician}`,
    filters.hasComment && (filters.hasComment === 'true' ? 'with a comment' : 'without a comment'),
    filters.since && `from ${day(filters.since)}`,
    filters.until && `to ${day(filters.until)}`,
  ].filter(Boolean);
  return parts.length === 0 ? 'all responses' : parts.join(' · ');
}

/**
 * The filter form of the inbox. Shows `applied`; fires `filters-change` (detail: the new Filters) on
 * "Apply" and "Clear", and `export-csv` when the export button is pressed.
 *
 * @fires filters-change - the operator applied or cleared the filters
 * @fires export-csv - the operator asked for the CSV of the applied filters
 */
export class CsatAdminFilters extends LitElement {
  static override properties = {
    applied: { attribute: false },
    kind: { attribute: false },
    moments: { attribute: false },
  };

  /** The filters the inbox shows now. */
  applied: Filters = EMPTY_FILTERS;
  /** The site's survey kind: the classes are named in its words (promoters, passives, detractors). */
  kind: SurveyKind = 'reaction';
  /** The moments offered. */
  moments: readonly string[] = [];

  // Rendered into <csat-admin>'s shadow root: one stylesheet, one set of ids, one focus scope.
  protected override createRenderRoot() {
    return this;
  }

  private emit(name: string, detail?: Filters) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: keyof Filters) => String(form.get(name) ?? '');
    this.emit('filters-change', {
      reaction: text('reaction') as Filters['reaction'],
      moment: text('moment'),
      followUp: text('followUp') as Filters['followUp'],
      team: text('team').trim(),
      technician: text('technician').trim(),
      hasComment: text('hasComment') as Filters['hasComment'],
      since: text('since'),
      until: text('until'),
    });
  }

  private onClear(event: Event) {
    (event.target as HTMLButtonElement).form?.reset();
    this.emit('filters-change', { ...EMPTY_FILTERS });
  }

  protected override render() {
    const f = this.applied;
    return html`<form class="filters" @submit=${this.onSubmit} aria-label="Filters">
      <div>
        <label for="f-reaction">${this.kind === 'reaction' ? 'Reaction' : 'Class'}</label>
        <select id="f-reaction" name="reaction" .value=${f.reaction}>
          <option value="">Any</option>
          ${REACTIONS.map((r) => html`<option value=${r} ?selected=${f.reaction === r}>${classesOf(this.kind)[r]}</option>`)}
        </select>
      </div>
      <div>
        <label for="f-moment">Moment</label>
        <select id="f-moment" name="moment" .value=${f.moment}>
          <option value="">Any</option>
          ${this.moments.map((m) => html`<option value=${m} ?selected=${f.moment === m}>${momentName(m)}</option>`)}
        </select>
      </div>
      <div>
        <label for="f-followup">Follow-up</label>
        <select id="f-followup" name="followUp" .value=${f.followUp}>
          <option value="">Any</option>
          ${FOLLOW_UP_STATES.map((state) => html`<option value=${state}>${FOLLOW_UP_LABEL[state]}</option>`)}
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
        <button type="button" @click=${this.onClear}>Clear filters</button>
        <button type="button" class="export" @click=${() => this.emit('export-csv')}>Export ${describeFilters(f, this.kind)} as CSV</button>
      </div>
    </form>`;
  }
}

// Guarded: the script can be loaded twice.
if (!customElements.get('csat-admin-filters')) customElements.define('csat-admin-filters', CsatAdminFilters);

declare global {
  interface HTMLElementTagNameMap {
    'csat-admin-filters': CsatAdminFilters;
  }
}
