import { describe, expect, it } from 'vitest';
import { firstSendAt, nextEmailAttempt, RETRY_DELAYS_S } from '../../../api/domain/email-schedule.js';
import { testApi } from '../helpers.js';

describe('email schedule', () => {
  it('sends the site\'s delay after the ticket closed, never before now', () => {
    expect(firstSendAt(1_000_000, 15, 1_000_000)).toBe(1_000_000 + 15 * 60_000);
    expect(firstSendAt(1_000_000, 15, 1_500_000)).toBe(1_000_000 + 15 * 60_000); // closed 8 min ago: 7 min to go
    expect(firstSendAt(0, 5, 10 * 60_000)).toBe(10 * 60_000); // closed long ago: now
    expect(firstSendAt(undefined, 10, 5_000)).toBe(5_000 + 10 * 60_000);
  });

  it('backs off with growing waits and up to 20% jitter, then gives up; a permanent refusal gives up at once', () => {
    let previous = 0;
    for (let attempts = 1; attempts <= RETRY_DELAYS_S.length; attempts += 1) {
      const low = nextEmailAttempt(attempts, 0, { random: () => 0 })!;
      const high = nextEmailAttempt(attempts, 0, { random: () => 0.999 })!;
      expect(low).toBe(RETRY_DELAYS_S[attempts - 1]! * 1000);
      expect(high).toBeLessThanOrEqual(low * 1.2);
      expect(low).toBeGreaterThan(previous);
      previous = low;
    }
    expect(nextEmailAttempt(RETRY_DELAYS_S.length + 1, 0)).toBeNull();
    expect(nextEmailAttempt(1, 0, { permanent: true })).toBeNull();
  });
});

describe('survey fatigue with email', () => {
  it('a throttled ticket queues nothing and is listed as throttled', async () => {
    const t = await testApi({ site: { throttleDays: 30 } });
    await t.store.setEmailSettings(t.site.id, { senderEmail: 'desk@acme.example' });
    const auth = { Authorization: `Bearer ${t.key}` };
    const first = await t.json('POST', '/v1/sites/acme/surveys', { ticketRef: 'T-1', contact: { email: 'a@example.com' } }, auth);
    expect(((await first.json()) as { email: { status: string } }).email.status).toBe('queued');
    t.clock.advanceDays(3);
    const second = await t.json('POST', '/v1/sites/acme/surveys', { ticketRef: 'T-2', contact: { email: 'A@example.com' } }, auth);
    expect(await second.json()).toMatchObject({ throttled: true, email: { status: 'throttled' } });
    expect(await t.store.claimDueEmails(t.clock.now(), 10)).toHaveLength(1);
    const listed = (await (await t.json('GET', '/v1/sites/acme/emails', undefined, auth)).json()) as { emails: Array<{ ticketRef: string; status: string }> };
    expect(listed.emails.map((e) => [e.ticketRef, e.status])).toEqual([['T-2', 'throttled'], ['T-1', 'sending']]);
    // After the throttle window the same ticket gets its survey and its email.
    t.clock.advanceDays(30);
    const later = await t.json('POST', '/v1/sites/acme/surveys', { ticketRef: 'T-2', contact: { email: 'a@example.com' } }, auth);
    expect(later.status).toBe(201);
    expect(((await later.json()) as { email: { status: string } }).email.status).toBe('queued');
  });
});
