// The PostgreSQL side of the public per-site Merkle log (mirrors sqlite-log.ts). Entry i of a site's log
// is its response event i+1: `catchUp` runs inside the event's transaction, which holds the site's row
// lock (`SELECT ... FROM sites WHERE id = $1 FOR UPDATE`), so two instances never append to one site's
// log at once and the log can neither miss nor double an event.
import { randomBytes } from 'node:crypto';
import { consistencyProof, emptyRange, appendLeaf, hashLeaf, inclusionProof, rangeRoot, type CompactRange, type Hash } from '../../domain/merkle.js';
import type { DayTotals, ResponseFact } from '../../domain/replay.js';
import { checkpointText, signerFromSeed, signNote, verifierKeyText, type NoteSigner } from '../../domain/signed-note.js';
import type { SurveyKind } from '../../domain/kinds.js';
import { entryOfEvent, foldDayValues, rangeOfLeaves, splitHashes, type PendingEvent } from '../../log/event-entry.js';
import type { LogHead, LogStore } from '../types-log.js';
import type { Sql, Tx } from './connection.js';
import type { CatchUpLog } from './parts.js';

/** Rows per INSERT of new entries: a large import appends thousands of entries in one transaction, and
 * one round trip per entry would dominate it (4 parameters a row stays far below PostgreSQL's 65,535). */
const ENTRY_BATCH = 1000;

