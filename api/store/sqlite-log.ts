// The SQLite side of the public per-site Merkle log. Entry i of a site's log is its response event i+1:
// `catchUp` runs inside the event's transaction (see appendEvent in sqlite.ts), so the log can neither
// miss nor double an event, and on open it fills the log of sites older than it.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { appendLeaf, consistencyProof, emptyRange, hashLeaf, inclusionProof, rangeRoot, type CompactRange, type Hash } from '../domain/merkle.js';
import type { DayTotals, ResponseFact } from '../domain/replay.js';
import { checkpointText, signerFromSeed, signNote, verifierKeyText, type NoteSigner } from '../domain/signed-note.js';
import type { SurveyKind } from '../domain/kinds.js';
import { entryOfEvent, foldDayValues, rangeOfLeaves, splitHashes, type PendingEvent } from '../log/event-entry.js';
import type { LogHead, LogStore } from './types-log.js';

export const LOG_SCHEMA = `
  -- One signing key per site. The seed is stored like the rest of the database: whoever holds the file
  -- can sign, but cannot make a checkpoint that is consistent with one a reader saved before a rewrite.
  CREATE TABLE site_logs (
    site_id INTEGER PRIMARY KEY REFERENCES sites(id),
    origin TEXT NOT NULL UNIQUE,
    signer_seed BLOB NOT NULL CHECK (length(signer_seed) = 32),
    -- HMAC key of the opaque survey ids in public entries.
    id_secret BLOB NOT NULL CHECK (length(id_secret) = 32),
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE log_entries (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    idx INTEGER NOT NULL CHECK (idx >= 0),
    data TEXT NOT NULL,
    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
    PRIMARY KEY (site_id, idx)
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
    BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;
  CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
    BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;

  -- A response's reaction changes only together with its event (written first, in the same
  -- transaction), and its day never: the replay of the events is the truth.
  CREATE INDEX response_events_response ON response_events(response_id, seq);
  CREATE TRIGGER responses_change_needs_event BEFORE UPDATE OF reaction, day ON responses
    WHEN NEW.day IS NOT OLD.day OR NEW.reaction IS NOT
      (SELECT reaction FROM response_events WHERE response_id = NEW.id ORDER BY seq DESC LIMIT 1)
    BEGIN SELECT RAISE(ABORT, 'a response''s reaction changes only with its event, and its day never'); END;
`;

/** Migration 12: each site's log root as a compact range (the roots of its perfect subtrees, 32 bytes
 * each, largest first), written in the same transaction as the entries it covers. */
export function addLogRanges(db: Database.Database): void {
  db.exec(`
    CREATE TABLE log_ranges (
      site_id INTEGER PRIMARY KEY REFERENCES sites(id),
      size INTEGER NOT NULL CHECK (size >= 0),
      roots BLOB NOT NULL CHECK (length(roots) % 32 = 0)
    ) STRICT;
  `);
  const leaves = db.prepare<[number], { leaf_hash: Buffer }>('SELECT leaf_hash FROM log_entries WHERE site_id = ? ORDER BY idx');
  const save = db.prepare('INSERT INTO log_ranges (site_id, size, roots) VALUES (?, ?, ?)');
  for (const { site_id } of db.prepare<[], { site_id: number }>('SELECT DISTINCT site_id FROM log_entries').all()) {
    const range = rangeOfLeaves(leaves.iterate(site_id));
    save.run(site_id, range.size, Buffer.concat(range.roots));
  }
}

