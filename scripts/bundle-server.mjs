#!/usr/bin/env node
// The API server as one file for `npm start`: dist/api/server.bundle.js is api/server.ts with everything
// it imports (the API's own modules, hono, zod, nodemailer...) in one ES module, so that a start loads
// and compiles one file instead of several hundred; better-sqlite3 stays outside (its native addon is
// found from its own folder). The tsc output beside it (dist/api/*.js) stays for the CLI and the tests.
// Run by `npm run build:api`, after tsc has type-checked the same sources.
// esbuild is a dev dependency of its own (vite and tsx use it too).
import { build } from 'esbuild';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

await build({
  absWorkingDir: root,
  entryPoints: ['api/server.ts'],
  outfile: 'dist/api/server.bundle.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  // For `node --enable-source-maps dist/api/server.bundle.js`: stack traces then name the TypeScript
  // sources. Lines only, without the sources' text, which would triple the map (dist/ is published).
  sourcemap: true,
  sourcesContent: false,
  // Bundled CommonJS packages call require() for Node's own modules, which an ES module does not have.
  banner: { js: "import { createRequire as __csatRequire } from 'node:module'; const require = __csatRequire(import.meta.url);" },
  logLevel: 'warning',
});
