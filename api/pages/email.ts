// The survey as an email fragment: a table-based layout with inline styles only, no scripts, no images,
// no SVG, no flexbox or grid and no external CSS, so it renders the same in Outlook, Gmail and Apple
// Mail. Every link is absolute; each one opens the survey page (`?r=` names the answer), which records
// nothing until a person's browser posts. Reaction surveys show the three reactions; CSAT 1-5 five
// stars; CSAT 1-3, 1-10 and NPS a row of numbers; each link carries its words ("4 out of 5") for
// screen readers and the text part lists every value with its link.
import { html, raw } from 'hono/html';
import type { KindScale, SurveyKind } from '../domain/kinds.js';
import { RTL_LOCALES, type Locale } from '../domain/locale.js';
import type { SurveyLinks } from '../services/surveys.js';
import type { Reaction } from '../domain/reaction.js';
import { VOCABULARY } from '../domain/vocabulary.js';
import { choicesOf, type Choice } from './answer-choices.js';
import { fill, MESSAGES, REACTION_EMOJI } from './messages.js';

export interface EmailInput {
  company: string;
  /** The ticket the survey is about; null for a relationship campaign's survey, which is about no ticket. */
  ticketRef: string | null;
  locale: Locale;
  /** The reaction links, and the survey page (`/s/:token`) that numbered answers link to with `?r=<value>`. */
  links: SurveyLinks;
  /** Default: a reaction survey. */
  kind?: SurveyKind;
  /** Points of a CSAT scale. */
  scale?: number | null;
  /** The trap link (`/s/:token/t`): in the HTML before the reaction links, with no text and not displayed,
   * so people never open it while link scanners, which open every address of a message, do. */
  trap?: string;
}

const COLORS: Record<Reaction, string> = { positive: '#1e7b34', neutral: '#8a5a00', negative: '#b3261e' };
/** Numbered answers share one color: tinting a scale by class would steer the answer. */
const SCALE_COLOR = '#1a56db';
const STAR_COLOR = '#b45309';
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

const kindOf = (input: EmailInput): KindScale => ({ kind: input.kind ?? 'reaction', scale: input.scale ?? null });

/** The page address without a query: given by the caller, or the reaction link without its `?r=`. */
const pageOf = (links: EmailInput['links']) => links.page;

/** Each answer with its link: reactions keep their own links; numbers go to the page with `?r=<value>`. */
export function answerLinks(input: EmailInput): { choice: Choice; href: string }[] {
  const ks = kindOf(input);
  const page = pageOf(input.links);
  return choicesOf(ks, input.locale).map((choice) => ({
    choice,
    href: input.links[choice.param] ?? `${page}?r=${encodeURIComponent(choice.param)}`,
  }));
}

/** Five stars only for CSAT 1-5, the scale people know as stars; other scales read as numbers. */
const starsFor = (ks: KindScale) => ks.kind === 'csat' && ks.scale === 5;

function answerCells(input: EmailInput) {
  const ks = kindOf(input);
  const t = VOCABULARY[input.locale];
  const links = answerLinks(input);
  if (ks.kind === 'reaction') {
    return links.map(
      ({ choice, href }) =>
        html`<td style="padding:0 8px 0 0"><a href="${href}" target="_blank" style="display:inline-block;padding:12px 18px;border:2px solid ${COLORS[choice.param as Reaction]};border-radius:8px;color:${COLORS[choice.param as Reaction]};background:#ffffff;text-decoration:none;font-size:16px;font-weight:bold;${FONT}">${REACTION_EMOJI[choice.param as Reaction]} ${t.reaction[choice.param as Reaction]}</a></td>`,
    );
  }
  const stars = starsFor(ks);
  // Small gaps and boxes: eleven NPS numbers still fit a 390 px phone's mail view in one row.
  return links.map(({ choice, href }) => {
    const label = choice.end ? `${choice.name} (${choice.end})` : choice.name;
    return stars
      ? html`<td align="center" style="padding:0 4px"><a href="${href}" target="_blank" title="${label}" aria-label="${label}" style="display:inline-block;padding:4px 6px;color:${STAR_COLOR};text-decoration:none;font-size:32px;line-height:36px;${FONT}">&#9733;<br><span style="font-size:13px;line-height:16px;color:#555555">${choice.text}</span></a></td>`
      : html`<td align="center" style="padding:0 2px"><a href="${href}" target="_blank" title="${label}" aria-label="${label}" style="display:inline-block;min-width:16px;padding:8px 4px;border:2px solid ${SCALE_COLOR};border-radius:6px;color:${SCALE_COLOR};background:#ffffff;text-decoration:none;text-align:center;font-size:15px;line-height:18px;font-weight:bold;${FONT}">${choice.text}</a></td>`;
  });
}

