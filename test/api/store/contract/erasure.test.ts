// Contract: erasing a contact, on every store. Personal fields go (email, name, comments, notes, held
// comments, the comment copied into webhook bodies); the anonymous rating, the counts, the event chain
// and the public log never move, and another site's or contact's data is left alone.
import { expect } from 'vitest';
import { newTokenId } from '../../../../api/domain/tokens.js';
import { newWebhookSecret } from '../../../../api/domain/webhook.js';
import { DAY_MS, dayOf } from '../../../../api/domain/window.js';
import type { Site, Store, Survey } from '../../../../api/store/types.js';
import { ERASED_NOTE } from '../../../../api/domain/erasure.js';
import { T0 } from '../../helpers.js';
import { acmeOpener, forEachStore } from './stores.js';

const changeWindowMs = 7 * DAY_MS;
const ZERO = { surveys: 0, comments: 0, notes: 0, campaignContacts: 0, heldComments: 0, webhookBodies: 0, emailErrors: 0 };

async function survey(store: Store, site: Site, ticketRef: string, contact?: { email: string; name?: string }): Promise<Survey> {
  const made = await store.createSurvey(
    { siteId: site.id, ticketRef, tokenId: newTokenId(), expiresAt: T0 + 30 * DAY_MS, contactEmail: contact?.email ?? null, contactName: contact?.name ?? null },
    T0,
  );
  return made.survey;
}

