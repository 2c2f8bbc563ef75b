// The score as a self-contained SVG badge for places without JavaScript (READMEs, email signatures).
// Text widths are estimated from a Verdana-like width table, so no font needs to be loaded to lay it out.
import type { SurveyKind } from './kinds.js';

export interface BadgeInput {
  /** Default: reaction. */
  kind?: SurveyKind;
  score: number | null;
  windowDays: number;
  total: number;
}

const FONT_SIZE = 11;
const PADDING = 7;

function charWidth(ch: string): number {
  if ('il.,:;|!\'ij'.includes(ch)) return 3.6;
  if ('frt()[] /-'.includes(ch)) return 4.6;
  if ('mwMW%'.includes(ch)) return 10.4;
  if (ch >= 'A' && ch <= 'Z') return 7.6;
  if (ch >= '0' && ch <= '9') return 7;
  return 6.6;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return Math.ceil(width);
}

/** A score as its kind writes it: "98/100", "CSAT 92%", "NPS 75". */
export function scoreText(kind: SurveyKind, score: number): string {
  const n = String(score);
  return kind === 'csat' ? `CSAT ${n}%` : kind === 'nps' ? `NPS ${n}` : `${n}/100`;
}

/** Background colour of the value side, each dark enough for white text (WCAG AA at 11px). NPS runs
 * lower than the other kinds (50 is excellent), so it is placed on their scale first. */
export function badgeColor(score: number | null, kind: SurveyKind = 'reaction'): string {
  if (score === null) return '#5f6368';
  if (kind === 'nps') score = score >= 50 ? 90 : score >= 30 ? 70 : score >= 0 ? 40 : 0;
  if (score >= 90) return '#1e7b34';
  if (score >= 70) return '#4d7a1c';
  if (score >= 40) return '#8a5a00';
  return '#b3261e';
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function badgeDescription(input: BadgeInput): string {
  const ratings = `${input.total.toLocaleString('en-US')} rating${input.total === 1 ? '' : 's'}`;
  const what = input.kind === 'nps' ? 'Net Promoter Score' : 'Customer satisfaction';
  if (input.score === null) return `${what}: no ratings yet in the last ${input.windowDays} days`;
  const figure =
    input.kind === 'csat' ? `${input.score}% satisfied` : input.kind === 'nps' ? `${input.score} on a scale from -100 to 100` : `${input.score} out of 100`;
  return `${what}: ${figure} (last ${input.windowDays} days, ${ratings})`;
}

export function renderBadge(input: BadgeInput): string {
  const label = 'Customer satisfaction';
  const value = input.score === null ? 'no ratings yet' : scoreText(input.kind ?? 'reaction', input.score);
  const labelWidth = textWidth(label) + 2 * PADDING;
  const valueWidth = textWidth(value) + 2 * PADDING;
  const width = labelWidth + valueWidth;
  const description = escapeXml(badgeDescription(input));
  const text = (x: number, content: string) =>
    `<text x="${x}" y="14" fill="#000" fill-opacity=".3" aria-hidden="true">${escapeXml(content)}</text>` +
    `<text x="${x}" y="13" aria-hidden="true">${escapeXml(content)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" viewBox="0 0 ${width} 20" role="img" aria-label="${description}">` +
    `<title>${description}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${labelWidth}" height="20" fill="#333"/>` +
    `<rect x="${labelWidth}" width="${valueWidth}" height="20" fill="${badgeColor(input.score, input.kind)}"/>` +
    `<rect width="${width}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="${FONT_SIZE}">` +
    text(labelWidth / 2, label) +
    text(labelWidth + valueWidth / 2, value) +
    `</g></svg>`
  );
}
