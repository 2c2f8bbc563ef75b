import { describe, expect, it } from 'vitest';
import { testApi } from '../helpers.js';

/** The checks an email fragment must pass to render the same in Outlook, Gmail and Apple Mail. */
function emailProblems(fragment: string, origin: string): string[] {
  const problems: string[] = [];
  if (/<script/i.test(fragment)) problems.push('has a <script>');
  if (/<style/i.test(fragment)) problems.push('relies on a <style> block');
  if (/<link/i.test(fragment)) problems.push('links external CSS');
  if (/\sclass=/i.test(fragment)) problems.push('uses classes (no stylesheet will style them)');
  if (/\son\w+=/i.test(fragment)) problems.push('has an event handler attribute');
  for (const img of fragment.match(/<img\b[^>]*>/gi) ?? []) if (!/\salt="[^"]*"/.test(img)) problems.push(`image without alt: ${img}`);
  for (const [, href] of fragment.matchAll(/\shref="([^"]*)"/gi)) if (!href!.startsWith(`${origin}/`)) problems.push(`link not absolute: ${href}`);
  if (!/^<table\b/.test(fragment.trim())) problems.push('is not table-based');
  return problems;
}

describe('the email snippet', () => {
  it('comes with the survey: table-based, inline styles, three absolute links with text labels, and a text version', async () => {
    const t = await testApi();
    const survey = (await t.createSurvey('T-1042')) as unknown as { emailHtml: string; emailText: string; links: Record<string, string> };
    expect(emailProblems(survey.emailHtml, 'https://csat.example.com')).toEqual([]);
    const hrefs = [...survey.emailHtml.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual([survey.links.positive, survey.links.neutral, survey.links.negative]);
    for (const label of ['😀 Good', '😐 Okay', '😞 Bad', 'How did we do on this request?', 'Ticket T-1042 · Acme IT']) {
      expect(survey.emailHtml).toContain(label);
    }
    expect(survey.emailText).toContain(`Good: ${survey.links.positive}`);
    expect(survey.emailText).toContain(`Okay: ${survey.links.neutral}`);
    expect(survey.emailText).toContain(`Bad: ${survey.links.negative}`);
    expect(survey.emailText).not.toMatch(/<[a-z]/i);
  });

  it('escapes the company name and the ticket, and is right-to-left in Arabic', async () => {
    const t = await testApi({ site: { name: 'Acme <b>&</b> "IT"', locale: 'ar' } });
    const survey = (await t.createSurvey('<T-1>')) as unknown as { emailHtml: string };
    expect(survey.emailHtml).toContain('Acme &lt;b&gt;&amp;&lt;/b&gt; &quot;IT&quot;');
    expect(survey.emailHtml).toContain('&lt;T-1&gt;');
    expect(survey.emailHtml).toContain('dir="rtl"');
    expect(survey.emailHtml).toContain('كيف كان أداؤنا في هذا الطلب؟');
    expect(emailProblems(survey.emailHtml, 'https://csat.example.com')).toEqual([]);
  });

  it('can be fetched again later by a help-desk tool with the admin key', async () => {
    const t = await testApi();
    const survey = (await t.createSurvey('T-1')) as unknown as { id: string; emailHtml: string; emailText: string };
    const auth = { Authorization: `Bearer ${t.key}` };
    const html = await t.app.request(`/v1/sites/acme/surveys/${survey.id}/email.html`, { headers: auth });
    expect(html.status).toBe(200);
    expect(html.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await html.text()).toBe(survey.emailHtml);
    const text = await t.app.request(`/v1/sites/acme/surveys/${survey.id}/email.txt`, { headers: auth });
    expect(await text.text()).toBe(survey.emailText);
    expect((await t.app.request(`/v1/sites/acme/surveys/${survey.id}/email.html`)).status).toBe(401);
    const missing = await t.app.request('/v1/sites/acme/surveys/sv_nope/email.html', { headers: auth });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('survey_not_found');
  });
});

describe('survey fatigue (throttleDays)', () => {
  const create = (t: Awaited<ReturnType<typeof testApi>>, ticketRef: string, email?: string) =>
    t.json('POST', '/v1/sites/acme/surveys', email ? { ticketRef, contact: { email } } : { ticketRef }, { Authorization: `Bearer ${t.key}` });

  it('is off by default: every ticket gets a survey', async () => {
    const t = await testApi();
    for (const ticket of ['T-1', 'T-2', 'T-3']) {
      const res = await create(t, ticket, 'client@example.com');
      expect(res.status).toBe(201);
      expect((await res.json()).throttled).toBe(false);
    }
  });

  it('skips a contact surveyed within the last N days across tickets, matching email case-insensitively', async () => {
    const t = await testApi({ site: { throttleDays: 30 } });
    expect((await create(t, 'T-1', 'Client@Example.com')).status).toBe(201);
    t.clock.advanceDays(10);
    for (const [ticket, email] of [['T-2', 'client@example.com'], ['T-3', 'CLIENT@EXAMPLE.COM']] as const) {
      const res = await create(t, ticket, email);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ throttled: true, ticketRef: ticket, previous: { ticketRef: 'T-1' } });
      expect(body.token).toBeUndefined();
      expect(body.nextAllowedAt).toBe(new Date(t.clock.ms - 10 * 86_400_000 + 30 * 86_400_000).toISOString());
    }
    // Other contacts, surveys without a contact, and retries of the first ticket are unaffected.
    expect((await create(t, 'T-4', 'someone.else@example.com')).status).toBe(201);
    expect((await create(t, 'T-5')).status).toBe(201);
    const retry = await create(t, 'T-1', 'client@example.com');
    expect(retry.status).toBe(200);
    expect((await retry.json()).throttled).toBe(false);
    // The throttled tickets got no survey: a later call for them after the period creates one.
    t.clock.advanceDays(20);
    expect((await create(t, 'T-2', 'client@example.com')).status).toBe(201);
    expect((await create(t, 'T-3', 'client@example.com')).status).toBe(200); // throttled again by T-2
  });
});
