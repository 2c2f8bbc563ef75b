// The score as a self-contained SVG badge for places without JavaScript (READMEs, email signatures).
// Text widths are estimated from a Verdana-like width table, so no font needs to be loaded to lay it out.

export interface BadgeInput {
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

/** Background colour of the value side, each dark enough for white text (WCAG AA at 11px). */
export function badgeColor(score: number | null): string {
  if (score === null) return '#5f6368';
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
  return input.score === null
    ? `Customer satisfaction: no ratings yet in the last ${input.windowDays} days`
    : `Customer satisfaction: ${input.score} out of 100 (last ${input.windowDays} days, ${ratings})`;
}

export function renderBadge(input: BadgeInput): string {
  const label = 'Customer satisfaction';
  const value = input.score === null ? 'no ratings yet' : `${input.score}/100`;
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
    `<rect x="${labelWidth}" width="${valueWidth}" height="20" fill="${badgeColor(input.score)}"/>` +
    `<rect width="${width}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="${FONT_SIZE}">` +
    text(labelWidth / 2, label) +
    text(labelWidth + valueWidth / 2, value) +
    `</g></svg>`
  );
}
