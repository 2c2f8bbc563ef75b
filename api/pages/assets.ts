// The survey page's own stylesheet and script, served from this origin so the page's CSP can forbid
// inline code. The script only adds conveniences; the page works without it.
import { createHash } from 'node:crypto';
import { compressedAsset } from '../middleware/compressed-asset.js';
import { DEADLINE_FORMAT } from './messages.js';

const CSS = `
:root { color-scheme: light dark; --fg: #1f1f1f; --muted: #5b5b5b; --bg: #f4f5f7; --card: #fff; --line: #d0d4da;
  --positive: #1e7b34; --neutral: #8a5a00; --negative: #b3261e; --focus: #1a56db; }
@media (prefers-color-scheme: dark) { :root { --fg: #f1f1f1; --muted: #b8b8b8; --bg: #15171a; --card: #1f2226; --line: #3a3f46;
  --positive: #6fd08c; --neutral: #f0b95a; --negative: #ff8a80; --focus: #8ab4ff; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans Arabic", sans-serif; padding: 2rem 1rem; }
main { max-width: 34rem; margin: 0 auto; background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1.5rem;
  overflow-wrap: anywhere; }
.company { margin: 0 0 .25rem; color: var(--muted); font-weight: 600; }
h1 { margin: 0 0 .25rem; font-size: 1.5rem; line-height: 1.25; }
.ticket, .hint, .meta { color: var(--muted); margin: 0 0 1rem; font-size: .95rem; }
.status { margin: 0 0 1rem; padding: .75rem 1rem; border-radius: 8px; border: 1px solid var(--line); }
.status.saved { border-color: var(--positive); }
.status.problem { border-color: var(--negative); }
/* One row of equal columns whatever the words' lengths: a wrapped row made the last button the widest. */
.reactions { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); gap: .75rem; margin: 0 0 1.25rem; }
.reaction { display: flex; flex-wrap: wrap; align-items: center; justify-content: center; gap: 0 .4rem; text-align: center;
  min-height: 3.5rem; font: inherit; font-weight: 600; font-size: 1.1rem; cursor: pointer;
  border: 2px solid var(--tone); color: var(--tone); background: transparent; border-radius: 10px; padding: .5rem .75rem; }
.reaction[aria-pressed="true"] { background: var(--tone); color: var(--card); }
.reaction.positive { --tone: var(--positive); } .reaction.neutral { --tone: var(--neutral); } .reaction.negative { --tone: var(--negative); }
/* A numbered scale (CSAT, NPS): one row of equal squares; on phones 10 and 11 points take two rows
   (0-5 over 6-10) so that every target stays a thumb's width. Grid follows the page's direction. */
.scale { display: grid; gap: .4rem; margin: 0 0 .35rem; }
.scale.points-3 { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.scale.points-5 { grid-template-columns: repeat(5, minmax(0, 1fr)); }
.scale.points-10 { grid-template-columns: repeat(10, minmax(0, 1fr)); }
.scale.points-11 { grid-template-columns: repeat(11, minmax(0, 1fr)); }
.point { min-height: 2.75rem; min-width: 0; padding: .25rem 0; font: inherit; font-weight: 700; font-size: 1.1rem; cursor: pointer;
  border: 2px solid var(--focus); color: var(--focus); background: transparent; border-radius: 8px; }
.point[aria-pressed="true"] { background: var(--focus); color: var(--card); }
.scale-ends { display: flex; justify-content: space-between; gap: 1rem; margin: 0 0 1.25rem; color: var(--muted); font-size: .9rem; }
.scale-ends span:last-child { text-align: end; }
fieldset.dimensions { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 .5rem; padding: .5rem .75rem .75rem; }
fieldset.dimensions legend { font-weight: 600; padding: 0 .25rem; }
.check { display: flex; align-items: flex-start; gap: .5rem; margin: .35rem 0 0; }
.check input { width: 1.25rem; height: 1.25rem; margin: .15rem 0 0; flex: none; }
.check label { font-weight: 400; margin: 0; }
.chosen { margin: 0 0 1rem; padding-inline-start: 1.25rem; }
button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
label { display: block; font-weight: 600; margin: 0 0 .35rem; }
textarea { width: 100%; min-height: 6rem; font: inherit; color: inherit; background: transparent; border: 1px solid var(--line);
  border-radius: 8px; padding: .5rem .75rem; }
.save { font: inherit; font-weight: 600; padding: .5rem 1rem; border-radius: 8px; border: 1px solid var(--line); background: var(--bg);
  color: inherit; cursor: pointer; margin: .5rem 0 1.25rem; }
h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; border-inline-start: 3px solid var(--line); padding-inline-start: .75rem; }
footer { margin-top: 1.5rem; color: var(--muted); font-size: .8rem; }
/* Phones: less padding around the card, and the emoji above the word so that every language fits. */
@media (max-width: 30rem) {
  body { padding: 1rem .5rem; }
  main { padding: 1.25rem 1rem; }
  .reactions { gap: .5rem; }
  .reaction { flex-direction: column; padding: .5rem .25rem; }
  .scale.points-10 { grid-template-columns: repeat(5, minmax(0, 1fr)); }
  .scale.points-11 { grid-template-columns: repeat(6, minmax(0, 1fr)); }
}
@media (forced-colors: active) { .reaction[aria-pressed="true"], .point[aria-pressed="true"] { forced-color-adjust: none; background: Highlight; color: HighlightText; } }
@media (prefers-reduced-motion: no-preference) { .reaction, .point { transition: background-color .15s; } }
`;

