// Mail scanners at the HTTP level: link opens mark a survey as scanned, an auto-sent answer in that time
// is held (stored, not counted: no score, no event), a person's click confirms it, and nothing without
// the `auto` flag (the no-JavaScript form, an API call) changes behaviour.
import { describe, expect, it } from 'vitest';
import { LINK_BURST_MS, SCANNED_FOR_MS } from '../../../api/domain/scanner.js';
import { composeSurveyEmail } from '../../../api/email/compose.js';
import { verifySurveyToken } from '../../../api/domain/tokens.js';
import { MESSAGES } from '../../../api/pages/messages.js';
import { testApi } from '../helpers.js';

type Api = Awaited<ReturnType<typeof testApi>>;
const ORIGIN = 'http://localhost';

const post = (t: Api, token: string, fields: Record<string, string>) =>
  t.app.request(`/s/${token}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
    body: new URLSearchParams(fields).toString(),
  });

const get = (t: Api, url: string, method = 'GET') => t.app.request(url.replace('https://csat.example.com', ''), { method });

const counted = async (t: Api) => {
  const { counts } = await t.score();
  return counts.positive! + counts.neutral! + counts.negative!;
};

/** A survey whose links a scanner has just opened: every reaction link, as scanners do. */
async function scannedSurvey(t: Api, ticket = 'T-1') {
  const s = await t.createSurvey(ticket);
  for (const r of ['positive', 'neutral', 'negative']) expect((await get(t, s.links[r]!)).status).toBe(200);
  return s;
}

describe('scanner marking and held answers', () => {
  it('an auto-sent answer after every reaction link was opened is held: stored, not counted, no event; the page asks to confirm', async () => {
    const t = await testApi();
    const { token, links } = await scannedSurvey(t);
    const res = await post(t, token, { reaction: 'positive', auto: '1' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/s/${token}`);
    expect(await counted(t)).toBe(0);
    expect((await (await t.app.request(`/v1/responses/${token}`)).json()).answered).toBe(false);
    expect(await t.store.countHeldAnswers(t.site.id)).toBe(1);

    // The page (also via the link of the held reaction) asks for one click and has no script.
    for (const url of [`/s/${token}`, links.positive!]) {
      const page = await (await get(t, url)).text();
      expect(page).toContain(MESSAGES.en.confirmTitle);
      expect(page).toMatch(/<button type="submit" name="reaction" value="positive"[^>]*>Confirm<\/button>/);
      expect(page).not.toContain('survey.js');
      expect(page).not.toContain('data-autosubmit');
    }

    // The click (no `auto`) counts at once, even while still marked as scanned, and the held answer is gone.
    const confirm = await post(t, token, { reaction: 'positive' });
    expect(confirm.status).toBe(303);
    expect((await t.score()).counts.positive).toBe(1);
    expect(await t.store.countHeldAnswers(t.site.id)).toBe(0);
    expect(await (await get(t, `/s/${token}`)).text()).not.toContain(MESSAGES.en.confirmTitle);
  });

  it('the trap link alone marks the survey scanned; it shows the page without a preselected reaction', async () => {
    const t = await testApi();
    const s = await t.createSurvey('T-1');
    const res = await get(t, `/s/${s.token}/t`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).not.toContain('data-autosubmit');
    expect(page).not.toContain('aria-pressed="true"');
    await post(t, s.token, { reaction: 'positive', auto: '1' });
    expect(await counted(t)).toBe(0);
    expect(await t.store.countHeldAnswers(t.site.id)).toBe(1);
  });

  it('HEAD of the trap link marks too (scanners use HEAD); an unknown token is a 404 and records nothing', async () => {
    const t = await testApi();
    const s = await t.createSurvey('T-1');
    expect((await get(t, `/s/${s.token}/t`, 'HEAD')).status).toBe(200);
    expect((await get(t, `/s/nope/t`)).status).toBe(404);
    await post(t, s.token, { reaction: 'negative', auto: '1' });
    expect(await counted(t)).toBe(0);
  });

  it('one reaction link opened by a person: the auto-send counts', async () => {
    const t = await testApi();
    const s = await t.createSurvey('T-1');
    await get(t, s.links.positive!);
    await get(t, s.links.positive!); // a reload is still one link
    await post(t, s.token, { reaction: 'positive', auto: '1' });
    expect((await t.score()).counts.positive).toBe(1);
    expect(await t.store.countHeldAnswers(t.site.id)).toBe(0);
  });

  it('two links further apart than the burst window do not mark; the mark lapses after SCANNED_FOR_MS', async () => {
    const t = await testApi();
    const a = await t.createSurvey('T-1');
    await get(t, a.links.positive!);
    t.clock.advance(LINK_BURST_MS + 1);
    await get(t, a.links.negative!);
    await post(t, a.token, { reaction: 'negative', auto: '1' });
    expect((await t.score()).counts.negative).toBe(1);

    const b = await scannedSurvey(t, 'T-2');
    t.clock.advance(SCANNED_FOR_MS);
    await post(t, b.token, { reaction: 'neutral', auto: '1' });
    expect((await t.score()).counts.neutral).toBe(1);
  });

  it('the no-JavaScript form (no `auto`) counts even on a scanned survey', async () => {
    const t = await testApi();
    const s = await scannedSurvey(t);
    expect((await post(t, s.token, { reaction: 'neutral' })).status).toBe(303);
    expect((await t.score()).counts.neutral).toBe(1);
  });

  it('a link of another reaction than the held one shows the ordinary page (auto-send armed) instead of the confirmation', async () => {
    const t = await testApi();
    const s = await scannedSurvey(t);
    await post(t, s.token, { reaction: 'positive', auto: '1' });
    const page = await (await get(t, s.links.negative!)).text();
    expect(page).not.toContain(MESSAGES.en.confirmTitle);
    expect(page).toContain('data-autosubmit="negative"');
  });

  it('POST /v1/responses with auto: true on a scanned survey is a 202 held answer; without it, 201 counted', async () => {
    const t = await testApi();
    const s = await scannedSurvey(t);
    const held = await t.json('POST', '/v1/responses', { token: s.token, reaction: 'positive', auto: true });
    expect(held.status).toBe(202);
    expect(await held.json()).toMatchObject({ answered: false, held: { reaction: 'positive', comment: null } });
    expect(await counted(t)).toBe(0);
    const bad = await t.json('POST', '/v1/responses', { token: s.token, reaction: 'positive', auto: 'yes' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBeTruthy();
    expect((await t.json('POST', '/v1/responses', { token: s.token, reaction: 'positive' })).status).toBe(201);
    expect(await counted(t)).toBe(1);
  });

  it('the email carries the trap link before the reaction links, hidden and without text, in the HTML part only', async () => {
    const t = await testApi();
    const s = await t.createSurvey('T-1');
    const survey = (await t.store.getSurveyByTokenId(verifySurveyToken(t.config.tokenSecret, s.token)!))!;
    const mail = composeSurveyEmail({
      site: t.site,
      settings: { siteId: t.site.id, senderName: null, senderEmail: 'survey@acme.example', replyTo: null, smtpUrlSealed: null, delayMinutes: 0 } as never,
      survey: { ...survey, contactEmail: 'ann@example.com' },
      messageId: '<m@acme.example>',
      publicUrl: 'https://csat.example.com',
      tokenSecret: t.config.tokenSecret,
    });
    const html = String(mail.html);
    const trap = `https://csat.example.com/s/${s.token}/t`;
    expect(html).toMatch(new RegExp(`<a href="${trap.replace(/[.?/]/g, '\\$&')}" style="display:none[^"]*" aria-hidden="true" tabindex="-1"></a>`));
    expect(html.indexOf(trap)).toBeLessThan(html.indexOf(`${s.token}?r=positive`));
    expect(String(mail.text)).not.toContain(trap);
    expect(String(mail.text)).toContain(`${s.token}?r=positive`);
  });
});
