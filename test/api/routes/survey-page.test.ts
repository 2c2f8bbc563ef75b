import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../../api/domain/locale.js';
import { MESSAGES } from '../../../api/pages/messages.js';
import { testApi } from '../helpers.js';

type Api = Awaited<ReturnType<typeof testApi>>;
const ORIGIN = 'http://localhost'; // the origin of app.request()'s URLs

function post(t: Api, token: string, fields: Record<string, string>, headers: Record<string, string> = { Origin: ORIGIN }) {
  return t.app.request(`/s/${token}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The recorded answer, or null before the first one (a 404 `not_answered`, or `answered: false`). */
const answerOf = async (t: Api, token: string) => {
  const res = await t.app.request(`/v1/responses/${token}`);
  if (res.status !== 200) return null;
  const body = (await res.json()) as { answered?: boolean; reaction: string; comment: string | null };
  return body.answered === false ? null : body;
};

describe('GET /s/:token', () => {
  it('shows the question, the company, the ticket and a no-JavaScript form with three reaction buttons', async () => {
    const t = await testApi({ site: { name: 'Acme & Sons IT' } });
    const { token } = await t.createSurvey('T-1042');
    const res = await t.app.request(`/s/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('How did we do on this request?');
    expect(page).toContain('Acme &amp; Sons IT');
    expect(page).toContain('About ticket T-1042');
    expect(page).toContain(`<form method="post" action="/s/${token}">`);
    for (const r of ['positive', 'neutral', 'negative']) {
      expect(page).toMatch(new RegExp(`<button type="submit" name="reaction" value="${r}"[^>]*aria-pressed="false"`));
    }
    expect(page).toContain('<textarea id="comment" name="comment" maxlength="2000"');
    expect(page).not.toContain('data-autosubmit'); // nothing to send without a preselected reaction
    expect(page).not.toContain('<script');
  });

  it('preselects ?r= and arms the one-click script, but never records on GET or HEAD', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    for (const method of ['GET', 'HEAD', 'GET']) {
      const res = await t.app.request(`/s/${token}?r=negative`, { method });
      expect(res.status).toBe(200);
    }
    const page = await (await t.app.request(`/s/${token}?r=negative`)).text();
    expect(page).toMatch(/value="negative"[^>]*aria-pressed="true"/);
    expect(page).toContain('data-autosubmit="negative"');
    expect(page).toMatch(/<script src="\/assets\/survey\.js\?v=[\w-]+" defer><\/script>/);
    expect(await answerOf(t, token)).toBeNull();
    expect(await t.store.listEvents(t.site.id)).toEqual([]);
    // An unknown ?r= is ignored rather than guessed at.
    expect(await (await t.app.request(`/s/${token}?r=delete`)).text()).not.toContain('data-autosubmit');
  });

  it('sends a strict CSP, a referrer policy that keeps Origin on its own form, and no caching', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const res = await t.app.request(`/s/${token}`);
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(res.headers.get('Content-Security-Policy')).toContain("form-action 'self'");
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('Content-Security-Policy')).toContain("connect-src 'self'"); // the comment is saved with a fetch to this page
    expect(res.headers.get('Content-Security-Policy')).not.toContain('unsafe');
    expect(res.headers.get('Referrer-Policy')).toBe('same-origin');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const script = await t.app.request('/assets/survey.js?v=1');
    expect(script.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    const code = await script.text();
    expect(code).toContain("visibilityState !== 'visible'");
    expect(code).toContain('toLocaleString(document.documentElement.lang');
    expect(code).toContain('"timeZoneName":"short"');
  });

  it('answers unknown tokens with a friendly 404 page and expired ones with 410', async () => {
    const t = await testApi({ site: { tokenTtlDays: 1 } });
    const unknown = await t.app.request('/s/not-a-token');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await unknown.text()).toContain('We could not find this survey');
    const { token } = await t.createSurvey('T-1');
    t.clock.advanceDays(1);
    const expired = await t.app.request(`/s/${token}?r=positive`);
    expect(expired.status).toBe(410);
    const body = await expired.text();
    expect(body).toContain('This survey link has expired');
    expect(body).toContain('Acme IT');
    expect((await post(t, token, { reaction: 'positive' })).status).toBe(410);
    expect(await answerOf(t, token)).toBeNull();
  });

  it('speaks the browser\'s language, else the site\'s; a language chosen for the survey wins', async () => {
    const t = await testApi({ site: { locale: 'fr' } });
    const { token } = await t.createSurvey('T-1');
    const page = async (lang?: string) => (await t.app.request(`/s/${token}`, { headers: lang ? { 'Accept-Language': lang } : {} })).text();
    expect(await page()).toContain('<html lang="fr" dir="ltr">');
    expect(await page('ar-EG,ar;q=0.9,en;q=0.5')).toContain('<html lang="ar" dir="rtl">');
    expect(await page('de-DE,en;q=0.8')).toContain('How did we do on this request?');
    expect(await page('de-DE')).toContain('Comment avons-nous traité cette demande ?');
    const chosen = (await (await t.json('POST', '/v1/sites/acme/surveys', { ticketRef: 'T-2', locale: 'ar' }, { Authorization: `Bearer ${t.key}` })).json()) as { token: string };
    expect(await (await t.app.request(`/s/${chosen.token}`, { headers: { 'Accept-Language': 'en' } })).text()).toContain('dir="rtl"');
  });
});

