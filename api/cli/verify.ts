// `csat verify`: on a database, replays the event chain and checks the tables, the published score and
// the public log against it; on a site's address, checks the public log as any outsider can (signature,
// consistency with the last checkpoint seen, the score recomputed from the entries).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyChain } from '../domain/chain.js';
import { parseEntry, replayEntries, type LogEntry } from '../domain/log-entry.js';
import { hashLeaf, treeRoot, verifyConsistency, verifyInclusion } from '../domain/merkle.js';
import { dayDifferences, replayedDays, replayEvents, responseDifferences } from '../domain/replay.js';
import { classScore, kindScore } from '../domain/kind-score.js';
import { answerTag } from '../domain/log-entry.js';
import { openNote, parseCheckpoint, parseVerifierKey, type Checkpoint, type NoteVerifier } from '../domain/signed-note.js';
import { rollingWindow } from '../domain/window.js';
import { publicScore } from '../services/public-score.js';
import type { Site, Store, SurveyKind } from '../store/types.js';

export const VERIFY_USAGE = `  verify <site>                    replay the site's event chain and check against it the responses,
                                   the daily counts, the published score and the public log
  verify <url> [--log-key <key>] [--state <file>]
                                   check a site's public log from its address
                                   (https://host/v1/sites/<site>): checkpoint signature (and the key
                                   you pin), consistency with the last checkpoint seen (kept in
                                   --state, default ~/.config/csat/verify-state.json), the score
                                   recomputed from the entries`;

export const VERIFY_OPTIONS = {
  'log-key': { type: 'string' },
  state: { type: 'string' },
} as const;

type Out = (line: string) => void;
const MAX_LISTED = 20;

function listed(out: Out, title: string, problems: string[]) {
  out(problems.length === 0 ? `${title}: equal to the replay.` : `${title}: ${problems.length} difference(s) from the replay:`);
  for (const p of problems.slice(0, MAX_LISTED)) out(`  - ${p}`);
  if (problems.length > MAX_LISTED) out(`  ... and ${problems.length - MAX_LISTED} more`);
}

/** The local check; 0 when everything equals the replay, else 1. */
export async function verifyLocal(store: Store, site: Site, now: number, out: Out): Promise<number> {
  const events = await store.listEvents(site.id);
  const chain = verifyChain(events);
  out(chain.valid ? `Event chain: ${chain.length} events, intact (head ${chain.head}).` : `Event chain: BROKEN at event ${chain.brokenAt}: ${chain.reason}`);
  const state = replayEvents(events);
  const facts = await store.responseFacts(site.id);
  const responses = responseDifferences(state, facts);
  listed(out, 'Responses (reaction, day)', responses);
  const replayedTotals = replayedDays(state);
  const days = [
    ...dayDifferences(replayedTotals, await store.storedDayCounts(site.id)),
    ...dayDifferences(replayedTotals, await store.storedDayValues(site.id), 'daily values'),
  ];
  listed(out, 'Daily counts', days);

  // The published score counts the answers of the site's kind and scale, of its score moments.
  const window = rollingWindow(now, site.windowDays);
  const counted = new Map(facts.filter((f) => f.kind === site.kind && f.scale === site.scale && (!site.scoreMoments || site.scoreMoments.includes(f.moment))).map((f) => [f.id, f]));
  const values = new Map<number, number>();
  let imported = 0;
  for (const [id, r] of state) {
    if (!counted.has(id) || r.day < window.fromDay || r.day > window.toDay) continue;
    values.set(r.value, (values.get(r.value) ?? 0) + 1);
    if (r.imported) imported++;
  }
  const expected = kindScore(site, values, imported);
  const published = await publicScore(store, site, now);
  const scoreOk = published.score === expected.score && JSON.stringify(published.counts) === JSON.stringify(expected.counts);
  out(
    scoreOk
      ? `Published score: ${published.score ?? 'no ratings yet'} over ${window.days} days, equal to the replay.`
      : `Published score: ${published.score} (${JSON.stringify(published.counts)}), the replay gives ${expected.score} (${JSON.stringify(expected.counts)}).`,
  );

  const logOk = await checkLocalLog(store, site, events.length, out);
  return chain.valid && responses.length === 0 && days.length === 0 && scoreOk && logOk ? 0 : 1;
}

