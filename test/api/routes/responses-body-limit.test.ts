// The size limit of POST /v1/responses over real HTTP, where the body has a declared Content-Length
// (decided from the header without building a web stream over the socket) or comes chunked (counted as
// it arrives): too big is a 413 JSON error and records nothing; within the limit the answer is taken.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../api/config.js';
import { listen } from '../http-server.js';
import { testApi } from '../helpers.js';

const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** One raw POST, with `Content-Length` or chunked as asked; status and parsed body. */
function post(url: string, body: string, mode: 'length' | 'chunked'): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (mode === 'length') headers['Content-Length'] = String(Buffer.byteLength(body));
    const req = http.request(`${url}/v1/responses`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    if (mode === 'chunked') for (let at = 0; at < body.length; at += 1024) req.write(body.slice(at, at + 1024));
    else req.write(body);
    req.end();
  });
}

describe('POST /v1/responses body size over HTTP', () => {
  it('answers 413 for a body over the limit, declared or chunked, and takes one within it', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    servers.push(server);
    const { token } = await t.createSurvey('T-1');
    const big = JSON.stringify({ token, reaction: 'positive', comment: 'x'.repeat(MAX_BODY_BYTES) });
    for (const mode of ['length', 'chunked'] as const) {
      const res = await post(server.url, big, mode);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
    expect((await t.score()).counts.total).toBe(0);
    const ok = await post(server.url, JSON.stringify({ token, reaction: 'positive', comment: 'y'.repeat(1500) }), 'length');
    expect(ok.status).toBe(201);
    expect(ok.body.comment).toBe('y'.repeat(1500));
    const chunkedOk = await post(server.url, JSON.stringify({ token, reaction: 'neutral' }), 'chunked');
    expect(chunkedOk.status).toBe(200);
    expect(chunkedOk.body.reaction).toBe('neutral');
  });
});