/** Under a numbered row: which end means what ("1 = Very dissatisfied", "5 = Very satisfied"). */
function scaleEnds(input: EmailInput, align: string) {
  const ks = kindOf(input);
  if (ks.kind === 'reaction') return '';
  const all = choicesOf(ks, input.locale);
  const low = all[0]!;
  const high = all[all.length - 1]!;
  const end = align === 'right' ? 'left' : 'right';
  return html`<tr><td style="padding:0 0 12px 0"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse"><tr><td style="font-size:13px;color:#555555;text-align:${align};${FONT}">${low.text} = ${low.end}</td><td style="font-size:13px;color:#555555;text-align:${end};${FONT}">${high.text} = ${high.end}</td></tr></table></td></tr>`;
}

export function emailHtml(input: EmailInput): string {
  const { company, ticketRef, locale, trap } = input;
  const t = MESSAGES[locale];
  const question = VOCABULARY[locale].question[kindOf(input).kind];
  const dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  const align = dir === 'rtl' ? 'right' : 'left';
  return html`<table role="presentation" dir="${dir}" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;text-align:${align}">
<tr><td style="padding:0 0 12px 0;font-size:18px;font-weight:bold;color:#1f1f1f;${FONT}">${trap ? html`<a href="${trap}" style="display:none;font-size:0;line-height:0" aria-hidden="true" tabindex="-1"></a>` : ''}${question}</td></tr>
<tr><td style="padding:0 0 ${kindOf(input).kind === 'reaction' ? 12 : 6}px 0"><table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse"><tr>${answerCells(input)}</tr></table></td></tr>
${scaleEnds(input, align)}<tr><td style="padding:0 0 4px 0;font-size:13px;color:#555555;${FONT}">${t.emailIntro}</td></tr>
<tr><td style="font-size:13px;color:#555555;${FONT}">${footer(t, ticketRef, company)}</td></tr>
</table>`.toString();
}

/** Subject and unsubscribe wording of the email sent by the server itself (the fragment above is also
 * handed to help-desk tools that send their own). */
const MAIL_WORDS: Record<Locale, { subject: string; unsubscribe: string }> = {
  en: { subject: 'How did we do on ticket {ticket}?', unsubscribe: 'Stop receiving these surveys' },
  fr: { subject: 'Comment avons-nous traité le ticket {ticket} ?', unsubscribe: 'Ne plus recevoir ces questionnaires' },
  ar: { subject: 'كيف كان أداؤنا في التذكرة {ticket}؟', unsubscribe: 'إيقاف تلقي هذه الاستبيانات' },
};

/** About a ticket: "How did we do on ticket T-1?"; a relationship survey: "Acme IT: <the kind's question>". */
export function emailSubject(input: Pick<EmailInput, 'ticketRef' | 'locale' | 'company' | 'kind'>): string {
  const { ticketRef, locale } = input;
  if (ticketRef === null) return `${input.company}: ${VOCABULARY[locale].question[input.kind ?? 'reaction']}`;
  return fill(MAIL_WORDS[locale].subject, { ticket: ticketRef });
}

const footer = (t: (typeof MESSAGES)[Locale], ticketRef: string | null, company: string) =>
  ticketRef === null ? company : fill(t.emailFooter, { ticket: ticketRef, company });

/** The whole HTML message: the fragment in a document with its language and direction, and the
 * unsubscribe link (the same address as the List-Unsubscribe header). */
export function emailDocument(input: EmailInput, unsubscribeUrl: string): string {
  const dir = RTL_LOCALES.has(input.locale) ? 'rtl' : 'ltr';
  return html`<!doctype html>
<html lang="${input.locale}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${emailSubject(input)}</title></head>
<body style="margin:0;padding:16px;background:#ffffff">${raw(emailHtml(input))}
<p style="margin:24px 0 0 0;font-size:12px;color:#555555;${FONT}"><a href="${unsubscribeUrl}" style="color:#555555">${MAIL_WORDS[input.locale].unsubscribe}</a></p>
</body></html>`.toString();
}

/** The plain-text part of the email sent by the server: the text fragment and the unsubscribe link. */
export function emailTextWithUnsubscribe(input: EmailInput, unsubscribeUrl: string): string {
  return `${emailText(input)}\n${MAIL_WORDS[input.locale].unsubscribe}: ${unsubscribeUrl}\n`;
}

export function emailText(input: EmailInput): string {
  const { company, ticketRef, locale } = input;
  const t = MESSAGES[locale];
  const ks = kindOf(input);
  const v = VOCABULARY[locale];
  return [
    v.question[ks.kind],
    '',
    ...answerLinks(input).map(({ choice, href }) =>
      ks.kind === 'reaction' ? `${v.reaction[choice.param as Reaction]}: ${href}` : `${choice.end ? `${choice.name} (${choice.end})` : choice.name}: ${href}`,
    ),
    '',
    t.emailIntro,
    footer(t, ticketRef, company),
    '',
  ].join('\n');
}