async function checkLocalLog(store: Store, site: Site, eventCount: number, out: Out): Promise<boolean> {
  const [key, head] = await Promise.all([store.logKey(site.id), store.logHead(site.id)]);
  const opened = openNote(head.checkpoint, parseVerifierKey(key.verifierKey));
  const entries = await store.logEntries(site.id, 0, head.size);
  const root = treeRoot(entries.map((e) => hashLeaf(Buffer.from(e.data, 'utf8'))));
  const problems = [
    ...(opened.ok ? [] : [`checkpoint: ${opened.reason}`]),
    ...(head.size === eventCount ? [] : [`${head.size} entries for ${eventCount} events`]),
    ...(entries.length === head.size && root.toString('base64') === head.rootHash ? [] : ['the entries do not hash to the checkpoint root']),
  ];
  out(problems.length === 0 ? `Public log: ${head.size} entries, root ${head.rootHash}, checkpoint signed by ${key.verifierKey}.` : `Public log: ${problems.join('; ')}.`);
  return problems.length === 0;
}

// ---------------------------------------------------------------------------------------------------
// Remote: what anyone can check from the outside.

/** The last checkpoint seen of each log, by origin. */
interface SavedCheckpoint {
  verifierKey: string;
  size: number;
  rootHash: string;
  checkpoint: string;
}

export function defaultStateFile(env: Record<string, string | undefined>): string {
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(config, 'csat', 'verify-state.json');
}

function readState(file: string): Record<string, SavedCheckpoint> {
  if (!fs.existsSync(file)) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, SavedCheckpoint>;
}

function writeState(file: string, state: Record<string, SavedCheckpoint>) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** `https://host/v1/sites/<site>` (a trailing /score is accepted); null for anything else. */
export function siteAddress(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const u = new URL(url);
  const m = /^(.*\/v1\/sites\/[a-z0-9][a-z0-9-]{0,62})(?:\/score)?\/?$/.exec(u.pathname);
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !m) return null;
  return `${u.origin}${m[1]}`;
}