// Progressive enhancement only; every part does nothing when its markup is absent.
// - The change deadline, rendered in UTC, is rewritten in the visitor's time zone and the page's language.
// - "Save comment" posts with fetch and says so in the page's live region instead of reloading the
//   page: screen readers announce a live region's text changing, rarely a freshly loaded page's. Anything
//   but a clean save falls back to the ordinary post, so the server's page explains the problem.
// - One click from an email: once a person actually looks at the page (visible, after a short pause),
//   the preselected answer (a reaction or a number) is posted through the page's own form, marked `auto`. Scanners that merely
//   fetch the link never run this, automated browsers (navigator.webdriver) skip it, and an auto post
//   while the survey looks scanned is held for a click (api/domain/scanner.ts); any interaction by the
//   person cancels it, and they press a button themselves.
const JS = `(() => {
  const status = document.getElementById('status');
  const say = (text, kind) => {
    if (!status || !text) return;
    const line = document.createElement('p');
    line.className = kind ? 'status ' + kind : 'status';
    line.textContent = text;
    status.replaceChildren(line);
  };

  for (const time of document.querySelectorAll('time[data-local]')) {
    const when = new Date(time.dateTime);
    if (!isNaN(when.getTime())) time.textContent = when.toLocaleString(document.documentElement.lang || undefined, ${JSON.stringify(DEADLINE_FORMAT)});
  }

  const commentForm = document.querySelector('form[data-comment-saved]');
  if (commentForm) {
    let posting = false, plain = false;
    commentForm.addEventListener('submit', async (event) => {
      const button = event.submitter;
      if (plain || !button || !button.classList.contains('save')) return;
      event.preventDefault();
      if (posting) return;
      posting = true;
      say(commentForm.dataset.savingComment);
      try {
        const res = await fetch(commentForm.action, { method: 'POST', body: new URLSearchParams(new FormData(commentForm, button)) });
        const saved = res.ok && res.redirected ? new URL(res.url).searchParams.get('saved') : null;
        if (saved === 'comment') return say(commentForm.dataset.commentSaved, 'saved');
        // The reaction changed meanwhile (another tab): show the page as it now is.
        if (saved) return location.assign(res.url);
      } catch {
        // Offline or refused: the ordinary post below shows the browser's or the server's page.
      } finally {
        posting = false;
      }
      plain = true;
      commentForm.requestSubmit(button);
    });
  }

  const form = document.querySelector('form[data-autosubmit]');
  const button = form && form.querySelector('button[data-choice][value="' + form.dataset.autosubmit + '"]');
  // Automation (a scanner's headless browser) never sends by itself: a person presses the button there.
  if (!button || navigator.webdriver) return;
  let done = false, timer = 0;
  const cancel = () => { done = true; clearTimeout(timer); };
  form.addEventListener('input', cancel);
  form.addEventListener('pointerdown', cancel);
  form.addEventListener('keydown', cancel);
  form.addEventListener('submit', cancel);
  const arm = () => {
    clearTimeout(timer);
    if (done || document.visibilityState !== 'visible') return;
    timer = setTimeout(() => {
      if (done || document.visibilityState !== 'visible') return;
      done = true;
      say(form.dataset.saving);
      // Marks the post as sent with no interaction: the server holds it if scanners were at the links.
      const auto = document.createElement('input');
      auto.type = 'hidden';
      auto.name = 'auto';
      auto.value = '1';
      form.append(auto);
      form.requestSubmit(button);
    }, ${1200});
  };
  document.addEventListener('visibilitychange', arm);
  arm();
})();
`;

// `asset` is what the route sends: compressed once per process, on its first request.
function versioned(body: string, contentType: string) {
  return { body, version: createHash('sha256').update(body).digest('base64url').slice(0, 12), asset: compressedAsset(body, contentType) };
}

export const SURVEY_CSS = versioned(CSS, 'text/css; charset=utf-8');
export const SURVEY_JS = versioned(JS, 'text/javascript; charset=utf-8');
