#!/usr/bin/env node
// Size budget of the drop-in script (dist/widget/csat-badge.js): what a company site's visitors
// download. Prints raw, gzip (level 9) and brotli (quality 11) sizes against the gzip budget, and the
// sha384 Subresource Integrity string for the README. Exits 1 when the file is missing or over budget.
// Usage: node scripts/size.mjs [file]   (after `npm run build:widget`)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// 10 KiB for the badge and the inline survey together, lit-html included (the widget's own element base
// instead of LitElement; vite.widget.config.ts leaves out the parts of lit-html it never uses).
const BUDGET_GZIP = 10 * 1024; // 10240 bytes

const root = resolve(import.meta.dirname, '..');
const file = resolve(root, process.argv[2] ?? 'dist/widget/csat-badge.js');
const name = relative(root, file);

let bytes;
try {
  bytes = readFileSync(file);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
  console.error(`size: ${name} does not exist. Build it first: npm run build:widget (or npm run build).`);
  process.exit(1);
}

const raw = bytes.length;
const gzip = gzipSync(bytes, { level: 9 }).length;
const brotli = brotliCompressSync(bytes, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 11,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_SIZE_HINT]: raw,
  },
}).length;
const integrity = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

const kb = (n) => `${(n / 1024).toFixed(2)} KiB`;
const rows = [
  ['', 'bytes', 'size', 'budget'],
  ['raw', String(raw), kb(raw), ''],
  ['gzip -9', String(gzip), kb(gzip), `${kb(BUDGET_GZIP)} (${BUDGET_GZIP})`],
  ['brotli', String(brotli), kb(brotli), ''],
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();

console.log(name);
for (const r of rows) console.log('  ' + line(r));
console.log(`  integrity  ${integrity}`);

const over = gzip - BUDGET_GZIP;
if (over > 0) {
  console.error(
    `size: over budget: ${name} is ${gzip} bytes gzipped, ${over} bytes (${((over / BUDGET_GZIP) * 100).toFixed(1)}%) more than the ${BUDGET_GZIP}-byte budget.`,
  );
  process.exit(1);
}
console.log(`  ok: ${BUDGET_GZIP - gzip} bytes under the gzip budget`);
