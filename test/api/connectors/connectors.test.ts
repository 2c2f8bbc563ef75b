// Help-desk connectors over the real app: a connector is created with the admin key, the tool's calls
// (the fixtures, signed or authenticated as each tool does) make one survey per ticket with the right
// team, technician and contact; bad, unsigned and replayed calls are refused and change nothing; a
// non-positive reaction queues a write-back that the worker sends to a real local stand-in of the tool's
// REST API, which accepts only the documented request shape.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startWriteBackWorker } from '../../../api/connectors/write-back-worker.js';
import { testApi } from '../helpers.js';
import { fixture, FIXTURE_SETTINGS } from './fixtures.js';
import { CREDENTIALS, standIn } from './stand-in.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ZENDESK_SIGNING_SECRET = 'dGhpc2lzYXNpZ25pbmdzZWNyZXQ=';
type Tool = 'zendesk' | 'freshdesk' | 'halopsa' | 'autotask' | 'connectwise' | 'generic';

async function setup() {
  const t = await testApi();
  const auth = { Authorization: `Bearer ${t.key}` };
  const worker = startWriteBackWorker({ store: t.store, clock: t.clock, serverSecret: t.config.tokenSecret, publicUrl: t.config.publicUrl, intervalMs: 3_600_000 });
  cleanups.push(async () => {
    await worker.stop();
    await t.store.close();
  });

  const connector = async (provider: Tool, settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => {
    const res = await t.json('POST', '/v1/sites/acme/connectors', { provider, settings, ...extra }, auth);
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; inboundUrl: string; secret: string; setup: string[]; writeBack: boolean };
  };

  /** POSTs `body` to the connector as the tool would, authenticated the tool's way. */
  const call = (tool: Tool, c: { id: string; secret: string }, body: string, tamper: { secret?: string; at?: number; noAuth?: boolean } = {}) => {
    const secret = tamper.secret ?? c.secret;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    let query = '';
    if (!tamper.noAuth) {
      if (tool === 'zendesk') {
        const stamp = new Date(tamper.at ?? t.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
        headers['X-Zendesk-Webhook-Signature-Timestamp'] = stamp;
        headers['X-Zendesk-Webhook-Signature'] = createHmac('sha256', tamper.secret ?? ZENDESK_SIGNING_SECRET).update(stamp + body).digest('base64');
      } else if (tool === 'freshdesk' || tool === 'generic') headers['X-Csat-Connector-Secret'] = secret;
      else if (tool === 'halopsa') headers.Authorization = `Basic ${Buffer.from(`csat:${secret}`).toString('base64')}`;
      else if (tool === 'autotask') headers['X-Hook-Signature'] = `sha1=${createHmac('sha1', secret).update(body).digest('base64')}`;
      else query = `?key=${encodeURIComponent(secret)}`;
    }
    return t.app.request(`/v1/sites/acme/connectors/${c.id}/events${query}`, { method: 'POST', headers, body });
  };

  const surveys = () => t.store.db.prepare('SELECT ticket_ref, team, technician, contact_email, contact_name, locale FROM surveys ORDER BY created_at').all() as Array<Record<string, string | null>>;
  const count = (table: string) => (t.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { ...t, auth, worker, connector, call, surveys, count };
}

const body = (name: string) => JSON.stringify(fixture(name).body);

describe('Zendesk: signed "ticket solved"', () => {
  it('creates the survey once; the same event again is a 409 and creates nothing more', async () => {
    const t = await setup();
    const c = await t.connector('zendesk', { signingSecret: ZENDESK_SIGNING_SECRET });
    const first = await t.call('zendesk', c, body('zendesk.solved'));
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ outcome: 'survey_created', ticketRef: '48213', surveyId: expect.stringMatching(/^sv_/) });
    expect(t.surveys()).toEqual([{ ticket_ref: '48213', team: 'Service Desk', technician: 'Dana Lee', contact_email: 'pat.doe@example.com', contact_name: 'Pat Doe', locale: 'fr' }]);

    const again = await t.call('zendesk', c, body('zendesk.solved'));
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: { code: 'duplicate_event', message: expect.any(String) } });
    expect(t.surveys()).toHaveLength(1);
    expect(t.count('connector_events')).toBe(1);
  });

  it.each([
    ['a bad signature', { secret: 'd3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==' }],
    ['no signature', { noAuth: true }],
    ['a timestamp 6 minutes old (a replay)', { at: Date.parse('2026-11-23T11:54:00Z') }],
  ])('%s is a 401 and queues nothing', async (_name, tamper) => {
    const t = await setup();
    const c = await t.connector('zendesk', { signingSecret: ZENDESK_SIGNING_SECRET });
    const res = await t.call('zendesk', c, body('zendesk.solved'), tamper);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    expect(t.count('surveys')).toBe(0);
    expect(t.count('connector_events')).toBe(0);
    expect(t.count('connector_tickets')).toBe(0);
  });

  it('a body changed after signing is a 401', async () => {
    const t = await setup();
    const c = await t.connector('zendesk', { signingSecret: ZENDESK_SIGNING_SECRET });
    const stamp = new Date(t.clock.now()).toISOString();
    const signed = body('zendesk.solved');
    const res = await t.app.request(`/v1/sites/acme/connectors/${c.id}/events`, {
      method: 'POST',
      headers: {
        'X-Zendesk-Webhook-Signature-Timestamp': stamp,
        'X-Zendesk-Webhook-Signature': createHmac('sha256', ZENDESK_SIGNING_SECRET).update(stamp + signed).digest('base64'),
      },
      body: signed.replace('Dana Lee', 'Mallory'),
    });
    expect(res.status).toBe(401);
    expect(t.count('surveys')).toBe(0);
  });

  it('a reopen after the close answers 200 and records it; a status that is neither is ignored with 2xx', async () => {
    const t = await setup();
    const c = await t.connector('zendesk', { signingSecret: ZENDESK_SIGNING_SECRET });
    expect((await t.call('zendesk', c, body('zendesk.reopened'))).status).toBe(202); // not closed through us yet
    expect((await t.call('zendesk', c, body('zendesk.solved'))).status).toBe(201);
    const reopened = await t.call('zendesk', c, body('zendesk.reopened'));
    expect(reopened.status).toBe(200);
    expect(await reopened.json()).toMatchObject({ ticketRef: '48213', outcome: expect.stringMatching(/^(survey_cancelled|nothing_to_cancel)$/) });
    const odd = JSON.stringify({ ticket: { id: '48214', status: 'Deleted' } });
    const ignored = await t.call('zendesk', c, odd);
    expect(ignored.status).toBe(202);
    expect(await ignored.json()).toMatchObject({ outcome: 'ignored' });
    expect(t.count('surveys')).toBe(1);
  });
});

