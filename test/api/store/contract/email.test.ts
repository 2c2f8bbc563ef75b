// Contract: survey email (sender settings, the outbox written with the survey, opt-outs) on every store;
// then what only several instances over one PostgreSQL database need: claims never overlap, and an
// email claimed by an instance that died is sent again after its lease.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it as plainIt } from 'vitest';
import type { EmailToQueue } from '../../../../api/store/types-email.js';
import type { NewSurvey, Store } from '../../../../api/store/types.js';
import { EMAIL_LEASE_MS } from '../../../../api/store/pg/email.js';
import { secretBox } from '../../../../api/domain/secret-box.js';
import { startEmailWorker } from '../../../../api/email/outbox-worker.js';
import { T0, TestClock } from '../../helpers.js';
import { startReceiver } from '../../email/smtp-receiver.js';
import { fileOpener, forEachStore, pgStore, type StoreUnderTest } from './stores.js';

const DAY = 86_400_000;

const open = fileOpener();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The real outbox worker over `store`, sending through a real SMTP server; the test runs its rounds. */
function emailWorker(store: Store, clock: TestClock, smtpUrl: string) {
  const tokenSecret = Buffer.alloc(32, 7);
  const worker = startEmailWorker({
    store, clock, publicUrl: 'https://csat.example.com', tokenSecret, box: secretBox(tokenSecret), smtpUrl,
    intervalMs: 3_600_000, batch: 50, logError: () => {},
  });
  cleanups.push(() => worker.stop());
  return worker;
}

async function smtpReceiver() {
  const smtp = await startReceiver();
  cleanups.push(() => smtp.close());
  return smtp;
}

const EMAIL: EmailToQueue = { sendAt: T0 + 60_000, messageId: (surveyId) => `<${surveyId}@csat.example.com>` };

async function setUp(kind: StoreUnderTest) {
  const o = await open(kind);
  const { store } = o;
  const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
  const other = await store.createSite({ slug: 'other', name: 'Other IT' }, T0);
  const input = (ticketRef: string, extra: Partial<NewSurvey> & { skipOptedOut?: boolean } = {}) => ({
    siteId: site.id,
    ticketRef,
    tokenId: randomBytes(16),
    expiresAt: T0 + 30 * DAY,
    contactEmail: 'ann@client.example',
    skipOptedOut: true,
    ...extra,
  });
  /** A queued survey email of its own ticket, due at `sendAt`. */
  const queued = async (ticketRef: string, sendAt: number, extra: Partial<NewSurvey> = {}) => {
    const made = await store.createSurveyWithEmail(input(ticketRef, extra), { ...EMAIL, sendAt }, T0);
    return made.email!;
  };
  return { o, store, site, other, input, queued };
}

