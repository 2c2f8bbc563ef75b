// "How is this score computed?": the page the badge links to, for prospects who want to check the number.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Clock } from '../clock.js';
import { MIN_WINDOW_DAYS, publicScore, type PublicScore } from '../services/public-score.js';
import type { Store } from '../store/types.js';

const share = (part: number, total: number) => (total === 0 ? 0 : Math.round((part / total) * 1000) / 10);

/** One site's figures (`?site=`): where its counted ratings came from, and whether the log can check them. */
function siteFigures(score: PublicScore) {
  const { total } = score.counts;
  const { imported, importedDays, seeded, sealed } = score.origin;
  const log = (score as PublicScore & { log?: { size: number } }).log;
  return html`<h2>${score.name}: where the ${total.toLocaleString('en')} ratings of ${score.window.from} to ${score.window.to} came from</h2>
<ul>
<li><strong>${imported.toLocaleString('en')}</strong> (${share(imported, total)}%) imported from another tool${importedDays
    ? html`, answered from ${importedDays.from} to ${importedDays.to}`
    : ''}. No survey of this server stands behind them: the company vouches for them.</li>
<li><strong>${seeded.toLocaleString('en')}</strong> (${share(seeded, total)}%) demo data written by the demo seed.</li>
<li><strong>${sealed.toLocaleString('en')}</strong> (${share(sealed, total)}%) answered on sealed surveys: the link was emailed by this server
to the client only, and never shown to the company.</li>
<li>The rest were answered on survey links the company could see.</li>
</ul>
${log ? html`<p>Verifiable: the public log of this site holds ${log.size.toLocaleString('en')} entries.</p>` : ''}
<p>Surveys issued and answered per day: <a href="/v1/sites/${score.site}/activity">/v1/sites/${score.site}/activity</a>.</p>`;
}

const REACTION_FORMULA = html`<p>When a help-desk ticket is closed, the client gets one question: <strong>“How did we do on this request?”</strong> with three
reactions: good, okay or bad.</p>
<h2>The formula</h2>
<p>Each good reaction counts +100, each okay 0 and each bad −100. The score is their average over the window, which equals
<strong>% good − % bad</strong>, rounded to a whole number. For example 1,045 good, 9 okay and 7 bad reactions give
(1,045 − 7) / 1,061 × 100 = 97.8, shown as <strong>98</strong>.</p>`;

const CSAT_FORMULA = (scale: number | null) => html`<h2>CSAT: the share of satisfied answers</h2>
<p>A CSAT survey asks “How satisfied are you with our service?” on a scale from 1 to ${scale ?? '3, 5 or 10'}. The score is the
<strong>share of satisfied answers</strong>, from 0 to 100%: satisfied means 3 of 3; 4 and 5 of 5; 8, 9 and 10 of 10. For example
90 satisfied answers of 100 are <strong>CSAT 90%</strong>.</p>`;

const NPS_FORMULA = html`<h2>NPS: promoters minus detractors</h2>
<p>An NPS survey asks “How likely are you to recommend us to a friend or colleague?” from 0 to 10. Answers of 9 and 10 are
promoters, 7 and 8 passives, 0 to 6 detractors. The score is <strong>% promoters − % detractors</strong>, from −100 to 100: 18
promoters, 1 passive and 1 detractor of 20 answers give 90 − 5 = <strong>NPS 85</strong>.</p>`;

/** The formula of the site's kind; every kind's when no site is named. Rounding is the same for all. */
function formula(kind: PublicScore['kind'] | null, scale: number | null) {
  const rounding = html`<p>Scores are rounded half away from zero.</p>`;
  if (kind === 'csat') return html`${CSAT_FORMULA(scale)}${rounding}`;
  if (kind === 'nps') return html`${NPS_FORMULA}${rounding}`;
  if (kind === 'reaction') return html`${REACTION_FORMULA}${rounding}`;
  return html`${REACTION_FORMULA}${CSAT_FORMULA(null)}${NPS_FORMULA}${rounding}`;
}

/** GET /about/score, with a site's own figures when `?site=` names one. */
export function aboutRoute(deps: { store: Store; clock: Clock }) {
  return async (c: Context) => {
    const slug = c.req.query('site');
    const site = slug ? await deps.store.getSite(slug) : null;
    return c.html(renderAboutPage(site ? await publicScore(deps.store, site, deps.clock.now()) : null));
  };
}

export function renderAboutPage(score: PublicScore | null = null): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>How the customer-satisfaction score is computed</title>
<link rel="stylesheet" href="/assets/survey.css">
</head>
<body>
<main>
<h1>How the score is computed</h1>
${score ? siteFigures(score) : ''}
${formula(score?.kind ?? null, score?.scale ?? null)}
<h2>The window</h2>
<p>The score covers the last 90 days by default (a company may choose another length, and a badge may show a shorter one of at
least ${MIN_WINDOW_DAYS} days). Days are UTC calendar days. With no reactions in the window the badge says “No ratings yet”, never 0.</p>
<h2>Which reactions count</h2>
<ul>
<li>Reactions tied to a survey link this server issued, one reaction per ticket. History imported from a previous tool and the
demo's seeded history also count; the score reports how many of the counted reactions were imported (and from which days),
how many were seeded, and how many were answered on sealed surveys.</li>
<li>This server cannot know that a ticket or a respondent is real: a company could answer its own surveys. What it can show is
where each reaction came from, and how many surveys were issued and answered each day (public), so a prospect can see unusual
patterns. A <strong>sealed</strong> survey’s link is emailed by this server to the client and never shown to the company, so
the company cannot answer it in the client’s name without access to the client’s mailbox or the server itself.</li>
<li>Opening a link records nothing (email security scanners open every link); a reaction is recorded only when the person’s
browser sends it.</li>
<li>The client may change their reaction for 7 days (by default); the latest reaction counts. The change window is fixed when
the survey is first answered: a later change of the setting neither reopens nor shortens it.</li>
</ul>
<h2>Why you can trust it</h2>
<p>Nobody but the client can change a reaction: the company has no way to edit or delete one. Every reaction and change is
written to an append-only log where each entry carries the SHA-256 hash of the previous one, so a rewritten history is detectable.
That shows that no counted reaction was changed or removed after the fact, and that the score is computed from every logged
reaction. It does not show that the respondents are real clients.</p>
</main>
</body>
</html>
`.toString();
}
