// The embedded SQLite store (better-sqlite3, WAL, synchronous=FULL). Statements are prepared once per
// connection; every multi-row write is one IMMEDIATE transaction, so concurrent writers (the server and
// a CLI import) serialise instead of interleaving.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chainEvent, type ChainEvent } from '../domain/chain.js';
import { planAnswer } from '../domain/answer.js';
import { planFollowUpChange } from '../domain/follow-up.js';
import { newSiteSettings, siteAfterSettings } from '../domain/site-settings.js';
import type { ResponseEventFields } from '../domain/response-event.js';
import { webhookBody, webhookResponse } from '../domain/webhook.js';
import type { Reaction, ReactionCounts } from '../domain/reaction.js';
import type { SurveyKind } from '../domain/kinds.js';
import { emptyTally, type Dimension, type DimensionTally } from '../domain/dimensions.js';
import { newSurveyKind, newSurveyMoment, surveyContact, throttleSince } from '../domain/new-survey.js';
import { publicId } from '../domain/tokens.js';
import { DAY_MS } from '../domain/window.js';
import { ConflictError } from './errors.js';
import { migrate } from './migrations.js';
import { sqliteWebhooks } from './sqlite-webhooks.js';
import { sqliteEmail } from './sqlite-email.js';
import { sqliteConnectors } from './sqlite-connectors.js';
import { sqliteLog } from './sqlite-log.js';
import { sqliteHeld } from './sqlite-held.js';
import { sqliteErasure } from './sqlite-erasure.js';
import { sqliteCampaigns } from './sqlite-campaigns.js';
import { BUSY_TIMEOUT_MS, busyRetrying, retryBusy } from './sqlite-busy.js';
import { sqliteImport, stagedTicketConflict } from './sqlite-import.js';
import { groupCommit } from './sqlite-group-commit.js';
import { sqliteReader } from './sqlite-reader.js';
import { eventFromRow, type EventRow } from './sqlite-events.js';
import {
  scaleOf,
  toInboxItem,
  toKey,
  toNote,
  toSite,
  toSurvey,
  toResponse,
  type InboxRow,
  type KeyRow,
  type NoteRow,
  type ResponseRow,
  type SiteRow,
  type SurveyRow,
} from './rows.js';
import type {
  DayActivity,
  OriginCounts,
  DayCounts,
  FollowUpUpdate,
  InboxCursor,
  InboxFilter,
  Note,
  ReportRow,
  Store,
  StoredResponse,
  SubmitOutcome,
} from './types.js';

// Re-exported for callers that imported them from here before they moved to the domain.
export { DEFAULT_CHANGE_WINDOW_DAYS, DEFAULT_TOKEN_TTL_DAYS } from '../domain/site-settings.js';

const REQUIRED_PRAGMAS = { journal_mode: 'wal', synchronous: 2, foreign_keys: 1 } as const;

export class StoreSetupError extends Error {
  override name = 'StoreSetupError';
}

/** Sets and reads back the connection's pragmas. `synchronous` is per connection and not persisted, so
 * this runs on every open, including reopening an existing file. Opening (migrations, catching up the
 * log) may wait for the lock; once open, the store's writes wait for it asynchronously (sqlite-busy.ts). */
export function configureConnection(db: Database.Database, busyTimeoutMs = 5000): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  // Deleted and overwritten content is zeroed on disk, so an erasure leaves no copy of the text in free pages.
  db.pragma('secure_delete = ON');
  for (const [name, expected] of Object.entries(REQUIRED_PRAGMAS)) {
    const actual = db.pragma(name, { simple: true });
    if (actual !== expected) {
      throw new StoreSetupError(`SQLite pragma ${name} is ${String(actual)}, expected ${expected} (${db.name})`);
    }
  }
}

/** The database holds webhook secrets, sealed SMTP settings and contacts: it, its WAL and shared-memory
 * files are readable by the owner only. SQLite creates -wal and -shm with the mode of the database file,
 * so creating that file 0600 first covers them; files left by an older version are tightened. */
