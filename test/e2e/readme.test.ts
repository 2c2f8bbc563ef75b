// The README's commands run as written. A newcomer runs `npm install && npm start`, then the README's
// commands top to bottom in a second terminal; this test does the same against the built server as a
// process (empty database, demo seeded, as on a fresh clone).
//
// What differs from a person's terminal, and why:
// - the server listens on a free port with a database of its own: `localhost:8787` in a command becomes
//   `localhost:<port>`, and PORT and CSAT_DB are set for the commands as for the server (that is all
//   that is rewritten);
// - the commands run in a scratch folder (so `--out acme.csv` lands there), where `npx csat` finds this
//   clone's `bin/csat.js` through node_modules/.bin, as in a project that installed csat-badge. (In the
//   clone itself npm resolves the package's own bin by linking and building it once; that is slow and
//   would rebuild the dist/ that other tests read.) npm runs offline, so it can never fetch a
//   different `csat` package from the registry;
// - every curl reports its HTTP status on standard error, and any status that is not 2xx fails the
//   test; the script runs under `set -euo pipefail`, so a failing command or an unset variable does too.
// Commands that cannot run here are skipped by name in SKIPPED, each with its reason.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliveryHeaders, webhookBody } from '../../api/domain/webhook.js';
import { tempDir } from '../api/helpers.js';
import { codeBlocks, commandName, readmeCommands, type ReadmeCommand } from './readme-commands.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

const SKIPPED: Record<string, string> = {
  'npm install && npm start': 'installs, builds and starts the server: the test starts the built server itself',
  'npm test': 'the whole suite, this test included',
  'npm run dev': 'a server with reload that runs until stopped',
  'npm run typecheck': 'part of npm test',
  'npm run test:widget': 'part of npm test',
  'npm run size': 'part of npm test',
  'npm run test:reliability': 'a suite of its own, run by CI',
  'npm run bench': 'benchmarks: minutes of load, and they rewrite bench/RESULTS.md',
  // "Several instances over PostgreSQL": installing a database server and starting servers that run until
  // stopped. test/e2e/instances.test.ts runs two built servers over one PostgreSQL database with these
  // variables, and test/e2e/migrate-store.test.ts runs migrate-store.
  'apt-get install -y postgresql && pg_ctlcluster 15 main start': 'installs and starts a system service',
  [`su postgres -c "psql -c \\"CREATE ROLE csat LOGIN PASSWORD 'change-me'\\" -c 'CREATE DATABASE csat OWNER csat'"`]: 'creates a role on the system PostgreSQL server',
  'export CSAT_DB=postgres://csat:change-me@127.0.0.1:5432/csat': 'would point every later command at that database',
  'export CSAT_SECRET=$(openssl rand -base64 32)': 'belongs to the PostgreSQL setup above',
  'npx csat site create globex --name "Globex IT"': 'runs against the PostgreSQL database of the setup above',
  'PORT=8787 npm start &': 'a server that runs until stopped (the test starts the built server itself)',
  'PORT=8788 npm start &': 'a server that runs until stopped',
  'npx csat migrate-store ./data/csat.db postgres://csat:change-me@127.0.0.1:5432/csat': 'needs the PostgreSQL database of the setup above; test/e2e/migrate-store.test.ts runs it',
};

const MARK = '@@readme-command';
const HTTP = '@@readme-http';

let port: number;
let base: string;
let dbFile: string;
let demoKey: string;

beforeAll(async () => {
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  dbFile = path.join(tempDir(), 'data', 'csat.db');
  // The receiver test's receiver is on loopback: the operator's switch for internal receivers is on.
  const server = await startServer({ PORT: String(port), CSAT_DB: dbFile, CSAT_WEBHOOK_ALLOW_PRIVATE: '1' });
  demoKey = /Demo admin key[^:]*: (\S+)/.exec(server.output())![1]!;
});
afterAll(killServers);

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

interface Ran {
  command: ReadmeCommand;
  stdout: string;
  stderr: string;
  statuses: number[];
}

