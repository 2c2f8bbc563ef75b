// Abuse of the public, unauthenticated doors: guessing and tampering with survey tokens, flooding the
// reaction endpoints past the rate limit (with forged X-Forwarded-For headers), and oversized bodies,
// chunked or announced, that must be refused before they are read whole.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import type { AppConfig } from '../../api/config.js';
import { surveyToken } from '../../api/domain/tokens.js';
import { addressKey } from '../../api/middleware/rate-limit.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import { siteWithKey, tempDbFile, testApi, testConfig, TestClock } from '../api/helpers.js';
import { listen } from '../api/http-server.js';

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const REACTIONS = ['positive', 'neutral', 'negative'] as const;
const TOKEN_LENGTH = 43;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function randomBase64url(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += BASE64URL[bytes[i]! & 63];
  return out;
}

const fmt = (n: number) => n.toLocaleString('en-US');

describe('token guessing and tampering (app.request, no rate limit)', () => {
  it('accepts none of 10,000 random tokens, every byte-flipped variant of a real token, a foreign-secret token and an expired one', async () => {
    const api = await testApi();
    const real = await api.createSurvey('REAL-1');
    const expiring = await api.createSurvey('EXPIRING-1');
    expect(real.token).toHaveLength(TOKEN_LENGTH);

    const statuses = new Map<number, number>();
    let accepted = 0;
    let total = 0;
    const attempt = async (token: string, allowed: number[]) => {
      const res = await api.react(token, REACTIONS[total % 3]!, total % 2 ? 'guess' : undefined);
      total++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 200 && res.status < 300) accepted++;
      if (!allowed.includes(res.status)) throw new Error(`token ${JSON.stringify(token)} answered ${res.status}: ${await res.text()}`);
      await res.body?.cancel();
    };

    // (1) 10,000 random tokens: half of the right length, half of random lengths (0..250; >200 is a 400).
    const RANDOM = 10_000;
    for (let i = 0; i < RANDOM; i++) {
      const length = i % 2 === 0 ? TOKEN_LENGTH : Math.floor(Math.random() * 251);
      await attempt(randomBase64url(length), [400, 404]);
    }

    // (2) Every byte of the decoded real token XORed with every non-zero mask, re-encoded.
    const raw = Buffer.from(real.token, 'base64url');
    expect(raw.toString('base64url')).toBe(real.token);
    let flipped = 0;
    for (let i = 0; i < raw.length; i++) {
      for (let mask = 1; mask < 256; mask++) {
        const copy = Buffer.from(raw);
        copy[i]! ^= mask;
        await attempt(copy.toString('base64url'), [404]);
        flipped++;
      }
    }
    // Non-canonical spellings of the real token: the last character carries 2 spare bits.
    const last = BASE64URL.indexOf(real.token.at(-1)!);
    for (let spare = 1; spare < 4; spare++) {
      await attempt(real.token.slice(0, -1) + BASE64URL[last ^ spare]!, [404]);
      flipped++;
    }

    // (3) Tokens minted with another server's secret: one of another server's real surveys, and one
    // naming this server's real survey (same token id) but signed with the wrong key.
    const other = await testApi();
    const foreign = await other.createSurvey('FOREIGN-1');
    await attempt(foreign.token, [404]);
    await attempt(surveyToken(randomBytes(32), raw.subarray(0, 16)), [404]);
    await other.store.close();

    // (4) An expired token: 410, never recorded.
    api.clock.ms = Date.parse(expiring.expiresAt) + 1;
    await attempt(expiring.token, [410]);

    expect(accepted).toBe(0);
    const score = await api.score();
    expect(Object.values(score.counts).every((n) => n === 0)).toBe(true);
    // The real token itself was never answered, and still works (a control).
    expect(await (await api.app.request(`/v1/responses/${real.token}`)).json()).toMatchObject({ answered: false });
    await api.store.close();

    const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${fmt(n)}`).join(', ');
    console.log(`abuse: ${fmt(RANDOM)} random + ${fmt(flipped)} flipped + 2 foreign-secret + 1 expired tokens, ${accepted} accepted (${byStatus}); score counts ${JSON.stringify(score.counts)}`);
  });
});

/** An app with its own database served on a real loopback port, with a survey ready. */
async function served(config: Partial<AppConfig>) {
  let app: ReturnType<typeof createApp> | undefined;
  const server = await listen({ fetch: (r) => app!.fetch(r) });
  const store = openSqliteStore(tempDbFile());
  const clock = new TestClock();
  app = createApp({ store, clock, config: testConfig({ publicUrl: server.url, ...config }) });
  const { key } = await siteWithKey(store);
  closers.push(async () => {
    await server.close();
    await store.close();
  });
  let n = 0;
  const createSurvey = async () => {
    const res = await fetch(`${server.url}/v1/sites/acme/surveys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ticketRef: `RL-${++n}` }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };
  const react = (token: string, reaction: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ token, reaction }),
    });
  const postForm = (token: string, reaction: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/s/${token}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, ...headers },
      body: new URLSearchParams({ reaction }).toString(),
    });
  return { url: server.url, store, createSurvey, react, postForm };
}

