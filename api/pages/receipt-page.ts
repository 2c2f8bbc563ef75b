// The public receipt of one log entry: what the entry says (no personal data: an opaque survey id, the
// reaction, the day), links to the raw proof, and the page script (receipt-script.ts) that checks the
// inclusion proof and the checkpoint's signature in the visitor's browser. Entries are numbered by the
// log's own index, from 0, shown as #index, as the log routes take them.
import { html } from 'hono/html';
import type { Locale } from '../domain/locale.js';
import type { LogEntry } from '../domain/log-entry.js';
import { VOCABULARY } from '../domain/vocabulary.js';
import { pageLayout, type Html } from './layout.js';
import { fill, MESSAGES, REACTION_EMOJI, RECEIPT_MESSAGES } from './messages.js';
import { RECEIPT_JS } from './receipt-script.js';

const layout = (locale: Locale, title: string, body: Html, withScript: boolean) =>
  pageLayout(locale, title, body, withScript ? `/assets/receipt.js?v=${RECEIPT_JS.version}` : undefined);

export interface ReceiptView {
  locale: Locale;
  site: string;
  company: string;
  index: number;
  /** The exact entry text, as hashed into the tree. */
  data: string;
  entry: LogEntry;
  /** The log's size when the page was made: the size of the proof linked for readers without JavaScript. */
  size: number;
}

/** A reaction as its emoji and word; a CSAT or NPS answer ("nps:9") as "9 out of 10 (Promoters)". */
function answerText(entry: LogEntry, locale: ReceiptView['locale']): string {
  const v = VOCABULARY[locale];
  if (!entry.answer) return `${REACTION_EMOJI[entry.reaction]} ${v.reaction[entry.reaction]}`;
  const [tag = '', value = ''] = entry.answer.split(':');
  const kind = tag === 'nps' ? 'nps' : 'csat';
  const max = kind === 'nps' ? '10' : tag.slice('csat'.length);
  return `${fill(v.valueOf, { value, max })} (${v.classes[kind][entry.reaction]})`;
}

export function renderReceiptPage(view: ReceiptView): string {
  const t = RECEIPT_MESSAGES[view.locale];
  const base = `/v1/sites/${encodeURIComponent(view.site)}/log`;
  const title = fill(t.title, { index: String(view.index), company: view.company });
  const { entry } = view;
  return layout(
    view.locale,
    title,
    html`<p class="company">${view.company}</p>
<h1>${title}</h1>
<div data-receipt data-base="${base}" data-index="${view.index}" data-entry="${view.data}" data-checking="${t.checking}" data-checked="${t.checked}" data-failed="${t.failed}">
<div id="receipt-status" class="status-region" role="status" aria-live="polite"><p class="status">${t.noScript}</p></div>
<dl>
<dt>${t.reaction}</dt><dd>${answerText(entry, view.locale)}</dd>
<dt>${t.day}</dt><dd>${entry.day}</dd>
<dt>${t.kind}</dt><dd>${entry.kind === 'change' ? t.kindChange : t.kindFirst}</dd>
<dt>${t.survey}</dt><dd><code>${entry.survey}</code></dd>
</dl>
<h2>${t.raw}</h2>
<ul>
<li><a href="${base}/entries?start=${view.index}&amp;end=${view.index + 1}">${t.rawEntry}</a></li>
<li><a href="${base}/proof/inclusion?index=${view.index}&amp;size=${view.size}">${fill(t.rawProof, { size: String(view.size) })}</a></li>
<li><a href="${base}/checkpoint">${t.rawCheckpoint}</a></li>
<li><a href="${base}/key">${t.rawKey}</a></li>
</ul>
</div>
<footer>${MESSAGES[view.locale].poweredBy}</footer>`,
    true,
  );
}

/** A friendly page for an unknown site or entry (404) or an index that is not a number (400). */
export function renderReceiptProblem(locale: Locale, kind: 'not_found' | 'bad_index', company?: string): string {
  const t = RECEIPT_MESSAGES[locale];
  const [title, body] = kind === 'bad_index' ? [t.badIndexTitle, t.badIndexBody] : [t.notFoundTitle, t.notFoundBody];
  return layout(locale, title, html`${company ? html`<p class="company">${company}</p>` : ''}<h1>${title}</h1>
<p>${body}</p>
<footer>${MESSAGES[locale].poweredBy}</footer>`, false);
}