/** Runs the commands in one bash, as one terminal would, and splits the output per command. */
async function runInBash(commands: ReadmeCommand[], cwd: string, env: NodeJS.ProcessEnv) {
  const script = [
    'set -euo pipefail',
    `curl() { command curl -w '%{stderr}\\n${HTTP} %{http_code}\\n' "$@"; }`,
    // A marker before each command on both streams; the \n before it ends output that did not end a line.
    ...commands.flatMap((c, i) => [`printf '\\n${MARK} ${i}\\n'; printf '\\n${MARK} ${i}\\n' >&2`, c.text.replaceAll('localhost:8787', `localhost:${port}`)]),
  ].join('\n');
  fs.writeFileSync(path.join(cwd, 'readme.sh'), script);
  const child = spawn('bash', ['readme.sh'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const split = (text: string) => text.split(new RegExp(`\\n${MARK} \\d+\\n`)).slice(1);
  const outs = split(stdout);
  const errs = split(stderr);
  const ran: Ran[] = errs.map((err, i) => ({
    command: commands[i]!,
    stdout: outs[i] ?? '',
    stderr: err.replace(new RegExp(`\\n?${HTTP} \\d+\\n`, 'g'), '\n').trim(),
    statuses: [...err.matchAll(new RegExp(`${HTTP} (\\d+)`, 'g'))].map((m) => Number(m[1])),
  }));
  return { code, ran, stderr };
}

const where = (r: Ran) => `README.md:${r.command.line} (${r.command.section}): ${r.command.text}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe('README', () => {
  const commands = readmeCommands(readme);
  const toRun = commands.filter((c) => !(commandName(c) in SKIPPED));

  it('names every command it does not run, and every name on the skip list is still in the README', () => {
    const names = new Set(commands.map(commandName));
    expect(Object.keys(SKIPPED).filter((name) => !names.has(name))).toEqual([]);
    expect(toRun.some((c) => c.text.includes('npx csat '))).toBe(true);
    expect(toRun.some((c) => c.text.startsWith('curl '))).toBe(true);
    // Every command that talks to the server talks to the one `npm start` runs.
    for (const c of toRun) if (/curl /.test(c.text)) expect(c.text, c.text).toContain('localhost:8787/');
  });

  it('runs every shell command top to bottom against the built server', { timeout: 120_000 }, async () => {
    const cwd = tempDir();
    fs.mkdirSync(path.join(cwd, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync(path.join(root, 'bin', 'csat.js'), path.join(cwd, 'node_modules', '.bin', 'csat'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), CSAT_DB: dbFile, npm_config_offline: 'true' };
    // Nothing the README sets may come from the tester's own shell.
    for (const c of toRun) for (const m of c.text.matchAll(/^(?:export )?([A-Z_]+)=/gm)) delete env[m[1]!];
    delete env.CSAT_PUBLIC_URL;

    const { code, ran, stderr } = await runInBash(toRun, cwd, env);
    const last = ran.at(-1);
    expect(ran.length, last ? `stopped at ${where(last)}` : `nothing ran: ${stderr}`).toBe(toRun.length);
    expect(code, where(last!)).toBe(0);
    for (const r of ran) expect(r.statuses.filter((status) => status < 200 || status > 299), where(r)).toEqual([]);
    // The status check above saw every curl.
    expect(ran.flatMap((r) => r.statuses).length).toBeGreaterThanOrEqual(toRun.filter((c) => c.text.includes('curl ')).length);

    const byText = (part: string) => {
      const found = ran.filter((r) => r.command.text.includes(part));
      expect(found, part).toHaveLength(1);
      return found[0]!;
    };

    // The wall address is a full one, opens the wall page, and its key reads the feed and nothing else.
    const wall = byText('--scope wall');
    const address = /^Wall page: (\S+)$/m.exec(wall.stdout)?.[1];
    expect(address, where(wall)).toMatch(new RegExp(`^http://localhost:${port}/wall\\?site=acme#key=csat_\\w+_[\\w-]+$`));
    const wallKey = address!.split('#key=')[1]!;
    expect(readme).toContain(`# Wall page: ${address!.replace(`:${port}/`, ':8787/').replace(wallKey, 'csat_...')}\n`);
    expect((await fetch(address!.replace('localhost', '127.0.0.1').split('#')[0]!)).status).toBe(200);
    const feed = new AbortController();
    const stream = await fetch(`${base}/v1/sites/acme/feed`, { headers: { Authorization: `Bearer ${wallKey}` }, signal: feed.signal });
    expect([stream.status, stream.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/event-stream')]);
    feed.abort();
    expect((await fetch(`${base}/v1/sites/acme/responses`, { headers: { Authorization: `Bearer ${wallKey}` } })).status).toBe(403);

    // The follow-up moved the neutral reaction to contacted with a note; both exports carry it.
    const exported = byText('npx csat export acme --out acme.csv');
    expect(readme).toContain(`# ${exported.stderr}\n`);
    expect(exported.stderr).toBe('Exported 1 response(s) of "acme" to acme.csv.');
    const csv = fs.readFileSync(path.join(cwd, 'acme.csv'), 'utf8');
    expect(csv).toMatch(/,T-1042,neutral,"?Fixed, but it took three calls\."?,contacted,Service Desk,Ana,client@example\.com,,survey,\d{4}-\d\d-\d\d Sam: Called back,reaction,,,ticket-closed,\r\n$/);
    expect(byText('responses.csv?followUp=contacted').stdout).toBe(csv);

    expect(JSON.parse(byText('/v1/sites/acme/score').stdout)).toMatchObject({ score: 0, counts: { neutral: 1, total: 1 } });
    expect(JSON.parse(byText('"url":"https://hooks.example.com/csat"').stdout)).toMatchObject({ secret: expect.stringMatching(/^whsec_/) });
  });

  it("verifies deliveries with the README's receiver: real ones from the server, and none whose bytes changed", { timeout: 60_000 }, async () => {
    const snippets = codeBlocks(readme).filter((b) => b.lang === 'js' && b.code.includes('function verify('));
    expect(snippets).toHaveLength(1);
    const receiverPort = await freePort();
    expect(snippets[0]!.code).toContain('.listen(3000)');
    const file = path.join(tempDir(), 'receiver.mjs');
    fs.writeFileSync(file, snippets[0]!.code.replace('.listen(3000)', `.listen(${receiverPort})`));

    const auth = { Authorization: `Bearer ${demoKey}`, 'Content-Type': 'application/json' };
    const register = (headers: Record<string, string>) =>
      fetch(`${base}/v1/sites/demo/webhooks`, { method: 'POST', headers, body: JSON.stringify({ url: `http://127.0.0.1:${receiverPort}/csat`, events: ['response.created'] }) });
    // What `curl -d` sends without a Content-Type header: the README says it is a 415.
    expect((await register({ ...auth, 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const registered = await register(auth);
    expect(registered.status).toBe(201);
    const { secret } = (await registered.json()) as { secret: string };

    const receiver = spawn(process.execPath, [file], { env: { ...process.env, CSAT_WEBHOOK_SECRET: secret }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(receiver);
    let printed = '';
    receiver.stdout.on('data', (d) => (printed += d));
    receiver.stderr.on('data', (d) => (printed += d));
    const url = `http://127.0.0.1:${receiverPort}/csat`;
    const send = (body: string, signed?: Record<string, string>) =>
      fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signed }, body }).then((r) => r.status);
    const sign = (secrets: string[], body: string, at = Date.now(), id = 'msg_readme') => deliveryHeaders(secrets, id, body, at);
    const other = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;
    // Unsigned: refused (this also waits until the receiver listens).
    await expect.poll(() => send('{}').catch(() => 0), { timeout: 10_000, interval: 100 }).toBe(401);

    // Signed by the product's own signing code.
    const body = webhookBody('response.created', 'demo', {
      id: 'r_test', ticketRef: 'SIGNED-1', reaction: 'negative', kind: 'reaction', scale: null, score: null, moment: 'ticket-closed', dimensions: [], comment: 'Très lent — 3 appels', team: null, technician: null, followUp: 'open', createdAt: Date.now(), updatedAt: Date.now(),
    }, Date.now());
    expect(await send(body, sign([secret], body))).toBe(204);
    expect(await send(body.replace('"negative"', '"positive"'), sign([secret], body))).toBe(401);
    expect(await send(JSON.stringify(JSON.parse(body), null, 2), sign([secret], body))).toBe(401); // re-serialised
    expect(await send(body, sign([secret], body, Date.now() - 10 * 60_000))).toBe(401); // a replay
    expect(await send(body, { ...sign([secret], body), 'webhook-id': 'msg_other' })).toBe(401); // another message's signature
    expect(await send(body, sign([other], body))).toBe(401);
    expect(await send(body, { ...sign([secret], body), 'webhook-signature': 'v1,zz' })).toBe(401);
    // During a rotation: two signatures, the receiver's secret signs the second one.
    expect(await send(body, sign([other, secret], body))).toBe(204);

    // A real delivery from the server's webhook worker.
    const survey = (await (await fetch(`${base}/v1/sites/demo/surveys`, { method: 'POST', headers: auth, body: JSON.stringify({ ticketRef: 'README-1' }) })).json()) as { token: string };
    const reacted = await fetch(`${base}/v1/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: survey.token, reaction: 'negative', comment: 'Zweimal angerufen, schließlich gelöst' }),
    });
    expect(reacted.status).toBe(201);
    await expect.poll(() => printed, { timeout: 15_000, interval: 100 }).toContain('response.created README-1 negative Zweimal angerufen, schließlich gelöst');
    expect(printed.split('\n').filter(Boolean)).toEqual([
      'response.created SIGNED-1 negative Très lent — 3 appels',
      'response.created SIGNED-1 negative Très lent — 3 appels',
      'response.created README-1 negative Zweimal angerufen, schließlich gelöst',
    ]);
  });
});
