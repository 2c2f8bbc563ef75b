// The survey page as HTML, rendered on the server: it works with JavaScript off, and every value from
// a person (company name, ticket, comment) goes through hono/html's escaping. One page for every kind:
// three reactions, a CSAT scale (1..3, 1..5, 1..10) or NPS (0..10), each answer a submit button.
import { html } from 'hono/html';
import { MAX_COMMENT_CHARS } from '../domain/comment.js';
import { DIMENSIONS, type Dimension } from '../domain/dimensions.js';
import type { KindScale, SurveyKind } from '../domain/kinds.js';
import type { Locale } from '../domain/locale.js';
import { VOCABULARY } from '../domain/vocabulary.js';
import { choiceOf, choicesOf, type Choice } from './answer-choices.js';
import { SURVEY_JS } from './assets.js';
import { pageLayout, type Html } from './layout.js';
import { fill, formatDate, MESSAGES, type Messages } from './messages.js';

export interface SurveyView {
  locale: Locale;
  token: string;
  company: string;
  /** Null for a relationship campaign's survey: it is about no ticket. */
  ticketRef: string | null;
  kind: SurveyKind;
  /** Points of a CSAT scale; null for the other kinds. */
  scale: number | null;
  /** The recorded answer, if any: its value on the kind's scale (reactions: 1, 0, -1). */
  answer: { value: number; comment: string | null; dimensions: readonly Dimension[] } | null;
  changeableUntil: number | null;
  /** False once the change window has closed (the page is then read-only). */
  open: boolean;
  /** An answer named by the link (`?r=`), to preselect: its value. */
  preselect: number | null;
  /** What was just saved (after the redirect of a POST): an answer, or only the comment (and dimensions). */
  saved: 'answer' | 'comment' | null;
  /** A problem with the last POST, shown in the status line. */
  problem?: string;
  /** What the person typed and ticked, kept when a POST is refused. */
  draftComment?: string;
  draftDimensions?: readonly Dimension[];
  /** An answer the page sent by itself while mail scanners were opening the links: not counted until
   * a person presses Confirm. */
  held?: { value: number; comment: string | null } | null;
  /** The log entry that holds the current answer (its latest event), for the public receipt. */
  logEntry?: { site: string; index: number } | null;
}

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

/** One answer as a submit button: a reaction with its emoji and word, or a number read out as "4 out of 5"
 * (with the scale's end label on its two ends). `data-choice` lets the page script find the one a link named. */
function choiceButton(choice: Choice, pressed: boolean) {
  const aria = pressed ? 'true' : 'false';
  if (choice.field === 'reaction') {
    const [emoji, ...word] = choice.text.split(' ');
    return html`<button type="submit" name="reaction" value="${choice.param}" class="reaction ${choice.class}" aria-pressed="${aria}" data-choice><span>${emoji}</span> <span>${word.join(' ')}</span></button>`;
  }
  const label = choice.end ? `${choice.name} (${choice.end})` : choice.name;
  return html`<button type="submit" name="score" value="${choice.param}" class="point" aria-pressed="${aria}" aria-label="${label}" data-choice>${choice.text}</button>`;
}

/** The whole row of answers: three reactions, or a numbered scale with its end labels under it. */
function choiceGroup(view: SurveyView, label: string, choices: readonly Choice[], pressed: number | null) {
  if (view.kind === 'reaction') {
    return html`<div class="reactions" role="group" aria-label="${label}">
${choices.map((c) => choiceButton(c, c.value === pressed))}
</div>`;
  }
  const all = choicesOf(ks(view), view.locale);
  const low = all[0]!;
  const high = all[all.length - 1]!;
  return html`<div class="scale points-${all.length}" role="group" aria-label="${label}">
${choices.map((c) => choiceButton(c, c.value === pressed))}
</div>
<p class="scale-ends" aria-hidden="true"><span>${low.text}: ${low.end}</span><span>${high.text}: ${high.end}</span></p>`;
}

