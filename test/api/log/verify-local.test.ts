// Replay is the truth: `csat verify <site>` replays the event chain and fails, naming what differs, when
// responses or daily_counts are edited underneath the store; the schema refuses a reaction change that
// comes without its event; and the public log holds one entry per event, with no personal data.
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../api/cli/main.js';
import { parseEntry } from '../../../api/domain/log-entry.js';
import { DAY_MS, dayOf, isoDay } from '../../../api/domain/window.js';
import { newFile, open, raw, survey } from '../store/fixtures.js';
import { siteWithKey, T0 } from '../helpers.js';

async function verify(db: string) {
  const out: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), write: () => {}, err: (l) => out.push(l), env: {}, now: () => T0 + 3 * DAY_MS };
  const code = await runCli(['verify', 'acme', '--db', db], io);
  return { code, out: out.join('\n') };
}

/** Two answers, one changed (and one comment-only change), and an imported rating: 5 events. */
async function siteWithHistory() {
  const file = newFile();
  const store = open(file);
  const { site } = await siteWithKey(store, { slug: 'acme' });
  const changeWindowMs = 7 * DAY_MS;
  const a = await survey(store, site, 'T-1');
  const b = await survey(store, site, 'T-2');
  await store.submitResponse({ survey: a, reaction: 'negative', comment: 'Jane Doe, slow', changeWindowMs }, T0 + 1000);
  await store.submitResponse({ survey: b, reaction: 'positive', changeWindowMs }, T0 + 2000);
  await store.submitResponse({ survey: a, reaction: 'positive', changeWindowMs }, T0 + DAY_MS);
  await store.submitResponse({ survey: a, reaction: 'positive', comment: 'fixed', changeWindowMs }, T0 + DAY_MS + 1);
  await store.importResponses(site.id, [{ line: 2, ticketRef: 'OLD-1', reaction: 'neutral', comment: null, respondedAt: T0 - 5 * DAY_MS }], T0 + 2 * DAY_MS);
  await store.close();
  return { file, site };
}