const PASSED = [200, 201, 404];
const randomIp = () => [...randomBytes(4)].join('.');

async function expectLimitedJson(res: Response) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('Retry-After'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(res.headers.get('Content-Type')).toContain('application/json');
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('rate_limited');
  expect(body.error.message).toBeTruthy();
  return retryAfter;
}

describe('rate limit of reactions over real HTTP ({ windowMs: 60 s, limit: 5 })', () => {
  const LIMIT = { windowMs: 60_000, limit: 5 };

  it('without trustProxy: 5 pass, the 6th is a 429 with Retry-After, and a forged X-Forwarded-For never resets it', async () => {
    const env = await served({ rateLimit: LIMIT });
    const token = await env.createSurvey();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      // A real answer (201, then changes: 200) and an unknown token (404) count alike.
      const res = i === 4 ? await env.react(randomBase64url(TOKEN_LENGTH), 'neutral', { 'X-Forwarded-For': randomIp() }) : await env.react(token, REACTIONS[i % 3]!, { 'X-Forwarded-For': randomIp() });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.every((s) => PASSED.includes(s))).toBe(true);
    expect(statuses[0]).toBe(201);

    const sixth = await env.react(token, 'negative', { 'X-Forwarded-For': randomIp() });
    const retryAfter = await expectLimitedJson(sixth);
    // Retry-After is readable by the widget on other sites.
    expect(sixth.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');

    let forged = 0;
    for (let i = 0; i < 20; i++) {
      const res = await env.react(token, 'negative', { 'X-Forwarded-For': `${randomIp()}, ${randomIp()}`, 'X-Real-IP': randomIp(), Forwarded: `for=${randomIp()}` });
      if (res.status === 429) forged++;
      await res.body?.cancel();
    }
    expect(forged).toBe(20);
    // Nothing of the limited requests was recorded: the answer is still the 4th request's.
    const answer = (await (await fetch(`${env.url}/v1/responses/${token}`)).json()) as { reaction: string };
    expect(answer.reaction).toBe(REACTIONS[3 % 3]);

    // The survey page's form shares the counter, and gets a friendly HTML page.
    const form = await env.postForm(token, 'negative', { 'Accept-Language': 'fr' });
    expect(form.status).toBe(429);
    expect(form.headers.get('Content-Type')).toContain('text/html');
    expect(Number(form.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    const page = await form.text();
    expect(page).toContain('<!doctype html>');
    expect(page).toContain('<html lang="fr"');
    expect(page).toContain('Trop de réponses depuis votre réseau'); // in the browser's language, as the survey page
    console.log(`abuse: rate limit (no proxy): ${statuses.join('/')} then 429 Retry-After=${retryAfter}s; ${forged}/20 forged X-Forwarded-For still 429; form 429 HTML`);
  });

  it('with trustProxy: the last X-Forwarded-For hop is the client; prepended fake hops do not dodge the limit', async () => {
    const env = await served({ rateLimit: LIMIT, trustProxy: true });
    const token = await env.createSurvey();
    const A = '198.51.100.7';
    const B = '203.0.113.9';
    const run = async (xff: string) => {
      const res = await env.react(token, 'positive', { 'X-Forwarded-For': xff });
      await res.body?.cancel();
      return res.status;
    };
    for (let i = 0; i < 5; i++) expect(PASSED).toContain(await run(A));
    expect(await run(A)).toBe(429);
    // Another client behind the same proxy has its own count.
    for (let i = 0; i < 5; i++) expect(PASSED).toContain(await run(B));
    expect(await run(B)).toBe(429);
    // Fake hops prepended by the client: the proxy's last hop still names A (and B).
    expect(await run(`1.2.3.4, ${A}`)).toBe(429);
    expect(await run(`${randomIp()}, ${randomIp()}, ${B}`)).toBe(429);
    expect(await run(`  ${randomIp()} ,${A}  `)).toBe(429);
    // IPv6 clients are counted by their /64: cycling through addresses of one's own /64 does not help.
    for (let i = 1; i <= 5; i++) expect(PASSED).toContain(await run(`2001:db8:1:2::${i}`));
    expect(await run('2001:db8:1:2:ffff::1')).toBe(429);
    expect(PASSED).toContain(await run('2001:db8:1:3::1'));
    // An IPv4-mapped IPv6 spelling of A is A.
    expect(await run(`::ffff:${A}`)).toBe(429);

    // The form: a fresh last hop gets 5 posts through the limiter (303 redirect, or 409/400), then the HTML 429.
    const C = '192.0.2.44';
    const formToken = await env.createSurvey();
    const passed: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await env.postForm(formToken, REACTIONS[i % 3]!, { 'X-Forwarded-For': `10.0.0.1, ${C}` });
      passed.push(res.status);
      await res.body?.cancel();
    }
    expect(passed.every((s) => s === 303)).toBe(true);
    const limited = await env.postForm(formToken, 'negative', { 'X-Forwarded-For': C });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Content-Type')).toContain('text/html');
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(await limited.text()).toContain('Too many answers from your network');
    console.log('abuse: rate limit (trustProxy): per last hop A/B separately limited, prepended hops and IPv6 /64 cycling still 429, form 5×303 then 429 HTML');
  });

  it('addresses are keyed as the limiter counts them', () => {
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(addressKey('2001:DB8:0:0:1::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('198.51.100.7:4321')).toBe('198.51.100.7');
    expect(addressKey('unknown')).toBe('other:unknown');
  });

  it('with no socket (app.request) every request shares one constant key', async () => {
    const api = await testApi({ config: { rateLimit: LIMIT } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.react(randomBase64url(TOKEN_LENGTH), 'positive')).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
    await api.store.close();
  });
});

interface Sent {
  status: number;
  /** Bytes of body written when the response arrived. */
  sentAtResponse: number;
  finishedSending: boolean;
  ms: number;
  body: string;
}

/** POSTs a body streamed in chunks (Transfer-Encoding: chunked) slowly; stops sending once answered. */
function streamSlowly(url: string, total: number, chunk: number, everyMs: number): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } });
    let sent = 0;
    let answered = false;
    let finished = false;
    req.on('error', (e) => !answered && reject(e));
    req.on('response', (res) => {
      answered = true;
      const status = res.statusCode!;
      const sentAtResponse = sent;
      const finishedSending = finished;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status, sentAtResponse, finishedSending, ms: Date.now() - started, body });
      });
    });
    const data = Buffer.alloc(chunk, 0x20); // JSON whitespace
    const pump = () => {
      if (answered || req.destroyed) return;
      if (sent >= total) {
        finished = true;
        req.end();
        return;
      }
      req.write(data);
      sent += data.length;
      setTimeout(pump, everyMs);
    };
    req.write('{"token":"');
    pump();
  });
}

