// The survey page as HTML, rendered on the server: it works with JavaScript off, and every value from
// a person (company name, ticket, comment) goes through hono/html's escaping.
import { html } from 'hono/html';
import { MAX_COMMENT_CHARS } from '../domain/comment.js';
import type { Locale } from '../domain/locale.js';
import { REACTIONS, type Reaction } from '../domain/reaction.js';
import { SURVEY_JS } from './assets.js';
import { pageLayout, type Html } from './layout.js';
import { fill, formatDate, MESSAGES, REACTION_EMOJI, type Messages } from './messages.js';

const layout = (locale: Locale, title: string, body: Html, withScript = false) =>
  pageLayout(locale, title, body, withScript ? `/assets/survey.js?v=${SURVEY_JS.version}` : undefined);

export interface SurveyView {
  locale: Locale;
  token: string;
  company: string;
  ticketRef: string;
  /** The recorded answer, if any. */
  answer: { reaction: Reaction; comment: string | null } | null;
  changeableUntil: number | null;
  /** False once the change window has closed (the page is then read-only). */
  open: boolean;
  /** A reaction named by the link (`?r=`), to preselect. */
  preselect: Reaction | null;
  /** What was just saved (after the redirect of a POST): a reaction, or only the comment. */
  saved: 'answer' | 'comment' | null;
  /** A problem with the last POST, shown in the status line. */
  problem?: string;
  /** What the person typed, kept when a POST is refused. */
  draftComment?: string;
  /** An answer the page sent by itself while mail scanners were opening the links: not counted until
   * a person presses Confirm. */
  held?: { reaction: Reaction; comment: string | null } | null;
  /** The log entry that holds the current reaction (its latest event), for the public receipt. */
  logEntry?: { site: string; index: number } | null;
}

const reactionLabel = (t: Messages, r: Reaction) => `${REACTION_EMOJI[r]} ${t.reaction[r]}`;

/**
 * The polite live region, always in the page even when empty: screen readers announce a change of
 * its text (the page script writes into it), not a region that appears with its text.
 */
function statusRegion(text: string, kind = '') {
  return html`<div id="status" class="status-region" role="status" aria-live="polite">${text ? html`<p class="status${kind ? ` ${kind}` : ''}">${text}</p>` : ''}</div>`;
}

const problemLine = (problem: string | undefined) => (problem ? html`<p class="status problem" role="alert">${problem}</p>` : '');

/** "You can change it until …": the date in UTC for pages without JavaScript; the page script rewrites it in local time. */
function deadline(t: Messages, ms: number, locale: Locale) {
  const [before = '', after = ''] = t.changeUntil.split('{date}');
  return html`${before}<time datetime="${new Date(ms).toISOString()}" data-local>${formatDate(ms, locale)}</time>${after}`;
}

function reactionButton(t: Messages, r: Reaction, pressed: boolean) {
  return html`<button type="submit" name="reaction" value="${r}" class="reaction ${r}" aria-pressed="${pressed ? 'true' : 'false'}"><span>${REACTION_EMOJI[r]}</span> <span>${t.reaction[r]}</span></button>`;
}

function commentBox(t: Messages, company: string, value: string) {
  return html`<label for="comment">${t.commentLabel}</label>
<textarea id="comment" name="comment" maxlength="${MAX_COMMENT_CHARS}" aria-describedby="comment-hint">${value}</textarea>
<p class="hint" id="comment-hint">${fill(t.commentHint, { company })}</p>`;
}

/** The log's own index (from 0), shown as #index as the log routes number it; the link needs no token. */
export const receiptHref = (site: string, index: number, locale: Locale) => `/log/${encodeURIComponent(site)}/${index}?lang=${locale}`;

function receiptLine(t: Messages, view: SurveyView) {
  const entry = view.logEntry;
  if (!entry) return '';
  return html`<p class="meta receipt">${fill(t.logEntry, { index: String(entry.index), company: view.company })} <a href="${receiptHref(entry.site, entry.index, view.locale)}">${t.logEntryLink}</a></p>`;
}