describe('POST /s/:token', () => {
  it('records the reaction and comment, then redirects to the thank-you page (post/redirect/get)', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const res = await post(t, token, { reaction: 'negative', comment: 'Took three days' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/s/${token}?saved=1`);
    expect(await answerOf(t, token)).toMatchObject({ reaction: 'negative', comment: 'Took three days' });
    const thanks = await (await t.app.request(`/s/${token}?saved=1`)).text();
    expect(thanks).toContain('Thank you! Your answer was saved.');
    expect(thanks).toContain('Your answer: 😞 Bad');
    // The deadline in UTC for pages without JavaScript, in a <time> the page script rewrites in local time.
    expect(thanks).toMatch(/You can change it until <time datetime="2026-11-30T12:00:00\.000Z" data-local>November 30, 2026\b[^<]*\b12:00 PM UTC<\/time>\./);
    expect(thanks).toMatch(/<script src="\/assets\/survey\.js\?v=[\w-]+" defer><\/script>/);
    expect(thanks).toContain('Changed your mind?');
    expect(thanks).toMatch(/<textarea[^>]*>Took three days<\/textarea>/);
    expect(thanks).not.toMatch(/value="negative" class="reaction/); // only the two other reactions are offered
  });

  it('tells "comment saved" (the Save comment button re-posts the current reaction) from "answer saved", in a live region', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const region = (text: string) => `<div id="status" class="status-region" role="status" aria-live="polite">${text}</div>`;
    expect((await post(t, token, { reaction: 'positive', comment: '' })).headers.get('Location')).toBe(`/s/${token}?saved=1`);
    // Nothing to say yet, but the region is there for the page script to write into.
    expect(await (await t.app.request(`/s/${token}`)).text()).toContain(region(''));

    const saved = await post(t, token, { reaction: 'positive', comment: 'Quick fix' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe(`/s/${token}?saved=comment`);
    expect(await answerOf(t, token)).toMatchObject({ reaction: 'positive', comment: 'Quick fix' });
    const page = await (await t.app.request(`/s/${token}?saved=comment`)).text();
    expect(page).toContain(region('<p class="status saved">Comment saved.</p>'));
    expect(page).toContain('<title>Comment saved. Acme IT: How did we do on this request?</title>');
    expect(page).not.toContain('Your answer was saved.');

    // A changed reaction is an answer saved, even with the comment alongside.
    expect((await post(t, token, { reaction: 'neutral', comment: 'Quick fix' })).headers.get('Location')).toBe(`/s/${token}?saved=1`);
    expect(await (await t.app.request(`/s/${token}?saved=1`)).text()).toContain(region('<p class="status saved">Thank you! Your answer was saved.</p>'));
  });

  it('has the comment confirmation and the deadline in every language', async () => {
    const t = await testApi();
    for (const locale of LOCALES) {
      const m = MESSAGES[locale];
      if (locale !== 'en') expect(m.commentSaved).not.toBe(MESSAGES.en.commentSaved);
      const { token } = await t.createSurvey(`T-${locale}`, { locale });
      await post(t, token, { reaction: 'negative' });
      const page = await (await t.app.request(`/s/${token}?saved=comment`)).text();
      expect(page).toContain(`<p class="status saved">${m.commentSaved}</p>`);
      expect(page).toContain(`data-saving-comment="${m.savingComment}" data-comment-saved="${m.commentSaved}"`);
      const [before, after] = m.changeUntil.split('{date}');
      expect(page).toMatch(new RegExp(`${before}<time datetime="2026-11-30T12:00:00\\.000Z" data-local>[^<]+</time>${after!.replace('.', '\\.')}`));
    }
  });

  it('accepts a post whose browser says Sec-Fetch-Site: same-origin', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    expect((await post(t, token, { reaction: 'positive' }, { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
  });

  it('refuses cross-site posts, and posts with no origin at all, with 403 and records nothing', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const attempts: Array<Record<string, string>> = [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }, {}];
    for (const headers of attempts) {
      const res = await post(t, token, { reaction: 'negative', comment: 'forged' }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).toContain('This form was sent from another website');
    }
    expect(await answerOf(t, token)).toBeNull();
  });

  it('answers a malformed multipart body with the 400 page, not a 500 (found by the fuzzer)', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const res = await t.app.request(`/s/${token}`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'multipart/form-data; boundary=' },
      body: 'reaction=positive',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Please choose one of the three reactions.');
    expect(await answerOf(t, token)).toBeNull();
  });

  it('accepts the configured public origin (behind a reverse proxy)', async () => {
    const t = await testApi({ config: { publicUrl: 'https://csat.example.com' } });
    const { token } = await t.createSurvey('T-1');
    expect((await post(t, token, { reaction: 'positive' }, { Origin: 'https://csat.example.com' })).status).toBe(303);
  });

  it('re-shows the page with a 400 and keeps the draft when the reaction or comment is wrong', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    const noReaction = await post(t, token, { comment: 'my draft' });
    expect(noReaction.status).toBe(400);
    const page = await noReaction.text();
    expect(page).toContain('Please choose one of the three reactions.');
    expect(page).toMatch(/<textarea[^>]*>my draft<\/textarea>/);
    const tooLong = await post(t, token, { reaction: 'positive', comment: 'x'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('longer than 2,000 characters');
    expect((await post(t, token, { reaction: 'positive' }, { Origin: ORIGIN, 'Content-Type': 'application/json' })).status).toBe(400);
    expect(await answerOf(t, token)).toBeNull();
  });

  it('shows a comment with markup as text, on the thank-you page and once final', async () => {
    const t = await testApi({ site: { changeWindowDays: 1 } });
    const { token } = await t.createSurvey('T-1');
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await post(t, token, { reaction: 'neutral', comment: evil });
    expect((await answerOf(t, token))?.comment).toBe(evil);
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;';
    const thanks = await (await t.app.request(`/s/${token}`)).text();
    expect(thanks).toContain(escaped);
    expect(thanks).not.toContain('<script>alert');
    t.clock.advanceDays(2);
    const final = await (await t.app.request(`/s/${token}`)).text();
    expect(final).toContain(`<p class="answer">${escaped}</p>`);
    expect(final).not.toContain('<img src=x');
  });

  it('lets the person change their mind inside the window and shows the answer read-only after it', async () => {
    const t = await testApi({ site: { changeWindowDays: 7 } });
    const { token } = await t.createSurvey('T-1');
    await post(t, token, { reaction: 'negative', comment: 'slow' });
    expect((await t.score()).score).toBe(-100);
    t.clock.advanceDays(3);
    expect((await post(t, token, { reaction: 'positive', comment: 'slow, but they fixed it' })).status).toBe(303);
    expect((await t.score()).score).toBe(100);
    // A different ?r= on an answered survey is only preselected: it needs the person's press.
    const offered = await (await t.app.request(`/s/${token}?r=negative`)).text();
    expect(offered).not.toContain('data-autosubmit');
    expect(offered).toContain('Press “😞 Bad” to send your answer.');

    t.clock.advanceDays(4);
    const late = await post(t, token, { reaction: 'negative' });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('This answer can no longer be changed');
    const final = await (await t.app.request(`/s/${token}`)).text();
    expect(final).toContain('This answer is final.');
    expect(final).not.toContain('<form');
    expect(final).toContain('slow, but they fixed it');
    expect((await answerOf(t, token))?.reaction).toBe('positive');
    expect((await t.score()).score).toBe(100);
  });
});
