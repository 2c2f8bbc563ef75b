// No key in a URL: the wall (/wall, read-only wall key) and /admin (admin key) run in Chromium against
// the built server as a child process, across a restart of that server. Everything the server printed
// and every request URL the browser made are searched for the keys (whole, and their secret part):
// none. The server has no access log of its own; a proxy's would hold exactly these request URLs.
// Needs the build: `npm run build` first.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { launchChromium } from './chromium.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const run = promisify(execFile);
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(() => killServers());

/** The secret part of `csat_<id>_<secret>`: found alone, it is still the key. */
const secretOf = (key: string) => key.split('_').slice(2).join('_');

describe('no key in a URL', () => {
  it('the wall and /admin authenticate by header: no key in the server output or in any request URL, live across a restart', { timeout: 90_000 }, async () => {
    const db = path.join(tempDir(), 'csat.db');
    const csat = async (...args: string[]) => (await run(process.execPath, ['bin/csat.js', ...args, '--db', db], { cwd: root })).stdout.trim();
    const adminKey = await csat('site', 'create', 'acme', '--name', 'Acme IT', '--quiet');
    const wallKey = await csat('key', 'create', 'acme', '--scope', 'wall', '--quiet');
    expect(adminKey).toMatch(/^csat_\w+_[\w-]+$/);
    expect(wallKey).toMatch(/^csat_\w+_[\w-]+$/);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), HOST: '127.0.0.1', CSAT_DB: db, CSAT_DEMO: '0', CSAT_PUBLIC_URL: base };
    const outputs: Array<() => string> = [];
    let server = await startServer(env);
    outputs.push(server.output);

    const react = async (ticketRef: string, comment: string) => {
      const created = await fetch(`${base}/v1/sites/acme/surveys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticketRef }),
      });
      expect(created.status).toBe(201);
      const { token } = (await created.json()) as { token: string };
      const answered = await fetch(`${base}/v1/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token, reaction: 'negative', comment }),
      });
      expect(answered.status).toBe(201);
    };

    const context = await browser.newContext();
    const urls: string[] = [];
    context.on('request', (request) => urls.push(request.url()));
    try {
      // The wall: its key in the page's #fragment (which the browser never sends), the feed by header.
      const wall = await context.newPage();
      await wall.goto(`${base}/wall?site=acme#key=${wallKey}`);
      const status = wall.locator('csat-wall [part="status"]');
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Live');
      await react('T-1', 'Live before the restart');
      await wall.locator('csat-wall [part="comment"]', { hasText: 'Live before the restart' }).waitFor({ timeout: 5_000 });

      // Restart the server on the same port: the wall reconnects by itself, no reload.
      server.child.kill('SIGTERM');
      await server.exited;
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Reconnecting…');
      server = await startServer(env);
      outputs.push(server.output);
      await expect.poll(() => status.textContent(), { timeout: 40_000 }).toBe('Live');
      await react('T-2', 'Live after the restart');
      await wall.locator('csat-wall [part="comment"]', { hasText: 'Live after the restart' }).waitFor({ timeout: 5_000 });

      // /admin: the admin key pasted into its form, the inbox loaded with it.
      const admin = await context.newPage();
      await admin.goto(`${base}/admin?site=acme`);
      await admin.locator('csat-admin #login-key').fill(adminKey);
      await admin.locator('csat-admin form.login button[type="submit"]').click();
      await admin.locator('csat-admin .layout tbody button.link', { hasText: 'T-2' }).waitFor({ timeout: 10_000 });
    } finally {
      await context.close();
    }

    // The collector saw the feed and the inbox requests (it can fail), each without a key.
    expect(urls.filter((u) => u.startsWith(`${base}/v1/sites/acme/feed`)).length).toBeGreaterThanOrEqual(2);
    expect(urls.some((u) => u.startsWith(`${base}/v1/sites/acme/responses`))).toBe(true);
    // Chromium reports a navigation's URL with its #fragment, which never leaves the browser: the
    // fragment is cut off here, everything that went over the wire is kept.
    const sent = urls.map((u) => u.split('#')[0]!);
    const printed = outputs.map((o) => o()).join('\n');
    expect(printed).toContain('listening on');
    for (const secret of [adminKey, wallKey, secretOf(adminKey), secretOf(wallKey)]) {
      expect(printed).not.toContain(secret);
      expect(sent.filter((u) => u.includes(secret))).toEqual([]);
    }
    expect(sent.filter((u) => /[?&]key=/.test(u))).toEqual([]);
  });
});
