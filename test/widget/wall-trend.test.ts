// <csat-wall>'s 12-week trend and the fade of its feed, in headless Chromium, from snapshots pushed
// through a stand-in for the feed's response (the live feed itself is covered by wall.test.ts and the
// e2e test).
import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-wall.js';
import type { CsatWall, WallSnapshot } from '../../widget/csat-wall.js';
import { shadow, text, until } from './dom.js';

const feeds: FakeFeed[] = [];

/** Stands in for the feed's HTTP response (the wall reads it with fetch): the test pushes snapshots as
 * Server-Sent Events text. */
class FakeFeed {
  readonly response: Response;
  private out!: ReadableStreamDefaultController<Uint8Array>;
  constructor() {
    feeds.push(this);
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (this.out = c) });
    this.response = new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  }
  push(snapshot: WallSnapshot) {
    this.out.enqueue(new TextEncoder().encode(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`));
  }
}

const realFetch = window.fetch;
before(() => {
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    return /\/feed(\?|$)/.test(url) ? Promise.resolve(new FakeFeed().response) : realFetch(input, init);
  };
});

after(() => {
  window.fetch = realFetch;
});

afterEach(() => {
  feeds.length = 0;
});

const now = new Date().toISOString();
const score = {
  site: 'acme', name: 'Acme IT', score: 90, exact: 90, window: { days: 90, from: '2026-01-01', to: '2026-03-31' },
  counts: { positive: 9, neutral: 1, negative: 0, total: 10, imported: 0 }, percent: { positive: 90, neutral: 10, negative: 0 }, benchmark: null, updatedAt: now,
} as unknown as WallSnapshot['score'];

function snapshot(scores: Array<number | null>, recent = 2): WallSnapshot {
  const first = Date.UTC(2026, 0, 5);
  const counts = { positive: 9, neutral: 1, negative: 0, total: 10 };
  return {
    score,
    today: counts,
    week: counts,
    trend: scores.map((s, i) => ({ week: new Date(first + i * 7 * 86_400_000).toISOString().slice(0, 10), score: s, total: s === null ? 0 : 4 })),
    recent: Array.from({ length: recent }, (_, i) => ({
      id: `r${i}`, reaction: 'positive', comment: `Comment number ${i}, long enough to take a line of its own on the wall.`, team: 'Service desk', createdAt: now, updatedAt: now,
    })),
  };
}

async function wallWith(data: WallSnapshot): Promise<CsatWall> {
  const el = await fixture<CsatWall>(html`<csat-wall site="acme" key="csat_test_k"></csat-wall>`);
  await until(() => feeds[0], 'the wall asks for its feed');
  feeds[0]!.push(data);
  await until(() => shadow(el).querySelector('[part="trend"] svg'), 'the trend shows');
  return el;
}

const svgOf = (el: CsatWall) => shadow(el).querySelector<SVGSVGElement>('[part="trend"] svg')!;
const labels = (el: CsatWall) => [...svgOf(el).querySelectorAll('text.tick')].map((t) => text(t));
const lineAt = (el: CsatWall, value: string) => {
  const label = [...svgOf(el).querySelectorAll<SVGTextElement>('text.tick')].find((t) => text(t) === value)!;
  return label.previousElementSibling as SVGLineElement;
};

describe('<csat-wall> trend', () => {
  it('labels its gridlines 100, 50 and 0 when no week went below zero, each label beside its line', async () => {
    const el = await wallWith(snapshot([80, 95, null, 100, 70, 90, 85, 92, 96, 97, 99, 90]));
    expect(labels(el)).to.deep.equal(['100', '50', '0']);
    for (const value of ['100', '50', '0']) {
      const line = lineAt(el, value);
      const label = [...svgOf(el).querySelectorAll<SVGTextElement>('text.tick')].find((t) => text(t) === value)!;
      expect(line.localName).to.equal('line');
      expect(Math.abs(label.getBBox().y + label.getBBox().height / 2 - line.y1.baseVal.value)).to.be.below(12);
      expect(label.getBBox().x + label.getBBox().width).to.be.at.most(line.x1.baseVal.value);
    }
    await expect(el).to.be.accessible();
  });

  it('draws a visible marker on the axis for a week at 0, and nothing but a dash for a week without ratings', async () => {
    const el = await wallWith(snapshot([80, 0, null, 100, 70, 90, 85, 92, 96, 97, 99, 90]));
    const bars = [...svgOf(el).querySelectorAll<SVGRectElement>('rect.bar')];
    expect(bars).to.have.length(11); // one per week with ratings
    const zero = bars[1]!;
    expect(zero.classList.contains('zero')).to.equal(true);
    const box = zero.getBBox();
    expect(box.height).to.be.at.least(6);
    expect(box.width).to.be.above(20);
    expect(getComputedStyle(zero).opacity).to.equal('1');
    const axis = lineAt(el, '0').y1.baseVal.value;
    expect(box.y).to.be.below(axis);
    expect(box.y + box.height).to.be.above(axis);
    // The week without ratings is between the 0 bar and the next one: no rect, a dash.
    expect(bars[2]!.getBBox().x - (box.x + box.width)).to.be.above(box.width);
    expect([...svgOf(el).querySelectorAll('text.none')].map((t) => text(t))).to.deep.equal(['–']);
    expect(svgOf(el).getAttribute('aria-label')).to.contain(': 0,').and.to.contain(': no ratings');
  });

  it('goes down to -100 when a week was negative: its bar hangs below the 0 line', async () => {
    const el = await wallWith(snapshot([80, -40, null, 100, 70, 90, 85, 92, 96, 97, 99, 90]));
    expect(labels(el)).to.deep.equal(['100', '50', '0', '-50', '-100']);
    const axis = lineAt(el, '0').y1.baseVal.value;
    const bars = [...svgOf(el).querySelectorAll<SVGRectElement>('rect.bar')];
    const negative = bars[1]!.getBBox();
    expect(negative.y).to.be.closeTo(axis, 0.5);
    const bottom = lineAt(el, '-100').y1.baseVal.value;
    expect(negative.height).to.be.closeTo(((bottom - axis) * 40) / 100, 0.5);
    const positive = bars[0]!.getBBox();
    expect(positive.y + positive.height).to.be.closeTo(axis, 0.5);
  });
});

describe('<csat-wall> feed fade', () => {
  const feed = (el: CsatWall) => shadow(el).querySelector<HTMLOListElement>('ol[part="feed"]')!;

  it('fades the bottom of the feed only while it holds more reactions than fit', async () => {
    const el = await wallWith(snapshot([90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90], 2));
    const list = feed(el);
    expect(list.scrollHeight).to.be.at.most(list.clientHeight);
    expect(getComputedStyle(list).maskImage).to.equal('none');

    feeds[0]!.push(snapshot([90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90], 20));
    await until(() => feed(el).children.length === 20, 'twenty reactions show');
    await el.updateComplete;
    expect(feed(el).scrollHeight).to.be.above(feed(el).clientHeight);
    expect(getComputedStyle(feed(el)).maskImage).to.contain('linear-gradient');

    feeds[0]!.push(snapshot([90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90], 1));
    await until(() => feed(el).children.length === 1, 'one reaction shows');
    await el.updateComplete;
    expect(getComputedStyle(feed(el)).maskImage).to.equal('none');
  });
});