export function pgLog(sql: Sql): { methods: LogStore; catchUp: CatchUpLog } {
  // Deriving the signer from its seed (an Ed25519 key import) costs more than the rest of a reaction's
  // write, so it is kept per site and reused while the stored row is the same one.
  const signers = new Map<number, { origin: string; seed: Buffer; signer: NoteSigner }>();

  /** The site's key and id secret, made on first use (first event or first read). Making it needs no
   * site lock: the row is inserted once (ON CONFLICT DO NOTHING) and everyone reads the winner's row. */
  const siteLog = async (db: Sql | Tx, siteId: number): Promise<{ signer: NoteSigner; idSecret: Buffer }> => {
    const read = () => db<{ origin: string; signer_seed: Buffer; id_secret: Buffer }[]>`
      SELECT origin, signer_seed, id_secret FROM site_logs WHERE site_id = ${siteId}`;
    let [row] = await read();
    if (!row) {
      const [site] = await db<{ slug: string }[]>`SELECT slug FROM sites WHERE id = ${siteId}`;
      if (!site) throw new Error(`no site with id ${siteId}`);
      // Unique per key, so a site recreated elsewhere never shares an origin with this one.
      await db`INSERT INTO site_logs (site_id, origin, signer_seed, id_secret, created_at)
        VALUES (${siteId}, ${`csat-badge/${site.slug}/${randomBytes(4).toString('hex')}`}, ${randomBytes(32)}, ${randomBytes(32)}, ${Date.now()})
        ON CONFLICT (site_id) DO NOTHING`;
      [row] = await read();
    }
    let kept = signers.get(siteId);
    if (!kept || kept.origin !== row!.origin || !kept.seed.equals(row!.signer_seed)) {
      kept = { origin: row!.origin, seed: row!.signer_seed, signer: signerFromSeed(row!.origin, row!.signer_seed) };
      signers.set(siteId, kept);
    }
    return { signer: kept.signer, idSecret: row!.id_secret };
  };

  const storedRange = async (db: Sql | Tx, siteId: number): Promise<CompactRange> => {
    const [row] = await db<{ size: number; roots: Buffer }[]>`SELECT size, roots FROM log_ranges WHERE site_id = ${siteId}`;
    return row ? { size: row.size, roots: splitHashes(row.roots) } : emptyRange();
  };

  /** Appends an entry for every event not yet in the log; inside the caller's transaction, which holds
   * the site's row lock. */
  const catchUp: CatchUpLog = async (tx, siteId) => {
    const { idSecret } = await siteLog(tx, siteId);
    const [{ size }] = (await tx<[{ size: number }]>`
      SELECT coalesce(max(idx) + 1, 0)::bigint AS size FROM log_entries WHERE site_id = ${siteId}`);
    let range = await storedRange(tx, siteId);
    // Kept with every append, so this only rebuilds a range that was never written: a guard, not a path.
    if (range.size !== size) {
      range = rangeOfLeaves(await tx<{ leaf_hash: Buffer }[]>`SELECT leaf_hash FROM log_entries WHERE site_id = ${siteId} ORDER BY idx`);
    }
    const before = range.size;
    // The survey's sealed flag and the response's seeded flag as they are when the event is written.
    const pending = await tx<PendingEvent[]>`
      SELECT e.seq, e.type, e.response_id, e.reaction, e.value, e.responded_at, r.source, r.seeded,
             coalesce(s.sealed, 0) AS sealed, r.kind AS survey_kind, r.scale, r.moment
      FROM response_events e JOIN responses r ON r.id = e.response_id LEFT JOIN surveys s ON s.id = r.survey_id
      WHERE e.site_id = ${siteId} AND e.seq > ${size} ORDER BY e.seq`;
    let batch: Array<{ site_id: number; idx: number; data: string; leaf_hash: Buffer }> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await tx`INSERT INTO log_entries ${tx(batch, 'site_id', 'idx', 'data', 'leaf_hash')}`;
      batch = [];
    };
    for (const e of pending) {
      const data = entryOfEvent(idSecret, e);
      const leaf = hashLeaf(Buffer.from(data, 'utf8'));
      batch.push({ site_id: siteId, idx: e.seq - 1, data, leaf_hash: leaf });
      range = appendLeaf(range, leaf);
      if (batch.length >= ENTRY_BATCH) await flush();
    }
    await flush();
    if (range.size !== before) {
      const roots = Buffer.concat(range.roots);
      await tx`INSERT INTO log_ranges (site_id, size, roots) VALUES (${siteId}, ${range.size}, ${roots})
        ON CONFLICT (site_id) DO UPDATE SET size = excluded.size, roots = excluded.roots`;
    }
  };

  // Entries never change and only committed ones are read, so a site's leaf hashes are cached and only
  // the new tail is read (another instance's appends included).
  const leafCache = new Map<number, Hash[]>();
  const leaves = async (siteId: number): Promise<Hash[]> => {
    const cached = leafCache.get(siteId) ?? [];
    const tail = await sql<{ leaf_hash: Buffer }[]>`
      SELECT leaf_hash FROM log_entries WHERE site_id = ${siteId} AND idx >= ${cached.length} ORDER BY idx`;
    for (const r of tail) cached.push(r.leaf_hash);
    leafCache.set(siteId, cached);
    return cached;
  };
  // The root comes from the compact range stored with the entries, so a head never reads the leaves.
  // Ed25519 is deterministic, so one checkpoint per (site, size) is kept.
  const headCache = new Map<number, LogHead>();
  const head = async (siteId: number): Promise<LogHead> => {
    const range = await storedRange(sql, siteId);
    const hit = headCache.get(siteId);
    if (hit && hit.size === range.size) return hit;
    const { signer } = await siteLog(sql, siteId);
    const rootHash = rangeRoot(range);
    const fresh = { size: range.size, rootHash: rootHash.toString('base64'), checkpoint: signNote(checkpointText({ origin: signer.name, size: range.size, rootHash }), signer) };
    headCache.set(siteId, fresh);
    return fresh;
  };
  const b64 = (hashes: Hash[]) => hashes.map((h) => h.toString('base64'));

  const methods: LogStore = {
    async logKey(siteId) {
      const { signer } = await siteLog(sql, siteId);
      return { origin: signer.name, verifierKey: verifierKeyText(signer) };
    },
    async logHead(siteId) {
      return head(siteId);
    },
    async logEntries(siteId, start, end) {
      const rows = await sql<{ idx: number; data: string }[]>`
        SELECT idx, data FROM log_entries WHERE site_id = ${siteId} AND idx >= ${start} AND idx < ${end} ORDER BY idx`;
      return rows.map((r) => ({ index: r.idx, data: r.data }));
    },
    async logInclusionProof(siteId, index, size) {
      const all = await leaves(siteId);
      return index >= 0 && index < size && size <= all.length ? b64(inclusionProof(all, index, size)) : null;
    },
    async logConsistencyProof(siteId, from, to) {
      const all = await leaves(siteId);
      return from >= 0 && from <= to && to <= all.length ? b64(consistencyProof(all, from, to)) : null;
    },
    async logIndexOfResponse(siteId, responseId) {
      const [row] = await sql<{ idx: number }[]>`
        SELECT l.idx FROM response_events e JOIN log_entries l ON l.site_id = e.site_id AND l.idx = e.seq - 1
        WHERE e.site_id = ${siteId} AND e.response_id = ${responseId} ORDER BY e.seq DESC LIMIT 1`;
      return row?.idx ?? null;
    },
    async responseFacts(siteId) {
      const rows = await sql<(ResponseFact & { scale: number })[]>`
        SELECT id, reaction, day, source, kind, scale, moment FROM responses WHERE site_id = ${siteId} ORDER BY created_at, id`;
      return rows.map((f) => ({ id: f.id, reaction: f.reaction, day: f.day, source: f.source, kind: f.kind, scale: f.scale || null, moment: f.moment }));
    },
    async storedDayValues(siteId) {
      const rows = await sql<{ day: number; kind: SurveyKind; scale: number; value: number; n: number; imported: number }[]>`
        SELECT day, kind, scale, value, n, imported FROM daily_values WHERE site_id = ${siteId} AND n > 0 ORDER BY day`;
      return foldDayValues(rows);
    },
    async storedDayCounts(siteId) {
      const rows = await sql<DayTotals[]>`
        SELECT day, positive, neutral, negative, imported FROM daily_counts
        WHERE site_id = ${siteId} AND positive + neutral + negative + imported > 0 ORDER BY day`;
      return rows.map((r) => ({ day: r.day, positive: r.positive, neutral: r.neutral, negative: r.negative, imported: r.imported }));
    },
  };
  return { methods, catchUp };
}
