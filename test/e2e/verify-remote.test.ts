// `csat verify <url>` against the built server: a site's log checks out and its checkpoint is saved; a
// second server holding a rewritten copy of that site's history (same key, same origin) is caught by the
// consistency proof against the saved checkpoint; a checkpoint under another key is refused.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../api/cli/main.js';
import { entryData, parseEntry } from '../../api/domain/log-entry.js';
import { hashLeaf } from '../../api/domain/merkle.js';
import { newTokenId } from '../../api/domain/tokens.js';
import { DAY_MS } from '../../api/domain/window.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Reaction } from '../../api/domain/reaction.js';
import { tempDir } from '../api/helpers.js';
import { freePort, killServers, root, startServer } from './server-process.js';

afterEach(killServers);
beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist/api/server.js'))) throw new Error('run npm run build:api first');
});

async function answer(db: string, tickets: Array<[string, Reaction]>) {
  const store = openSqliteStore(db);
  const site = (await store.getSite('acme')) ?? (await store.createSite({ slug: 'acme', name: 'Acme' }, Date.now()));
  for (const [ticketRef, reaction] of tickets) {
    const now = Date.now();
    const { survey } = await store.createSurvey({ siteId: site.id, ticketRef, tokenId: newTokenId(), expiresAt: now + DAY_MS }, now);
    await store.submitResponse({ survey, reaction, changeWindowMs: DAY_MS }, now);
  }
  await store.close();
}

async function verify(args: string[]) {
  const out: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), write: () => {}, err: (l) => out.push(l), env: { HOME: tempDir() }, now: () => Date.now() };
  const code = await runCli(['verify', ...args], io);
  return { code, out: out.join('\n') };
}

async function serve(db: string) {
  const port = await freePort();
  await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_PUBLIC_URL: `http://127.0.0.1:${port}` });
  return `http://127.0.0.1:${port}/v1/sites/acme`;
}

describe('csat verify <url>', () => {
  it('passes on the real site, then catches a rewritten copy served elsewhere against the saved checkpoint', async () => {
    const dir = tempDir();
    const state = path.join(dir, 'state.json');
    const honest = path.join(dir, 'honest.db');
    await answer(honest, [['T-1', 'negative'], ['T-2', 'positive'], ['T-3', 'positive']]);
    const copy = path.join(dir, 'copy.db');
    fs.copyFileSync(honest, copy);

    const url = await serve(honest);
    const first = await verify([url, '--state', state]);
    expect(first.out).toContain('Checkpoint: 3 entries');
    expect(first.out).toContain('Consistency: first check of this site');
    expect(first.out).toMatch(/Score: 33 over .* equal to the one recomputed from the entries/);
    expect(first.code, first.out).toBe(0);
    const saved = JSON.parse(fs.readFileSync(state, 'utf8')) as Record<string, { size: number }>;
    expect(Object.values(saved)[0]!.size).toBe(3);

    // The site's history rewritten in the copy: the negative answer becomes positive everywhere the
    // server reads, the log entry included (signed again with the site's own key), then life goes on.
    const db = new Database(copy);
    db.exec('DROP TRIGGER log_entries_no_update; DROP TRIGGER responses_change_needs_event');
    const row = db.prepare('SELECT data FROM log_entries WHERE idx = 0').get() as { data: string };
    const data = entryData({ ...parseEntry(row.data)!, reaction: 'positive' });
    db.prepare('UPDATE log_entries SET data = ?, leaf_hash = ? WHERE idx = 0').run(data, hashLeaf(Buffer.from(data)));
    db.prepare("UPDATE responses SET reaction = 'positive', value = 1 WHERE ticket_ref = 'T-1'").run();
    db.prepare('UPDATE daily_counts SET negative = negative - 1, positive = positive + 1').run();
    // The per-value counts the score is summed from (all three answers share their day).
    db.prepare('UPDATE daily_values SET n = n + 1 WHERE value = 1').run();
    db.prepare('UPDATE daily_values SET n = n - 1 WHERE value = -1').run();
    // The stored root of the log goes too: the next append rebuilds it from the rewritten entries.
    db.exec('DELETE FROM log_ranges');
    db.close();
    await answer(copy, [['T-4', 'positive']]);

    const forged = await serve(copy);
    const caught = await verify([forged, '--state', state]);
    expect(caught.out).toContain('Checkpoint: 4 entries');
    expect(caught.out).toContain('consistency proof fails');
    expect(caught.code).toBe(1);
    // Without the saved checkpoint, the rewritten copy is self-consistent: that is what the state is for.
    expect((await verify([forged, '--state', path.join(dir, 'fresh.json')])).code).toBe(0);

    // The honest site keeps passing, and its checkpoint moves on.
    await answer(honest, [['T-5', 'neutral']]);
    await new Promise((r) => setTimeout(r, 5_100)); // the score route's cache of changes made by other processes
    const later = await verify([url, '--state', state]);
    expect(later.out).toContain('Consistency: the log extends the one seen before (3 -> 4 entries)');
    expect(later.code, later.out).toBe(0);
  });

  it('refuses a checkpoint signed by another key than the pinned one', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    await answer(a, [['T-1', 'positive']]);
    await answer(b, [['T-1', 'positive']]);
    const otherStore = openSqliteStore(b);
    const otherKey = (await otherStore.logKey((await otherStore.getSite('acme'))!.id)).verifierKey;
    await otherStore.close();
    const url = await serve(a);
    const result = await verify([url, '--state', path.join(dir, 's.json'), '--log-key', otherKey]);
    expect(result.out).toContain('not the pinned key');
    expect(result.out).toMatch(/FAILED: checkpoint refused: not signed by/);
    expect(result.code).toBe(1);
  });
});
