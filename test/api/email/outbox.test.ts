// The survey email end to end in one process: the surveys route queues it, the worker sends it to a real
// SMTP server (smtp-server), and mailparser reads back what a mail client would get.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { secretBox } from '../../../api/domain/secret-box.js';
import { RETRY_DELAYS_S } from '../../../api/domain/email-schedule.js';
import { startEmailWorker, type EmailWorker } from '../../../api/email/outbox-worker.js';
import { smtpUrlContext } from '../../../api/email/smtp-settings.js';
import { freePort } from '../../e2e/server-process.js';
import { surveyToken } from '../../../api/domain/tokens.js';
import { surveyLinks } from '../../../api/services/surveys.js';
import { testApi } from '../helpers.js';
import { startReceiver, type Receiver } from './smtp-receiver.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(options: { delayMinutes?: number; smtpUrl?: string; serverWide?: string; throttleDays?: number } = {}) {
  const t = await testApi({ site: { throttleDays: options.throttleDays ?? 0 } });
  const box = secretBox(t.config.tokenSecret);
  await t.store.setEmailSettings(t.site.id, {
    senderName: 'Acme Service Desk',
    senderEmail: 'desk@acme.example',
    replyTo: 'help@acme.example',
    delayMinutes: options.delayMinutes ?? 0,
    smtpUrlSealed: options.smtpUrl ? box.seal(options.smtpUrl, smtpUrlContext(t.site.id)) : null,
  });
  const worker: EmailWorker = startEmailWorker({
    store: t.store,
    clock: t.clock,
    publicUrl: t.config.publicUrl,
    tokenSecret: t.config.tokenSecret,
    box,
    smtpUrl: options.serverWide,
    intervalMs: 3_600_000, // the tests run rounds themselves
    logError: () => {},
  });
  cleanup.push(() => worker.stop());
  const auth = { Authorization: `Bearer ${t.key}` };
  const post = async (body: Record<string, unknown>) => {
    const res = await t.json('POST', `/v1/sites/${t.site.slug}/surveys`, body, auth);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  return { ...t, box, worker, post };
}

async function receiver(options: Parameters<typeof startReceiver>[0] = {}): Promise<Receiver> {
  const r = await startReceiver(options);
  cleanup.push(() => r.close());
  return r;
}