forEachStore('erasure', 'erasure', (kind, it) => {
  const setUp = acmeOpener(kind);

  it('erases one contact of one site and keeps the ratings, counts, chain and log; a repeat finds nothing', async () => {
    const { o, store, site } = await setUp();
    const other = await store.createSite({ slug: 'other', name: 'Other' }, T0);
    const ana = { email: 'ana@example.org', name: 'Ana Pires' };
    const a = await survey(store, site, 'T-1', ana);
    const b = await survey(store, site, 'T-2', { email: 'bo@example.org', name: 'Bo' });
    const c = await survey(store, site, 'T-3', { email: ana.email });
    const d = await survey(store, site, 'T-4', ana);
    const elsewhere = await survey(store, other, 'T-1', ana);
    const ra = await store.submitResponse({ survey: a, reaction: 'negative', comment: 'ana said this', changeWindowMs }, T0);
    await store.submitResponse({ survey: b, reaction: 'positive', comment: 'bo said this', changeWindowMs }, T0 + 1);
    await store.submitResponse({ survey: c, reaction: 'neutral', changeWindowMs }, T0 + 2);
    await store.submitResponse({ survey: elsewhere, reaction: 'negative', comment: 'kept on the other site', changeWindowMs }, T0 + 3);
    await store.updateFollowUp(site.id, ra.response.id, { to: 'contacted', note: { author: 'desk', text: 'Called Ana Pires' } }, T0 + 10);
    await store.holdAnswer({ surveyId: d.id, reaction: 'negative', value: -1, comment: 'held, from Ana', at: T0 + 4 });

    const before = {
      counts: await store.storedDayCounts(site.id),
      events: await store.listEvents(site.id),
      head: await store.logHead(site.id),
      facts: await store.responseFacts(site.id),
    };

    const counts = await store.eraseContact(site.id, ana.email);
    expect(counts).toEqual({ ...ZERO, surveys: 3, comments: 1, notes: 1, heldComments: 1 });

    const rows = await o.rows<{ ticket_ref: string; contact_email: string | null; contact_name: string | null; reaction: string; comment: string | null }>(
      `SELECT s.ticket_ref, s.contact_email, s.contact_name, r.reaction, r.comment FROM surveys s JOIN responses r ON r.survey_id = s.id
       WHERE s.site_id = ? ORDER BY s.ticket_ref`,
      site.id,
    );
    expect(rows).toEqual([
      { ticket_ref: 'T-1', contact_email: null, contact_name: null, reaction: 'negative', comment: null },
      { ticket_ref: 'T-2', contact_email: 'bo@example.org', contact_name: 'Bo', reaction: 'positive', comment: 'bo said this' },
      { ticket_ref: 'T-3', contact_email: null, contact_name: null, reaction: 'neutral', comment: null },
    ]);
    const notes = (await store.listNotes(site.id, [ra.response.id])).get(ra.response.id)!;
    expect(notes.map((n) => n.text)).toEqual([ERASED_NOTE]);
    expect(await store.getHeldAnswer(d.id)).toMatchObject({ reaction: 'negative', comment: null });
    expect((await store.getResponseForSurvey(elsewhere.id))!.comment).toBe('kept on the other site');
    expect(await o.count('SELECT count(*) FROM surveys WHERE contact_email = ?', ana.email)).toBe(1);

    expect(await store.storedDayCounts(site.id)).toEqual(before.counts);
    expect(await store.listEvents(site.id)).toEqual(before.events);
    expect(await store.logHead(site.id)).toEqual(before.head);
    expect(await store.responseFacts(site.id)).toEqual(before.facts);
    expect((await store.countsBetween(site.id, dayOf(T0) - 1, dayOf(T0) + 1)).negative).toBe(1);

    expect(await store.eraseContact(site.id, ana.email)).toEqual(ZERO);
    expect(await store.eraseContact(site.id, 'nobody@example.org')).toEqual(ZERO);
  });

  it('is seen by another instance as a change of the data (walls and inboxes show comments)', async () => {
    const { o, store, site } = await setUp();
    const s = await survey(store, site, 'T-1', { email: 'ana@example.org' });
    await store.submitResponse({ survey: s, reaction: 'negative', comment: 'ana said this', changeWindowMs }, T0);
    const before = await store.dataVersion();
    const another = await o.another();
    expect(await another.eraseContact(site.id, 'ana@example.org')).toMatchObject({ comments: 1 });
    expect(await store.dataVersion()).not.toBe(before);
    expect((await store.getResponseForSurvey(s.id))!.comment).toBeNull();
  });

  it('clears email errors of the contact\'s surveys and removes the contact from the site\'s campaign lists', async () => {
    const { store, site } = await setUp();
    const other = await store.createSite({ slug: 'other', name: 'Other' }, T0);
    const email = { sendAt: T0, messageId: (surveyId: string) => `<${surveyId}@csat.example.com>` };
    const queue = async (siteId: number, ticketRef: string, contactEmail: string) => {
      const made = await store.createSurveyWithEmail(
        { siteId, ticketRef, tokenId: newTokenId(), expiresAt: T0 + 30 * DAY_MS, contactEmail, skipOptedOut: true }, email, T0);
      return made.email!;
    };
    await queue(site.id, 'T-1', 'ana@example.org');
    await queue(site.id, 'T-2', 'bo@example.org');
    await queue(other.id, 'T-1', 'ana@example.org');
    for (const claimed of await store.claimDueEmails(T0, 10)) {
      await store.recordEmailAttempt(claimed.id, { sent: false, error: `550 mailbox of ${claimed.surveyId} unknown`, nextAttemptAt: T0 + 60_000 }, T0);
    }
    const campaign = (id: string, siteId: number) => store.createCampaign({
      id, siteId, name: 'Quarterly', kind: 'reaction', scale: null, moment: 'ticket-closed', everyDays: 90, throttleDays: 0, startsAt: T0 + DAY_MS,
      contacts: [{ email: 'ana@example.org', name: 'Ana', locale: null }, { email: 'bo@example.org', name: null, locale: null }],
    }, T0);
    await campaign('cp_1', site.id);
    await campaign('cp_2', other.id);

    expect(await store.eraseContact(site.id, 'ana@example.org')).toEqual({ ...ZERO, surveys: 1, emailErrors: 1, campaignContacts: 1 });
    const errors = async (siteId: number) => (await store.listEmails(siteId, 10)).map((e) => [e.ticketRef, e.lastError === null]);
    expect(await errors(site.id)).toEqual(expect.arrayContaining([['T-1', true], ['T-2', false]]));
    expect(await errors(other.id)).toEqual([['T-1', false]]);
    expect((await store.listCampaignContacts('cp_1')).map((c) => c.email)).toEqual(['bo@example.org']);
    expect((await store.listCampaignContacts('cp_2')).map((c) => c.email)).toEqual(['ana@example.org', 'bo@example.org']);
  });

  it('clears the comment from stored webhook bodies of the contact, byte for byte otherwise', async () => {
    const { o, store, site } = await setUp();
    await store.createWebhook({ id: 'wh_1', siteId: site.id, url: 'http://127.0.0.1:9/hook', events: ['response.created'], secret: newWebhookSecret(), registeredBy: null }, T0);
    const a = await survey(store, site, 'T-1', { email: 'ana@example.org' });
    const b = await survey(store, site, 'T-2', { email: 'bo@example.org' });
    await store.submitResponse({ survey: a, reaction: 'negative', comment: 'quoted in the webhook', changeWindowMs }, T0);
    await store.submitResponse({ survey: b, reaction: 'negative', comment: 'bo, also quoted', changeWindowMs }, T0 + 1);
    const bodies = async () => (await o.rows<{ body: string }>('SELECT body FROM webhook_deliveries ORDER BY id')).map((r) => r.body);
    const [anaBefore, boBefore] = await bodies();
    expect(JSON.parse(anaBefore!).response.comment).toBe('quoted in the webhook');

    expect(await store.eraseContact(site.id, 'ana@example.org')).toMatchObject({ webhookBodies: 1, comments: 1 });
    const [anaAfter, boAfter] = await bodies();
    const expected = JSON.parse(anaBefore!);
    expected.response.comment = null;
    expect(anaAfter).toBe(JSON.stringify(expected));
    expect(boAfter).toBe(boBefore);
    expect(await store.eraseContact(site.id, 'ana@example.org')).toMatchObject({ webhookBodies: 0 });
  });
});