/** Announces `announced` bytes in Content-Length and sends only a few; never ends the body. */
function announceBig(url: string, announced: number, contentType: string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': contentType, 'Content-Length': String(announced), Origin: new URL(url).origin } });
    let answered = false;
    req.on('error', (e) => !answered && reject(e));
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, sentAtResponse: 8, finishedSending: false, ms: Date.now() - started, body });
      });
    });
    req.write('{"token"'); // 8 bytes of the announced 10 MB, and no more
  });
}

describe('oversized bodies over real HTTP are refused before they are read whole', () => {
  const TEN_MB = 10 * 1024 * 1024;

  it('a 10 MB chunked body streamed slowly gets its 413 while the client is still sending', async () => {
    const env = await served({ rateLimit: false });
    const result = await streamSlowly(`${env.url}/v1/responses`, TEN_MB, 16 * 1024, 10);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(result.finishedSending).toBe(false);
    expect(result.sentAtResponse).toBeLessThan(TEN_MB / 10);

    // The same through the survey page's form.
    const token = await env.createSurvey();
    const form = await streamSlowly(`${env.url}/s/${token}`, TEN_MB, 16 * 1024, 10);
    expect(form.status).toBe(413);
    expect(form.finishedSending).toBe(false);

    // The server is fine afterwards.
    expect((await fetch(`${env.url}/v1/sites/acme/score`)).status).toBe(200);
    console.log(
      `abuse: 10 MB chunked body: 413 after ${fmt(result.sentAtResponse)} bytes sent (${result.ms} ms; form ${fmt(form.sentAtResponse)} bytes, ${form.ms} ms), never read whole`,
    );
  });

  it('a Content-Length of 10 MB with a tiny body is refused with 413 at once', async () => {
    const env = await served({ rateLimit: false });
    const api = await announceBig(`${env.url}/v1/responses`, TEN_MB, 'application/json');
    expect(api.status).toBe(413);
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(api.ms).toBeLessThan(2_000);

    const token = await env.createSurvey();
    const form = await announceBig(`${env.url}/s/${token}`, TEN_MB, 'application/x-www-form-urlencoded');
    expect(form.status).toBe(413);
    expect(form.ms).toBeLessThan(2_000);
    console.log(`abuse: Content-Length 10 MB with 8 bytes sent: 413 in ${api.ms} ms (form ${form.ms} ms)`);
  });
});
