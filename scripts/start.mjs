#!/usr/bin/env node
// `npm start`: builds the stale parts of dist/ (scripts/build-stale.mjs), then runs the built server in
// this same process, which saves starting a second Node when the build is current.
import { buildStale } from './build-stale.mjs';

if (buildStale() === null) process.exit(1);
// The server as one bundled module (scripts/bundle-server.mjs): Node loads one file instead of several
// hundred. Source maps stay off: Node would parse the bundle's whole map (megabytes, most of it the
// dependencies') before the server starts. The bundle is not minified, so a stack trace is readable as it
// is; `node --enable-source-maps dist/api/server.bundle.js` names the TypeScript sources.
await import('../dist/api/server.bundle.js');
