// The operators' inbox in PostgreSQL: responses with their survey's context and follow-up state, notes,
// export pages, follow-up moves (decided by api/domain/follow-up.ts) and the grouped report.
import { planFollowUpChange } from '../../domain/follow-up.js';
import type { FollowUpUpdate, InboxCursor, InboxFilter, Note, ReportGroup, ReportRow, Store } from '../types.js';
import { transaction, type Sql } from './connection.js';
import { scaleOf, toInboxItem, toNote, type InboxRow, type NoteRow } from '../rows.js';
import { bumpVersion } from './core-sites.js';

type InboxMethods = Pick<Store, 'listResponses' | 'getResponse' | 'listNotes' | 'exportPage' | 'updateFollowUp' | 'report'>;

// Text is compared and sorted by bytes (COLLATE "C"), as SQLite does, whatever the database's collation:
// the cursor's (created_at, id) order must be the one the pages were cut in.
const inboxSelect = (sql: Sql) => sql`
  SELECT r.*, s.team, s.technician, s.contact_email, s.contact_name,
    (SELECT count(*) FROM response_notes n WHERE n.response_id = r.id) AS notes
  FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id`;

/** One page of the inbox, newest first (every filter value bound, never spliced). */
function inboxPage(sql: Sql, siteId: number, filter: InboxFilter, cursor: InboxCursor | null, limit: number) {
  const where = [sql`r.site_id = ${siteId}`];
  if (filter.reaction) where.push(sql`r.reaction = ${filter.reaction}`);
  if (filter.moment) where.push(sql`r.moment = ${filter.moment}`);
  if (filter.kind) where.push(sql`r.kind = ${filter.kind}`);
  if (filter.followUp) where.push(sql`r.follow_up = ${filter.followUp}`);
  if (filter.team) where.push(sql`s.team = ${filter.team}`);
  if (filter.technician) where.push(sql`s.technician = ${filter.technician}`);
  if (filter.since !== undefined) where.push(sql`r.created_at >= ${filter.since}`);
  if (filter.until !== undefined) where.push(sql`r.created_at < ${filter.until}`);
  if (filter.hasComment !== undefined) where.push(filter.hasComment ? sql`r.comment IS NOT NULL` : sql`r.comment IS NULL`);
  if (cursor) where.push(sql`(r.created_at, r.id COLLATE "C") < (${cursor.createdAt}, ${cursor.id} COLLATE "C")`);
  const clause = where.reduce((all, one) => sql`${all} AND ${one}`);
  return sql<InboxRow[]>`${inboxSelect(sql)} WHERE ${clause} ORDER BY r.created_at DESC, r.id COLLATE "C" DESC LIMIT ${limit}`;
}

const REPORT_GROUP: Record<ReportGroup, string> = {
  team: 's.team COLLATE "C"',
  technician: 's.technician COLLATE "C"',
  moment: 'r.moment COLLATE "C"',
  // Weeks start on Monday: day 0 (1970-01-01) was a Thursday.
  week: 'r.day - ((r.day + 3) % 7)',
};

export function pgInbox(sql: Sql): InboxMethods {
  const notesOf = async (siteId: number, responseIds: readonly string[]) => {
    const notes = new Map<string, Note[]>();
    if (responseIds.length === 0) return notes;
    const rows = await sql<NoteRow[]>`
      SELECT n.response_id, n.author, n.text, n.follow_up, n.at FROM response_notes n JOIN responses r ON r.id = n.response_id
      WHERE r.site_id = ${siteId} AND n.response_id = ANY(${[...responseIds]}::text[]) ORDER BY n.at, n.id`;
    for (const n of rows) {
      const list = notes.get(n.response_id) ?? [];
      list.push(toNote(n));
      notes.set(n.response_id, list);
    }
    return notes;
  };
  const inboxItem = async (siteId: number, id: string) => {
    const [row] = await sql<InboxRow[]>`${inboxSelect(sql)} WHERE r.site_id = ${siteId} AND r.id = ${id}`;
    return row ? toInboxItem(row) : null;
  };

  return {
    async listResponses(siteId, filter, cursor, limit) {
      return (await inboxPage(sql, siteId, filter, cursor, limit)).map(toInboxItem);
    },
    async getResponse(siteId, id) {
      const item = await inboxItem(siteId, id);
      if (!item) return null;
      return { ...item, noteList: (await notesOf(siteId, [id])).get(id) ?? [] };
    },
    async listNotes(siteId, responseIds) {
      return notesOf(siteId, responseIds);
    },
    // Any pooled connection will do: a slow download holds no lock that a write waits for.
    async exportPage(siteId, filter, cursor, limit) {
      const items = (await inboxPage(sql, siteId, filter, cursor, limit)).map(toInboxItem);
      const notes = await notesOf(siteId, items.map((i) => i.id));
      return items.map((item) => ({ ...item, noteList: notes.get(item.id) ?? [] }));
    },
    async updateFollowUp(siteId, id, change, now): Promise<FollowUpUpdate> {
      return transaction(sql, async (tx) => {
        // The row lock makes the check and the move one step against another instance's move.
        const [row] = await tx<{ follow_up: InboxRow['follow_up'] }[]>`
          SELECT follow_up FROM responses WHERE site_id = ${siteId} AND id = ${id} FOR UPDATE`;
        if (!row) return { status: 'not_found' as const };
        const plan = planFollowUpChange(row.follow_up, change);
        if (plan.status === 'illegal') return plan;
        if (plan.move) await tx`UPDATE responses SET follow_up = ${plan.move} WHERE id = ${id} AND follow_up = ${row.follow_up}`;
        if (change.note) {
          await tx`INSERT INTO response_notes (response_id, author, text, follow_up, at)
            VALUES (${id}, ${change.note.author}, ${change.note.text}, ${plan.noteFollowUp}, ${now})`;
        }
        if (plan.move || change.note) await bumpVersion(tx, siteId);
        const [item] = await tx<InboxRow[]>`${inboxSelect(tx as unknown as Sql)} WHERE r.site_id = ${siteId} AND r.id = ${id}`;
        return { status: 'updated' as const, item: toInboxItem(item!) };
      });
    },
    async report(siteId, groupBy, fromDay, toDay, ks): Promise<ReportRow[]> {
      const group = sql.unsafe(REPORT_GROUP[groupBy]);
      // NULLS FIRST as SQLite sorts: a group not set on the survey (or imported) leads.
      const rows = await sql<ReportRow[]>`
        SELECT ${group} AS "group", count(*) FILTER (WHERE r.reaction = 'positive') AS positive,
               count(*) FILTER (WHERE r.reaction = 'neutral') AS neutral, count(*) FILTER (WHERE r.reaction = 'negative') AS negative,
               count(*) FILTER (WHERE r.source = 'import') AS imported
        FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id
        WHERE r.site_id = ${siteId} AND r.day BETWEEN ${fromDay} AND ${toDay}
          ${ks ? sql`AND r.kind = ${ks.kind} AND r.scale = ${scaleOf(ks)}` : sql``}
        GROUP BY 1 ORDER BY 1 NULLS FIRST`;
      return rows.map((r) => ({ group: r.group, positive: r.positive, neutral: r.neutral, negative: r.negative, imported: r.imported }));
    },
  };
}