export function renderSurveyPage(view: SurveyView): string {
  const t = MESSAGES[view.locale];
  const { answer, preselect } = view;
  const header = html`<p class="company">${view.company}</p>
<h1>${t.question}</h1>
<p class="ticket">${fill(t.aboutTicket, { ticket: view.ticketRef })}</p>`;
  const until = view.changeableUntil === null ? '' : deadline(t, view.changeableUntil, view.locale);

  // A held answer, and no link asking for another reaction: one button, pressed by a person, counts it.
  // No script on this page, so nothing here is ever sent by itself.
  const held = view.held;
  if (held && view.open && !view.problem && (!preselect || preselect === held.reaction)) {
    return layout(
      view.locale,
      `${t.confirmTitle}: ${view.company}`,
      html`${header}
${statusRegion(t.confirmTitle)}
<form method="post" action="/s/${view.token}" class="confirm">
<p><strong>${fill(t.yourAnswer, { reaction: reactionLabel(t, held.reaction) })}</strong></p>
${held.comment ? html`<p class="answer">${held.comment}</p><input type="hidden" name="comment" value="${held.comment}">` : ''}
<button type="submit" name="reaction" value="${held.reaction}" class="reaction ${held.reaction}">${t.confirmButton}</button>
</form>`,
    );
  }

  if (answer && !view.open) {
    return layout(
      view.locale,
      `${view.company}: ${t.question}`,
      html`${header}
${problemLine(view.problem)}
<p><strong>${fill(t.yourAnswer, { reaction: reactionLabel(t, answer.reaction) })}</strong></p>
${answer.comment ? html`<p class="answer">${answer.comment}</p>` : ''}
<p class="meta">${t.final}</p>
${receiptLine(t, view)}`,
    );
  }

  if (answer) {
    // Answered and still changeable: thanks, the comment box, and the two other reactions.
    const target = preselect && preselect !== answer.reaction ? preselect : null;
    const saved = view.problem || target || !view.saved ? '' : view.saved === 'comment' ? t.commentSaved : t.saved;
    const status = target && !view.problem ? statusRegion(fill(t.pressToConfirm, { reaction: reactionLabel(t, target) })) : statusRegion(saved, 'saved');
    // A title that starts with the outcome is read out first when the page loads without JavaScript.
    return layout(
      view.locale,
      `${saved ? `${saved} ` : ''}${view.company}: ${t.question}`,
      html`${header}
${problemLine(view.problem)}
${status}
<form method="post" action="/s/${view.token}" data-saving-comment="${t.savingComment}" data-comment-saved="${t.commentSaved}">
<p><strong>${fill(t.yourAnswer, { reaction: reactionLabel(t, answer.reaction) })}</strong></p>
<p class="meta">${until}</p>
${receiptLine(t, view)}
${commentBox(t, view.company, view.draftComment ?? answer.comment ?? '')}
<button type="submit" name="reaction" value="${answer.reaction}" class="save">${t.saveComment}</button>
<h2>${t.changedMind}</h2>
<div class="reactions" role="group" aria-label="${t.changedMind}">
${REACTIONS.filter((r) => r !== answer.reaction).map((r) => reactionButton(t, r, r === target))}
</div>
</form>`,
      true,
    );
  }

  // Not answered yet. With `?r=` the script posts the preselected reaction once a person sees the page;
  // without the script, the person presses it.
  const status = view.problem
    ? html`${problemLine(view.problem)}
${statusRegion('')}`
    : statusRegion(preselect ? fill(t.pressToConfirm, { reaction: reactionLabel(t, preselect) }) : t.pick);
  const auto = preselect && !view.problem ? html` data-autosubmit="${preselect}" data-saving="${t.saving}"` : '';
  return layout(
    view.locale,
    `${view.company}: ${t.question}`,
    html`${header}
${status}
<form method="post" action="/s/${view.token}"${auto}>
<div class="reactions" role="group" aria-label="${t.question}">
${REACTIONS.map((r) => reactionButton(t, r, r === preselect))}
</div>
${commentBox(t, view.company, view.draftComment ?? '')}
</form>`,
    Boolean(auto),
  );
}

export type MessagePage = 'invalid' | 'expired' | 'forbidden' | 'rate_limited';

/** A friendly page for a link that cannot be answered. */
export function renderMessagePage(locale: Locale, kind: MessagePage, company?: string): string {
  const t = MESSAGES[locale];
  const [title, body] =
    kind === 'invalid'
      ? [t.invalidTitle, t.invalidBody]
      : kind === 'expired'
        ? [t.expiredTitle, t.expiredBody]
        : kind === 'rate_limited'
          ? [t.rateLimitedTitle, t.rateLimitedBody]
          : [t.forbiddenTitle, t.forbiddenBody];
  return layout(locale, title, html`${company ? html`<p class="company">${company}</p>` : ''}<h1>${title}</h1>
<p>${body}</p>
<footer>${t.poweredBy}</footer>`);
}
