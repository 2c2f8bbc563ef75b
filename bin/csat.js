#!/usr/bin/env node
// The `csat` command: runs the compiled CLI (npm install builds it into dist/).
import { runCli } from '../dist/api/cli/main.js';

const io = {
  out: (line) => process.stdout.write(`${line}\n`),
  write: (text) => process.stdout.write(text),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  now: () => Date.now(),
};
process.exitCode = await runCli(process.argv.slice(2), io);
