import { describe, expect, it } from 'vitest';
import { newAdminKey } from '../../../api/domain/tokens.js';
import { testApi } from '../helpers.js';

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

describe('POST /v1/sites/:site/erasures', () => {
  it('erases one contact of one site, keeps the reaction, the score and other contacts; a repeat and an unknown contact are a 200 with zero', async () => {
    const t = await testApi();
    const a = await t.createSurvey('T-1', { contact: { email: 'ana@example.org', name: 'Ana Pires' } });
    const b = await t.createSurvey('T-2', { contact: { email: 'bo@example.org', name: 'Bo' } });
    const c = await t.createSurvey('T-3', { contact: { email: 'ana@example.org' } });
    expect((await t.react(a.token, 'negative', 'ana said this')).status).toBe(201);
    expect((await t.react(b.token, 'positive', 'bo said this')).status).toBe(201);
    expect((await t.react(c.token, 'neutral')).status).toBe(201);
    const other = await t.store.createSite({ slug: 'other', name: 'Other' }, t.clock.ms);
    const before = await t.score();

    const res = await t.json('POST', '/v1/sites/acme/erasures', { contact: '  ANA@Example.org ' }, auth(t.key));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ site: 'acme', contact: 'ana@example.org', erased: true, counts: { surveys: 2, comments: 1, notes: 0, heldComments: 0 } });
    expect(await t.score()).toEqual(before);
    const rows = t.store.db.prepare('SELECT s.ticket_ref, s.contact_email, s.contact_name, r.reaction, r.comment FROM surveys s JOIN responses r ON r.survey_id = s.id ORDER BY s.ticket_ref').all();
    expect(rows).toEqual([
      { ticket_ref: 'T-1', contact_email: null, contact_name: null, reaction: 'negative', comment: null },
      { ticket_ref: 'T-2', contact_email: 'bo@example.org', contact_name: 'Bo', reaction: 'positive', comment: 'bo said this' },
      { ticket_ref: 'T-3', contact_email: null, contact_name: null, reaction: 'neutral', comment: null },
    ]);

    for (const contact of ['ana@example.org', 'nobody@example.org']) {
      const again = await t.json('POST', '/v1/sites/acme/erasures', { contact }, auth(t.key));
      expect(again.status).toBe(200);
      const body = (await again.json()) as { erased: boolean; counts: Record<string, number>; message: string };
      expect(body.erased).toBe(false);
      expect(Object.values(body.counts).every((n) => n === 0)).toBe(true);
      expect(body.message).toContain('nothing to erase');
    }
    // This site's key cannot erase anything on another site.
    expect(other.slug).toBe('other');
    expect((await t.json('POST', '/v1/sites/other/erasures', { contact: 'bo@example.org' }, auth(t.key))).status).toBe(401);
  });

  it('refuses bad input with a 400 and changes nothing; needs an admin key (a wall key is a 403)', async () => {
    const t = await testApi();
    const s = await t.createSurvey('T-1', { contact: { email: 'ana@example.org' } });
    await t.react(s.token, 'negative', 'kept');
    for (const body of [{}, { contact: '' }, { contact: 'not-an-email' }, { contact: 42 }, { contact: 'ana@example.org', extra: 1 }]) {
      const res = await t.json('POST', '/v1/sites/acme/erasures', body, auth(t.key));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
    const raw = await t.app.request('/v1/sites/acme/erasures', { method: 'POST', headers: { ...auth(t.key), 'Content-Type': 'application/json' }, body: '{oops' });
    expect(raw.status).toBe(400);
    expect((await t.json('POST', '/v1/sites/acme/erasures', { contact: 'ana@example.org' })).status).toBe(401);
    const wall = newAdminKey();
    await t.store.addAdminKey({ id: wall.id, siteId: t.site.id, hash: wall.hash, scope: 'wall' }, t.clock.ms);
    expect((await t.json('POST', '/v1/sites/acme/erasures', { contact: 'ana@example.org' }, auth(wall.key))).status).toBe(403);
    expect(t.store.db.prepare('SELECT count(*) AS n FROM surveys WHERE contact_email IS NOT NULL').get()).toEqual({ n: 1 });
  });

  it('clears the comment from stored webhook delivery bodies too', async () => {
    const t = await testApi({ config: { webhookAllowPrivate: true } });
    const hook = await t.json('POST', '/v1/sites/acme/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['response.created'] }, auth(t.key));
    expect(hook.status).toBe(201);
    const s = await t.createSurvey('T-1', { contact: { email: 'ana@example.org' } });
    await t.react(s.token, 'negative', 'quoted in the webhook');
    const bodies = () => (t.store.db.prepare('SELECT body FROM webhook_deliveries').all() as Array<{ body: string }>).map((r) => JSON.parse(r.body));
    expect(bodies()[0].response.comment).toBe('quoted in the webhook');
    const res = await t.json('POST', '/v1/sites/acme/erasures', { contact: 'ana@example.org' }, auth(t.key));
    expect(await res.json()).toMatchObject({ counts: { webhookBodies: 1 } });
    expect(bodies()[0].response).toMatchObject({ comment: null, reaction: 'negative' });
  });
});