const ks = (view: SurveyView): KindScale => ({ kind: view.kind, scale: view.scale });

/** The text of an answer: "😀 Good", or "4 out of 5". */
function answerName(view: SurveyView, value: number): string {
  return choiceOf(ks(view), view.locale, value)?.name ?? String(value);
}

/** The hidden choice of the confirm and save buttons: the same field and value as the answer's own button. */
function sameAnswer(view: SurveyView, value: number) {
  const choice = choiceOf(ks(view), view.locale, value);
  return { name: choice?.field ?? 'score', value: choice?.param ?? String(value) };
}

function commentBox(t: Messages, label: string, company: string, value: string) {
  return html`<label for="comment">${label}</label>
<textarea id="comment" name="comment" maxlength="${MAX_COMMENT_CHARS}" aria-describedby="comment-hint">${value}</textarea>
<p class="hint" id="comment-hint">${fill(t.commentHint, { company })}</p>`;
}

/** "What mattered most?": five optional checkboxes. The hidden empty field says the question was on the
 * page, so posting it with nothing ticked clears an earlier choice (unticked boxes send nothing). */
function dimensionsBox(locale: Locale, chosen: readonly Dimension[]) {
  const v = VOCABULARY[locale];
  return html`<fieldset class="dimensions">
<legend>${v.dimensionsQuestion}</legend>
<input type="hidden" name="dimensions" value="">
${DIMENSIONS.map(
  (d) => html`<div class="check"><input type="checkbox" id="dimension-${d}" name="dimensions" value="${d}"${chosen.includes(d) ? html` checked` : ''}> <label for="dimension-${d}">${v.dimensions[d]}</label></div>`,
)}
</fieldset>`;
}

/** The log's own index (from 0), shown as #index as the log routes number it; the link needs no token. */
export const receiptHref = (site: string, index: number, locale: Locale) => `/log/${encodeURIComponent(site)}/${index}?lang=${locale}`;

function receiptLine(t: Messages, view: SurveyView) {
  const entry = view.logEntry;
  if (!entry) return '';
  return html`<p class="meta receipt">${fill(view.kind === 'reaction' ? t.logEntry : t.logEntryAnswer, { index: String(entry.index), company: view.company })} <a href="${receiptHref(entry.site, entry.index, view.locale)}">${t.logEntryLink}</a></p>`;
}