export function sqliteLog(db: Database.Database) {
  const q = {
    log: db.prepare<[number], { origin: string; signer_seed: Buffer; id_secret: Buffer }>('SELECT origin, signer_seed, id_secret FROM site_logs WHERE site_id = ?'),
    slug: db.prepare<[number], { slug: string }>('SELECT slug FROM sites WHERE id = ?'),
    insertLog: db.prepare('INSERT OR IGNORE INTO site_logs (site_id, origin, signer_seed, id_secret, created_at) VALUES (?, ?, ?, ?, ?)'),
    size: db.prepare<[number], { size: number }>('SELECT coalesce(max(idx) + 1, 0) AS size FROM log_entries WHERE site_id = ?'),
    // The survey's sealed flag and the response's seeded flag as they are when the event is written.
    pending: db.prepare<[number, number], PendingEvent>(
      `SELECT e.seq, e.type, e.response_id, e.reaction, e.value, e.responded_at, r.source, r.seeded, coalesce(s.sealed, 0) AS sealed,
              r.kind AS survey_kind, r.scale, r.moment
       FROM response_events e JOIN responses r ON r.id = e.response_id LEFT JOIN surveys s ON s.id = r.survey_id
       WHERE e.site_id = ? AND e.seq > ? ORDER BY e.seq`,
    ),
    insertEntry: db.prepare('INSERT INTO log_entries (site_id, idx, data, leaf_hash) VALUES (?, ?, ?, ?)'),
    range: db.prepare<[number], { size: number; roots: Buffer }>('SELECT size, roots FROM log_ranges WHERE site_id = ?'),
    saveRange: db.prepare('INSERT INTO log_ranges (site_id, size, roots) VALUES (?, ?, ?) ON CONFLICT (site_id) DO UPDATE SET size = excluded.size, roots = excluded.roots'),
    entries: db.prepare<[number, number, number], { idx: number; data: string }>(
      'SELECT idx, data FROM log_entries WHERE site_id = ? AND idx >= ? AND idx < ? ORDER BY idx',
    ),
    leafHashes: db.prepare<[number, number], { leaf_hash: Buffer }>('SELECT leaf_hash FROM log_entries WHERE site_id = ? AND idx >= ? ORDER BY idx'),
    latestIndex: db.prepare<[number, string], { idx: number }>(
      `SELECT l.idx FROM response_events e JOIN log_entries l ON l.site_id = e.site_id AND l.idx = e.seq - 1
       WHERE e.site_id = ? AND e.response_id = ? ORDER BY e.seq DESC LIMIT 1`,
    ),
    behind: db.prepare<[], { site_id: number }>(
      `SELECT s.id AS site_id FROM sites s
       WHERE (SELECT coalesce(max(seq), 0) FROM response_events WHERE site_id = s.id)
           > (SELECT coalesce(max(idx) + 1, 0) FROM log_entries WHERE site_id = s.id)`,
    ),
    facts: db.prepare<[number], ResponseFact & { scale: number }>('SELECT id, reaction, day, source, kind, scale, moment FROM responses WHERE site_id = ?'),
    values: db.prepare<[number], { day: number; kind: SurveyKind; scale: number; value: number; n: number; imported: number }>(
      'SELECT day, kind, scale, value, n, imported FROM daily_values WHERE site_id = ? AND n > 0 ORDER BY day',
    ),
    days: db.prepare<[number], DayTotals>(
      `SELECT day, positive, neutral, negative, imported FROM daily_counts
       WHERE site_id = ? AND positive + neutral + negative + imported > 0 ORDER BY day`,
    ),
  };

  // Deriving the signer from its seed (an Ed25519 key import) cost more CPU than the rest of a reaction's
  // write together (bench/cpu-profile.md), so it is kept per site and reused while the stored row is the
  // same one; reading the row again each time is cheap and stays right if a transaction that wrote it
  // rolled back.
  const signers = new Map<number, { origin: string; seed: Buffer; signer: NoteSigner }>();
  /** The site's key and id secret, made on first use (site create, first event, or first read). */
  const siteLog = (siteId: number): { signer: NoteSigner; idSecret: Buffer } => {
    let row = q.log.get(siteId);
    if (!row) {
      const slug = q.slug.get(siteId)?.slug;
      if (!slug) throw new Error(`no site with id ${siteId}`);
      // Unique per key, so a site recreated elsewhere never shares an origin with this one.
      q.insertLog.run(siteId, `csat-badge/${slug}/${randomBytes(4).toString('hex')}`, randomBytes(32), randomBytes(32), Date.now());
      row = q.log.get(siteId)!;
    }
    let kept = signers.get(siteId);
    if (!kept || kept.origin !== row.origin || !kept.seed.equals(row.signer_seed)) {
      kept = { origin: row.origin, seed: row.signer_seed, signer: signerFromSeed(row.origin, row.signer_seed) };
      signers.set(siteId, kept);
    }
    return { signer: kept.signer, idSecret: row.id_secret };
  };

  /** Appends an entry for every event not yet in the log; inside the caller's transaction. */
  const catchUp = (siteId: number): void => {
    const { idSecret } = siteLog(siteId);
    const size = q.size.get(siteId)!.size;
    let range = storedRange(siteId);
    // Kept with every append, so this only rebuilds a range that was never written (a log older than
    // the table, whose migration writes it, cannot get here; this is a guard, not a path).
    if (range.size !== size) range = rangeOfLeaves(q.leafHashes.iterate(siteId, 0));
    const before = range.size;
    for (const e of q.pending.all(siteId, size)) {
      const data = entryOfEvent(idSecret, e);
      const leaf = hashLeaf(Buffer.from(data, 'utf8'));
      q.insertEntry.run(siteId, e.seq - 1, data, leaf);
      range = appendLeaf(range, leaf);
    }
    if (range.size !== before) q.saveRange.run(siteId, range.size, Buffer.concat(range.roots));
  };
  const storedRange = (siteId: number): CompactRange => {
    const row = q.range.get(siteId);
    return row ? { size: row.size, roots: splitHashes(row.roots) } : emptyRange();
  };

  const catchUpAll = db.transaction(() => {
    for (const { site_id } of q.behind.all()) catchUp(site_id);
  });
  catchUpAll.immediate();

  // Entries never change, so a site's leaf hashes are cached and only the new tail is read.
  const leafCache = new Map<number, Hash[]>();
  const leaves = (siteId: number): Hash[] => {
    const cached = leafCache.get(siteId) ?? [];
    for (const r of q.leafHashes.all(siteId, cached.length)) cached.push(r.leaf_hash);
    leafCache.set(siteId, cached);
    return cached;
  };
  // The root comes from the compact range stored with the entries (O(log n) hashes per new entry), so
  // a head never reads the leaves: at a million entries, reading them all took the first score read
  // after a start many seconds. Ed25519 is deterministic, so one checkpoint per (site, size) is kept.
  const headCache = new Map<number, LogHead>();
  const head = (siteId: number): LogHead => {
    const range = storedRange(siteId);
    const hit = headCache.get(siteId);
    if (hit && hit.size === range.size) return hit;
    const { signer } = siteLog(siteId);
    const rootHash = rangeRoot(range);
    const fresh = { size: range.size, rootHash: rootHash.toString('base64'), checkpoint: signNote(checkpointText({ origin: signer.name, size: range.size, rootHash }), signer) };
    headCache.set(siteId, fresh);
    return fresh;
  };
  const b64 = (hashes: Hash[]) => hashes.map((h) => h.toString('base64'));

  const methods: LogStore = {
    async logKey(siteId) {
      const { signer } = siteLog(siteId);
      return { origin: signer.name, verifierKey: verifierKeyText(signer) };
    },
    async logHead(siteId) {
      return head(siteId);
    },
    async logEntries(siteId, start, end) {
      return q.entries.all(siteId, start, end).map((r) => ({ index: r.idx, data: r.data }));
    },
    async logInclusionProof(siteId, index, size) {
      const all = leaves(siteId);
      return index >= 0 && index < size && size <= all.length ? b64(inclusionProof(all, index, size)) : null;
    },
    async logConsistencyProof(siteId, from, to) {
      const all = leaves(siteId);
      return from >= 0 && from <= to && to <= all.length ? b64(consistencyProof(all, from, to)) : null;
    },
    async logIndexOfResponse(siteId, responseId) {
      return q.latestIndex.get(siteId, responseId)?.idx ?? null;
    },
    async responseFacts(siteId) {
      return q.facts.all(siteId).map((f) => ({ ...f, scale: f.scale || null }));
    },
    async storedDayValues(siteId) {
      // Folded into classes per day, every kind together: the same shape as the replay's days.
      return foldDayValues(q.values.iterate(siteId));
    },
    async storedDayCounts(siteId) {
      return q.days.all(siteId);
    },
  };
  return { catchUp, methods };
}
