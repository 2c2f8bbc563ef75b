import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../api/cli/main.js';
import { adminKeyId } from '../../api/domain/tokens.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import { reactionScore } from '../../api/domain/score.js';
import { verifyChain } from '../../api/domain/chain.js';
import { dayOf } from '../../api/domain/window.js';
import { tempDir, T0 } from './helpers.js';

async function csat(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const raw: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), write: (t) => raw.push(t), err: (l) => err.push(l), env, now: () => T0 };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n'), raw: raw.join('') };
}

describe('csat CLI', () => {
  it('creates a site and prints a working admin key once', async () => {
    const db = path.join(tempDir(), 'nested', 'csat.db');
    const created = await csat(['site', 'create', 'acme-it', '--name', 'Acme IT', '--window-days', '30', '--industry', 'telecom', '--db', db]);
    expect(created.code).toBe(0);
    const key = /Admin key \(shown once, store it now\): (\S+)/.exec(created.out)?.[1];
    expect(key && adminKeyId(key)).toBeTruthy();

    const store = openSqliteStore(db);
    const site = (await store.getSite('acme-it'))!;
    expect(site).toMatchObject({ name: 'Acme IT', windowDays: 30, industry: 'telecom' });
    const [stored] = await store.listAdminKeys(site.id);
    expect(stored!.id).toBe(adminKeyId(key!));
    await store.close();

    const again = await csat(['site', 'create', 'acme-it', '--name', 'Again', '--db', db]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already exists');
    const listed = await csat(['site', 'list', '--db', db]);
    expect(listed.out).toContain('acme-it  Acme IT  window 30d');
  });

  it('changes a site\'s settings with site set', async () => {
    const db = path.join(tempDir(), 'csat.db');
    await csat(['site', 'create', 'acme', '--name', 'Acme', '--db', db]);
    const set = await csat(['site', 'set', 'acme', '--throttle-days', '30', '--locale', 'fr', '--name', 'Acme IT', '--db', db]);
    expect(set.code).toBe(0);
    expect(set.out).toBe('acme  Acme IT  window 90d  change 7d  throttle 30d  fr');
    const store = openSqliteStore(db);
    expect(await store.getSite('acme')).toMatchObject({ name: 'Acme IT', throttleDays: 30, locale: 'fr', windowDays: 90 });
    await store.close();
    expect((await csat(['site', 'set', 'acme', '--db', db])).err).toContain('at least one setting');
    expect((await csat(['site', 'set', 'acme', '--locale', 'de', '--db', db])).err).toContain('--locale must be one of en, fr, ar');
    expect((await csat(['site', 'set', 'acme', '--throttle-days', '-1', '--db', db])).code).toBe(2);
  });

  it('creates wall keys that are listed with their scope, and exports every response as CSV', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'csat.db');
    await csat(['site', 'create', 'acme', '--name', 'Acme', '--db', db]);
    const wall = await csat(['key', 'create', 'acme', '--scope', 'wall', '--db', db]);
    expect(wall.out).toMatch(/Wall key (\w+) for "acme"/);
    const id = /Wall key (\w+)/.exec(wall.out)![1]!;
    expect((await csat(['key', 'list', 'acme', '--db', db])).out).toMatch(new RegExp(`${id}  wall  `));
    expect((await csat(['key', 'create', 'acme', '--scope', 'root', '--db', db])).code).toBe(2);

    const history = path.join(dir, 'history.csv');
    fs.writeFileSync(history, 'date,ticketRef,reaction,comment\n2026-11-01,A-1,negative,"=HYPERLINK(""http://x"")"\n2026-11-02,A-2,positive,\n');
    await csat(['import', 'acme', history, '--db', db]);
    const store = openSqliteStore(db);
    const site = (await store.getSite('acme'))!;
    const [newest, oldest] = await store.listResponses(site.id, {}, null, 2);
    await store.updateFollowUp(site.id, oldest!.id, { to: 'contacted', note: { author: 'Sam', text: 'Called back' } }, T0);
    await store.close();

    const exported = await csat(['export', 'acme', '--db', db]);
    expect(exported.code).toBe(0);
    const lines = exported.raw.split('\r\n');
    expect(lines[0]).toBe('id,createdAt,updatedAt,ticketRef,reaction,comment,followUp,team,technician,contactEmail,contactName,source,notes,kind,scale,score,moment,dimensions');
    expect(lines[1]).toContain(`${newest!.id},`);
    expect(lines[1]).toContain(',A-2,positive,,none,');
    // The same notes column as the HTTP export.
    expect(lines[2]).toContain(',A-1,negative,"\'=HYPERLINK(""http://x"")",contacted,');
    expect(lines[2]).toMatch(/,2026-11-23 Sam: Called back,reaction,,,ticket-closed,$/);
    // The summary goes to standard error, so the CSV on standard output stays clean.
    expect(exported.err).toBe('Exported 2 response(s) of "acme".');
    expect(exported.out).toBe('');

    const file = path.join(dir, 'out.csv');
    const written = await csat(['export', 'acme', '--out', file, '--db', db]);
    expect(written.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(exported.raw);
    expect(written.err).toBe(`Exported 2 response(s) of "acme" to ${file}.`);
    expect(written.raw).toBe('');
    const quiet = await csat(['export', 'acme', '--out', file, '--quiet', '--db', db]);
    expect([quiet.code, quiet.out, quiet.err]).toEqual([0, '', '']);
  });

  it('prints the wall page\'s full address: --url, else CSAT_PUBLIC_URL, else localhost and PORT', async () => {
    const db = path.join(tempDir(), 'csat.db');
    await csat(['site', 'create', 'acme', '--name', 'Acme', '--db', db]);
    const wallPage = async (args: string[], env: Record<string, string> = {}) => {
      const made = await csat(['key', 'create', 'acme', '--scope', 'wall', ...args, '--db', db], env);
      expect(made.code, made.err).toBe(0);
      const key = /: (csat_\S+)$/m.exec(made.out)![1]!;
      return /^Wall page: (.*)$/m.exec(made.out)![1]!.replace(key, '<key>');
    };
    expect(await wallPage([])).toBe('http://localhost:8787/wall?site=acme#key=<key>');
    expect(await wallPage([], { PORT: '9000' })).toBe('http://localhost:9000/wall?site=acme#key=<key>');
    expect(await wallPage([], { PORT: '9000', CSAT_PUBLIC_URL: 'https://csat.example.com/' })).toBe('https://csat.example.com/wall?site=acme#key=<key>');
    expect(await wallPage(['--url', 'https://wall.example.com/csat'], { CSAT_PUBLIC_URL: 'https://csat.example.com' })).toBe(
      'https://wall.example.com/csat/wall?site=acme#key=<key>',
    );

    // A bad address is refused before a key is stored, so no key exists that nobody saw.
    const before = (await csat(['key', 'list', 'acme', '--db', db])).out;
    const bad = await csat(['key', 'create', 'acme', '--scope', 'wall', '--url', 'csat.example.com', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--url does not give an http(s) address');
    expect((await csat(['key', 'create', 'acme', '--scope', 'wall', '--db', db], { CSAT_PUBLIC_URL: 'ftp://x' })).err).toContain('CSAT_PUBLIC_URL');
    expect((await csat(['key', 'list', 'acme', '--db', db])).out).toBe(before);
  });

  it('prints only the key with --quiet, for scripts', async () => {
    const db = path.join(tempDir(), 'csat.db');
    const created = await csat(['site', 'create', 'acme', '--name', 'Acme', '--quiet', '--db', db]);
    expect(created.code).toBe(0);
    expect(created.err).toBe('');
    expect(adminKeyId(created.out)).toBeTruthy();
    for (const scope of ['admin', 'wall']) {
      const made = await csat(['key', 'create', 'acme', '--scope', scope, '-q', '--db', db]);
      expect(made.err).toBe('');
      expect(made.out).toMatch(/^csat_\S+$/);
      const listed = (await csat(['key', 'list', 'acme', '--db', db])).out;
      expect(listed).toMatch(new RegExp(`^${adminKeyId(made.out)}  ${scope}  `, 'm'));
    }
  });

  it('reads the database path from CSAT_DB', async () => {
    const db = path.join(tempDir(), 'csat.db');
    expect((await csat(['site', 'create', 'acme', '--name', 'Acme'], { CSAT_DB: db })).code).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
  });

  it('explains bad arguments with exit code 2', async () => {
    const db = path.join(tempDir(), 'csat.db');
    const cases: Array<[string[], RegExp]> = [
      [[], /Usage: csat/],
      [['site', 'create', 'Bad Slug', '--name', 'x'], /lowercase letters/],
      [['site', 'create', 'acme'], /--name/],
      [['site', 'create', 'acme', '--name', 'A', '--window-days', '0'], /--window-days must be a whole number/],
      [['site', 'create', 'acme', '--name', 'A', '--industry', 'banking'], /--industry must be one of/],
      [['key', 'create', 'nobody'], /no site "nobody"/],
      [['frobnicate'], /unknown command/],
      [['site', 'create', 'acme', '--colour', 'red'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const result = await csat([...args, '--db', db]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
    }
  });

  it('creates, lists and revokes keys', async () => {
    const db = path.join(tempDir(), 'csat.db');
    await csat(['site', 'create', 'acme', '--name', 'Acme', '--db', db]);
    const made = await csat(['key', 'create', 'acme', '--label', 'helpdesk', '--db', db]);
    const id = /Admin key (\w+)/.exec(made.out)![1]!;
    expect((await csat(['key', 'list', 'acme', '--db', db])).out).toMatch(new RegExp(`${id} .* active  helpdesk`));
    expect((await csat(['key', 'revoke', 'acme', id, '--db', db])).code).toBe(0);
    expect((await csat(['key', 'list', 'acme', '--db', db])).out).toMatch(new RegExp(`${id} .* revoked`));
    const twice = await csat(['key', 'revoke', 'acme', id, '--db', db]);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('no active key');
  });

  it('imports history in one transaction, counted and marked as imported, and verifies the chain', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'csat.db');
    await csat(['site', 'create', 'acme', '--name', 'Acme', '--db', db]);
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'date,ticketRef,reaction,comment\n2026-11-01,A-1,positive,Great\n2026-11-02,A-2,negative,\n2026-11-03,A-3,positive,\n');
    const imported = await csat(['import', 'acme', good, '--db', db]);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('Imported 3 rating(s)');

    const store = openSqliteStore(db);
    const site = (await store.getSite('acme'))!;
    const counts = await store.countsBetween(site.id, dayOf(T0) - 89, dayOf(T0));
    expect(counts).toEqual({ positive: 2, neutral: 0, negative: 1, imported: 3 });
    expect(reactionScore(counts).score).toBe(33);
    const events = await store.listEvents(site.id);
    expect(events.map((e) => e.type)).toEqual(['import', 'import', 'import']);
    expect(verifyChain(events).valid).toBe(true);
    await store.close();

    const verified = await csat(['verify', 'acme', '--db', db]);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('3 events, intact');
  });

  it('imports nothing when any line is bad, and says which lines', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'csat.db');
    await csat(['site', 'create', 'acme', '--name', 'Acme', '--db', db]);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'date,ticketRef,reaction,comment\n2026-11-01,A-1,positive,\n2026-11-02,A-2,meh,\n2026-11-03,A-1,positive,\n');
    const result = await csat(['import', 'acme', bad, '--db', db]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${bad}:3: reaction "meh" is not one of positive, neutral, negative`);
    expect(result.err).toContain('Nothing was imported.');

    // The duplicate ticket is only found against the whole batch: still nothing half-imported.
    fs.writeFileSync(bad, 'date,ticketRef,reaction,comment\n2026-11-01,A-1,positive,\n2026-11-03,A-1,positive,\n');
    const duplicate = await csat(['import', 'acme', bad, '--db', db]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toContain(`${bad}:3: ticket A-1 already appears on line 2`);

    const store = openSqliteStore(db);
    const site = (await store.getSite('acme'))!;
    expect(await store.listEvents(site.id)).toEqual([]);
    expect((await store.countsBetween(site.id, 0, dayOf(T0))).imported).toBe(0);
    await store.close();
    expect((await csat(['import', 'acme', path.join(dir, 'missing.csv'), '--db', db])).err).toContain('cannot read');
  });

  it('backs up to a new file, checks the copy, and will not overwrite without --force', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'csat.db');
    await csat(['site', 'create', 'acme', '--name', 'Acme', '--db', db]);
    const history = path.join(dir, 'history.csv');
    fs.writeFileSync(history, 'date,ticketRef,reaction,comment\n2026-11-01,A-1,positive,\n2026-11-02,A-2,negative,\n');
    await csat(['import', 'acme', history, '--db', db]);

    const copy = path.join(dir, 'backups', 'copy.db');
    const made = await csat(['backup', copy, '--db', db]);
    expect(made.code, made.err).toBe(0);
    expect(made.out).toContain('Integrity check: ok.');
    expect(made.out).toContain('acme: 2 responses, 2 events, chain intact, daily counts equal to a recount.');
    expect(made.out).toMatch(/Backup: 1 site\(s\), 2 responses, 2 events, \d+ bytes, [\d.]+ s\./);
    expect((await csat(['verify', 'acme', '--db', copy])).code).toBe(0);

    const again = await csat(['backup', copy, '--db', db]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists; add --force');
    expect((await csat(['backup', copy, '--force', '--db', db])).code).toBe(0);
    expect((await csat(['backup', db, '--force', '--db', db])).code).toBe(2);
    expect((await csat(['backup', copy, '--db', path.join(dir, 'none.db')])).err).toContain('no database');
    expect(fs.readdirSync(path.join(dir, 'backups'))).toEqual(['copy.db']);
  });
});