describe.each([
  ['freshdesk', 'freshdesk.resolved'],
  ['halopsa', 'halopsa.closed'],
  ['autotask', 'autotask.complete'],
  ['connectwise', 'connectwise.closed'],
  ['generic', 'generic.closed'],
  ['zendesk', 'zendesk.solved'],
] as const)('%s fixture', (tool, name) => {
  it('makes a survey with the right team, technician and contact; a wrong secret is a 401', async () => {
    const t = await setup();
    const f = fixture(name);
    // Autotask names the contact by id: the connector reads it from the API (the stand-in).
    const api = tool === 'autotask' ? await standIn('autotask') : null;
    if (api) cleanups.push(api.close);
    const settings = {
      ...FIXTURE_SETTINGS[tool],
      ...(tool === 'zendesk' && { signingSecret: ZENDESK_SIGNING_SECRET }),
      ...(api && { apiUrl: api.url, ...CREDENTIALS.autotask }),
    };
    const c = await t.connector(tool, settings);

    const refused = await t.call(tool, c, body(name), { secret: 'not-the-secret-at-all-0123456789abc' });
    expect(refused.status).toBe(401);
    expect(t.count('surveys')).toBe(0);

    const res = await t.call(tool, c, body(name));
    expect(res.status).toBe(201);
    const [survey] = t.surveys();
    expect(survey).toMatchObject({
      ticket_ref: f.expect!.ticketRef,
      team: f.expect!.team,
      technician: f.expect!.technician,
      contact_email: f.expect!.contact!.email,
      contact_name: f.expect!.contact!.name,
    });
    if (api) expect(api.refused).toEqual([]);
  });
});

describe('close, reopen, close again', () => {
  it('a reopen cancels the queued survey email; the same close bytes after it queue it again; a repeat within one state is a 409', async () => {
    const t = await setup();
    await t.store.setEmailSettings(t.site.id, { senderEmail: 'surveys@acme.example', delayMinutes: 60 });
    const c = await t.connector('freshdesk');
    const closed = body('freshdesk.resolved');
    const reopened = closed.replace('"Resolved"', '"Open"');
    const outbox = () => (t.store.db.prepare('SELECT status FROM email_outbox').all() as Array<{ status: string }>).map((r) => r.status);

    expect((await t.call('freshdesk', c, closed)).status).toBe(201);
    expect(outbox()).toEqual(['queued']);
    const r1 = await t.call('freshdesk', c, reopened);
    expect(r1.status).toBe(200);
    expect(await r1.json()).toMatchObject({ outcome: 'survey_cancelled', ticketRef: '3057' });
    expect(outbox()).toEqual(['cancelled']);
    expect((await t.call('freshdesk', c, reopened)).status).toBe(409);

    const again = await t.call('freshdesk', c, closed);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: 'survey_exists', ticketRef: '3057' });
    expect(outbox()).toEqual(['queued']);
    expect((await t.call('freshdesk', c, closed)).status).toBe(409);
    expect(t.count('surveys')).toBe(1);
  });
});