class Failure extends Error {}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Failure(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

const PAGE = 1000;

/** The remote check; 0 when all checks pass (the new checkpoint is then saved), else 1. */
export async function verifyRemote(url: string, opts: { pinnedKey?: string; stateFile: string; out: Out }): Promise<number> {
  const { out } = opts;
  const base = siteAddress(url);
  if (!base) throw new Error(`not a site address: ${url} (expected https://host/v1/sites/<site>)`);
  try {
    const published = await getJson<{ origin: string; verifierKey: string }>(`${base}/log/key`);
    const state = readState(opts.stateFile);
    let verifier: NoteVerifier;
    try {
      verifier = parseVerifierKey(opts.pinnedKey ?? published.verifierKey);
    } catch {
      throw new Failure(`${opts.pinnedKey ? 'the pinned' : 'the published'} key is not a signed-note verifier key`);
    }
    if (opts.pinnedKey && opts.pinnedKey !== published.verifierKey) out(`Key: the site publishes ${published.verifierKey}, not the pinned key.`);
    // Kept by the log's origin (its key name), not by address: a copy served from elsewhere is the same log.
    const saved = state[verifier.name];
    if (saved && saved.verifierKey !== published.verifierKey) throw new Failure(`the site's key changed since the last check (was ${saved.verifierKey}, now ${published.verifierKey})`);

    const score = await getJson<{ score: number | null; window: { from: string; to: string; days: number }; counts: Record<string, number>; log?: { size: number; rootHash: string; checkpoint: string } }>(`${base}/score`);
    if (!score.log) throw new Failure('the score carries no log checkpoint');
    const opened = openNote(score.log.checkpoint, verifier);
    if (!opened.ok) throw new Failure(`checkpoint refused: ${opened.reason}`);
    const cp = parseCheckpoint(opened.text);
    if (!cp || cp.origin !== verifier.name) throw new Failure('checkpoint refused: malformed, or not for this key');
    if (cp.size !== score.log.size || cp.rootHash.toString('base64') !== score.log.rootHash) throw new Failure('the score\'s log size or root differs from its signed checkpoint');
    out(`Checkpoint: ${cp.size} entries, root ${score.log.rootHash}, signed by ${verifier.name}+${verifier.keyId.toString(16).padStart(8, '0')}.`);

    if (saved) await checkConsistency(base, saved, cp, out);
    else out('Consistency: first check of this site; its checkpoint is saved for the next one.');

    const entries = await fetchEntries(base, cp.size);
    const leaves = entries.map((e) => hashLeaf(Buffer.from(e, 'utf8')));
    if (!treeRoot(leaves).equals(cp.rootHash)) throw new Failure('the entries do not hash to the signed root');
    if (cp.size > 0) {
      const last = cp.size - 1;
      const proof = await getJson<{ proof: string[] }>(`${base}/log/proof/inclusion?index=${last}&size=${cp.size}`);
      if (!verifyInclusion(leaves[last]!, last, cp.size, proof.proof.map((p) => Buffer.from(p, 'base64')), cp.rootHash)) {
        throw new Failure(`the inclusion proof of entry ${last} does not verify`);
      }
    }
    out(`Entries: ${entries.length}, hash to the signed root.`);

    const parsed = entries.map((data, i) => {
      const entry = parseEntry(data);
      if (!entry) throw new Failure(`entry ${i} is not a valid log entry`);
      return entry;
    });
    const ok = checkScore(parsed, score, out);
    if (!ok) return 1;
    writeState(opts.stateFile, { ...state, [verifier.name]: { verifierKey: published.verifierKey, size: cp.size, rootHash: score.log.rootHash, checkpoint: score.log.checkpoint } });
    out('OK: the published score follows from the signed log.');
    return 0;
  } catch (error) {
    if (error instanceof Failure) {
      out(`FAILED: ${error.message}`);
      return 1;
    }
    if (error instanceof TypeError) {
      out(`FAILED: cannot reach ${base}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function checkConsistency(base: string, saved: SavedCheckpoint, cp: Checkpoint, out: Out) {
  if (cp.size < saved.size) throw new Failure(`the log shrank from ${saved.size} to ${cp.size} entries since the last check`);
  const proof = await getJson<{ proof: string[] }>(`${base}/log/proof/consistency?from=${saved.size}&to=${cp.size}`);
  const ok = verifyConsistency(saved.size, cp.size, proof.proof.map((p) => Buffer.from(p, 'base64')), Buffer.from(saved.rootHash, 'base64'), cp.rootHash);
  if (!ok) throw new Failure(`the log at ${cp.size} entries is not an extension of the one seen before at ${saved.size} entries (consistency proof fails): its history was rewritten`);
  out(`Consistency: the log extends the one seen before (${saved.size} -> ${cp.size} entries).`);
}

async function fetchEntries(base: string, size: number): Promise<string[]> {
  const all: string[] = [];
  while (all.length < size) {
    const end = Math.min(all.length + PAGE, size);
    const page = await getJson<{ entries: Array<{ index: number; data: string }> }>(`${base}/log/entries?start=${all.length}&end=${end}`);
    if (page.entries.length === 0) throw new Failure(`the log serves no entry ${all.length}`);
    for (const e of page.entries) {
      if (e.index !== all.length) throw new Failure(`expected entry ${all.length}, got ${e.index}`);
      all.push(e.data);
    }
  }
  return all;
}

interface ServedScore {
  score: number | null;
  window: { from: string; to: string };
  counts: Record<string, number>;
  /** Absent from servers older than survey kinds: reaction, every moment. */
  kind?: SurveyKind;
  scale?: number | null;
  moments?: string[] | null;
}

function checkScore(entries: LogEntry[], score: ServedScore, out: Out): boolean {
  const kind = score.kind ?? 'reaction';
  const replay = replayEntries(entries, score.window.from, score.window.to, { answer: answerTag({ kind, scale: score.scale ?? null }), moments: score.moments ?? null });
  for (const p of replay.problems) out(`  - ${p}`);
  const expected = classScore(kind, replay.counts);
  const fields = ['positive', 'neutral', 'negative', 'total', 'imported'] as const;
  const diffs = fields.filter((f) => score.counts[f] !== expected.counts[f]).map((f) => `${f} ${score.counts[f]} (entries give ${expected.counts[f]})`);
  if (score.score !== expected.score) diffs.unshift(`score ${score.score} (entries give ${expected.score})`);
  if (diffs.length === 0 && replay.problems.length === 0) {
    out(`Score: ${score.score ?? 'no ratings yet'} over ${score.window.from}..${score.window.to}, equal to the one recomputed from the entries.`);
    return true;
  }
  out(`Score: differs from the entries: ${diffs.join(', ') || 'the entries are inconsistent'}.`);
  return false;
}
