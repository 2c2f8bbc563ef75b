// The badge as a website embeds it: the README's reserve-CSS, one <script> tag of the built drop-in
// script from the API, and one <csat-badge>, in a page of its own (an iframe).
import { expect } from '@open-wc/testing';
import { answer, apiUrl, createSurvey, seededSite } from './api.js';
import { scoreNumber, until } from './dom.js';

/** The reserve-CSS block of the README, as a company copies it. */
async function readmeReserveCss(): Promise<string> {
  const readme = await (await fetch('/README.md')).text();
  const block = [...readme.matchAll(/```css\n([\s\S]*?)```/g)].map((m) => m[1]!).find((css) => css.includes(':not(:defined)'));
  if (!block) throw new Error('the README has no reserve-CSS block');
  return block;
}

/** A company page in an iframe of `width` px; the drop-in script is added only when `script` is true. */
async function companyPage(width: number, site: string, side: 'left' | 'right', css: string, script: boolean): Promise<HTMLIFrameElement> {
  const badge = `<csat-badge site="${site}"></csat-badge>`;
  const logo = '<a href="#top" id="logo" style="font-weight:700;white-space:nowrap">Acme IT</a>';
  const frame = document.createElement('iframe');
  frame.style.cssText = `width:${width}px;height:500px;border:0`;
  frame.srcdoc = `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width"><style>${css}
    body{margin:0;font:16px/1.4 system-ui,sans-serif} header{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:.75rem 1rem}</style></head>
    <body><header>${side === 'left' ? badge + logo : logo + badge}</header><main id="main"><p>Welcome.</p></main>
    ${script ? `<script src="${await apiUrl()}/widget/csat-badge.js"></script>` : ''}</body></html>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return frame;
}

const badgeIn = (frame: HTMLIFrameElement) => frame.contentDocument!.querySelector('csat-badge')!;
const loadedIn = (frame: HTMLIFrameElement) => badgeIn(frame).shadowRoot?.querySelector('button[part="base"]') ?? null;
const numberIn = (frame: HTMLIFrameElement) => {
  const score = loadedIn(frame)?.querySelector('[part="score"]');
  return score ? scoreNumber(badgeIn(frame)) : null;
};

function boxes(frame: HTMLIFrameElement) {
  const doc = frame.contentDocument!;
  return ['csat-badge', '#logo', '#main'].map((sel) => {
    const r = doc.querySelector(sel)!.getBoundingClientRect();
    return [sel, Math.round(r.left * 10) / 10, Math.round(r.top * 10) / 10, Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10].join(' ');
  });
}

describe('csat-badge embedded with the README reserve-CSS', () => {
  let site: string;
  let css: string;
  before(async () => {
    site = await seededSite(['positive', 'positive', 'positive', 'neutral']);
    css = await readmeReserveCss();
  });
  afterEach(() => document.querySelectorAll('iframe').forEach((f) => f.remove()));

  for (const width of [320, 390, 768, 1280]) {
    for (const side of ['right', 'left'] as const) {
      it(`moves nothing when the script arrives: ${width} px, badge on the ${side} (CLS 0)`, async () => {
        const frame = await companyPage(width, site, side, css, false);
        const win = frame.contentWindow as Window & typeof globalThis;
        let shift = 0;
        new win.PerformanceObserver((list) => list.getEntries().forEach((e) => (shift += (e as unknown as { value: number }).value))).observe({ type: 'layout-shift', buffered: true });
        const before = boxes(frame);
        const script = frame.contentDocument!.createElement('script');
        script.src = `${await apiUrl()}/widget/csat-badge.js`;
        frame.contentDocument!.body.append(script);
        await until(() => numberIn(frame) === '75', 'the badge shows its score');
        expect(boxes(frame), 'the badge, the logo and the content keep their boxes').to.deep.equal(before);
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
        expect(shift, 'layout shift').to.equal(0);
      });
    }
  }
});

describe('csat-badge after a reload', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((f) => f.remove()));

  it('shows a reaction recorded since the last load, without live', async () => {
    const site = await seededSite(['positive']);
    const frame = await companyPage(1280, site, 'right', '', true);
    await until(() => numberIn(frame) === '100', 'the first load shows 100');
    expect(await answer(await createSurvey(site), 'negative')).to.equal(201);
    const reloaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    frame.contentWindow!.location.reload();
    await reloaded;
    await until(() => numberIn(frame) !== null, 'the reloaded badge shows a score');
    expect(numberIn(frame), 'the reloaded badge shows the new score, not a cached copy').to.equal('0');
  });
});
