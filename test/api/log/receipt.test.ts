// The receipt: the answered survey page names the log entry that holds the current reaction (the
// response's latest event), and links to a public page for that entry; bad or unknown indexes get a
// friendly 400 or 404 page.
import { describe, expect, it } from 'vitest';
import { RECEIPT_MESSAGES } from '../../../api/pages/messages.js';
import { testApi } from '../helpers.js';

type Api = Awaited<ReturnType<typeof testApi>>;
const ORIGIN = 'http://localhost';

const postForm = (t: Api, token: string, reaction: string) =>
  t.app.request(`/s/${token}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
    body: new URLSearchParams({ reaction }).toString(),
  });

/** The entry number and receipt link the answered page shows. */
async function receiptOf(t: Api, token: string, query = '?saved=1') {
  const page = await (await t.app.request(`/s/${token}${query}`)).text();
  const m = /entry #(\d+) of ([^<]*)’s public log\. <a href="([^"]+)">See the proof<\/a>/.exec(page);
  expect(m, page).not.toBeNull();
  return { index: Number(m![1]), company: m![2]!, href: m![3]!.replace(/&amp;/g, '&') };
}

async function entry(t: Api, index: number) {
  const res = await t.app.request(`/v1/sites/${t.site.slug}/log/entries?start=${index}&end=${index + 1}`);
  const { entries } = (await res.json()) as { entries: Array<{ index: number; data: string }> };
  return JSON.parse(entries[0]!.data) as { survey: string; reaction: string; kind: string };
}

describe('the receipt on the answered survey page', () => {
  it('names the entry of the current reaction: same reaction, same opaque survey id as the log route', async () => {
    const t = await testApi({ site: { name: 'Acme' } });
    const other = await t.createSurvey('T-0');
    await t.react(other.token, 'negative');
    const { token } = await t.createSurvey('T-1');

    // Not answered yet: no receipt.
    expect(await (await t.app.request(`/s/${token}`)).text()).not.toContain('public log');

    expect((await postForm(t, token, 'neutral')).status).toBe(303);
    const first = await receiptOf(t, token);
    expect(first.index).toBe(1);
    expect(first.company).toBe('Acme');
    expect(first.href).toBe(`/log/${t.site.slug}/1?lang=en`);
    const firstEntry = await entry(t, first.index);
    expect(firstEntry).toMatchObject({ reaction: 'neutral', kind: 'first' });

    // Another survey answers in between, then this one changes its reaction: the receipt moves to the change.
    await t.react((await t.createSurvey('T-2')).token, 'positive');
    t.clock.advance(1000);
    expect((await postForm(t, token, 'positive')).status).toBe(303);
    const changed = await receiptOf(t, token);
    expect(changed.index).toBe(3);
    const changedEntry = await entry(t, changed.index);
    expect(changedEntry).toMatchObject({ reaction: 'positive', kind: 'change', survey: firstEntry.survey });

    // A page load writes nothing: the entry stays the same; a comment sent with the reaction again through
    // the JSON API is a new event, and the receipt follows it (still the same survey, same reaction).
    expect((await receiptOf(t, token, '')).index).toBe(3);
    await t.react(token, 'positive', 'Thanks');
    const latest = await receiptOf(t, token, '');
    expect(latest.index).toBe(4);
    expect(await entry(t, latest.index)).toMatchObject({ reaction: 'positive', survey: firstEntry.survey });

    // The page the link opens shows that entry.
    const res = await t.app.request(changed.href);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Entry #3 of Acme’s public log');
    expect(html).toContain(`<code>${changedEntry.survey}</code>`);
    expect(html).toMatch(/<script src="\/assets\/receipt\.js\?v=[\w-]+" defer><\/script>/);
    expect(html).toContain(`href="/v1/sites/${t.site.slug}/log/proof/inclusion?index=3&amp;size=5"`);
    expect(html).not.toContain('T-1'); // no ticket, no token, no comment
    expect(html).not.toContain(token);
    expect(html).not.toContain('Thanks');
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(res.headers.get('Content-Security-Policy')).toContain("connect-src 'self'");
    const script = await t.app.request(html.match(/src="(\/assets\/receipt\.js\?v=[\w-]+)"/)![1]!);
    expect(script.status).toBe(200);
    expect(script.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain("crypto.subtle.importKey('raw'");
  });

  it('speaks the survey page\'s language', async () => {
    const t = await testApi({ site: { name: 'Acme' } });
    const { token } = await t.createSurvey('T-1');
    await t.react(token, 'positive');
    const page = await (await t.app.request(`/s/${token}`, { headers: { 'Accept-Language': 'fr' } })).text();
    expect(page).toContain('Votre réaction est l’entrée n° 0 du journal public de Acme.');
    expect(page).toContain(`href="/log/${t.site.slug}/0?lang=fr"`);
    const receipt = await t.app.request(`/log/${t.site.slug}/0?lang=ar`);
    expect(receipt.headers.get('Content-Language')).toBe('ar');
    const html = await receipt.text();
    expect(html).toContain('dir="rtl"');
    expect(html).toContain(RECEIPT_MESSAGES.ar.raw);
  });
});

describe('GET /log/:site/:index', () => {
  it('answers a friendly 400 for an index that is not a whole number, and a 404 past the end or for an unknown site', async () => {
    const t = await testApi({ site: { name: 'Acme' } });
    await t.react((await t.createSurvey('T-1')).token, 'positive');
    expect((await t.app.request(`/log/${t.site.slug}/0`)).status).toBe(200);
    for (const bad of ['x', '-1', '1.5', '1e3', '9999999999999999']) {
      const res = await t.app.request(`/log/${t.site.slug}/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain(RECEIPT_MESSAGES.en.badIndexTitle);
    }
    for (const url of [`/log/${t.site.slug}/1`, `/log/${t.site.slug}/999999999999999`, '/log/nope/0', '/log/NOT..A..SLUG/0']) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain(RECEIPT_MESSAGES.en.notFoundTitle);
    }
  });
});

describe('the receipt of a CSAT or NPS answer', () => {
  it('carries the answer and its moment in the log entry, and shows it as a number of its scale with its class', async () => {
    const t = await testApi({ site: { name: 'Acme', kind: 'nps' } });
    const { token } = await t.createSurvey('T-1', { moment: 'onboarding' });
    expect((await t.json('POST', '/v1/responses', { token, score: 9 })).status).toBe(201);
    const data = await entry(t, 0);
    expect(data).toMatchObject({ reaction: 'positive', answer: 'nps:9', moment: 'onboarding' });
    const page = await (await t.app.request(`/log/${t.site.slug}/0`)).text();
    expect(page).toContain('9 out of 10 (Promoters)');
  });

  it('keeps a reaction entry byte for byte as before survey kinds: no answer, no default moment', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    await t.react(token, 'positive');
    const res = await t.app.request(`/v1/sites/${t.site.slug}/log/entries?start=0&end=1`);
    const { entries } = (await res.json()) as { entries: Array<{ data: string }> };
    expect(Object.keys(JSON.parse(entries[0]!.data))).toEqual(['v', 'survey', 'reaction', 'day', 'origin', 'sealed', 'kind']);
  });
});
