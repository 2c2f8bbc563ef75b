// A sealed survey's token reaches only the client, in the email csat-badge sends: no answer of the
// operators' API and no output of the CLI may carry it, or the operator could answer in the client's name.
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../api/cli/main.js';
import { surveyToken } from '../../../api/domain/tokens.js';
import { testApi, T0 } from '../helpers.js';

async function csat(args: string[]) {
  const lines: string[] = [];
  const io: CliIo = { out: (l) => lines.push(l), write: (t) => lines.push(t), err: (l) => lines.push(l), env: {}, now: () => T0 };
  const code = await runCli(args, io);
  return { code, text: lines.join('\n') };
}

async function setup(sender: boolean) {
  const t = await testApi();
  if (sender) await t.store.setEmailSettings(t.site.id, { senderEmail: 'desk@acme.example' });
  const auth = { Authorization: `Bearer ${t.key}` };
  const post = async (body: Record<string, unknown>) => {
    const res = await t.json('POST', '/v1/sites/acme/surveys', body, auth);
    return { status: res.status, text: await res.text() };
  };
  const get = async (path: string) => {
    const res = await t.app.request(path, { headers: auth });
    return { status: res.status, text: await res.text() };
  };
  /** The token as the email worker computes it for the client's email. */
  const tokenOf = async (ticketRef: string) => {
    const row = t.store.db.prepare('SELECT token_id FROM surveys WHERE ticket_ref = ?').get(ticketRef) as { token_id: Buffer };
    return surveyToken(t.config.tokenSecret, row.token_id);
  };
  return { ...t, auth, post, get, tokenOf };
}

describe('sealed surveys', () => {
  it('a survey csat-badge emails is sealed: no token in the POST answer, the repeat POST, the email fragments, the inbox or the CLI', async () => {
    const t = await setup(true);
    const created = await t.post({ ticketRef: 'T-1', contact: { email: 'client@example.com' } });
    expect(created.status).toBe(201);
    const body = JSON.parse(created.text);
    expect(body).toMatchObject({ sealed: true, ticketRef: 'T-1' });
    expect(body).not.toHaveProperty('token');
    expect(body).not.toHaveProperty('links');
    expect(body).not.toHaveProperty('emailText');
    const token = await t.tokenOf('T-1');
    const answers: string[] = [created.text];

    const again = await t.post({ ticketRef: 'T-1', contact: { email: 'client@example.com' } });
    expect(again.status).toBe(200);
    answers.push(again.text);
    for (const kind of ['html', 'txt']) {
      const fragment = await t.get(`/v1/sites/acme/surveys/${body.id}/email.${kind}`);
      expect(fragment.status).toBe(409);
      expect(JSON.parse(fragment.text).error.code).toBe('survey_sealed');
      answers.push(fragment.text);
    }

    // The client answers with the link from the email.
    expect((await t.react(token, 'negative', 'slow')).status).toBe(201);
    const inbox = await t.get('/v1/sites/acme/responses');
    expect(inbox.status).toBe(200);
    const [item] = JSON.parse(inbox.text).items;
    answers.push(inbox.text, (await t.get(`/v1/sites/acme/responses/${item.id}`)).text);
    answers.push((await t.get('/v1/sites/acme/emails')).text);
    for (const args of [['export', 'acme'], ['verify', 'acme'], ['site', 'list']]) {
      const run = await csat([...args, '--db', t.file]);
      expect(run.code, args.join(' ')).toBe(0);
      answers.push(run.text);
    }
    for (const text of answers) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('/s/');
    }
  });

  it('an operator may ask for a sealed survey only when csat-badge sends its email', async () => {
    const noSender = await setup(false);
    const refused = await noSender.post({ ticketRef: 'T-1', contact: { email: 'client@example.com' }, sealed: true });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text).error.code).toBe('cannot_seal');
    expect(await noSender.store.getSurvey(noSender.site.id, 'x')).toBeNull();
    expect(noSender.store.db.prepare('SELECT count(*) AS n FROM surveys').get()).toEqual({ n: 0 });

    const withSender = await setup(true);
    const noContact = await withSender.post({ ticketRef: 'T-2', sealed: true });
    expect(noContact.status).toBe(400);
    const sealed = await withSender.post({ ticketRef: 'T-3', contact: { email: 'client@example.com' }, sealed: true });
    expect(sealed.status).toBe(201);
    expect(JSON.parse(sealed.text)).toMatchObject({ sealed: true });
    expect(sealed.text).not.toContain(await withSender.tokenOf('T-3'));
  });

  it('a survey the operator delivers is not sealed and keeps its token and links', async () => {
    const t = await setup(false);
    const created = await t.post({ ticketRef: 'T-1', contact: { email: 'client@example.com' } });
    const body = JSON.parse(created.text);
    expect(body.sealed).toBe(false);
    expect(body.token).toBe(await t.tokenOf('T-1'));
    expect((await t.get(`/v1/sites/acme/surveys/${body.id}/email.txt`)).status).toBe(200);
  });
});
