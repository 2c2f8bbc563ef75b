// The admin API of campaigns: strict validation (every refusal is a 400 JSON error that writes nothing),
// the key, pause/resume, contacts replaced, stop.
import { describe, expect, it } from 'vitest';
import { newAdminKey } from '../../../api/domain/tokens.js';
import { campaignApi, CONTACTS } from './helpers.js';

const manyContacts = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `c${i}@clients.example` }));

describe('POST /v1/sites/:site/campaigns refuses bad input and writes nothing', () => {
  const valid = { name: 'Quarterly NPS', kind: 'nps', contacts: CONTACTS, everyDays: 90 };
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an unknown kind', { ...valid, kind: 'ces' }, /^kind: /],
    ['an unknown key', { ...valid, sendTo: 'everyone' }, /sendTo/],
    ['an unknown key in a contact', { ...valid, contacts: [{ email: 'a@b.example', phone: '1' }] }, /phone/],
    ['csat without a scale', { ...valid, kind: 'csat' }, /scale 3, 5 or 10/],
    ['nps with a scale', { ...valid, scale: 5 }, /only csat/],
    ['a bad address', { ...valid, contacts: [{ email: 'not-an-address' }] }, /^contacts\.0\.email: /],
    ['a repeated address', { ...valid, contacts: [{ email: 'a@b.example' }, { email: 'A@B.example' }] }, /contact 2: a@b\.example is already on line 1/],
    ['no contacts', { name: 'x', kind: 'nps' }, /contact list/],
    ['an empty list', { ...valid, contacts: [] }, /empty/],
    ['both lists', { ...valid, contactsCsv: 'email\na@b.example' }, /not both/],
    ['more than 10,000 contacts', { ...valid, contacts: manyContacts(10_001) }, /at most 10000 contacts/],
    ['10,001 CSV lines', { ...valid, contacts: undefined, contactsCsv: `email\n${manyContacts(10_001).map((c) => c.email).join('\n')}` }, /at most 10000 contacts/],
    ['broken CSV', { ...valid, contacts: undefined, contactsCsv: 'email,name\n"a@b.example,Ana\n' }, /not valid CSV/],
    ['an unknown CSV column', { ...valid, contacts: undefined, contactsCsv: 'email,phone\na@b.example,1' }, /unknown column\(s\) phone/],
    ['a CSV without email', { ...valid, contacts: undefined, contactsCsv: 'name\nAna' }, /missing column email/],
    ['a bad CSV line', { ...valid, contacts: undefined, contactsCsv: 'email,locale\na@b.example,en\nc@d.example,de' }, /line 3: locale/],
    ['a bad moment', { ...valid, moment: 'Ticket Closed!' }, /moment/],
    ['every 0 days', { ...valid, everyDays: 0 }, /everyDays/],
    ['a negative throttle', { ...valid, throttleDays: -1 }, /throttleDays/],
    ['a start that is not a date', { ...valid, startsAt: 'next monday' }, /startsAt/],
  ];

  it.each(cases)('%s', async (_what, body, message) => {
    const api = await campaignApi();
    const res = await api.call('POST', '', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toMatch(/^invalid_(request|contacts)$/);
    expect(res.body.error.message).toMatch(message);
    expect(api.tableCount('campaigns')).toBe(0);
    expect(api.tableCount('campaign_contacts')).toBe(0);
  });

  it('takes exactly 10,000 contacts, and a CSV list', async () => {
    const api = await campaignApi();
    expect((await api.call('POST', '', { ...valid, contacts: manyContacts(10_000) })).body.contactCount).toBe(10_000);
    const csv = await api.call('POST', '', { name: 'From CSV', kind: 'csat', scale: 3, contactsCsv: '\uFEFFemail,name,locale\nana@x.example,"Ana, IT lead",fr\nbo@y.example,,\n' });
    expect(csv.status).toBe(201);
    const { body } = await api.call('GET', `/${csv.body.id}`);
    expect(body.contacts).toEqual([
      { email: 'ana@x.example', name: 'Ana, IT lead', locale: 'fr' },
      { email: 'bo@y.example', name: null, locale: null },
    ]);
    expect(body).toMatchObject({ kind: 'csat', scale: 3, everyDays: null, runs: [], status: 'active' });
  });

  it('needs the site\'s admin key and JSON', async () => {
    const api = await campaignApi();
    const res = await api.json('POST', api.base, valid);
    expect(res.status).toBe(401);
    const text = await api.app.request(api.base, { method: 'POST', headers: { ...api.auth, 'Content-Type': 'text/csv' }, body: 'email\na@b.example' });
    expect(text.status).toBe(415);
    expect((await api.json('GET', api.base)).status).toBe(401);
    expect(api.tableCount('campaigns')).toBe(0);
  });
});