describe('csat verify <site>: the replay is the truth', () => {
  it('passes on an untouched site, with one public log entry per event', async () => {
    const { file, site } = await siteWithHistory();
    const result = await verify(file);
    expect(result.out).toContain('Event chain: 5 events, intact');
    expect(result.out).toContain('Responses (reaction, day): equal to the replay.');
    expect(result.out).toContain('Daily counts: equal to the replay.');
    expect(result.out).toMatch(/Published score: 67 over 90 days, equal to the replay\./);
    expect(result.out).toMatch(/Public log: 5 entries, root \S+, checkpoint signed by csat-badge\/acme\//);
    expect(result.code).toBe(0);

    const store = open(file);
    const entries = (await store.logEntries(site.id, 0, 100)).map((e) => parseEntry(e.data)!);
    expect(entries.map((e) => [e.reaction, e.kind, e.origin, e.day])).toEqual([
      ['negative', 'first', 'live', isoDay(dayOf(T0))],
      ['positive', 'first', 'live', isoDay(dayOf(T0))],
      ['positive', 'change', 'live', isoDay(dayOf(T0))],
      ['positive', 'change', 'live', isoDay(dayOf(T0))],
      ['neutral', 'first', 'imported', isoDay(dayOf(T0) - 5)],
    ]);
    expect(entries.every((e) => e.sealed === false)).toBe(true);
    // The same opaque id for both events of one survey, and nothing that names it or its respondent.
    expect(entries[0]!.survey).toBe(entries[2]!.survey);
    const text = (await store.logEntries(site.id, 0, 100)).map((e) => e.data).join('\n');
    const ids = raw(file).prepare('SELECT r.id, r.survey_id, s.token_id FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id').all() as Array<{ id: string; survey_id: string | null }>;
    for (const { id, survey_id } of ids) {
      expect(text).not.toContain(id);
      if (survey_id) expect(text).not.toContain(survey_id);
    }
    expect(text).not.toMatch(/Jane|slow|T-1|OLD-1/);
  });

  it('refuses a reaction or day edited in responses without its event', () => {
    return siteWithHistory().then(({ file }) => {
      const db = raw(file);
      expect(() => db.prepare("UPDATE responses SET reaction = 'negative' WHERE ticket_ref = 'T-2'").run()).toThrow(/only with its event/);
      expect(() => db.prepare("UPDATE responses SET day = day - 1 WHERE ticket_ref = 'T-2'").run()).toThrow(/only with its event/);
      // Follow-up and comments are not the rating: they still change freely.
      expect(db.prepare("UPDATE responses SET comment = NULL WHERE ticket_ref = 'T-1'").run().changes).toBe(1);
    });
  });

  it('fails, naming the response and the day, when responses and daily_counts are edited directly', async () => {
    const { file } = await siteWithHistory();
    const db = raw(file);
    // What someone with the database file can do: drop the guard, then doctor the tables.
    db.exec('DROP TRIGGER responses_change_needs_event');
    db.prepare("UPDATE responses SET reaction = 'positive' WHERE ticket_ref = 'OLD-1'").run();
    const id = (db.prepare("SELECT id FROM responses WHERE ticket_ref = 'OLD-1'").get() as { id: string }).id;
    db.prepare('UPDATE daily_counts SET neutral = neutral - 1, positive = positive + 1 WHERE day = ?').run(dayOf(T0) - 5);
    // ...and the per-value counts the score is summed from.
    db.prepare('UPDATE daily_values SET n = n - 1 WHERE day = ? AND value = 0').run(dayOf(T0) - 5);
    db.prepare(
      `INSERT INTO daily_values (site_id, kind, scale, day, moment, value, n) VALUES (1, 'reaction', 0, ?, 'ticket-closed', 1, 1)
       ON CONFLICT DO UPDATE SET n = n + 1`,
    ).run(dayOf(T0) - 5);
    db.close();

    const result = await verify(file);
    expect(result.code).toBe(1);
    expect(result.out).toContain('Event chain: 5 events, intact');
    expect(result.out).toContain(`response ${id}: reaction is positive, its events say neutral`);
    expect(result.out).toContain(`daily counts of ${isoDay(dayOf(T0) - 5)}: positive 1 (replay 0), neutral 0 (replay 1)`);
    expect(result.out).toContain(`daily values of ${isoDay(dayOf(T0) - 5)}: positive 1 (replay 0), neutral 0 (replay 1)`);
    expect(result.out).toMatch(/Published score: 100 .*the replay gives 67/);
  });

  it('reports the rows an import cut short by a crash left behind: responses without their events', async () => {
    const { file } = await siteWithHistory();
    const db = raw(file);
    // What a crash between an import's response batches and its event batches leaves.
    db.prepare(
      `INSERT INTO responses (id, site_id, survey_id, ticket_ref, reaction, source, day, created_at, updated_at)
       VALUES ('rs_cut', 1, NULL, 'CUT-1', 'positive', 'import', ?, ?, ?)`,
    ).run(dayOf(T0) - 3, T0 - 3 * DAY_MS, T0 - 3 * DAY_MS);
    db.close();
    const result = await verify(file);
    expect(result.code).toBe(1);
    expect(result.out).toContain('response rs_cut has no event');
  });

  it('fails when only daily_counts are edited (the score route reads them)', async () => {
    const { file } = await siteWithHistory();
    const db = raw(file);
    db.prepare('UPDATE daily_counts SET positive = positive + 40 WHERE day = ?').run(dayOf(T0));
    db.close();
    const result = await verify(file);
    expect(result.code).toBe(1);
    expect(result.out).toContain('Responses (reaction, day): equal to the replay.');
    expect(result.out).toContain(`daily counts of ${isoDay(dayOf(T0))}: positive 42 (replay 2)`);
  });
});
