#!/usr/bin/env node
// Builds only the parts of dist/ whose sources changed since their last successful build, so that
// `npm start` on a current build starts the server at once instead of rebuilding everything.
//
// A part (api, widget, demo) is current when its outputs exist and the fingerprint of its inputs (the
// path, modification time and size of every file and folder under them) is the one recorded after its
// last successful build. Folders count too: adding, deleting or renaming a file changes its folder's
// time. The fingerprint is taken before the build, so a file saved while the build runs is seen next time.
// A failed build records nothing: the part stays stale. The records live in node_modules/.cache, not in
// dist/, which is published.
//
// Usage: node scripts/build-stale.mjs           build the stale parts
//        node scripts/build-stale.mjs --all     build every part (npm run build)
//        node scripts/build-stale.mjs --check   build nothing; list the stale parts, exit 1 if any
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const stamps = join(root, 'node_modules/.cache/csat-badge-build');

// Shared by every part: the dependencies' versions, the build commands and the compiler settings.
const COMMON = ['package.json', 'package-lock.json', 'tsconfig.json'];

/** Each part's npm script, what it is built from, and files only a finished build leaves behind. */
const PARTS = [
  {
    name: 'api',
    script: 'build:api',
    inputs: ['api', 'tsconfig.build.json', 'scripts/bundle-server.mjs'],
    // The bundle is written by the last step of build:api.
    outputs: ['dist/api/server.js', 'dist/api/server.bundle.js'],
  },
  {
    name: 'widget',
    script: 'build:widget',
    inputs: ['widget', 'vite.widget.config.ts', 'tsconfig.widget.json'],
    // custom-elements.json is written by the last step of build:widget.
    outputs: ['dist/widget/csat-badge.js', 'dist/widget/custom-elements.json'],
  },
  { name: 'demo', script: 'build:demo', inputs: ['demo', 'vite.demo.config.ts'], outputs: ['dist/demo/index.html'] },
];

function fingerprint(inputs) {
  const lines = [];
  const visit = (rel) => {
    let stat;
    try {
      stat = statSync(join(root, rel));
    } catch (error) {
      if (error.code === 'ENOENT') return lines.push(`${rel}\0missing`);
      throw error;
    }
    lines.push(`${rel}\0${stat.mtimeMs}\0${stat.isDirectory() ? 'dir' : stat.size}`);
    if (stat.isDirectory()) for (const entry of readdirSync(join(root, rel)).sort()) visit(`${rel}/${entry}`);
  };
  for (const input of [...COMMON, ...inputs]) visit(input);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

const stampFile = (part) => join(stamps, `${part.name}.json`);

function recorded(part) {
  try {
    return JSON.parse(readFileSync(stampFile(part), 'utf8')).fingerprint;
  } catch {
    return null;
  }
}

function isCurrent(part, print) {
  return part.outputs.every((file) => existsSync(join(root, file))) && recorded(part) === print;
}

/**
 * Builds the stale parts (every part with `all`), recording each success; with `check`, builds nothing.
 * Returns the names of the parts that were stale, or null when a build failed (it has said why).
 */
export function buildStale({ all = false, check = false } = {}) {
  const stale = [];
  for (const part of PARTS) {
    const print = fingerprint(part.inputs);
    if (!all && isCurrent(part, print)) continue;
    stale.push({ part, print });
  }
  if (check) {
    console.log(stale.length ? `stale: ${stale.map((s) => s.part.name).join(', ')}` : 'build is current');
    return stale.map((s) => s.part.name);
  }
  if (stale.length === 0) {
    console.log(`build is current (${PARTS.map((p) => p.name).join(', ')}): nothing to rebuild`);
    return [];
  }
  mkdirSync(stamps, { recursive: true });
  for (const { part, print } of stale) {
    console.log(`building ${part.name} (npm run ${part.script})`);
    rmSync(stampFile(part), { force: true }); // a build that fails half way must not look current
    const run = spawnSync('npm', ['run', '--silent', part.script], { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) {
      console.error(`build-stale: npm run ${part.script} failed`);
      return null;
    }
    writeFileSync(stampFile(part), `${JSON.stringify({ fingerprint: print, builtAt: new Date().toISOString() })}\n`);
  }
  return stale.map((s) => s.part.name);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2] ?? '';
  if (!['', '--all', '--check'].includes(mode)) {
    console.error(`build-stale: unknown option ${mode} (use --all or --check)`);
    process.exit(2);
  }
  const built = buildStale({ all: mode === '--all', check: mode === '--check' });
  process.exit(built === null || (mode === '--check' && built.length > 0) ? 1 : 0);
}
