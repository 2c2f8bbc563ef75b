// `csat campaign ...` on a database file, as an operator runs it beside the server.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../api/cli/main.js';
import { DAY_MS } from '../../../api/domain/window.js';
import { openSqliteStore } from '../../../api/store/sqlite.js';
import { tempDir, T0 } from '../helpers.js';

async function csat(args: string[], now = T0) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), write: () => {}, err: (l) => err.push(l), env: { CSAT_PUBLIC_URL: 'https://csat.example.com' }, now: () => now };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('csat campaign', () => {
  it('creates a campaign from a CSV file, lists it, runs it now and shows the run', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'csat.db');
    expect((await csat(['site', 'create', 'acme', '--name', 'Acme IT', '--db', db])).code).toBe(0);
    const csv = path.join(dir, 'contacts.csv');
    fs.writeFileSync(csv, 'email,name,locale\nana@client-one.example,Ana,fr\nbo@client-two.example,,\n');

    const created = await csat(['campaign', 'create', 'acme', '--name', 'Quarterly NPS', '--kind', 'nps', '--contacts', csv, '--every', '90', '--throttle', '90', '--db', db]);
    expect(created.code).toBe(0);
    const id = /Created campaign (cp_\S+) "Quarterly NPS" for 2 contact\(s\); first run 2026-11-23T12:00:00.000Z\./.exec(created.out)?.[1];
    expect(id).toBeTruthy();

    // --db may also come before the command.
    const listed = await csat(['--db', db, 'campaign', 'list', 'acme']);
    expect(listed.out).toBe(`${id}  Quarterly NPS  nps  every 90d  throttle 90d  active  next 2026-11-23T12:00:00.000Z  runs 0  contacts 2`);

    const run = await csat(['campaign', 'run', 'acme', id!, '--db', db]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^run 1 {2}manual {2}\S+ {2}done {2}contacts 2, issued 2, throttled 0, opted out 0, answered 0\n {2}ana@client-one\.example {2}https:\/\/csat\.example\.com\/s\/\S+\n {2}bo@client-two\.example {2}https:\/\/csat\.example\.com\/s\/\S+$/);

    // Run again a month later: both were surveyed within the 90 days.
    const again = await csat(['campaign', 'run', 'acme', id!, '--db', db], T0 + 30 * DAY_MS);
    expect(again.out).toContain('issued 0, throttled 2');
    expect(again.out).toContain('ana@client-one.example  skipped: surveyed within the throttle');

    const shown = await csat(['campaign', 'show', 'acme', id!, '--db', db]);
    expect(shown.out.split('\n')).toHaveLength(3);
    expect((await csat(['campaign', 'stop', 'acme', id!, '--db', db])).out).toContain('  stopped  next -');
    expect(await csat(['campaign', 'run', 'acme', id!, '--db', db])).toMatchObject({ code: 2, err: expect.stringContaining('stopped') });

    const store = openSqliteStore(db);
    const site = (await store.getSite('acme'))!;
    expect((await store.listCampaignRuns(id!)).map((r) => r.counts.issued)).toEqual([2, 0]);
    expect(await store.listCampaigns(site.id)).toHaveLength(1);
    await store.close();
  });

  it('refuses bad input and creates nothing', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'csat.db');
    await csat(['site', 'create', 'acme', '--name', 'Acme IT', '--db', db]);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'email,phone\nana@x.example,1\n');
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'email\nana@x.example\n');

    expect(await csat(['campaign', 'create', 'acme', '--name', 'X', '--kind', 'nps', '--contacts', bad, '--db', db])).toMatchObject({ code: 1, err: expect.stringContaining('unknown column(s) phone') });
    expect(await csat(['campaign', 'create', 'acme', '--name', 'X', '--kind', 'ces', '--contacts', good, '--db', db])).toMatchObject({ code: 2, err: 'csat: --kind must be nps, csat or reaction' });
    expect(await csat(['campaign', 'create', 'acme', '--name', 'X', '--kind', 'csat', '--contacts', good, '--db', db])).toMatchObject({ code: 2, err: expect.stringContaining('scale 3, 5 or 10') });
    expect(await csat(['campaign', 'create', 'acme', '--name', 'X', '--kind', 'nps', '--contacts', good, '--every', '0', '--db', db])).toMatchObject({ code: 2 });
    expect(await csat(['campaign', 'create', 'acme', '--name', 'X', '--kind', 'nps', '--contacts', good, '--bogus', '--db', db])).toMatchObject({ code: 2 });
    expect(await csat(['campaign', 'create', 'nope', '--name', 'X', '--kind', 'nps', '--contacts', good, '--db', db])).toMatchObject({ code: 2, err: expect.stringContaining('no site "nope"') });
    expect((await csat(['campaign', 'list', 'acme', '--db', db])).out).toBe('');
  });
});