describe('survey email', () => {
  it('sends exactly one multipart email in the survey\'s language after the site\'s delay, and none for a repeated ticket', async () => {
    const smtp = await receiver();
    const t = await setup({ delayMinutes: 15, smtpUrl: smtp.url });
    const created = await t.post({ ticketRef: 'T-1', locale: 'fr', contact: { email: 'Client@Example.com', name: 'Cli Ent' } });
    expect(created.status).toBe(201);
    expect(created.body.email).toMatchObject({ status: 'queued', sendAt: new Date(t.clock.now() + 15 * 60_000).toISOString() });
    // The link lives its full 30 days from the moment the email goes out.
    expect(created.body.expiresAt).toBe(new Date(t.clock.now() + 15 * 60_000 + 30 * 86_400_000).toISOString());

    t.clock.advance(14 * 60_000);
    expect(await t.worker.runOnce()).toBe(0);
    t.clock.advance(60_000);
    expect(await t.worker.runOnce()).toBe(1);
    const [mail] = await smtp.waitFor(1);

    expect(mail!.messageId).toBe(created.body.email.messageId);
    expect(mail!.subject).toBe('Comment avons-nous traité le ticket T-1 ?');
    expect(mail!.from?.value).toEqual([{ name: 'Acme Service Desk', address: 'desk@acme.example' }]);
    expect(mail!.replyTo?.value[0]?.address).toBe('help@acme.example');
    expect(mail!.to && !Array.isArray(mail!.to) && mail!.to.value[0]?.address).toBe('client@example.com');
    expect(mail!.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    // The survey is sealed (csat-badge sends it), so the token comes from the store, as the worker gets it.
    const links = surveyLinks(t.config.publicUrl, surveyToken(t.config.tokenSecret, (await t.store.getSurvey(t.site.id, created.body.id))!.tokenId));
    expect(created.body.links).toBeUndefined();
    expect(mail!.text).toContain(`${links.positive}`);
    expect(mail!.text).toContain('Comment avons-nous traité cette demande ?');
    expect(mail!.html).toContain(`href="${links.negative}"`);
    expect(mail!.html).toContain('lang="fr"');
    const unsubscribe = links.page.replace('/s/', '/u/');
    const header = (name: string) => mail!.headerLines.find((h) => h.key === name)?.line.replace(/\r\n\s+/g, ' ');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${unsubscribe}>`);
    expect(mail!.html).toContain(`href="${unsubscribe}"`);

    const again = await t.post({ ticketRef: 'T-1', contact: { email: 'client@example.com' } });
    expect(again.status).toBe(200);
    expect(again.body.email).toMatchObject({ status: 'sent', messageId: mail!.messageId });
    t.clock.advance(3_600_000);
    expect(await t.worker.runOnce()).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages).toHaveLength(1);
  });

  it('a reopen before the delay cancels the email; closing again queues it once more; after sending there is nothing to cancel', async () => {
    const smtp = await receiver();
    const t = await setup({ delayMinutes: 30, smtpUrl: smtp.url });
    const { surveyService } = await import('../../../api/services/surveys.js');
    const service = surveyService({ store: t.store, clock: t.clock, config: t.config });
    const closedAt = t.clock.now() - 10 * 60_000;
    const first = await service.create(t.site, { ticketRef: 'T-2', contact: { email: 'a@example.com' } }, { closedAt });
    expect(first.email).toMatchObject({ status: 'queued', sendAt: closedAt + 30 * 60_000 });
    expect(await service.cancelUnsent(t.site, 'T-2')).toBe(true);
    expect(await service.cancelUnsent(t.site, 'T-2')).toBe(false);
    t.clock.advance(60 * 60_000);
    expect(await t.worker.runOnce()).toBe(0);

    const closedAgain = t.clock.now();
    const second = await service.create(t.site, { ticketRef: 'T-2', contact: { email: 'a@example.com' } }, { closedAt: closedAgain });
    expect(second).toMatchObject({ status: 'existing', email: { status: 'queued', sendAt: closedAgain + 30 * 60_000 } });
    t.clock.advance(30 * 60_000);
    expect(await t.worker.runOnce()).toBe(1);
    await smtp.waitFor(1);
    expect(await service.cancelUnsent(t.site, 'T-2')).toBe(false);
    expect(smtp.messages).toHaveLength(1);
  });

  it('over HTTP: closedAt starts the delay, and the cancel route stops an unsent email', async () => {
    const smtp = await receiver();
    const t = await setup({ delayMinutes: 30, smtpUrl: smtp.url });
    const closedAt = t.clock.now() - 20 * 60_000;
    const created = await t.post({ ticketRef: 'T-H', contact: { email: 'h@example.com' }, closedAt: new Date(closedAt).toISOString() });
    expect(created.body.email.sendAt).toBe(new Date(closedAt + 30 * 60_000).toISOString());
    const future = await t.post({ ticketRef: 'T-F', contact: { email: 'f@example.com' }, closedAt: new Date(t.clock.now() + 3_600_000).toISOString() });
    expect(future.status).toBe(400);
    expect(future.body.error.code).toBe('invalid_request');
    expect((await t.post({ ticketRef: 'T-F', closedAt: 'yesterday' })).status).toBe(400);

    const cancel = (id: string) => t.json('POST', `/v1/sites/acme/surveys/${id}/email/cancel`, undefined, { Authorization: `Bearer ${t.key}` });
    const res = await cancel(created.body.id);
    expect(await res.json()).toMatchObject({ cancelled: true, email: { status: 'cancelled' } });
    expect(await (await cancel(created.body.id)).json()).toMatchObject({ cancelled: false });
    expect((await cancel('sv_nope')).status).toBe(404);
    t.clock.advance(3_600_000);
    expect(await t.worker.runOnce()).toBe(0);
    expect(smtp.messages).toHaveLength(0);
  });

  it('retries with backoff while the SMTP server is down and delivers once it is back', async () => {
    const port = await freePort();
    const t = await setup({ serverWide: `smtp://127.0.0.1:${port}` });
    const created = await t.post({ ticketRef: 'T-3', contact: { email: 'b@example.com' } });
    expect(await t.worker.runOnce()).toBe(1);
    let record = await t.store.getEmailForSurvey(created.body.id);
    expect(record).toMatchObject({ status: 'queued', attempts: 1 });
    expect(record!.lastError).toMatch(/ECONNREFUSED/);
    const wait = record!.sendAt - t.clock.now();
    expect(wait).toBeGreaterThanOrEqual(RETRY_DELAYS_S[0] * 1000);
    expect(wait).toBeLessThanOrEqual(RETRY_DELAYS_S[0] * 1200);

    // Not before its time, and the second wait is longer than the first.
    expect(await t.worker.runOnce()).toBe(0);
    t.clock.ms = record!.sendAt;
    expect(await t.worker.runOnce()).toBe(1);
    record = await t.store.getEmailForSurvey(created.body.id);
    expect(record).toMatchObject({ status: 'queued', attempts: 2 });
    expect(record!.sendAt - t.clock.now()).toBeGreaterThanOrEqual(RETRY_DELAYS_S[1] * 1000);

    const smtp = await receiver({ port });
    t.clock.ms = record!.sendAt;
    expect(await t.worker.runOnce()).toBe(1);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.messageId).toBe(created.body.email.messageId);
    expect(await t.store.getEmailForSurvey(created.body.id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  it('gives up at once on a permanent refusal (550) and shows the error', async () => {
    const smtp = await receiver({ rejectRecipient: /^nobody@/ });
    const t = await setup({ smtpUrl: smtp.url });
    const created = await t.post({ ticketRef: 'T-4', contact: { email: 'nobody@example.com' } });
    await t.worker.runOnce();
    const record = await t.store.getEmailForSurvey(created.body.id);
    expect(record).toMatchObject({ status: 'failed', attempts: 1 });
    expect(record!.lastError).toMatch(/550/);
    expect(smtp.messages).toHaveLength(0);
  });

  it('a site without a sender address queues nothing; a survey without a contact queues nothing', async () => {
    const smtp = await receiver();
    const t = await setup({ smtpUrl: smtp.url });
    const noContact = await t.post({ ticketRef: 'T-5' });
    expect(noContact.status).toBe(201);
    expect(noContact.body.email).toBeUndefined();
    await t.store.setEmailSettings(t.site.id, { senderEmail: null });
    const noSender = await t.post({ ticketRef: 'T-6', contact: { email: 'c@example.com' } });
    expect(noSender.body.email).toBeUndefined();
    expect(await t.worker.runOnce()).toBe(0);
  });

  it('keeps the SMTP password out of the database file: only the sealed URL is stored', async () => {
    const t = await setup({ smtpUrl: 'smtp://mailer:Sup3r-S3cret-pw@mail.acme.example:587' });
    await t.post({ ticketRef: 'T-7', contact: { email: 'd@example.com' } });
    (t.store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of [t.file, `${t.file}-wal`]) {
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file).toString('latin1');
      expect(bytes).not.toContain('Sup3r-S3cret-pw');
      expect(bytes).not.toContain('mailer:');
    }
    const settings = await t.store.getEmailSettings(t.site.id);
    expect(settings.smtpUrlSealed).toMatch(/^v1\./);
    expect(t.box.open(settings.smtpUrlSealed!, smtpUrlContext(t.site.id))).toContain('Sup3r-S3cret-pw');
  });
});
