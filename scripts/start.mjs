#!/usr/bin/env node
// `npm start`: builds the stale parts of dist/ (scripts/build-stale.mjs), then runs the built server in
// this same process, which saves starting a second Node when the build is current.
import { buildStale } from './build-stale.mjs';

if (buildStale() === null) process.exit(1);
// As `node --enable-source-maps`: stack traces name the TypeScript sources.
process.setSourceMapsEnabled(true);
await import('../dist/api/server.js');