describe('changing a campaign', () => {
  it('replaces contacts all or nothing, pauses, resumes, and stops for good', async () => {
    const api = await campaignApi();
    const { body: created } = await api.call('POST', '', { name: 'Quarterly', kind: 'nps', contacts: CONTACTS, everyDays: 90 });
    const id = created.id;
    const contacts = async () => (await api.call('GET', `/${id}`)).body.contacts.map((c: { email: string }) => c.email);

    const bad = await api.call('PATCH', `/${id}`, { contacts: [{ email: 'new@z.example' }, { email: 'broken' }] });
    expect(bad.status).toBe(400);
    expect(await contacts()).toEqual(CONTACTS.map((c) => c.email));
    expect((await api.call('PATCH', `/${id}`, { status: 'stopped' })).status).toBe(400);
    expect((await api.call('PATCH', `/${id}`, {})).status).toBe(400);
    expect((await api.call('PATCH', `/${id}`, { nextRunAt: 'now' })).status).toBe(400);

    const replaced = await api.call('PATCH', `/${id}`, { contactsCsv: 'email\nnew@z.example\nbo@client-two.example' });
    expect(replaced.body.contactCount).toBe(2);
    // Contacts already on the list keep their number (their surveys' ticketRefs stay theirs); new ones get unused numbers.
    const numbers = api.store.db.prepare('SELECT email, n FROM campaign_contacts WHERE campaign_id = ? ORDER BY n').all(id);
    expect(numbers).toEqual([
      { email: 'bo@client-two.example', n: 2 },
      { email: 'new@z.example', n: 4 },
    ]);

    expect((await api.call('PATCH', `/${id}`, { status: 'paused' })).body.status).toBe('paused');
    expect((await api.call('POST', `/${id}/run`)).status).toBe(409);
    expect((await api.call('PATCH', `/${id}`, { status: 'active', name: 'Quarterly NPS' })).body).toMatchObject({ status: 'active', name: 'Quarterly NPS' });

    const stopped = await api.call('DELETE', `/${id}`);
    expect(stopped.body).toMatchObject({ status: 'stopped', nextRunAt: null });
    const run = await api.call('POST', `/${id}/run`);
    expect(run).toMatchObject({ status: 409, body: { error: { code: 'campaign_not_active' } } });
    expect((await api.call('PATCH', `/${id}`, { status: 'active' })).status).toBe(409);
    expect(api.tableCount('surveys')).toBe(0);

    expect((await api.call('GET', '/cp_nope')).status).toBe(404);
    expect((await api.call('GET', `/${id}/runs/1`)).status).toBe(404);
    expect((await api.call('GET', '')).body.items.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it('never shows another site\'s campaign', async () => {
    const api = await campaignApi();
    const { body } = await api.call('POST', '', { name: 'Mine', kind: 'reaction', contacts: CONTACTS });
    const other = await api.store.createSite({ slug: 'other', name: 'Other' }, api.clock.now());
    const key = newAdminKey();
    await api.store.addAdminKey({ id: key.id, siteId: other.id, hash: key.hash }, api.clock.now());
    const headers = { Authorization: `Bearer ${key.key}` };
    expect((await api.app.request(`/v1/sites/other/campaigns/${body.id}`, { headers })).status).toBe(404);
    expect((await api.app.request(`/v1/sites/other/campaigns/${body.id}/run`, { method: 'POST', headers })).status).toBe(404);
    expect((await api.app.request(`/v1/sites/other/campaigns/${body.id}`, { method: 'DELETE', headers })).status).toBe(404);
    expect((await (await api.app.request('/v1/sites/other/campaigns', { headers })).json()).items).toEqual([]);
    expect(api.tableCount('campaign_runs')).toBe(0);
  });
});
