// The frame of the respondent's pages (survey, receipt, unsubscribe): language and direction, the shared
// stylesheet, an optional script of the page's own (the CSP allows only 'self'), and noindex: these
// pages are reached from one person's email and say nothing a search engine should keep.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { RTL_LOCALES, type Locale } from '../domain/locale.js';
import { SURVEY_CSS } from './assets.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** `script`: the path of the page's script (with its version), or none. */
export function pageLayout(locale: Locale, title: string, body: Html, script?: string): string {
  const dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  return html`<!doctype html>
<html lang="${locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<link rel="stylesheet" href="/assets/survey.css?v=${SURVEY_CSS.version}">
${script ? html`<script src="${script}" defer></script>` : ''}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.toString();
}
