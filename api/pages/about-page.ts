// "How is this score computed?": the page the badge links to, for prospects who want to check the number.
import { html } from 'hono/html';
import { MIN_WINDOW_DAYS } from '../public-score.js';

export function renderAboutPage(): string {
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
<p>When a help-desk ticket is closed, the client gets one question: <strong>“How did we do on this request?”</strong> with three
reactions: good, okay or bad.</p>
<h2>The formula</h2>
<p>Each good reaction counts +100, each okay 0 and each bad −100. The score is their average over the window, which equals
<strong>% good − % bad</strong>, rounded to a whole number. For example 1,045 good, 9 okay and 7 bad reactions give
(1,045 − 7) / 1,061 × 100 = 97.8, shown as <strong>98</strong>.</p>
<h2>The window</h2>
<p>The score covers the last 90 days by default (a company may choose another length, and a badge may show a shorter one of at
least ${MIN_WINDOW_DAYS} days). Days are UTC calendar days. With no reactions in the window the badge says “No ratings yet”, never 0.</p>
<h2>Which reactions count</h2>
<ul>
<li>Only reactions tied to a survey link issued for a real ticket, one reaction per ticket. History imported from a previous tool
also counts, and the score reports how many of the counted reactions were imported.</li>
<li>Opening a link records nothing (email security scanners open every link); a reaction is recorded only when the person’s
browser sends it.</li>
<li>The client may change their reaction for 7 days (by default); the latest reaction counts.</li>
</ul>
<h2>Why you can trust it</h2>
<p>Nobody but the client can change a reaction: the company has no way to edit or delete one. Every reaction and change is
written to an append-only log where each entry carries the SHA-256 hash of the previous one, so a rewritten history is detectable.</p>
</main>
</body>
</html>
`.toString();
}