describe('inbound hygiene', () => {
  it('an unknown connector is a 404, a body over 64 KB a 413, a body that is not JSON a 400; none of them records anything', async () => {
    const t = await setup();
    const c = await t.connector('freshdesk');
    expect((await t.call('freshdesk', { ...c, id: 'cn_AAAAAAAAAAAAAAAA' }, body('freshdesk.resolved'))).status).toBe(404);
    expect((await t.call('freshdesk', c, 'x'.repeat(70 * 1024))).status).toBe(413);
    const notJson = await t.call('freshdesk', c, '{"freshdesk_webhook":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    expect(t.count('surveys') + t.count('connector_events')).toBe(0);
  });

  it('never shows a secret after creation: the list names settings only', async () => {
    const t = await setup();
    const c = await t.connector('freshdesk', { apiUrl: 'https://acme.freshdesk.com', apiKey: 'fd-key-456' });
    expect(c.secret).toMatch(/^[\w-]{32}$/);
    expect(c.setup.join('\n')).toContain(c.inboundUrl);
    const res = await t.json('GET', '/v1/sites/acme/connectors', undefined, t.auth);
    const text = await res.text();
    expect(text).not.toContain(c.secret);
    expect(text).not.toContain('fd-key-456');
    expect(JSON.parse(text).items[0]).toMatchObject({ id: c.id, provider: 'freshdesk', settings: ['apiKey', 'apiUrl'], writeBack: true });
    // Sealed at rest too.
    const row = t.store.db.prepare('SELECT sealed_settings FROM connectors').get() as { sealed_settings: string };
    expect(row.sealed_settings).toMatch(/^v1\./);
    expect(row.sealed_settings).not.toContain('fd-key');
  });

  it('PATCH adds and removes settings (write-back follows), and a disabled connector takes no calls', async () => {
    const t = await setup();
    const c = await t.connector('freshdesk');
    const patch = (body: unknown, id = c.id) => t.json('PATCH', `/v1/sites/acme/connectors/${id}`, body, t.auth);
    const on = await patch({ settings: { apiUrl: 'https://acme.freshdesk.com', apiKey: 'k-123' }, reopen: true });
    expect(on.status).toBe(200);
    const text = await on.text();
    expect(text).not.toContain('k-123');
    expect(JSON.parse(text)).toMatchObject({ settings: ['apiKey', 'apiUrl'], writeBack: true, reopen: true });
    expect(await (await patch({ settings: { apiKey: null } })).json()).toMatchObject({ settings: ['apiUrl'], writeBack: false });
    expect((await patch({ settings: { apiUrl: 'not a url' } })).status).toBe(400);
    expect((await patch({ nope: true })).status).toBe(400);
    expect((await patch({ disabled: true }, 'cn_AAAAAAAAAAAAAAAA')).status).toBe(404);
    expect(await (await patch({ disabled: true })).json()).toMatchObject({ disabled: true });
    expect((await t.call('freshdesk', c, body('freshdesk.resolved'))).status).toBe(404);
    expect(t.count('surveys')).toBe(0);
  });

  it('refuses unknown providers and settings that do not fit the provider', async () => {
    const t = await setup();
    for (const bad of [{ provider: 'servicenow' }, { provider: 'zendesk', settings: { apiUrl: 'ftp://x' } }, { provider: 'freshdesk', settings: { nope: 1 } }]) {
      const res = await t.json('POST', '/v1/sites/acme/connectors', bad, t.auth);
      expect(res.status).toBe(400);
    }
    expect((await t.json('POST', '/v1/sites/acme/connectors', { provider: 'zendesk' })).status).toBe(401);
    expect(t.count('connectors')).toBe(0);
  });
});

describe.each(['zendesk', 'freshdesk', 'halopsa', 'autotask', 'connectwise'] as const)('%s write-back', (tool) => {
  const closeFixture = { zendesk: 'zendesk.solved', freshdesk: 'freshdesk.resolved', halopsa: 'halopsa.closed', autotask: 'autotask.complete', connectwise: 'connectwise.closed' }[tool];

  it('a negative reaction sends one note of the documented shape, retried on 5xx; a positive one sends nothing', async () => {
    const t = await setup();
    const api = await standIn(tool, { failures: [503] });
    cleanups.push(api.close);
    const c = await t.connector(tool, {
      ...FIXTURE_SETTINGS[tool],
      ...(tool === 'zendesk' && { signingSecret: ZENDESK_SIGNING_SECRET }),
      apiUrl: api.url,
      ...CREDENTIALS[tool],
    });
    expect(c.writeBack).toBe(true);
    expect((await t.call(tool, c, body(closeFixture))).status).toBe(201);
    const lookups = api.seen.length; // Autotask read the contact
    api.seen.length = 0;

    // The respondent answers through the survey's token (the same one the email carries).
    const surveyId = (t.store.db.prepare('SELECT id FROM surveys').get() as { id: string }).id;
    const survey = await t.json('GET', `/v1/sites/acme/surveys/${surveyId}/email.txt`, undefined, t.auth);
    const token = /\/s\/([\w-]{43})/.exec(await survey.text())![1]!;
    expect((await t.react(token, 'negative', 'Took three days')).status).toBe(201);
    expect(t.count('connector_writebacks')).toBe(1);

    expect(lookups).toBe(tool === 'autotask' ? 1 : 0);
    await t.worker.runOnce();
    expect(api.seen).toHaveLength(1); // 503
    await t.worker.runOnce();
    expect(api.seen).toHaveLength(1); // not yet due
    t.clock.advance(10_000);
    await t.worker.runOnce();
    const notes = api.seen;
    expect(api.refused).toEqual([]);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toEqual(notes[1]); // the retry is the same request
    expect(JSON.stringify(notes.at(-1)!.body)).toContain('Took three days');
    expect(JSON.stringify(notes.at(-1)!.body)).toContain(`https://csat.example.com/admin?site=acme#response=rs_`);

    const list = (await (await t.json('GET', '/v1/sites/acme/connectors', undefined, t.auth)).json()) as { items: Array<{ writeBacks: { pending: number; delivered: number; failed: number; last: { status: string } } }> };
    expect(list.items[0]!.writeBacks).toMatchObject({ pending: 0, delivered: 1, failed: 0, last: { status: 'delivered' } });

    // A change to positive adds nothing.
    expect((await t.react(token, 'positive')).status).toBe(200);
    expect(t.count('connector_writebacks')).toBe(1);
  });
});

describe('write-back with reopen', () => {
  it('a connector set to reopen sends the note, then the reopen, in that order', async () => {
    const t = await setup();
    const api = await standIn('zendesk');
    cleanups.push(api.close);
    const c = await t.connector('zendesk', { signingSecret: ZENDESK_SIGNING_SECRET, apiUrl: api.url, ...CREDENTIALS.zendesk }, { reopen: true });
    expect((await t.call('zendesk', c, body('zendesk.solved'))).status).toBe(201);
    const surveyId = (t.store.db.prepare('SELECT id FROM surveys').get() as { id: string }).id;
    const token = /\/s\/([\w-]{43})/.exec(await (await t.json('GET', `/v1/sites/acme/surveys/${surveyId}/email.txt`, undefined, t.auth)).text())![1]!;
    await t.react(token, 'negative');
    expect(await t.worker.runOnce()).toBe(2);
    expect(api.refused).toEqual([]);
    expect(api.seen.map((r) => Object.keys((r.body as { ticket: object }).ticket))).toEqual([['comment'], ['status']]);
  });
});

describe('write-back failures', () => {
  it('a 4xx from the tool fails at once and shows as the connector\'s last error', async () => {
    const t = await setup();
    const api = await standIn('freshdesk');
    cleanups.push(api.close);
    const c = await t.connector('freshdesk', { apiUrl: api.url, apiKey: 'a-wrong-key' });
    await t.call('freshdesk', c, body('freshdesk.resolved'));
    const token = /\/s\/([\w-]{43})/.exec(await (await t.json('GET', `/v1/sites/acme/surveys/${(t.store.db.prepare('SELECT id FROM surveys').get() as { id: string }).id}/email.txt`, undefined, t.auth)).text())![1]!;
    await t.react(token, 'neutral');
    await t.worker.runOnce();
    t.clock.advance(3_600_000);
    await t.worker.runOnce();
    expect(api.seen).toHaveLength(1);
    const [item] = ((await (await t.json('GET', '/v1/sites/acme/connectors', undefined, t.auth)).json()) as { items: Array<Record<string, any>> }).items;
    expect(item!.writeBacks).toMatchObject({ failed: 1, last: { status: 'failed', httpStatus: 401 } });
    expect(item!.lastError.message).toContain('HTTP 401');
  });
});