function ownerOnly(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** Opens (creating it and its folder if needed) a SQLite database file and migrates it. */
export function openSqliteStore(file: string): Store & { db: Database.Database } {
  if (file === ':memory:' || file === '') throw new StoreSetupError('the SQLite store needs a file: WAL does not work in memory');
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  ownerOnly(file);
  const db = new Database(file);
  let store: Store;
  try {
    configureConnection(db);
    migrate(db);
    store = createSqliteStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
  // From here on a busy database is waited for with timers, not inside SQLite (which blocks the thread).
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return Object.assign(store, { db });
}

/** Class counts per group over a day range, by the day of the first answer; `@kind` NULL = every kind. */
const REPORT_SQL = (group: string) => `
  SELECT ${group} AS "group", sum(r.reaction = 'positive') AS positive, sum(r.reaction = 'neutral') AS neutral,
         sum(r.reaction = 'negative') AS negative, sum(r.source = 'import') AS imported
  FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id
  WHERE r.site_id = @siteId AND r.day BETWEEN @fromDay AND @toDay
    AND (@kind IS NULL OR (r.kind = @kind AND r.scale = @scale))
  GROUP BY 1 ORDER BY 1`;

type ReportParams = { siteId: number; fromDay: number; toDay: number; kind: SurveyKind | null; scale: number };

const INBOX_SELECT = `SELECT r.*, s.team, s.technician, s.contact_email, s.contact_name,
    (SELECT count(*) FROM response_notes n WHERE n.response_id = r.id) AS notes
  FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id`;

/** WHERE clause and parameters of an inbox filter (every value bound, never spliced). */
function inboxWhere(siteId: number, filter: InboxFilter, cursor: InboxCursor | null) {
  const where = ['r.site_id = @siteId'];
  const params: Record<string, unknown> = { siteId };
  const add = (clause: string, name: string, value: unknown) => {
    where.push(clause);
    params[name] = value;
  };
  if (filter.reaction) add('r.reaction = @reaction', 'reaction', filter.reaction);
  if (filter.moment) add('r.moment = @moment', 'moment', filter.moment);
  if (filter.kind) add('r.kind = @kind', 'kind', filter.kind);
  if (filter.followUp) add('r.follow_up = @followUp', 'followUp', filter.followUp);
  if (filter.team) add('s.team = @team', 'team', filter.team);
  if (filter.technician) add('s.technician = @technician', 'technician', filter.technician);
  if (filter.since !== undefined) add('r.created_at >= @since', 'since', filter.since);
  if (filter.until !== undefined) add('r.created_at < @until', 'until', filter.until);
  if (filter.hasComment !== undefined) where.push(filter.hasComment ? 'r.comment IS NOT NULL' : 'r.comment IS NULL');
  if (cursor) {
    // A row value, so the page starts with a seek in responses_site_created instead of a scan to the cursor.
    where.push('(r.created_at, r.id) < (@cursorAt, @cursorId)');
    params.cursorAt = cursor.createdAt;
    params.cursorId = cursor.id;
  }
  return { sql: `${INBOX_SELECT} WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id DESC`, params };
}

/** A response's columns as the insert and update statements name them. */
const responseRow = (r: StoredResponse) => ({ ...r, scaleN: scaleOf(r), dimensionList: r.dimensions.join(',') });

export function createSqliteStore(db: Database.Database): Store {
  const q = {
    insertSite: db.prepare(
      `INSERT INTO sites (slug, name, survey_kind, scale, score_moments, window_days, change_window_days, token_ttl_days, industry, locale, throttle_days, created_at)
       VALUES (@slug, @name, @kind, @scale, @scoreMoments, @windowDays, @changeWindowDays, @tokenTtlDays, @industry, @locale, @throttleDays, @createdAt)
       ON CONFLICT (slug) DO NOTHING RETURNING *`,
    ),
    updateSite: db.prepare(
      `UPDATE sites SET name = @name, window_days = @windowDays, change_window_days = @changeWindowDays,
         token_ttl_days = @tokenTtlDays, industry = @industry, locale = @locale, throttle_days = @throttleDays,
         score_moments = @scoreMoments
       WHERE slug = @slug RETURNING *`,
    ),
    siteBySlug: db.prepare<[string], SiteRow>('SELECT * FROM sites WHERE slug = ?'),
    siteById: db.prepare<[number], SiteRow>('SELECT * FROM sites WHERE id = ?'),
    sites: db.prepare<[], SiteRow>('SELECT * FROM sites ORDER BY slug'),
    insertKey: db.prepare(
      'INSERT INTO admin_keys (id, site_id, key_hash, label, scope, created_at) VALUES (@id, @siteId, @hash, @label, @scope, @createdAt)',
    ),
    keyById: db.prepare<[string], KeyRow>('SELECT * FROM admin_keys WHERE id = ?'),
    keysBySite: db.prepare<[number], KeyRow>('SELECT * FROM admin_keys WHERE site_id = ? ORDER BY created_at, id'),
    revokeKey: db.prepare(
      'UPDATE admin_keys SET revoked_at = @now WHERE site_id = @siteId AND id = @keyId AND revoked_at IS NULL',
    ),
    insertSurvey: db.prepare(
      `INSERT INTO surveys (id, site_id, ticket_ref, token_id, team, technician, contact_email, contact_name, locale, created_at, expires_at, sealed, kind, scale, moment, campaign_id)
       VALUES (@id, @siteId, @ticketRef, @tokenId, @team, @technician, @contactEmail, @contactName, @locale, @createdAt, @expiresAt, @sealed, @kind, @scale, @moment, @campaignId)
       ON CONFLICT (site_id, ticket_ref) DO NOTHING`,
    ),
    surveyByTicket: db.prepare<[number, string], SurveyRow>('SELECT * FROM surveys WHERE site_id = ? AND ticket_ref = ?'),
    surveyById: db.prepare<[number, string], SurveyRow>('SELECT * FROM surveys WHERE site_id = ? AND id = ?'),
    recentSurveyForContact: db.prepare<[number, string, number], SurveyRow>(
      `SELECT * FROM surveys WHERE site_id = ? AND contact_email = ? AND created_at > ?
       ORDER BY created_at DESC LIMIT 1`,
    ),
    surveyByTokenId: db.prepare<[Buffer], SurveyRow>('SELECT * FROM surveys WHERE token_id = ?'),
    responseBySurvey: db.prepare<[string], ResponseRow>('SELECT * FROM responses WHERE survey_id = ?'),
    responseByTicket: db.prepare<[number, string], ResponseRow>(
      'SELECT * FROM responses WHERE site_id = ? AND ticket_ref = ?',
    ),
    insertResponse: db.prepare(
      `INSERT INTO responses (id, site_id, survey_id, ticket_ref, reaction, comment, source, day, created_at, updated_at, follow_up, changeable_until, seeded,
         kind, scale, value, moment, dimensions)
       VALUES (@id, @siteId, @surveyId, @ticketRef, @reaction, @comment, @source, @day, @createdAt, @updatedAt, @followUp, @changeableUntil, @seeded,
         @kind, @scaleN, @value, @moment, @dimensionList)`,
    ),
    updateResponse: db.prepare(
      `UPDATE responses SET reaction = @reaction, value = @value, dimensions = @dimensionList, comment = @comment,
         updated_at = @updatedAt, follow_up = @followUp WHERE id = @id`,
    ),
    inboxItem: db.prepare<[number, string], InboxRow>(`${INBOX_SELECT} WHERE r.site_id = ? AND r.id = ?`),
    notes: db.prepare<[string], Omit<NoteRow, 'response_id'>>(
      'SELECT author, text, follow_up, at FROM response_notes WHERE response_id = ? ORDER BY at, id',
    ),
    notesOfResponses: db.prepare<[number, string], NoteRow>(
      `SELECT n.response_id, n.author, n.text, n.follow_up, n.at FROM response_notes n JOIN responses r ON r.id = n.response_id
       WHERE r.site_id = ? AND n.response_id IN (SELECT value FROM json_each(?)) ORDER BY n.at, n.id`,
    ),
    insertNote: db.prepare('INSERT INTO response_notes (response_id, author, text, follow_up, at) VALUES (@responseId, @author, @text, @followUp, @at)'),
    setFollowUp: db.prepare('UPDATE responses SET follow_up = @to WHERE id = @id AND follow_up = @from'),
    reportBy: {
      team: db.prepare<[ReportParams], ReportRow>(REPORT_SQL('s.team')),
      technician: db.prepare<[ReportParams], ReportRow>(REPORT_SQL('s.technician')),
      moment: db.prepare<[ReportParams], ReportRow>(REPORT_SQL('r.moment')),
      // Weeks start on Monday: day 0 (1970-01-01) was a Thursday.
      week: db.prepare<[ReportParams], ReportRow>(REPORT_SQL('r.day - ((r.day + 3) % 7)')),
    },
    bumpValue: db.prepare(
      `INSERT INTO daily_values (site_id, kind, scale, day, moment, value, n, imported)
       VALUES (@siteId, @kind, @scale, @day, @moment, @value, 1, @imported)
       ON CONFLICT (site_id, kind, scale, day, moment, value) DO UPDATE SET n = n + 1, imported = imported + excluded.imported`,
    ),
    dropValue: db.prepare(
      `UPDATE daily_values SET n = n - 1 WHERE site_id = @siteId AND kind = @kind AND scale = @scale AND day = @day
         AND moment = @moment AND value = @value AND n > 0`,
    ),
    sumValues: db.prepare<[{ siteId: number; kind: SurveyKind; scale: number; fromDay: number; toDay: number; moments: string | null }], { value: number; n: number; imported: number }>(
      `SELECT value, sum(n) AS n, sum(imported) AS imported FROM daily_values
       WHERE site_id = @siteId AND kind = @kind AND scale = @scale AND day BETWEEN @fromDay AND @toDay
         AND (@moments IS NULL OR moment IN (SELECT value FROM json_each(@moments)))
       GROUP BY value`,
    ),
    dimensionRows: db.prepare<[{ siteId: number; kind: SurveyKind; scale: number; fromDay: number; toDay: number }], { reaction: Reaction; dimensions: string; n: number }>(
      `SELECT reaction, dimensions, count(*) AS n FROM responses
       WHERE site_id = @siteId AND kind = @kind AND scale = @scale AND day BETWEEN @fromDay AND @toDay
       GROUP BY reaction, dimensions`,
    ),
    bumpDay: db.prepare(
      `INSERT INTO daily_counts (site_id, day, positive, neutral, negative, imported, seeded, sealed)
       VALUES (@siteId, @day, @positive, @neutral, @negative, @imported, @seeded, @sealed)
       ON CONFLICT (site_id, day) DO UPDATE SET
         positive = positive + excluded.positive, neutral = neutral + excluded.neutral,
         negative = negative + excluded.negative, imported = imported + excluded.imported,
         seeded = seeded + excluded.seeded, sealed = sealed + excluded.sealed`,
    ),
    // A change moves one count between reactions of an existing day row (an upsert cannot: the CHECKs
    // would see the -1 on the inserted values before the conflict is resolved).
    shiftDay: db.prepare(
      `UPDATE daily_counts SET positive = positive + @positive, neutral = neutral + @neutral, negative = negative + @negative
       WHERE site_id = @siteId AND day = @day`,
    ),
    lastEvent: db.prepare<[number], EventRow>('SELECT * FROM response_events WHERE site_id = ? ORDER BY seq DESC LIMIT 1'),
    insertEvent: db.prepare(
      `INSERT INTO response_events (site_id, seq, type, response_id, reaction, value, responded_at, at, prev_hash, hash)
       VALUES (@siteId, @seq, @type, @response, @reaction, @value, @respondedAt, @at, @prevHash, @hash)`,
    ),
    events: db.prepare<[number], EventRow>('SELECT * FROM response_events WHERE site_id = ? ORDER BY seq'),
    sumDays: db.prepare<[number, number, number], ReactionCounts>(
      `SELECT coalesce(sum(positive), 0) AS positive, coalesce(sum(neutral), 0) AS neutral,
              coalesce(sum(negative), 0) AS negative, coalesce(sum(imported), 0) AS imported
       FROM daily_counts WHERE site_id = ? AND day BETWEEN ? AND ?`,
    ),
    originDays: db.prepare<[number, number, number], OriginCounts>(
      `SELECT coalesce(sum(imported), 0) AS imported, coalesce(sum(seeded), 0) AS seeded, coalesce(sum(sealed), 0) AS sealed,
              min(CASE WHEN imported > 0 THEN day END) AS firstImportedDay, max(CASE WHEN imported > 0 THEN day END) AS lastImportedDay
       FROM daily_counts WHERE site_id = ? AND day BETWEEN ? AND ?`,
    ),
    // Answered: first answers given that day, i.e. that day's counted ratings less the imported ones.
    answeredDays: db.prepare<[number, number, number], { day: number; answered: number }>(
      `SELECT day, positive + neutral + negative - imported AS answered FROM daily_counts
       WHERE site_id = ? AND day BETWEEN ? AND ? AND positive + neutral + negative - imported > 0`,
    ),
    // Issued: an index range over the window's surveys (surveys_site_created), grouped by UTC day.
    issuedDays: db.prepare<[number, number, number], { day: number; issued: number }>(
      `SELECT created_at / 86400000 AS day, count(*) AS issued FROM surveys
       WHERE site_id = ? AND created_at >= ? AND created_at < ? GROUP BY 1`,
    ),
    storedDays: db.prepare<[number], DayCounts>(
      `SELECT day, positive, neutral, negative, imported FROM daily_counts
       WHERE site_id = ? AND positive + neutral + negative + imported > 0 ORDER BY day`,
    ),
    recountDays: db.prepare<[number], DayCounts>(
      `SELECT day, sum(reaction = 'positive') AS positive, sum(reaction = 'neutral') AS neutral,
              sum(reaction = 'negative') AS negative, sum(source = 'import') AS imported
       FROM responses WHERE site_id = ? GROUP BY day ORDER BY day`,
    ),
  };

  const siteSlug = (siteId: number): string => {
    const row = q.siteById.get(siteId);
    if (!row) throw new Error(`no site with id ${siteId}`);
    return row.slug;
  };

  /** Appends one event to the site's chain; must run inside the caller's transaction. */
  const appendEvent = (siteId: number, slug: string, fields: ResponseEventFields, at: number) => {
    const last = q.lastEvent.get(siteId);
    const previous: ChainEvent | null = last ? eventFromRow(last, slug) : null;
    const event = chainEvent({ site: slug, seq: (last?.seq ?? 0) + 1, ...fields, at }, previous);
    q.insertEvent.run({ value: null, ...event, siteId });
    // The public Merkle log gets the event's entry in this same transaction (never missed, never doubled).
    log.catchUp(siteId);
  };

  const webhooks = sqliteWebhooks(db);
  // Help-desk connectors: queues their write-backs inside the response's transaction (see submitResponse).
  const connectors = sqliteConnectors(db);
  const log = sqliteLog(db);

  const updateFollowUp = db.transaction((siteId: number, id: string, change: Parameters<Store['updateFollowUp']>[2], now: number): FollowUpUpdate => {
    const row = q.inboxItem.get(siteId, id);
    if (!row) return { status: 'not_found' };
    const from = row.follow_up;
    const plan = planFollowUpChange(from, change);
    if (plan.status === 'illegal') return plan;
    if (plan.move) q.setFollowUp.run({ id, from, to: plan.move });
    if (change.note) {
      q.insertNote.run({ responseId: id, author: change.note.author, text: change.note.text, followUp: plan.noteFollowUp, at: now });
    }
    return { status: 'updated', item: toInboxItem(q.inboxItem.get(siteId, id)!) };
  });

  const createSurvey = db.transaction((input: Parameters<Store['createSurvey']>[0], now: number) => {
    const existing = q.surveyByTicket.get(input.siteId, input.ticketRef);
    if (existing) return { survey: toSurvey(existing), created: false, throttled: false };
    const email = surveyContact(input.contactEmail);
    const since = throttleSince(input);
    if (since !== null) {
      const recent = q.recentSurveyForContact.get(input.siteId, email!, since);
      if (recent) return { survey: toSurvey(recent), created: false, throttled: true };
    }
    if (q.responseByTicket.get(input.siteId, input.ticketRef)) {
      throw new ConflictError('ticket_already_rated', `ticket ${input.ticketRef} already has an imported rating`);
    }
    const site = q.siteById.get(input.siteId);
    if (!site) throw new Error(`no site with id ${input.siteId}`);
    const ks = newSurveyKind(input, { kind: site.survey_kind, scale: site.scale || null });
    const id = publicId('sv');
    try {
      q.insertSurvey.run({
        id,
        siteId: input.siteId,
        ticketRef: input.ticketRef,
        tokenId: input.tokenId,
        team: input.team ?? null,
        technician: input.technician ?? null,
        contactEmail: email,
        contactName: input.contactName ?? null,
        locale: input.locale ?? null,
        createdAt: now,
        expiresAt: input.expiresAt,
        sealed: input.sealed ? 1 : 0,
        kind: ks.kind,
        scale: scaleOf(ks),
        moment: newSurveyMoment(input),
        campaignId: input.campaignId ?? null,
      });
    } catch (error) {
      // A trigger refuses a ticket that an import under way has staged (sqlite-import.ts).
      throw stagedTicketConflict(error, input.ticketRef) ?? error;
    }
    return { survey: toSurvey(q.surveyByTicket.get(input.siteId, input.ticketRef)!), created: true, throttled: false };
  });

  const commits = groupCommit(db);
  const submitResponse = db.transaction((submission: Parameters<Store['submitResponse']>[0], now: number): SubmitOutcome => {
    const { survey } = submission;
    const row = q.responseBySurvey.get(survey.id);
    const existing = row ? { response: toResponse(row), followUp: row.follow_up, day: row.day } : null;
    const plan = planAnswer(existing, submission, now, publicId('rs'));
    if (plan.outcome === 'window_closed') return { status: 'window_closed', response: plan.response };
    const { response, followUp, day } = plan;
    const slug = siteSlug(survey.siteId);
    if (plan.outcome === 'created') {
      q.insertResponse.run({ ...responseRow(response), day, followUp, seeded: submission.seeded ? 1 : 0 });
    } else {
      // The event first: a trigger refuses a reaction change that its latest event does not carry.
      appendEvent(survey.siteId, slug, plan.event, now);
      q.updateResponse.run({ ...responseRow(response), followUp });
    }
    for (const move of plan.values) {
      const key = { siteId: survey.siteId, kind: move.kind, scale: scaleOf(move), day: move.day, moment: move.moment, value: move.value };
      if (move.by === 1) q.bumpValue.run({ ...key, imported: 0 });
      else if (q.dropValue.run(key).changes !== 1) throw new Error(`daily values of site ${survey.siteId} lack day ${move.day}`);
    }
    if (plan.counts && plan.outcome === 'created') {
      q.bumpDay.run({ siteId: survey.siteId, ...plan.counts, imported: 0 });
    } else if (plan.counts) {
      const shifted = q.shiftDay.run({ siteId: survey.siteId, ...plan.counts });
      if (shifted.changes !== 1) throw new Error(`daily counts of site ${survey.siteId} lack day ${plan.counts.day}`);
    }
    if (plan.outcome === 'created') appendEvent(survey.siteId, slug, plan.event, now);
    webhooks.enqueue(survey.siteId, plan.webhook, () => webhookBody(plan.webhook, slug, webhookResponse(response, survey, followUp), now), now);
    connectors.afterResponse(survey, plan.previousReaction, response, now);
    return { status: plan.outcome, response };
  });

  // The CSV export reads on a connection of its own (sqlite-reader.ts), beside this one's writes.
  const reader = sqliteReader<InboxRow>(db, { inboxQuery: inboxWhere, toItem: toInboxItem });

  // A large import goes in a batch per transaction (sqlite-import.ts), which leaves the lock free between
  // its batches; each batch waits for a busy database with timers.
  const imports = sqliteImport(db, log.catchUp, (write) => retryBusy(() => db.transaction(write).immediate(), Infinity));

  // Every method waits for a busy database with timers; the import waits batch by batch itself (a retry
  // of the whole import after some batches went in would be wrong).
  return busyRetrying<Store>({
    async createSite(input, now) {
      const settings = newSiteSettings(input);
      const row = q.insertSite.get({
        ...settings,
        scale: scaleOf(settings),
        scoreMoments: settings.scoreMoments ? JSON.stringify(settings.scoreMoments) : null,
        createdAt: now,
      }) as SiteRow | undefined;
      if (!row) throw new ConflictError('site_exists', `a site named ${input.slug} already exists`);
      return toSite(row);
    },
    async updateSite(slug, settings) {
      const current = q.siteBySlug.get(slug);
      if (!current) return null;
      const site = siteAfterSettings(toSite(current), settings);
      return toSite(q.updateSite.get({
        ...site,
        industry: site.industry ?? null,
        scoreMoments: site.scoreMoments ? JSON.stringify(site.scoreMoments) : null,
      }) as SiteRow);
    },
    async getSite(slug) {
      const row = q.siteBySlug.get(slug);
      return row ? toSite(row) : null;
    },
    async getSiteById(id) {
      const row = q.siteById.get(id);
      return row ? toSite(row) : null;
    },
    async listSites() {
      return q.sites.all().map(toSite);
    },
    async addAdminKey(key, now) {
      q.insertKey.run({ id: key.id, siteId: key.siteId, hash: key.hash, label: key.label ?? null, scope: key.scope ?? 'admin', createdAt: now });
    },
    async getAdminKey(id) {
      const row = q.keyById.get(id);
      return row ? toKey(row) : null;
    },
    async listAdminKeys(siteId) {
      return q.keysBySite.all(siteId).map(toKey);
    },
    async revokeAdminKey(siteId, keyId, now) {
      return q.revokeKey.run({ siteId, keyId, now }).changes === 1;
    },
    async createSurvey(input, now) {
      return createSurvey.immediate(input, now);
    },
    async getSurvey(siteId, id) {
      const row = q.surveyById.get(siteId, id);
      return row ? toSurvey(row) : null;
    },
    async getSurveyByTokenId(tokenId) {
      const row = q.surveyByTokenId.get(tokenId);
      return row ? toSurvey(row) : null;
    },
    async getResponseForSurvey(surveyId) {
      const row = q.responseBySurvey.get(surveyId);
      return row ? toResponse(row) : null;
    },
    async submitResponse(submission, now) {
      // Answers that arrive together share one transaction and one fsync (sqlite-group-commit.ts).
      return commits.run(() => submitResponse(submission, now));
    },
    async importResponses(siteId, rows, now) {
      return imports.importResponses(siteId, rows, now);
    },
    async answersBetween(siteId, ks, fromDay, toDay, moments) {
      const rows = q.sumValues.all({ siteId, kind: ks.kind, scale: scaleOf(ks), fromDay, toDay, moments: moments ? JSON.stringify(moments) : null });
      return { values: new Map(rows.map((r) => [r.value, r.n])), imported: rows.reduce((sum, r) => sum + r.imported, 0) };
    },
    async dimensionTallies(siteId, ks, fromDay, toDay) {
      const tallies: Record<Reaction, DimensionTally> = { positive: emptyTally(), neutral: emptyTally(), negative: emptyTally() };
      for (const row of q.dimensionRows.all({ siteId, kind: ks.kind, scale: scaleOf(ks), fromDay, toDay })) {
        const tally = tallies[row.reaction];
        tally.answers += row.n;
        if (row.dimensions !== '') for (const d of row.dimensions.split(',') as Dimension[]) tally.named[d] += row.n;
      }
      return tallies;
    },
    async countsBetween(siteId, fromDay, toDay) {
      return q.sumDays.get(siteId, fromDay, toDay)!;
    },
    async originBetween(siteId, fromDay, toDay) {
      return q.originDays.get(siteId, fromDay, toDay)!;
    },
    async activityBetween(siteId, fromDay, toDay) {
      const days = new Map<number, DayActivity>();
      const at = (day: number) => days.get(day) ?? days.set(day, { day, issued: 0, answered: 0 }).get(day)!;
      for (const r of q.issuedDays.all(siteId, fromDay * DAY_MS, (toDay + 1) * DAY_MS)) at(r.day).issued = r.issued;
      for (const r of q.answeredDays.all(siteId, fromDay, toDay)) at(r.day).answered = r.answered;
      return [...days.values()].sort((a, b) => a.day - b.day);
    },
    async lastEventAt(siteId) {
      return q.lastEvent.get(siteId)?.at ?? null;
    },
    async listEvents(siteId) {
      const slug = siteSlug(siteId);
      return q.events.all(siteId).map((r) => eventFromRow(r, slug));
    },
    async countMismatches(siteId) {
      const key = (d: DayCounts) => `${d.positive}/${d.neutral}/${d.negative}/${d.imported}`;
      const stored = new Map(q.storedDays.all(siteId).map((d) => [d.day, d]));
      const recounted = new Map(q.recountDays.all(siteId).map((d) => [d.day, d]));
      const days = [...new Set([...stored.keys(), ...recounted.keys()])].sort((a, b) => a - b);
      return days
        .map((day) => ({ day, stored: stored.get(day) ?? null, recounted: recounted.get(day) ?? null }))
        .filter(({ stored: s, recounted: r }) => !s || !r || key(s) !== key(r));
    },
    async listResponses(siteId, filter, cursor, limit) {
      const { sql, params } = inboxWhere(siteId, filter, cursor);
      return (db.prepare(`${sql} LIMIT @limit`).all({ ...params, limit }) as InboxRow[]).map(toInboxItem);
    },
    async getResponse(siteId, id) {
      const row = q.inboxItem.get(siteId, id);
      if (!row) return null;
      const noteList = q.notes.all(id).map(toNote);
      return { ...toInboxItem(row), noteList };
    },
    async listNotes(siteId, responseIds) {
      const notes = new Map<string, Note[]>();
      for (const n of q.notesOfResponses.all(siteId, JSON.stringify(responseIds))) {
        const list = notes.get(n.response_id) ?? [];
        list.push(toNote(n));
        notes.set(n.response_id, list);
      }
      return notes;
    },
    async exportPage(siteId, filter, cursor, limit) {
      return reader.exportPage(siteId, filter, cursor, limit);
    },
    async updateFollowUp(siteId, id, change, now) {
      return updateFollowUp.immediate(siteId, id, change, now);
    },
    async report(siteId, groupBy, fromDay, toDay, ks) {
      return q.reportBy[groupBy].all({ siteId, fromDay, toDay, kind: ks?.kind ?? null, scale: ks ? scaleOf(ks) : 0 });
    },
    ...webhooks.methods,
    ...sqliteEmail(db, createSurvey).methods,
    ...connectors.methods,
    ...log.methods,
    ...sqliteHeld(db),
    ...sqliteErasure(db),
    ...sqliteCampaigns(db),
    // Another connection's commit (another process: `csat import`) changes it; our own do not.
    async dataVersion() {
      return db.pragma('data_version', { simple: true }) as number;
    },
    async close() {
      await commits.idle();
      reader.close();
      db.close();
    },
  }, ['importResponses', 'submitResponse']);
}
