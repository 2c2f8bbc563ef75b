// `npm start` builds only what changed (scripts/build-stale.mjs): run in a copy of the project, the first
// run builds every part, a second run builds nothing and leaves dist/ untouched, and a changed, added or
// deleted source file makes its part (and only its part) build again. A copy, because building rewrites
// the dist/ that other tests read; its node_modules links to the project's, entry by entry, so that the
// build records (node_modules/.cache) stay the copy's own.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { freePort, root } from './server-process.js';

const run = promisify(execFile);

const COPIED = ['api', 'widget', 'demo', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.widget.json', 'vite.widget.config.ts', 'vite.demo.config.ts'];
const WATCHED = ['dist/api/server.js', 'dist/api/server.bundle.js', 'dist/api/app.js', 'dist/widget/csat-badge.js', 'dist/widget/custom-elements.json', 'dist/demo/index.html'];

function copyProject(): string {
  const dir = tempDir();
  for (const entry of COPIED) fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true, preserveTimestamps: true });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
    if (entry !== '.cache') fs.symlinkSync(path.join(root, 'node_modules', entry), path.join(dir, 'node_modules', entry));
  }
  return dir;
}

async function buildStale(dir: string, ...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ['scripts/build-stale.mjs', ...args], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** Runs `npm start` in the copy until the server listens, fetches the drop-in script, stops it; returns its output. */
async function npmStart(dir: string, port: number): Promise<string> {
  const child = spawn('npm', ['start'], { cwd: dir, env: { ...process.env, PORT: String(port), CSAT_DB: path.join(dir, 'csat.db'), CSAT_DEMO: '0' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => output.includes('listening on') && resolve());
      child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    const script = await fetch(`http://127.0.0.1:${port}/widget/csat-badge.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toBe(fs.readFileSync(path.join(dir, 'dist/widget/csat-badge.js'), 'utf8'));
  } finally {
    // The whole process group: npm does not pass the signal on to the server it started.
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  return output;
}

const times = (dir: string) => Object.fromEntries(WATCHED.map((file) => [file, fs.statSync(path.join(dir, file)).mtimeMs]));
const later = (file: string) => {
  const t = new Date(Date.now() + 5_000); // later than anything the build wrote, whatever the clock's resolution
  fs.utimesSync(file, t, t);
};

describe('npm start builds only the stale parts', () => {
  it('builds everything once, then nothing while the sources are unchanged, then only the part whose source changed', async () => {
    const dir = copyProject();
    expect((await buildStale(dir, '--check')).stdout).toContain('stale: api, widget, demo');

    const first = await buildStale(dir);
    expect(first.code, first.stdout).toBe(0);
    for (const part of ['api', 'widget', 'demo']) expect(first.stdout).toContain(`building ${part}`);
    const built = times(dir);

    const second = await buildStale(dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('build is current');
    expect(second.stdout).not.toContain('building');
    expect(times(dir)).toEqual(built);
    expect(await buildStale(dir, '--check')).toMatchObject({ code: 0 });

    // npm start on the current build starts the server without building anything.
    const port = await freePort();
    const started = await npmStart(dir, port);
    expect(started).toContain('build is current');
    expect(started).not.toContain('building');
    expect(times(dir)).toEqual(built);

    // It runs the bundled server (one module): it starts with the tsc output's modules out of the way.
    const away = path.join(dir, 'dist/api-modules-away');
    fs.mkdirSync(away);
    for (const entry of fs.readdirSync(path.join(dir, 'dist/api'))) {
      if (!entry.startsWith('server.')) fs.renameSync(path.join(dir, 'dist/api', entry), path.join(away, entry));
    }
    expect(fs.existsSync(path.join(dir, 'dist/api/app.js'))).toBe(false);
    expect(await npmStart(dir, port)).not.toContain('building');
    for (const entry of fs.readdirSync(away)) fs.renameSync(path.join(away, entry), path.join(dir, 'dist/api', entry));
    fs.rmdirSync(away);
    expect(times(dir)).toEqual(built);

    // An edited API file: only the API is built again.
    later(path.join(dir, 'api/app.ts'));
    expect((await buildStale(dir, '--check')).stdout).toContain('stale: api\n');
    const third = await buildStale(dir);
    expect(third.code, third.stdout).toBe(0);
    expect(third.stdout).toContain('building api');
    expect(third.stdout).not.toMatch(/building (widget|demo)/);
    const rebuilt = times(dir);
    expect(rebuilt['dist/api/app.js']).toBeGreaterThan(built['dist/api/app.js']!);
    for (const file of WATCHED.filter((f) => !f.startsWith('dist/api/'))) expect(rebuilt[file], file).toBe(built[file]);

    // A deleted demo file (its folder changes) and a lost output both make their part stale.
    fs.writeFileSync(path.join(dir, 'demo/extra.txt'), 'x');
    expect((await buildStale(dir, '--check')).stdout).toContain('stale: demo\n');
    fs.rmSync(path.join(dir, 'dist/widget/custom-elements.json'));
    expect((await buildStale(dir, '--check')).stdout).toContain('stale: widget, demo\n');
  }, 300_000);

  it('leaves a part whose build failed stale, so the next start builds it again', async () => {
    const dir = copyProject();
    fs.writeFileSync(path.join(dir, 'api/broken.ts'), 'export const broken: number = "not a number";\n');
    const failed = await buildStale(dir);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toContain('npm run build:api failed');
    // tsc wrote its output anyway: the outputs exist, but no record says they are current.
    expect(fs.existsSync(path.join(dir, 'dist/api/server.js'))).toBe(true);
    expect((await buildStale(dir, '--check')).stdout).toMatch(/^stale: api/m);
  }, 120_000);
});
