// The provider modules' pure parts besides parsing: verify() as each tool authenticates, and the
// write-back requests as each tool's API documents them (the HTTP side is in connectors.test.ts).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adminUrl, noteText } from '../../../api/connectors/note.js';
import { provider } from '../../../api/connectors/providers/index.js';
import type { InboundRequest, ProviderName } from '../../../api/connectors/types.js';
import { wantsWriteBack } from '../../../api/connectors/write-back-rule.js';

const SECRET = 'inbound-secret-0123456789abcdefgh';
const NOW = Date.parse('2026-11-23T12:00:00Z');
const BODY = '{"ticket":{"id":"1","status":"Solved"}}';
const req = (headers: Record<string, string>, query: Record<string, string> = {}, rawBody = BODY): InboundRequest => ({ headers, query, rawBody, now: NOW });
const verify = (name: ProviderName, r: InboundRequest, extra: Record<string, unknown> = {}) => provider(name).verify(r, { inboundSecret: SECRET, ...extra } as never);

describe('verify', () => {
  const zd = { signingSecret: 'zendesk-signing-secret-xyz' };
  const zdSig = (stamp: string, body = BODY, key = zd.signingSecret) => createHmac('sha256', key).update(stamp + body).digest('base64');

  it('zendesk: a signature of timestamp + body within 5 minutes; not a stale, future, altered or unsigned one', () => {
    const stamp = '2026-11-23T11:58:00Z';
    expect(verify('zendesk', req({ 'x-zendesk-webhook-signature': zdSig(stamp), 'x-zendesk-webhook-signature-timestamp': stamp }), zd).ok).toBe(true);
    for (const s of ['2026-11-23T11:54:59Z', '2026-11-23T12:05:01Z']) {
      expect(verify('zendesk', req({ 'x-zendesk-webhook-signature': zdSig(s), 'x-zendesk-webhook-signature-timestamp': s }), zd).ok).toBe(false);
    }
    expect(verify('zendesk', req({ 'x-zendesk-webhook-signature': zdSig(stamp, '{}'), 'x-zendesk-webhook-signature-timestamp': stamp }), zd).ok).toBe(false);
    expect(verify('zendesk', req({ 'x-zendesk-webhook-signature': zdSig(stamp), 'x-zendesk-webhook-signature-timestamp': '2026-11-23T11:58:01Z' }), zd).ok).toBe(false);
    expect(verify('zendesk', req({}), zd).ok).toBe(false);
    // Without the signing secret set, nothing passes.
    expect(verify('zendesk', req({ 'x-zendesk-webhook-signature': zdSig(stamp), 'x-zendesk-webhook-signature-timestamp': stamp })).ok).toBe(false);
  });

  it('autotask: HMAC-SHA1 of the body under the secret, with or without "sha1="', () => {
    const mac = createHmac('sha1', SECRET).update(BODY).digest('base64');
    expect(verify('autotask', req({ 'x-hook-signature': `sha1=${mac}` })).ok).toBe(true);
    expect(verify('autotask', req({ 'x-hook-signature': mac })).ok).toBe(true);
    expect(verify('autotask', req({ 'x-hook-signature': `sha1=${mac}` }, {}, `${BODY} `)).ok).toBe(false);
    expect(verify('autotask', req({})).ok).toBe(false);
  });

  it.each([
    ['freshdesk', (s: string) => req({ 'x-csat-connector-secret': s })],
    ['generic', (s: string) => req({ 'x-csat-connector-secret': s })],
    ['halopsa', (s: string) => req({ authorization: `Basic ${Buffer.from(`csat:${s}`).toString('base64')}` })],
    ['connectwise', (s: string) => req({}, { key: s })],
  ] as const)('%s: the connector secret, and nothing else', (name, withSecret) => {
    expect(verify(name, withSecret(SECRET)).ok).toBe(true);
    expect(verify(name, withSecret(`${SECRET}x`)).ok).toBe(false);
    expect(verify(name, withSecret('')).ok).toBe(false);
    expect(verify(name, req({})).ok).toBe(false);
  });
});

