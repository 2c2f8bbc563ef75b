// The survey as an email fragment: a table-based layout with inline styles only, no scripts, no images
// and no external CSS, so it renders the same in Outlook, Gmail and Apple Mail. Every link is absolute;
// each one opens the survey page, which records nothing until a person's browser posts.
import { html, raw } from 'hono/html';
import { RTL_LOCALES, type Locale } from '../domain/locale.js';
import { REACTIONS, type Reaction } from '../domain/reaction.js';
import { fill, MESSAGES, REACTION_EMOJI } from './messages.js';

export interface EmailInput {
  company: string;
  ticketRef: string;
  locale: Locale;
  links: Record<Reaction, string>;
  /** The trap link (`/s/:token/t`): in the HTML before the reaction links, with no text and not displayed,
   * so people never open it while link scanners, which open every address of a message, do. */
  trap?: string;
}

const COLORS: Record<Reaction, string> = { positive: '#1e7b34', neutral: '#8a5a00', negative: '#b3261e' };
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export function emailHtml({ company, ticketRef, locale, links, trap }: EmailInput): string {
  const t = MESSAGES[locale];
  const dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  const align = dir === 'rtl' ? 'right' : 'left';
  const buttons = REACTIONS.map(
    (r) => html`<td style="padding:0 8px 0 0"><a href="${links[r]}" target="_blank" style="display:inline-block;padding:12px 18px;border:2px solid ${COLORS[r]};border-radius:8px;color:${COLORS[r]};background:#ffffff;text-decoration:none;font-size:16px;font-weight:bold;${FONT}">${REACTION_EMOJI[r]} ${t.reaction[r]}</a></td>`,
  );
  return html`<table role="presentation" dir="${dir}" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;text-align:${align}">
<tr><td style="padding:0 0 12px 0;font-size:18px;font-weight:bold;color:#1f1f1f;${FONT}">${trap ? html`<a href="${trap}" style="display:none;font-size:0;line-height:0" aria-hidden="true" tabindex="-1"></a>` : ''}${t.question}</td></tr>
<tr><td style="padding:0 0 12px 0"><table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse"><tr>${buttons}</tr></table></td></tr>
<tr><td style="padding:0 0 4px 0;font-size:13px;color:#555555;${FONT}">${t.emailIntro}</td></tr>
<tr><td style="font-size:13px;color:#555555;${FONT}">${fill(t.emailFooter, { ticket: ticketRef, company })}</td></tr>
</table>`.toString();
}

/** Subject and unsubscribe wording of the email sent by the server itself (the fragment above is also
 * handed to help-desk tools that send their own). */
const MAIL_WORDS: Record<Locale, { subject: string; unsubscribe: string }> = {
  en: { subject: 'How did we do on ticket {ticket}?', unsubscribe: 'Stop receiving these surveys' },
  fr: { subject: 'Comment avons-nous traité le ticket {ticket} ?', unsubscribe: 'Ne plus recevoir ces questionnaires' },
  ar: { subject: 'كيف كان أداؤنا في التذكرة {ticket}؟', unsubscribe: 'إيقاف تلقي هذه الاستبيانات' },
};

export function emailSubject({ ticketRef, locale }: Pick<EmailInput, 'ticketRef' | 'locale'>): string {
  return fill(MAIL_WORDS[locale].subject, { ticket: ticketRef });
}

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

export function emailText({ company, ticketRef, locale, links }: EmailInput): string {
  const t = MESSAGES[locale];
  return [
    t.question,
    '',
    ...REACTIONS.map((r) => `${t.reaction[r]}: ${links[r]}`),
    '',
    t.emailIntro,
    fill(t.emailFooter, { ticket: ticketRef, company }),
    '',
  ].join('\n');
}