forEachStore('survey email', 'email', (kind, it) => {
  it('keeps sender settings per site; a change leaves the fields it does not name', async () => {
    const { store, site, other } = await setUp(kind);
    const defaults = { siteId: site.id, senderName: null, senderEmail: null, replyTo: null, smtpUrlSealed: null, delayMinutes: 0 };
    expect(await store.getEmailSettings(site.id)).toEqual(defaults);
    expect(await store.setEmailSettings(site.id, { senderEmail: 'desk@acme.example', delayMinutes: 30 })).toEqual({ ...defaults, senderEmail: 'desk@acme.example', delayMinutes: 30 });
    expect(await store.setEmailSettings(site.id, { senderName: 'Acme desk', smtpUrlSealed: 'v1.sealed', delayMinutes: undefined })).toEqual({
      ...defaults, senderEmail: 'desk@acme.example', senderName: 'Acme desk', smtpUrlSealed: 'v1.sealed', delayMinutes: 30,
    });
    expect(await store.setEmailSettings(site.id, { senderEmail: null })).toMatchObject({ senderEmail: null, senderName: 'Acme desk' });
    expect(await store.getEmailSettings(other.id)).toEqual({ ...defaults, siteId: other.id });
  });

  it('queues the email in the survey\'s transaction; a retried creation leaves it as it is', async () => {
    const { store, site, input } = await setUp(kind);
    const made = await store.createSurveyWithEmail(input('T-1'), EMAIL, T0);
    expect(made.status).toBe('created');
    expect(made.survey).toMatchObject({ ticketRef: 'T-1', contactEmail: 'ann@client.example' });
    expect(made.email).toEqual({
      id: expect.any(Number), siteId: site.id, ticketRef: 'T-1', surveyId: made.survey!.id, messageId: `<${made.survey!.id}@csat.example.com>`,
      status: 'queued', attempts: 0, sendAt: T0 + 60_000, lastError: null, createdAt: T0, sentAt: null,
    });
    const again = await store.createSurveyWithEmail(input('T-1'), { ...EMAIL, sendAt: T0 + 999_999 }, T0 + 5);
    expect(again).toEqual({ status: 'existing', survey: made.survey, email: made.email });
    expect(await store.getEmailForSurvey(made.survey!.id)).toEqual(made.email);
    // No email asked for, or no address to send it to: the survey alone.
    expect(await store.createSurveyWithEmail(input('T-2'), null, T0)).toMatchObject({ status: 'created', email: null });
    expect(await store.createSurveyWithEmail(input('T-3', { contactEmail: null }), EMAIL, T0)).toMatchObject({ status: 'created', email: null });
    expect((await store.listEmails(site.id, 10)).map((e) => e.ticketRef)).toEqual(['T-1']);
  });

  it('a reopened ticket\'s cancelled email is queued again; a sent one is not', async () => {
    const { store, site, input, queued } = await setUp(kind);
    const first = await queued('T-1', T0 + 10);
    expect(await store.cancelQueuedEmail(site.id, 'T-1', T0 + 1)).toBe(true);
    expect(await store.cancelQueuedEmail(site.id, 'T-1', T0 + 2)).toBe(false);
    expect(await store.cancelQueuedEmail(site.id, 'T-404', T0 + 2)).toBe(false);
    expect(await store.getEmailForSurvey(first.surveyId!)).toMatchObject({ status: 'cancelled' });
    const reopened = await store.createSurveyWithEmail(input('T-1'), { ...EMAIL, sendAt: T0 + 500 }, T0 + 3);
    expect(reopened).toMatchObject({ status: 'existing', email: { id: first.id, status: 'queued', sendAt: T0 + 500, attempts: 0 } });
    const [claimed] = await store.claimDueEmails(T0 + 500, 10);
    await store.recordEmailAttempt(claimed!.id, { sent: true, error: null, nextAttemptAt: null }, T0 + 501);
    const after = await store.createSurveyWithEmail(input('T-1'), { ...EMAIL, sendAt: T0 + 900 }, T0 + 600);
    expect(after.email).toMatchObject({ status: 'sent', sentAt: T0 + 501, sendAt: T0 + 500 });
  });

  it('records a throttled creation as such, and queues the email once the ticket gets its survey', async () => {
    const { store, site, input } = await setUp(kind);
    const earlier = await store.createSurveyWithEmail(input('T-1'), EMAIL, T0);
    const throttled = await store.createSurveyWithEmail(input('T-2', { throttleSince: T0 - DAY }), EMAIL, T0 + 1);
    expect(throttled.status).toBe('throttled');
    expect(throttled.survey).toEqual(earlier.survey);
    expect(throttled.email).toEqual({
      id: expect.any(Number), siteId: site.id, ticketRef: 'T-2', surveyId: null, messageId: null,
      status: 'throttled', attempts: 0, sendAt: T0 + 1, lastError: null, createdAt: T0 + 1, sentAt: null,
    });
    // Without an email asked for, nothing is recorded.
    expect(await store.createSurveyWithEmail(input('T-3', { throttleSince: T0 - DAY }), null, T0 + 1)).toMatchObject({ status: 'throttled', email: null });
    // Later, without the throttle, the ticket gets its survey: the skip record becomes its email.
    const made = await store.createSurveyWithEmail(input('T-2'), EMAIL, T0 + 2);
    expect(made.status).toBe('created');
    expect(made.email).toMatchObject({ id: throttled.email!.id, surveyId: made.survey!.id, status: 'queued', sendAt: EMAIL.sendAt });
  });

  it('opts a contact out: their queued email stops, and new surveys for them are skipped when asked', async () => {
    const { store, site, other, input, queued } = await setUp(kind);
    const before = await queued('T-1', T0 + 10);
    expect(await store.optOut(site.id, ' Ann@Client.example ', T0 + 1)).toBe(true);
    expect(await store.optOut(site.id, 'ann@client.example', T0 + 2)).toBe(false);
    expect(await store.isOptedOut(site.id, 'ANN@client.example')).toBe(true);
    expect(await store.isOptedOut(other.id, 'ann@client.example')).toBe(false);
    expect(await store.getEmailForSurvey(before.surveyId!)).toMatchObject({ status: 'opted_out' });
    expect(await store.claimDueEmails(T0 + 10, 10)).toEqual([]);
    const skipped = await store.createSurveyWithEmail(input('T-2', { contactEmail: 'ANN@client.example' }), EMAIL, T0 + 3);
    expect(skipped).toEqual({
      status: 'opted_out', survey: null,
      email: { id: expect.any(Number), siteId: site.id, ticketRef: 'T-2', surveyId: null, messageId: null, status: 'opted_out', attempts: 0, sendAt: T0 + 3, lastError: null, createdAt: T0 + 3, sentAt: null },
    });
    expect(await store.createSurveyWithEmail(input('T-3'), null, T0 + 3)).toEqual({ status: 'opted_out', survey: null, email: null });
    // The caller may choose to issue it anyway (e.g. a survey without email); an existing survey is returned as it is.
    expect(await store.createSurveyWithEmail(input('T-4', { skipOptedOut: false }), null, T0 + 4)).toMatchObject({ status: 'created' });
    expect(await store.createSurveyWithEmail(input('T-1'), EMAIL, T0 + 5)).toMatchObject({ status: 'existing', email: { status: 'opted_out' } });
  });

  it('claims due emails in due order, records each attempt, and retries or gives up', async () => {
    const { store, site, queued } = await setUp(kind);
    const late = await queued('T-late', T0 + 300);
    const second = await queued('T-2', T0 + 200);
    const first = await queued('T-1', T0 + 100);
    await queued('T-future', T0 + DAY);
    expect(await store.claimDueEmails(T0 + 50, 10)).toEqual([]);
    const claimed = await store.claimDueEmails(T0 + 250, 1);
    expect(claimed).toEqual([{ id: first.id, siteId: site.id, surveyId: first.surveyId, messageId: first.messageId, attempts: 1 }]);
    expect(await store.getEmailForSurvey(first.surveyId!)).toMatchObject({ status: 'sending', attempts: 1 });
    expect((await store.claimDueEmails(T0 + 250, 10)).map((e) => e.id)).toEqual([second.id]);
    await store.recordEmailAttempt(first.id, { sent: true, error: null, nextAttemptAt: null }, T0 + 260);
    await store.recordEmailAttempt(second.id, { sent: false, error: '421 try later', nextAttemptAt: T0 + 1000 }, T0 + 261);
    expect(await store.getEmailForSurvey(first.surveyId!)).toMatchObject({ status: 'sent', sentAt: T0 + 260, lastError: null });
    expect(await store.getEmailForSurvey(second.surveyId!)).toMatchObject({ status: 'queued', sendAt: T0 + 1000, attempts: 1, lastError: '421 try later', sentAt: null });
    // An attempt recorded for an email that is not being sent changes nothing.
    await store.recordEmailAttempt(first.id, { sent: false, error: 'late', nextAttemptAt: null }, T0 + 270);
    expect(await store.getEmailForSurvey(first.surveyId!)).toMatchObject({ status: 'sent', lastError: null });
    // The due ones are taken in due order; a batch comes back in outbox order.
    expect((await store.claimDueEmails(T0 + 1000, 10)).map((e) => [e.id, e.attempts])).toEqual([[late.id, 1], [second.id, 2]]);
    await store.recordEmailAttempt(second.id, { sent: false, error: '550 no such user', nextAttemptAt: null }, T0 + 1001);
    expect(await store.getEmailForSurvey(second.surveyId!)).toMatchObject({ status: 'failed', sendAt: T0 + 1000, lastError: '550 no such user' });
  });

  it('after a restart, emails left sending go back to the queue', async () => {
    const { store, queued } = await setUp(kind);
    const one = await queued('T-1', T0);
    const two = await queued('T-2', T0);
    expect(await store.claimDueEmails(T0, 10)).toHaveLength(2);
    // Long after the claims: a process that held them this long is gone, on either store.
    expect(await store.releaseSendingEmails(T0 + EMAIL_LEASE_MS)).toBe(2);
    expect(await store.getEmailForSurvey(one.surveyId!)).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await store.claimDueEmails(T0 + EMAIL_LEASE_MS, 10)).map((e) => [e.id, e.attempts])).toEqual([[one.id, 2], [two.id, 2]]);
  });

  it('the worker sends each due email once, with the Message-ID it was queued with', async () => {
    const { store, site, queued } = await setUp(kind);
    await store.setEmailSettings(site.id, { senderEmail: 'desk@acme.example' });
    const smtp = await smtpReceiver();
    const emails = [await queued('T-1', T0), await queued('T-2', T0, { contactEmail: 'bo@client.example' }), await queued('T-later', T0 + DAY)];
    const clock = new TestClock(T0 + 1);
    const worker = emailWorker(store, clock, smtp.url);
    expect(await worker.runOnce()).toBe(2);
    expect(await worker.runOnce()).toBe(0);
    expect(smtp.messages.map((m) => m.messageId).sort()).toEqual([emails[0]!.messageId, emails[1]!.messageId].sort());
    expect(await store.getEmailForSurvey(emails[0]!.surveyId!)).toMatchObject({ status: 'sent', attempts: 1, sentAt: T0 + 1 });
    expect(await store.getEmailForSurvey(emails[2]!.surveyId!)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('lists a site\'s email records newest first, a page after a given record', async () => {
    const { store, site, other, queued } = await setUp(kind);
    const ids = [(await queued('T-1', T0)).id, (await queued('T-2', T0)).id, (await queued('T-3', T0)).id];
    await store.createSurveyWithEmail(
      { siteId: other.id, ticketRef: 'T-9', tokenId: randomBytes(16), expiresAt: T0 + DAY, contactEmail: 'bo@x.example', skipOptedOut: true }, EMAIL, T0,
    );
    expect((await store.listEmails(site.id, 10)).map((e) => e.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await store.listEmails(site.id, 1)).map((e) => e.id)).toEqual([ids[2]]);
    expect((await store.listEmails(site.id, 10, ids[1])).map((e) => e.id)).toEqual([ids[0]]);
    expect(await store.listEmails(other.id, 10)).toHaveLength(1);
  });
});

describe('the email outbox across PostgreSQL instances', () => {
  const kind = pgStore;

  plainIt('two instances claiming at once never take the same email', async () => {
    const { o, store, queued } = await setUp(kind);
    const second = await o.another();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push((await queued(`T-${i}`, T0 + i)).id);
    const taken: number[] = [];
    for (let round = 0; round < 10 && taken.length < ids.length; round++) {
      const [a, b] = await Promise.all([store.claimDueEmails(T0 + 100, 4), second.claimDueEmails(T0 + 100, 4)]);
      taken.push(...a.map((e) => e.id), ...b.map((e) => e.id));
    }
    expect(taken).toHaveLength(ids.length);
    expect(new Set(taken).size).toBe(taken.length);
    expect([...taken].sort((x, y) => x - y)).toEqual(ids);
  });

  plainIt('two instances\' workers draining the outbox at once send every email once', async () => {
    const { o, store, site, queued } = await setUp(kind);
    await store.setEmailSettings(site.id, { senderEmail: 'desk@acme.example' });
    const second = await o.another();
    const smtp = await smtpReceiver();
    const expected: string[] = [];
    for (let i = 0; i < 16; i++) expected.push((await queued(`T-${i}`, T0, { contactEmail: `c${i}@client.example` })).messageId!);
    const clock = new TestClock(T0 + 1);
    const workers = [emailWorker(store, clock, smtp.url), emailWorker(second, clock, smtp.url)];
    const attempted = await Promise.all(workers.map((w) => w.runOnce()));
    expect(attempted[0]! + attempted[1]!).toBe(16);
    expect(await Promise.all(workers.map((w) => w.runOnce()))).toEqual([0, 0]);
    expect(smtp.messages.map((m) => m.messageId).sort()).toEqual([...expected].sort());
    expect(await o.count(`SELECT count(*) FROM email_outbox WHERE status = 'sent' AND attempts = 1`)).toBe(16);
  });

  plainIt('two instances changing different sender settings at once both keep their change', async () => {
    const { o, store, site } = await setUp(kind);
    const second = await o.another();
    await Promise.all([
      store.setEmailSettings(site.id, { senderEmail: 'desk@acme.example' }),
      second.setEmailSettings(site.id, { delayMinutes: 45 }),
      store.setEmailSettings(site.id, { replyTo: 'help@acme.example' }),
      second.setEmailSettings(site.id, { senderName: 'Acme desk' }),
    ]);
    expect(await store.getEmailSettings(site.id)).toEqual({
      siteId: site.id, senderName: 'Acme desk', senderEmail: 'desk@acme.example', replyTo: 'help@acme.example', smtpUrlSealed: null, delayMinutes: 45,
    });
  });

  plainIt('an opt-out on one instance while another creates a survey for that address: no email stays queued for it', async () => {
    const { o, store, input } = await setUp(kind);
    const second = await o.another();
    const site = (await store.getSite('acme'))!;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => [
        second.optOut(site.id, `c${i}@client.example`, T0),
        store.createSurveyWithEmail(input(`T-${i}`, { contactEmail: `c${i}@client.example` }), EMAIL, T0),
      ]).flat(),
    );
    expect(await o.count(`SELECT count(*) FROM email_outbox WHERE status = 'queued'`)).toBe(0);
    expect(await o.count(`SELECT count(*) FROM email_outbox WHERE status = 'opted_out'`)).toBe(20);
  });

  plainIt('a claim is leased: another instance starting up leaves it alone; after the lease it is claimed again', async () => {
    const { o, store, queued } = await setUp(kind);
    const email = await queued('T-1', T0);
    expect(await store.claimDueEmails(T0, 10)).toHaveLength(1);
    const second = await o.another();
    // A second instance's worker starts while the first one is sending: the email stays with the first.
    expect(await second.releaseSendingEmails(T0 + 1000)).toBe(0);
    expect(await second.claimDueEmails(T0 + EMAIL_LEASE_MS - 1, 10)).toEqual([]);
    expect(await store.getEmailForSurvey(email.surveyId!)).toMatchObject({ status: 'sending', attempts: 1 });
    // The first instance died mid-send: once the lease has run out the email goes out again, same Message-ID.
    expect(await second.claimDueEmails(T0 + EMAIL_LEASE_MS, 10)).toEqual([expect.objectContaining({ id: email.id, messageId: email.messageId, attempts: 2 })]);
  });
});