export function renderSurveyPage(view: SurveyView): string {
  const t = MESSAGES[view.locale];
  const v = VOCABULARY[view.locale];
  const question = v.question[view.kind];
  const choices = choicesOf(ks(view), view.locale);
  const { answer } = view;
  // A link naming a value the kind does not have preselects nothing.
  const preselect = view.preselect !== null && choices.some((c) => c.value === view.preselect) ? view.preselect : null;
  const header = html`<p class="company">${view.company}</p>
<h1>${question}</h1>
${view.ticketRef === null ? '' : html`<p class="ticket">${fill(t.aboutTicket, { ticket: view.ticketRef })}</p>`}`;
  const until = view.changeableUntil === null ? '' : deadline(t, view.changeableUntil, view.locale);
  const layout = (title: string, body: Html, withScript = false) =>
    pageLayout(view.locale, title, body, withScript ? `/assets/survey.js?v=${SURVEY_JS.version}` : undefined);

  // A held answer, and no link asking for another answer: one button, pressed by a person, counts it.
  // No script on this page, so nothing here is ever sent by itself.
  const held = view.held;
  if (held && view.open && !view.problem && (preselect === null || preselect === held.value)) {
    const same = sameAnswer(view, held.value);
    return layout(
      `${t.confirmTitle}: ${view.company}`,
      html`${header}
${statusRegion(t.confirmTitle)}
<form method="post" action="/s/${view.token}" class="confirm">
<p><strong>${fill(t.yourAnswer, { reaction: answerName(view, held.value) })}</strong></p>
${held.comment ? html`<p class="answer">${held.comment}</p><input type="hidden" name="comment" value="${held.comment}">` : ''}
<button type="submit" name="${same.name}" value="${same.value}" class="reaction ${choiceOf(ks(view), view.locale, held.value)?.class ?? 'neutral'}">${t.confirmButton}</button>
</form>`,
    );
  }

  if (answer && !view.open) {
    return layout(
      `${view.company}: ${question}`,
      html`${header}
${problemLine(view.problem)}
<p><strong>${fill(t.yourAnswer, { reaction: answerName(view, answer.value) })}</strong></p>
${answer.comment ? html`<p class="answer">${answer.comment}</p>` : ''}
${answer.dimensions.length ? html`<p class="meta">${v.dimensionsQuestion}</p><ul class="chosen">${answer.dimensions.map((d) => html`<li>${v.dimensions[d]}</li>`)}</ul>` : ''}
<p class="meta">${t.final}</p>
${receiptLine(t, view)}`,
    );
  }

  if (answer) {
    // Answered and still changeable: thanks, the follow-up question of the answer's class, "what
    // mattered most?", and the other answers.
    const target = preselect !== null && preselect !== answer.value ? preselect : null;
    const saved = view.problem || target !== null || !view.saved ? '' : view.saved === 'comment' ? t.commentSaved : t.saved;
    const status =
      target !== null && !view.problem
        ? statusRegion(fill(t.pressToConfirm, { reaction: answerName(view, target) }))
        : statusRegion(saved, 'saved');
    const answered = choiceOf(ks(view), view.locale, answer.value);
    const followUp = v.followUp[view.kind][answered?.class ?? 'neutral'];
    const same = sameAnswer(view, answer.value);
    // Reactions offer the two others; a numbered scale stays whole, the current answer pressed.
    const others = view.kind === 'reaction' ? choices.filter((c) => c.value !== answer.value) : choices;
    const pressed = view.kind === 'reaction' ? target : (target ?? answer.value);
    // A title that starts with the outcome is read out first when the page loads without JavaScript.
    return layout(
      `${saved ? `${saved} ` : ''}${view.company}: ${question}`,
      html`${header}
${problemLine(view.problem)}
${status}
<form method="post" action="/s/${view.token}" data-saving-comment="${t.savingComment}" data-comment-saved="${t.commentSaved}">
<p><strong>${fill(t.yourAnswer, { reaction: answerName(view, answer.value) })}</strong></p>
<p class="meta">${until}</p>
${receiptLine(t, view)}
${commentBox(t, followUp, view.company, view.draftComment ?? answer.comment ?? '')}
${dimensionsBox(view.locale, view.draftDimensions ?? answer.dimensions)}
<button type="submit" name="${same.name}" value="${same.value}" class="save">${t.saveComment}</button>
<h2>${t.changedMind}</h2>
${choiceGroup(view, t.changedMind, others, pressed)}
</form>`,
      true,
    );
  }

  // Not answered yet. With `?r=` the script posts the preselected answer once a person sees the page;
  // without the script, the person presses it.
  const pick = view.kind === 'reaction' ? t.pick : t.pickScore;
  const status = view.problem
    ? html`${problemLine(view.problem)}
${statusRegion('')}`
    : statusRegion(preselect !== null ? fill(t.pressToConfirm, { reaction: answerName(view, preselect) }) : pick);
  const auto = preselect !== null && !view.problem ? html` data-autosubmit="${sameAnswer(view, preselect).value}" data-saving="${t.saving}"` : '';
  return layout(
    `${view.company}: ${question}`,
    html`${header}
${status}
<form method="post" action="/s/${view.token}"${auto}>
${choiceGroup(view, question, choices, preselect)}
${commentBox(t, t.commentLabel, view.company, view.draftComment ?? '')}
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
  return pageLayout(locale, title, html`${company ? html`<p class="company">${company}</p>` : ''}<h1>${title}</h1>
<p>${body}</p>
<footer>${t.poweredBy}</footer>`);
}