describe('writeBack and reopen', () => {
  const note = { text: 'Customer satisfaction survey: the customer\'s reaction is negative.\nNo comment.' };
  const base = 'https://tool.example.com/';
  const build = (name: ProviderName, settings: Record<string, unknown>) => {
    const s = { inboundSecret: SECRET, apiUrl: base, ...settings } as never;
    return { note: provider(name).writeBack(s, '42', note), reopen: provider(name).reopen(s, '42') };
  };

  it('zendesk: PUT /api/v2/tickets/{id}, a private comment, API token auth; reopen sets status open', () => {
    const r = build('zendesk', { apiEmail: 'a@b.example', apiToken: 'tok' });
    expect(r.note).toEqual({
      method: 'PUT',
      url: 'https://tool.example.com/api/v2/tickets/42',
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from('a@b.example/token:tok').toString('base64')}` },
      body: JSON.stringify({ ticket: { comment: { body: note.text, public: false } } }),
    });
    expect(JSON.parse(r.reopen!.body!)).toEqual({ ticket: { status: 'open' } });
  });

  it('freshdesk: POST /api/v2/tickets/{id}/notes, private, basic apikey:X; reopen PUTs status 2', () => {
    const r = build('freshdesk', { apiKey: 'k' });
    expect(r.note).toMatchObject({ method: 'POST', url: 'https://tool.example.com/api/v2/tickets/42/notes', headers: { Authorization: `Basic ${Buffer.from('k:X').toString('base64')}` } });
    expect(JSON.parse(r.note.body!)).toEqual({ body: note.text.replace('\n', '<br>'), private: true });
    expect(r.reopen).toMatchObject({ method: 'PUT', url: 'https://tool.example.com/api/v2/tickets/42', body: '{"status":2}' });
  });

  it('halopsa: POST /api/Actions, an array of one hidden action, bearer token; reopen only with a status id', () => {
    expect(build('halopsa', { apiToken: 't' }).reopen).toBeNull();
    const r = build('halopsa', { apiToken: 't', reopenStatusId: '2' });
    expect(r.note).toMatchObject({ method: 'POST', url: 'https://tool.example.com/api/Actions', headers: { Authorization: 'Bearer t' } });
    expect(JSON.parse(r.note.body!)).toEqual([{ ticket_id: 42, outcome: 'Private Note', note: note.text.replace('\n', '<br>'), hiddenfromuser: true }]);
    expect(JSON.parse(r.reopen!.body!)[0]).toMatchObject({ ticket_id: 42, new_status: 2 });
  });

  it('autotask: POST /ATServicesRest/V1.0/Tickets/{id}/Notes with the three API headers; reopen PATCHes the ticket', () => {
    const r = build('autotask', { apiIntegrationCode: 'C', apiUserName: 'U', apiSecret: 'S', reopenStatusId: '1' });
    expect(r.note).toMatchObject({ method: 'POST', url: 'https://tool.example.com/ATServicesRest/V1.0/Tickets/42/Notes', headers: { ApiIntegrationCode: 'C', UserName: 'U', Secret: 'S' } });
    expect(JSON.parse(r.note.body!)).toEqual({ ticketID: 42, title: 'Customer satisfaction survey', description: note.text, noteType: 1, publish: 2 });
    expect(r.reopen).toMatchObject({ method: 'PATCH', url: 'https://tool.example.com/ATServicesRest/V1.0/Tickets', body: '{"id":42,"status":1}' });
  });

  it('connectwise: POST .../service/tickets/{id}/notes, internal analysis, company+public:private and clientId', () => {
    const r = build('connectwise', { companyId: 'co', publicKey: 'pub', privateKey: 'priv', clientId: 'cid', reopenStatus: 'Re-opened' });
    expect(r.note).toMatchObject({
      method: 'POST',
      url: 'https://tool.example.com/v4_6_release/apis/3.0/service/tickets/42/notes',
      headers: { Authorization: `Basic ${Buffer.from('co+pub:priv').toString('base64')}`, clientId: 'cid' },
    });
    expect(JSON.parse(r.note.body!)).toEqual({ text: note.text, internalAnalysisFlag: true });
    expect(JSON.parse(r.reopen!.body!)).toEqual([{ op: 'replace', path: 'status/name', value: 'Re-opened' }]);
  });

  it('a comment is text where the tool renders HTML (Freshdesk, HaloPSA), and left as written where it does not', () => {
    const hostile = { text: 'Comment: "<img src=x onerror=alert(1)> & more"' };
    const s = { inboundSecret: SECRET, apiUrl: base, apiKey: 'k', apiToken: 't', apiEmail: 'a@b.example', companyId: 'c', publicKey: 'p', privateKey: 'q', clientId: 'i' } as never;
    for (const name of ['freshdesk', 'halopsa'] as const) {
      const sent = provider(name).writeBack(s, '42', hostile).body!;
      expect(sent).not.toContain('<img');
      expect(sent).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; more');
    }
    expect(JSON.parse(provider('zendesk').writeBack(s, '42', hostile).body!).ticket.comment.body).toBe(hostile.text);
    expect(JSON.parse(provider('connectwise').writeBack(s, '42', hostile).body!).text).toBe(hostile.text);
  });

  it('a ticket id is path-encoded', () => {
    const r = provider('freshdesk').writeBack({ inboundSecret: SECRET, apiUrl: base, apiKey: 'k' } as never, 'a/b?c', note);
    expect(r.url).toBe('https://tool.example.com/api/v2/tickets/a%2Fb%3Fc/notes');
  });
});

describe('notes and who gets one', () => {
  it('says the reaction, the comment and where to follow up', () => {
    expect(noteText({ reaction: 'neutral', comment: 'Slow', adminUrl: adminUrl('https://csat.example.com', 'acme', 'rs_1') })).toBe(
      'Customer satisfaction survey: the customer\'s reaction is neutral.\nComment: "Slow"\nFollow up: https://csat.example.com/admin?site=acme#response=rs_1',
    );
  });

  it.each([
    [null, 'negative', true],
    [null, 'neutral', true],
    [null, 'positive', false],
    ['positive', 'negative', true],
    ['neutral', 'negative', true],
    ['negative', 'negative', false],
    ['negative', 'positive', false],
  ] as const)('%s -> %s: %s', (from, to, expected) => expect(wantsWriteBack(from, to)).toBe(expected));
});
