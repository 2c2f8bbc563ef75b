// One-click unsubscribe (RFC 8058): a POST with List-Unsubscribe=One-Click opts the contact out of the
// site's surveys; a GET only asks. The score never moves.
import { describe, expect, it } from 'vitest';
import { secretBox } from '../../../api/domain/secret-box.js';
import { startEmailWorker } from '../../../api/email/outbox-worker.js';
import { surveyToken } from '../../../api/domain/tokens.js';
import { testApi } from '../helpers.js';
import { startReceiver } from './smtp-receiver.js';

async function setup() {
  const smtp = await startReceiver();
  const t = await testApi();
  await t.store.setEmailSettings(t.site.id, { senderEmail: 'desk@acme.example' });
  const worker = startEmailWorker({ store: t.store, clock: t.clock, publicUrl: t.config.publicUrl, tokenSecret: t.config.tokenSecret, box: secretBox(t.config.tokenSecret), smtpUrl: smtp.url, intervalMs: 3_600_000, logError: () => {} });
  const auth = { Authorization: `Bearer ${t.key}` };
  const post = async (body: Record<string, unknown>) => {
    const res = await t.json('POST', '/v1/sites/acme/surveys', body, auth);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const form = (path: string, body: string, type = 'application/x-www-form-urlencoded') =>
    t.app.request(path, { method: 'POST', headers: { 'Content-Type': type }, body });
  // Emailed surveys are sealed: the token comes from the store, as the email worker gets it.
  const tokenOf = async (id: string) => surveyToken(t.config.tokenSecret, (await t.store.getSurvey(t.site.id, id))!.tokenId);
  return { ...t, smtp, worker, post, form, tokenOf, async close() { await worker.stop(); await smtp.close(); } };
}

describe('one-click unsubscribe', () => {
  it('a POST opts the contact out: no further survey or email from this site, the score unchanged', async () => {
    const t = await setup();
    try {
      const first = await t.post({ ticketRef: 'T-1', contact: { email: 'Ann@Example.com' } });
      await t.worker.runOnce();
      const [mail] = await t.smtp.waitFor(1);
      expect((await t.react(await t.tokenOf(first.body.id), 'positive')).status).toBe(201);
      const before = await t.score();

      const link = /^List-Unsubscribe:\s*<([^>]+)>/m.exec(mail!.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/\r\n\s+/g, ' '))![1]!;
      const path = new URL(link).pathname;
      // A queued email for the same contact is dropped by the opt-out too.
      const queued = await t.post({ ticketRef: 'T-2', contact: { email: 'ann@example.com' } });
      expect(queued.body.email.status).toBe('queued');

      const res = await t.form(path, 'List-Unsubscribe=One-Click');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('You will get no more surveys');
      expect(await t.store.isOptedOut(t.site.id, 'ann@example.com')).toBe(true);
      expect(await t.score()).toEqual(before);
      expect((await t.store.getEmailForSurvey(queued.body.id))?.status).toBe('opted_out');

      const later = await t.post({ ticketRef: 'T-3', contact: { email: 'ANN@example.com' } });
      expect(later.status).toBe(200);
      expect(later.body).toMatchObject({ optedOut: true, ticketRef: 'T-3', email: { status: 'opted_out' } });
      expect(later.body.token).toBeUndefined();
      const other = await t.post({ ticketRef: 'T-4', contact: { email: 'bob@example.com' } });
      expect(other.status).toBe(201);

      expect(await t.worker.runOnce()).toBe(1);
      await t.smtp.waitFor(2);
      await new Promise((r) => setTimeout(r, 200));
      expect(t.smtp.messages.map((m) => (m.to && !Array.isArray(m.to) ? m.to.value[0]?.address : null))).toEqual(['ann@example.com', 'bob@example.com']);
      // A second one-click is harmless.
      expect((await t.form(path, 'List-Unsubscribe=One-Click')).status).toBe(200);
      const listed = await t.json('GET', '/v1/sites/acme/emails', undefined, { Authorization: `Bearer ${t.key}` });
      expect(((await listed.json()) as { emails: Array<{ ticketRef: string; status: string }> }).emails.map((e) => [e.ticketRef, e.status])).toEqual([
        ['T-4', 'sent'],
        ['T-3', 'opted_out'],
        ['T-2', 'opted_out'],
        ['T-1', 'sent'],
      ]);
    } finally {
      await t.close();
    }
  });

  it('a GET shows a confirm form and records nothing; a wrong body, type or token records nothing', async () => {
    const t = await setup();
    try {
      const first = await t.post({ ticketRef: 'T-1', locale: 'fr', contact: { email: 'ann@example.com' } });
      const token = await t.tokenOf(first.body.id);
      const path = `/u/${token}`;
      const page = await t.app.request(path);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">');
      expect(html).toContain('lang="fr"');
      expect((await t.app.request(path, { method: 'HEAD' })).status).toBe(200);
      expect((await t.form(path, 'List-Unsubscribe=Yes')).status).toBe(400);
      expect((await t.form(path, '')).status).toBe(400);
      expect((await t.form(path, 'List-Unsubscribe=One-Click', 'text/plain')).status).toBe(415);
      expect((await t.form(`/u/${token.slice(0, -2)}xx`, 'List-Unsubscribe=One-Click')).status).toBe(404);
      expect(await t.store.isOptedOut(t.site.id, 'ann@example.com')).toBe(false);
      // multipart/form-data, as some mail providers send it
      const body = new FormData();
      body.set('List-Unsubscribe', 'One-Click');
      expect((await t.app.request(path, { method: 'POST', body })).status).toBe(200);
      expect(await t.store.isOptedOut(t.site.id, 'ann@example.com')).toBe(true);
    } finally {
      await t.close();
    }
  });
});
