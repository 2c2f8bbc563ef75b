import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badgeColor, badgeDescription, renderBadge, textWidth, type BadgeInput } from '../../../api/domain/badge.js';

// --- a tiny SVG inspector (no XML parser dependency) ---------------------------------------------

function unescapeXml(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

interface Element {
  name: string;
  attrs: Record<string, string>;
  /** Raw text directly inside, for leaf elements. */
  text: string;
}

/** Checks that tags are balanced and attributes are quoted; returns every element in document order.
 * Throws on anything malformed. */
function parseSvg(svg: string): Element[] {
  const elements: Element[] = [];
  const stack: Element[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < svg.length) {
    if (svg[i] === '<') {
      tag.lastIndex = i;
      const m = tag.exec(svg);
      if (!m) throw new Error(`malformed tag at ${i}: ${svg.slice(i, i + 40)}`);
      const [whole, closing, name, attrText, selfClosing] = m;
      if (closing) {
        if (attrText || selfClosing) throw new Error(`bad closing tag ${whole}`);
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      } else {
        const attrs: Record<string, string> = {};
        for (const a of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
          if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} in <${name}>`);
          attrs[a[1]!] = a[2]!;
        }
        const el: Element = { name: name!, attrs, text: '' };
        elements.push(el);
        if (!selfClosing) stack.push(el);
      }
      i += whole.length;
    } else {
      const next = svg.indexOf('<', i);
      const text = svg.slice(i, next === -1 ? svg.length : next);
      if (/[>]/.test(text)) throw new Error(`raw > in text: ${text}`);
      if (/&(?!#\d+;|#x[0-9a-f]+;|lt;|gt;|amp;|quot;|apos;)/i.test(text)) throw new Error(`raw & in text: ${text}`);
      if (stack.length === 0) throw new Error(`text outside the root: ${text}`);
      stack[stack.length - 1]!.text += text;
      i += text.length;
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack.map((e) => e.name).join('> <')}>`);
  return elements;
}

interface BadgeParts {
  svg: Element;
  title: string;
  labelRect: Element;
  valueRect: Element;
  texts: Element[];
}

function inspect(svgText: string): BadgeParts {
  const els = parseSvg(svgText);
  expect(els[0]!.name).toBe('svg');
  expect(els.filter((e) => e.name === 'svg')).toHaveLength(1);
  const titles = els.filter((e) => e.name === 'title');
  expect(titles).toHaveLength(1);
  // The two coloured halves are the first two rects in the clipped group.
  const gStart = els.findIndex((e) => e.name === 'g' && e.attrs['clip-path']);
  expect(gStart).toBeGreaterThan(0);
  const groupRects = els.slice(gStart + 1).filter((e) => e.name === 'rect');
  return {
    svg: els[0]!,
    title: unescapeXml(titles[0]!.text),
    labelRect: groupRects[0]!,
    valueRect: groupRects[1]!,
    texts: els.filter((e) => e.name === 'text'),
  };
}

/** WCAG relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const scored: BadgeInput = { score: 98, windowDays: 90, total: 1061 };
const empty: BadgeInput = { score: null, windowDays: 90, total: 0 };

// --- tests ------------------------------------------------------------------------------------------

describe('badgeDescription', () => {
  it('describes a score with the window and a grouped rating count', () => {
    expect(badgeDescription(scored)).toBe('Customer satisfaction: 98 out of 100 (last 90 days, 1,061 ratings)');
  });

  it('uses the singular for one rating', () => {
    expect(badgeDescription({ score: -100, windowDays: 30, total: 1 })).toBe(
      'Customer satisfaction: -100 out of 100 (last 30 days, 1 rating)',
    );
  });

  it('says "no ratings yet" for a null score', () => {
    expect(badgeDescription(empty)).toBe('Customer satisfaction: no ratings yet in the last 90 days');
  });
});

describe('renderBadge', () => {
  it('renders a score as "<score>/100" with an accessible name', () => {
    const svg = renderBadge(scored);
    const parts = inspect(svg);
    expect(parts.svg.attrs['xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(parts.svg.attrs['role']).toBe('img');
    const description = 'Customer satisfaction: 98 out of 100 (last 90 days, 1,061 ratings)';
    expect(unescapeXml(parts.svg.attrs['aria-label']!)).toBe(description);
    expect(parts.title).toBe(description);
    const visible = parts.texts.map((t) => unescapeXml(t.text));
    expect(visible).toContain('98/100');
    expect(visible).toContain('Customer satisfaction');
    expect(visible.join(' ')).not.toContain('no ratings yet');
  });

  it('renders a null score as "no ratings yet", never as 0', () => {
    const parts = inspect(renderBadge(empty));
    const visible = parts.texts.map((t) => unescapeXml(t.text));
    expect(visible).toContain('no ratings yet');
    expect(visible.some((t) => /\b0\/100/.test(t))).toBe(false);
    const description = 'Customer satisfaction: no ratings yet in the last 90 days';
    expect(parts.title).toBe(description);
    expect(unescapeXml(parts.svg.attrs['aria-label']!)).toBe(description);
  });

  it('renders a score of 0 as "0/100" (a real score, distinct from no ratings)', () => {
    const parts = inspect(renderBadge({ score: 0, windowDays: 90, total: 4 }));
    expect(parts.texts.map((t) => unescapeXml(t.text))).toContain('0/100');
    expect(parts.title).toContain('0 out of 100');
  });

  it('aria-label and <title> carry the same description', () => {
    for (const input of [scored, empty, { score: -7, windowDays: 1, total: 1 }]) {
      const parts = inspect(renderBadge(input));
      expect(unescapeXml(parts.svg.attrs['aria-label']!)).toBe(parts.title);
      expect(parts.title).toBe(badgeDescription(input));
    }
  });

  it('hides the drawn text from assistive technology (the name comes from aria-label)', () => {
    const parts = inspect(renderBadge(scored));
    expect(parts.texts.length).toBeGreaterThan(0);
    for (const t of parts.texts) expect(t.attrs['aria-hidden']).toBe('true');
  });

  it('its width equals the sum of the two half widths, and the value half starts where the label ends', () => {
    for (const input of [scored, empty, { score: -100, windowDays: 730, total: 123_456 }]) {
      const { svg, labelRect, valueRect } = inspect(renderBadge(input));
      const width = Number(svg.attrs['width']);
      const labelWidth = Number(labelRect.attrs['width']);
      const valueWidth = Number(valueRect.attrs['width']);
      expect(labelWidth).toBeGreaterThan(0);
      expect(valueWidth).toBeGreaterThan(0);
      expect(width).toBe(labelWidth + valueWidth);
      expect(Number(valueRect.attrs['x'])).toBe(labelWidth);
      expect(svg.attrs['viewBox']).toBe(`0 0 ${width} 20`);
      expect(svg.attrs['height']).toBe('20');
    }
  });

  it('centres each text in its half', () => {
    const { labelRect, valueRect, texts } = inspect(renderBadge(scored));
    const labelWidth = Number(labelRect.attrs['width']);
    const valueWidth = Number(valueRect.attrs['width']);
    const xs = new Set(texts.map((t) => Number(t.attrs['x'])));
    expect(xs).toEqual(new Set([labelWidth / 2, labelWidth + valueWidth / 2]));
  });

  it('the value half grows with its text, by the same padding each time', () => {
    const cases: [BadgeInput, string][] = [
      [{ score: 5, windowDays: 90, total: 3 }, '5/100'],
      [{ score: 55, windowDays: 90, total: 3 }, '55/100'],
      [{ score: 100, windowDays: 90, total: 3 }, '100/100'],
      [{ score: -100, windowDays: 90, total: 3 }, '-100/100'],
      [empty, 'no ratings yet'],
    ];
    const widths = cases.map(([input]) => Number(inspect(renderBadge(input)).valueRect.attrs['width']));
    expect(widths[1]).toBeGreaterThan(widths[0]!);
    expect(widths[2]).toBeGreaterThan(widths[1]!);
    expect(widths[3]).toBeGreaterThan(widths[2]!);
    expect(widths[4]).toBeGreaterThan(widths[3]!);
    const paddings = new Set(cases.map(([, text], i) => widths[i]! - textWidth(text)));
    expect(paddings.size).toBe(1);
    expect([...paddings][0]).toBeGreaterThan(0);
  });

  it('never contains a script or event handler', () => {
    for (const input of [scored, empty, { score: -3, windowDays: 7, total: 2 }]) {
      const svg = renderBadge(input);
      expect(svg.toLowerCase()).not.toContain('<script');
      expect(svg).not.toMatch(/\son[a-z]+=/i);
      expect(svg).not.toMatch(/javascript:/i);
    }
  });

  it('colours the value half differently for a high and a low score', () => {
    const high = inspect(renderBadge({ score: 98, windowDays: 90, total: 50 })).valueRect.attrs['fill'];
    const low = inspect(renderBadge({ score: 10, windowDays: 90, total: 50 })).valueRect.attrs['fill'];
    const none = inspect(renderBadge(empty)).valueRect.attrs['fill'];
    expect(high).toMatch(/^#[0-9a-f]{6}$/i);
    expect(low).toMatch(/^#[0-9a-f]{6}$/i);
    expect(high).not.toBe(low);
    expect(none).not.toBe(high);
    expect(none).not.toBe(low);
    expect(high).toBe(badgeColor(98));
    expect(low).toBe(badgeColor(10));
  });

  it('property: well-formed, no script, width = label + value, aria-label = title, for any input', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
        fc.integer({ min: 1, max: 730 }),
        fc.nat({ max: 10_000_000 }),
        (score, windowDays, total) => {
          const input = { score, windowDays, total };
          const svg = renderBadge(input);
          expect(svg.toLowerCase()).not.toContain('<script');
          const parts = inspect(svg);
          expect(Number(parts.svg.attrs['width'])).toBe(
            Number(parts.labelRect.attrs['width']) + Number(parts.valueRect.attrs['width']),
          );
          expect(unescapeXml(parts.svg.attrs['aria-label']!)).toBe(parts.title);
          expect(parts.texts.map((t) => unescapeXml(t.text))).toContain(score === null ? 'no ratings yet' : `${score}/100`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('textWidth', () => {
  it('is 0 for empty text and a positive integer otherwise', () => {
    expect(textWidth('')).toBe(0);
    for (const s of ['a', 'W', 'i', '1', ' ', 'Customer satisfaction', 'no ratings yet']) {
      const w = textWidth(s);
      expect(Number.isInteger(w)).toBe(true);
      expect(w).toBeGreaterThan(0);
    }
  });

  it('property: appending any non-empty text makes it wider', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), (a, b) => {
        expect(textWidth(a + b)).toBeGreaterThan(textWidth(a));
        expect(textWidth(b + a)).toBeGreaterThan(textWidth(a));
      }),
      { numRuns: 500 },
    );
  });

  it('wide letters are wider than narrow ones', () => {
    expect(textWidth('mmmm')).toBeGreaterThan(textWidth('iiii'));
    expect(textWidth('WWWW')).toBeGreaterThan(textWidth('llll'));
  });
});

describe('badgeColor', () => {
  it('every colour is dark enough for white 11px text (WCAG AA contrast >= 4.5)', () => {
    const colours = new Set<string>([badgeColor(null)]);
    for (let s = -100; s <= 100; s++) colours.add(badgeColor(s));
    for (const c of colours) {
      expect(c).toMatch(/^#[0-9a-f]{6}$/i);
      const contrast = 1.05 / (luminance(c) + 0.05);
      expect(contrast, c).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives the top and bottom scores different colours, and null a colour of its own', () => {
    expect(badgeColor(100)).not.toBe(badgeColor(-100));
    expect(badgeColor(null)).not.toBe(badgeColor(0));
  });
});
