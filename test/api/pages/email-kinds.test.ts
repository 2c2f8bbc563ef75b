// The survey email of each kind: every answer a link to the survey page with `?r=<value>` (stars for
// CSAT 1-5, numbers for CSAT 1-3 and 1-10 and NPS), in table markup with inline styles only (what
// Outlook and Gmail keep), each link named for screen readers, and a text part listing every value.
import { describe, expect, it } from 'vitest';
import type { SurveyKind } from '../../../api/domain/kinds.js';
import { VOCABULARY } from '../../../api/domain/vocabulary.js';
import { composeSurveyEmail } from '../../../api/email/compose.js';
import { emailHtml, emailText, type EmailInput } from '../../../api/pages/email.js';
import { testApi } from '../helpers.js';

const PAGE = 'https://csat.example.com/s/tok123';
const links = { page: PAGE, positive: `${PAGE}?r=positive`, neutral: `${PAGE}?r=neutral`, negative: `${PAGE}?r=negative` };
const input = (kind: SurveyKind, scale: number | null = null, locale: EmailInput['locale'] = 'en'): EmailInput => ({
  company: 'Acme IT',
  ticketRef: 'T-9',
  locale,
  kind,
  scale,
  links,
});

/** What mail clients drop or mangle: anything but tables with inline styles and absolute links. */
function emailProblems(fragment: string): string[] {
  const problems: string[] = [];
  if (/<script/i.test(fragment)) problems.push('has a <script>');
  if (/<style/i.test(fragment)) problems.push('relies on a <style> block');
  if (/<link/i.test(fragment)) problems.push('links external CSS');
  if (/<svg/i.test(fragment)) problems.push('has SVG');
  if (/<img/i.test(fragment)) problems.push('has an image');
  if (/\sclass=/i.test(fragment)) problems.push('uses classes');
  if (/display:\s*(inline-)?(flex|grid)/i.test(fragment)) problems.push('uses flexbox or grid');
  if (/\son\w+=/i.test(fragment)) problems.push('has an event handler attribute');
  for (const [, href] of fragment.matchAll(/\shref="([^"]*)"/gi)) if (!href!.startsWith('https://csat.example.com/')) problems.push(`link not absolute: ${href}`);
  if (!/^<table\b/.test(fragment.trim())) problems.push('is not table-based');
  return problems;
}

/** Each answer link: its address, its title, its aria-label and its visible text (tags stripped). */
const anchors = (html: string) =>
  [...html.matchAll(/<a href="([^"]*)" target="_blank"([^>]*)>(.*?)<\/a>/gs)].map((m) => ({
    href: m[1]!.replace(/&amp;/g, '&'),
    title: /title="([^"]*)"/.exec(m[2]!)?.[1] ?? null,
    aria: /aria-label="([^"]*)"/.exec(m[2]!)?.[1] ?? null,
    text: m[3]!.replace(/<br>/g, ' ').replace(/<[^>]+>/g, '').trim(),
  }));

