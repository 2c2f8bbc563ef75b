import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { surveyToken, verifySurveyToken } from '../../../api/domain/tokens.js';
import { DAY_MS } from '../../../api/domain/window.js';
import { verifyChain } from '../../../api/domain/chain.js';
import { testApi } from '../helpers.js';

describe('POST /v1/responses', () => {
  it('records a first answer with 201 and moves the score', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    expect((await t.score()).score).toBeNull();
    const res = await t.react(token, 'positive', '  Quick fix, thanks!\r\n ');
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({
      site: 'acme',
      answered: true,
      kind: 'reaction',
      scale: null,
      moment: 'ticket-closed',
      reaction: 'positive',
      score: null,
      dimensions: [],
      comment: 'Quick fix, thanks!',
      createdAt: new Date(t.clock.ms).toISOString(),
      updatedAt: new Date(t.clock.ms).toISOString(),
      changeableUntil: new Date(t.clock.ms + 7 * DAY_MS).toISOString(),
      changeable: true,
    });
    const score = await t.score();
    expect(score.score).toBe(100);
    expect(score.counts).toEqual({ positive: 1, neutral: 0, negative: 0, total: 1, imported: 0 });
  });

  it('lets the respondent change inside the window (200, latest counts) and refuses after it (409)', async () => {
    const t = await testApi({ site: { changeWindowDays: 7 } });
    const { token } = await t.createSurvey('T-1');
    const { token: other } = await t.createSurvey('T-2');
    expect((await t.react(other, 'positive')).status).toBe(201);
    expect((await t.react(token, 'negative', 'Took too long')).status).toBe(201);
    expect((await t.score()).score).toBe(0);

    t.clock.advanceDays(6.9);
    const change = await t.react(token, 'positive');
    expect(change.status).toBe(200);
    const changed = await change.json();
    expect(changed.reaction).toBe('positive');
    expect(changed.comment).toBe('Took too long'); // an omitted comment is kept
    expect(changed.createdAt).not.toBe(changed.updatedAt);
    const score = await t.score();
    expect(score.score).toBe(100);
    expect(score.counts.total).toBe(2);

    t.clock.advanceDays(0.1);
    const late = await t.react(token, 'negative');
    expect(late.status).toBe(409);
    expect((await late.json()).error.code).toBe('change_window_closed');
    expect((await t.score()).score).toBe(100);

    const events = await t.store.listEvents(t.site.id);
    expect(events.map((e) => [e.type, e.reaction])).toEqual([
      ['submit', 'positive'],
      ['submit', 'negative'],
      ['change', 'positive'],
    ]);
    expect(verifyChain(events).valid).toBe(true);
  });

  it('clears the comment when a change sends null or an empty string', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    await t.react(token, 'neutral', 'first thoughts');
    expect((await (await t.react(token, 'neutral', '   ')).json()).comment).toBeNull();
    await t.react(token, 'neutral', 'again');
    expect((await (await t.react(token, 'neutral', null)).json()).comment).toBeNull();
  });

  it('answers 404 invalid_token for unknown, forged and other-server tokens', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    const otherServer = surveyToken(randomBytes(32), verifySurveyToken(t.config.tokenSecret, token)!);
    const unknown = surveyToken(t.config.tokenSecret, randomBytes(16));
    for (const bad of [flipped, otherServer, unknown, '', 'x', token + 'A', '../../etc/passwd']) {
      const res = await t.react(bad, 'positive');
      expect(res.status, bad).toBe(404);
      expect((await res.json()).error.code).toBe('invalid_token');
    }
    expect((await t.score()).counts.total).toBe(0);
  });

  it('answers 410 for an expired token that was never answered, but still allows a change inside the window', async () => {
    const t = await testApi({ site: { tokenTtlDays: 2, changeWindowDays: 7 } });
    const { token: unanswered } = await t.createSurvey('T-1');
    const { token: answered } = await t.createSurvey('T-2');
    t.clock.advanceDays(1.5);
    expect((await t.react(answered, 'negative')).status).toBe(201);
    t.clock.advanceDays(1);
    const expired = await t.react(unanswered, 'positive');
    expect(expired.status).toBe(410);
    expect((await expired.json()).error.code).toBe('token_expired');
    expect((await t.react(answered, 'positive')).status).toBe(200);
    expect((await t.score()).counts).toMatchObject({ positive: 1, negative: 0, total: 1 });
  });

  it('rejects a comment over 2,000 characters, counting characters rather than UTF-16 units', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const tooLong = await t.react(token, 'positive', 'x'.repeat(2001));
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.message).toMatch(/comment.*2000/);
    const emoji = await t.react(token, 'positive', '👍'.repeat(2000)); // 4,000 UTF-16 units
    expect(emoji.status).toBe(201);
    expect((await t.react(token, 'positive', '👍'.repeat(2001))).status).toBe(400);
  });

  it.each([
    [{ reaction: 'positive' }],
    [{ token: 'abc' }],
    [{ token: 'abc', reaction: 'great' }],
    [{ token: 'abc', reaction: 'positive', rating: 5 }],
    [{ token: 'abc', reaction: 'positive', comment: 42 }],
    ['positive'],
    [null],
  ])('rejects the body %j with 400', async (body) => {
    const t = await testApi();
    const res = await t.json('POST', '/v1/responses', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_request');
  });

  it('answers 400 invalid_json, 415 for other media types, 413 for big bodies with or without a length', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const broken = await t.app.request('/v1/responses', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"token":' });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe('invalid_json');
    const text = await t.app.request('/v1/responses', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ token, reaction: 'positive' }) });
    expect(text.status).toBe(415);
    const big = JSON.stringify({ token, reaction: 'positive', comment: 'x'.repeat(20_000) });
    const sized = await t.app.request('/v1/responses', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    expect(sized.status).toBe(413);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const chunked = await t.app.request('/v1/responses', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await t.score()).counts.total).toBe(0);
  });

  it('answers a CORS preflight from any origin', async () => {
    const t = await testApi();
    const res = await t.app.request('/v1/responses', {
      method: 'OPTIONS',
      headers: { Origin: 'https://acme.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('content-type');
  });
});

describe('GET /v1/responses/:token', () => {
  it('returns the current answer, answered: false before it, and never records anything', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const before = await t.app.request(`/v1/responses/${token}`);
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({
      site: t.site.slug,
      answered: false,
      kind: 'reaction',
      scale: null,
      moment: 'ticket-closed',
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await t.react(token, 'neutral', 'ok');
    const res = await t.app.request(`/v1/responses/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ site: t.site.slug, answered: true, reaction: 'neutral', comment: 'ok', changeableUntil: new Date(t.clock.ms + 7 * DAY_MS).toISOString(), changeable: true });
    t.clock.advanceDays(7);
    expect(await (await t.app.request(`/v1/responses/${token}`)).json()).toMatchObject({ changeable: false });
    expect((await t.store.listEvents(t.site.id)).length).toBe(1);
  });

  it('answers 404 invalid_token for a forged token', async () => {
    const t = await testApi();
    const res = await t.app.request(`/v1/responses/${surveyToken(randomBytes(32), randomBytes(16))}`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('invalid_token');
  });
});
