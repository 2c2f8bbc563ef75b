import { describe, expect, it } from 'vitest';
import { newAdminKey } from '../../../api/domain/tokens.js';
import { verifySurveyToken } from '../../../api/domain/tokens.js';
import { testApi, T0 } from '../helpers.js';

const url = '/v1/sites/acme/surveys';

describe('POST /v1/sites/:site/surveys', () => {
  it('creates a survey with a token and the three one-click links', async () => {
    const t = await testApi({ site: { tokenTtlDays: 30 } });
    const res = await t.json('POST', url, { ticketRef: 'T-100', team: 'Service Desk', technician: 'Ana', contact: { email: 'Client@Example.com', name: 'Cli Ent' } }, { Authorization: `Bearer ${t.key}` });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.id).toMatch(/^sv_/);
    expect(body.ticketRef).toBe('T-100');
    expect(body.expiresAt).toBe(new Date(T0 + 30 * 86_400_000).toISOString());
    expect(verifySurveyToken(t.config.tokenSecret, body.token)).not.toBeNull();
    expect(body.links).toEqual({
      page: `https://csat.example.com/s/${body.token}`,
      positive: `https://csat.example.com/s/${body.token}?r=positive`,
      neutral: `https://csat.example.com/s/${body.token}?r=neutral`,
      negative: `https://csat.example.com/s/${body.token}?r=negative`,
    });
    const survey = await t.store.getSurveyByTokenId(verifySurveyToken(t.config.tokenSecret, body.token)!);
    expect(survey).toMatchObject({ team: 'Service Desk', technician: 'Ana', contactEmail: 'client@example.com', contactName: 'Cli Ent' });
  });

  it('returns the same survey and token with 200 when a help-desk tool retries the same ticket', async () => {
    const t = await testApi();
    const auth = { Authorization: `Bearer ${t.key}` };
    const first = await t.json('POST', url, { ticketRef: 'T-1' }, auth);
    const again = await t.json('POST', url, { ticketRef: 'T-1', team: 'Other' }, auth);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    const other = await t.json('POST', url, { ticketRef: 'T-2' }, auth);
    expect(other.status).toBe(201);
  });

  it('refuses a missing, malformed, wrong, revoked or other site\'s key with 401', async () => {
    const t = await testApi();
    const other = await t.store.createSite({ slug: 'other', name: 'Other' }, T0);
    const otherKey = newAdminKey();
    await t.store.addAdminKey({ id: otherKey.id, siteId: other.id, hash: otherKey.hash }, T0);
    const revoked = newAdminKey();
    await t.store.addAdminKey({ id: revoked.id, siteId: t.site.id, hash: revoked.hash }, T0);
    await t.store.revokeAdminKey(t.site.id, revoked.id, T0);
    const wrongSecret = t.key.slice(0, -1) + (t.key.endsWith('A') ? 'B' : 'A');
    for (const authorization of [undefined, 'Basic abc', 'Bearer', `Bearer ${wrongSecret}`, `Bearer ${otherKey.key}`, `Bearer ${revoked.key}`, 'Bearer csat_000000000000_' + 'x'.repeat(43)]) {
      const res = await t.json('POST', url, { ticketRef: 'T-1' }, authorization ? { Authorization: authorization } : {});
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    expect(await t.store.getSurveyByTokenId(Buffer.alloc(16))).toBeNull();
    expect((await t.json('POST', url, { ticketRef: 'T-1' }, { Authorization: `bearer ${t.key}` })).status).toBe(201);
  });

  it('answers 404 for an unknown site before looking at the key', async () => {
    const t = await testApi();
    const res = await t.json('POST', '/v1/sites/nobody/surveys', { ticketRef: 'T-1' }, { Authorization: `Bearer ${t.key}` });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('site_not_found');
  });

  it.each([
    [{}, 'ticketRef'],
    [{ ticketRef: '' }, 'ticketRef'],
    [{ ticketRef: '   ' }, 'ticketRef'],
    [{ ticketRef: 'x'.repeat(201) }, 'ticketRef'],
    [{ ticketRef: 7 }, 'ticketRef'],
    [{ ticketRef: 'T-1', priority: 'high' }, ''],
    [{ ticketRef: 'T-1', contact: { email: 'not-an-email' } }, 'contact.email'],
    [{ ticketRef: 'T-1', contact: { phone: '123' } }, 'contact'],
    [['T-1'], ''],
  ])('rejects the body %j with 400 and creates nothing', async (body, field) => {
    const t = await testApi();
    const res = await t.json('POST', url, body, { Authorization: `Bearer ${t.key}` });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain(field);
    expect((await t.json('POST', url, { ticketRef: 'T-1' }, { Authorization: `Bearer ${t.key}` })).status).toBe(201);
  });

  it('answers 415 for a non-JSON body and 413 for a body over 16 KB', async () => {
    const t = await testApi();
    const auth = { Authorization: `Bearer ${t.key}` };
    const form = await t.app.request(url, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'ticketRef=T-1' });
    expect(form.status).toBe(415);
    expect((await form.json()).error.code).toBe('unsupported_media_type');
    const big = await t.json('POST', url, { ticketRef: 'T-1', team: 'x'.repeat(17_000) }, auth);
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
  });

  it('refuses a survey for a ticket whose rating was imported from another tool', async () => {
    const t = await testApi();
    await t.store.importResponses(t.site.id, [{ line: 2, respondedAt: T0 - 86_400_000, ticketRef: 'OLD-1', reaction: 'positive', comment: null }], T0);
    const res = await t.json('POST', url, { ticketRef: 'OLD-1' }, { Authorization: `Bearer ${t.key}` });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('ticket_already_rated');
  });

  it('is not open to other origins (no CORS on operator routes)', async () => {
    const t = await testApi();
    const res = await t.json('POST', url, { ticketRef: 'T-1' }, { Authorization: `Bearer ${t.key}`, Origin: 'https://evil.example' });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
  });
});