describe('the survey email of each kind', () => {
  it('reaction: the three reaction links, as before', () => {
    const html = emailHtml(input('reaction'));
    expect(emailHtml({ ...input('reaction'), kind: undefined })).toBe(html);
    expect(emailProblems(html)).toEqual([]);
    expect(anchors(html).map((a) => a.href)).toEqual([links.positive, links.neutral, links.negative]);
    expect(html).toContain('😀 Good');
    expect(emailText(input('reaction'))).toContain(`Good: ${links.positive}`);
  });

  it('CSAT 1-5: five stars, each a link with "n out of 5", the end labels under them', () => {
    const html = emailHtml(input('csat', 5));
    expect(emailProblems(html)).toEqual([]);
    expect(html).toContain(VOCABULARY.en.question.csat);
    const a = anchors(html);
    expect(a.map((x) => x.href)).toEqual([1, 2, 3, 4, 5].map((v) => `${PAGE}?r=${v}`));
    expect(a.every((x) => x.text.startsWith('★') || x.text.startsWith('&#9733;'))).toBe(true);
    expect(html.match(/&#9733;/g)).toHaveLength(5);
    expect(a.map((x) => x.aria)).toEqual(['1 out of 5 (Very dissatisfied)', '2 out of 5', '3 out of 5', '4 out of 5', '5 out of 5 (Very satisfied)']);
    expect(a.map((x) => x.title)).toEqual(a.map((x) => x.aria));
    expect(html).toContain('1 = Very dissatisfied');
    expect(html).toContain('5 = Very satisfied');
  });

  for (const [kind, scale, values] of [
    ['csat', 3, [1, 2, 3]],
    ['csat', 10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['nps', null, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ] as const) {
    it(`${kind}${scale ? ` 1-${scale}` : ''}: a row of numbers, each a link to ?r=<value> with its words`, () => {
      const html = emailHtml(input(kind, scale));
      expect(emailProblems(html)).toEqual([]);
      expect(html).not.toContain('&#9733;');
      const a = anchors(html);
      const max = kind === 'nps' ? 10 : scale;
      expect(a.map((x) => x.href)).toEqual(values.map((v) => `${PAGE}?r=${v}`));
      expect(a.map((x) => x.text)).toEqual(values.map(String));
      for (const [i, x] of a.entries()) expect(x.aria).toMatch(new RegExp(`^${values[i]} out of ${max}( \\(.*\\))?$`));
      // One row: every answer a cell of the same table row.
      expect(html.match(/<tr><td align="center"/g)).toHaveLength(1);
    });

    it(`${kind}${scale ? ` 1-${scale}` : ''}: the text part lists every value with its link`, () => {
      const text = emailText(input(kind, scale));
      expect(text).not.toMatch(/<[a-z]/i);
      const max = kind === 'nps' ? 10 : scale;
      for (const v of values) expect(text).toMatch(new RegExp(`^${v} out of ${max}( \\([^)]*\\))?: ${PAGE.replace(/[.?]/g, '\\$&')}\\?r=${v}$`, 'm'));
      expect(text.split('\n')[0]).toBe(VOCABULARY.en.question[kind]);
    });
  }

  it('Arabic: right to left, with the vocabulary’s words for each value', () => {
    const html = emailHtml(input('nps', null, 'ar'));
    expect(html).toContain('dir="rtl"');
    expect(html).toContain(VOCABULARY.ar.question.nps);
    expect(anchors(html)[4]!.aria).toBe('4 من 10');
    expect(emailText(input('nps', null, 'ar'))).toContain(`4 من 10: ${PAGE}?r=4`);
  });

  it('the survey API hands out the fragment of the site’s kind, and its links open the page preselected without recording', async () => {
    const t = await testApi({ site: { kind: 'nps' } });
    const survey = (await t.createSurvey('T-1')) as unknown as { token: string; emailHtml: string; emailText: string };
    const a = anchors(survey.emailHtml);
    expect(a).toHaveLength(11);
    expect(a[9]!.href).toBe(`https://csat.example.com/s/${survey.token}?r=9`);
    expect(survey.emailText).toContain(`9 out of 10: https://csat.example.com/s/${survey.token}?r=9`);
    const page = await (await t.app.request(`/s/${survey.token}?r=9`)).text();
    expect(page).toContain('data-autosubmit="9"');
    expect(await t.store.listEvents(t.site.id)).toEqual([]);
  });

  it('the email the server sends itself is of the survey’s kind (HTML and text parts)', async () => {
    const t = await testApi({ site: { kind: 'csat', scale: 5 } });
    const { id, token } = await t.createSurvey('T-2');
    const survey = (await t.store.getSurvey(t.site.id, id))!;
    const mail = composeSurveyEmail({
      site: t.site,
      settings: { senderEmail: 'desk@example.com' } as never,
      survey: { ...survey, contactEmail: 'client@example.com' },
      messageId: '<x@example.com>',
      publicUrl: 'https://csat.example.com',
      tokenSecret: t.config.tokenSecret,
    });
    const html = String(mail.html);
    expect(html.match(/&#9733;/g)).toHaveLength(5);
    expect(html).toContain(`https://csat.example.com/s/${token}?r=4`);
    expect(String(mail.text)).toContain(`4 out of 5: https://csat.example.com/s/${token}?r=4`);
  });
});
