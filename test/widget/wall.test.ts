// <csat-wall>, the office monitor's dashboard, in headless Chromium.
//
// Its feed (GET /v1/sites/:site/feed) needs a wall or admin key and sends no CORS headers (the wall is
// served by the API itself). Here the component runs on the test runner's origin and the 'site'
// command keeps every key on the server side, so the feed cannot be reached from these tests. They
// stand a bridge in for the feed's response instead (the wall reads it with fetch): it opens the
// REAL public score stream of the same site
// (/v1/sites/:site/score/stream, CORS-open) and, on every score it pushes, sends the wall a snapshot
// built from that score and the real stored answers (GET /v1/responses/:token) of the surveys this
// file answered. A reaction POSTed to the real API therefore reaches the wall through the real hub.
// The feed itself, the wall key, the 401 state and an API restart are covered against the built page
// in test/e2e/wall.test.ts.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { answer, apiUrl, createSite, createSurvey, type Reaction } from './api.js';
import { shadow, text, until } from './dom.js';
import '../../widget/csat-wall.js';
import type { CsatWall, WallSnapshot } from '../../widget/csat-wall.js';

const LIVE_MS = 2000;

/** Tokens this file answered, per site, newest first, with the team the snapshot says. */
const answered = new Map<string, Array<{ token: string; team: string | null }>>();
/** Every bridge the walls opened, in order. */
const bridges: FeedBridge[] = [];

async function recentOf(site: string): Promise<WallSnapshot['recent']> {
  const api = await apiUrl();
  const rows = await Promise.all(
    (answered.get(site) ?? []).map(async ({ token, team }) => {
      const res = await fetch(`${api}/v1/responses/${encodeURIComponent(token)}`, { cache: 'no-store' });
      if (!res.ok) return null;
      const a = (await res.json()) as { reaction: Reaction; comment: string | null; createdAt: string; updatedAt: string };
      return { id: token, reaction: a.reaction, comment: a.comment, team, createdAt: a.createdAt, updatedAt: a.updatedAt };
    }),
  );
  return rows.filter((r) => r !== null);
}

function snapshotOf(score: WallSnapshot['score'], recent: WallSnapshot['recent']): WallSnapshot {
  const { positive, neutral, negative, total } = score.counts;
  const day = new Date(Date.UTC(2026, 0, 5));
  return {
    score,
    today: { positive, neutral, negative, total },
    week: { positive, neutral, negative, total },
    trend: Array.from({ length: 12 }, (_, i) => ({
      week: new Date(day.getTime() + i * 7 * 86_400_000).toISOString().slice(0, 10),
      score: i === 11 ? score.score : i % 4 === 0 ? null : 60 + i * 3,
      total: i === 11 ? total : i % 4 === 0 ? 0 : 5,
    })),
    recent,
  };
}

/** Stands in for the feed's HTTP response: the wall's fetch of its feed URL in, snapshots from the real
 * API out as Server-Sent Events text on a stream the wall reads. */
class FeedBridge {
  readonly url: string;
  readonly authorization: string | null;
  readonly response: Response;
  private closed = false;
  private real: EventSource | null = null;
  private out!: ReadableStreamDefaultController<Uint8Array>;

  constructor(url: string, init: RequestInit | undefined) {
    this.url = url;
    this.authorization = new Headers(init?.headers).get('Authorization');
    bridges.push(this);
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (this.out = c) });
    this.response = new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    init?.signal?.addEventListener('abort', () => this.close());
    const match = /\/v1\/sites\/([^/?]+)\/feed$/.exec(url);
    if (!match || !this.authorization) return;
    const site = decodeURIComponent(match[1]!);
    void apiUrl().then((api) => {
      if (this.closed) return;
      this.real = new EventSource(`${api}/v1/sites/${encodeURIComponent(site)}/score/stream`);
      this.real.addEventListener('score', async (event) => {
        const score = JSON.parse((event as MessageEvent<string>).data) as WallSnapshot['score'];
        this.push(snapshotOf(score, await recentOf(site)));
      });
    });
  }

  push(snapshot: unknown) {
    if (this.closed) return;
    this.out.enqueue(new TextEncoder().encode(`event: snapshot\nretry: 500\ndata: ${JSON.stringify(snapshot)}\n\n`));
  }

  /** The server went away: the stream ends. */
  giveUp() {
    if (!this.closed) this.out.close();
    this.close();
  }

  close() {
    this.closed = true;
    this.real?.close();
  }
}

const realFetch = window.fetch;
before(() => {
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    return /\/feed(\?|$)/.test(url) ? Promise.resolve(new FeedBridge(url, init).response) : realFetch(input, init);
  };
});

after(() => {
  window.fetch = realFetch;
});

afterEach(async () => {
  for (const bridge of bridges.splice(0)) bridge.close();
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  await emulateMedia({ reducedMotion: 'no-preference' });
});

/** Answers a new survey of `site` over HTTP (the 'answer' command) and remembers it for the snapshots. */
async function react(site: string, reaction: Reaction, comment?: string, team: string | null = 'Service desk') {
  const token = await createSurvey(site);
  const list = answered.get(site) ?? [];
  list.unshift({ token, team });
  answered.set(site, list);
  expect(await answer(token, reaction, comment)).to.equal(201);
  return token;
}

async function liveWall(site: string): Promise<CsatWall> {
  const el = await fixture<CsatWall>(html`<csat-wall site=${site} api=${await apiUrl()} key="csat_test_wall-key"></csat-wall>`);
  await until(() => shadow(el).querySelector('[part="score"]'), 'the first snapshot arrives');
  return el;
}

const fullText = (el: Element) => text(shadow(el));
const feedItem = (el: Element, token: string) => shadow(el).querySelector<HTMLElement>(`[part~="reaction"][data-id="${token}"]`);

describe('<csat-wall>', () => {
  it('without a key, says how to add one and opens no feed', async () => {
    const el = await fixture<CsatWall>(html`<csat-wall site="acme"></csat-wall>`);
    expect(text(shadow(el).querySelector('[part="message"]'))).to.contain('Add #key=<wall key> to the address');
    expect(bridges).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('takes the key from the page URL fragment and the API from the page origin', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#key=csat_abc_from-fragment`);
    await fixture<CsatWall>(html`<csat-wall site="acme"></csat-wall>`);
    expect(bridges).to.have.length(1);
    // The key goes in the Authorization header; the URL carries none (it would reach access logs).
    expect(bridges[0]!.url).to.equal(`${location.origin}/v1/sites/acme/feed`);
    expect(bridges[0]!.authorization).to.equal('Bearer csat_abc_from-fragment');
  });

  it('shows the score, today, the trend and the team of each reaction; a new reaction arrives live within 2 s, highlighted', async () => {
    const site = await createSite({ name: 'Acme IT' });
    await react(site, 'positive', 'Quick and friendly.', 'Field support');
    await react(site, 'neutral', undefined, null);
    const el = await liveWall(site);

    expect(text(shadow(el).querySelector('[part="score"]'))).to.equal('50');
    expect(text(shadow(el).querySelector('[part="label"]'))).to.equal('Customer satisfaction · last 90 days · 2 ratings');
    expect(fullText(el)).to.contain('out of 100');
    expect(text(shadow(el).querySelector('[part="today"]'))).to.contain('2 ratings');
    expect(shadow(el).querySelectorAll('[part="trend"] rect.bar')).to.have.length(9);
    expect(shadow(el).querySelector('[part="trend"] polyline')).to.exist;
    expect([...shadow(el).querySelectorAll('[part="team"]')].map((t) => text(t))).to.deep.equal(['Field support']);
    expect(text(shadow(el).querySelector('[part="status"]'))).to.equal('Live');
    expect(shadow(el).querySelector('[part~="fresh"]')).to.equal(null);

    const started = performance.now();
    const token = await react(site, 'positive', 'Arrived live', 'Network');
    await until(() => feedItem(el, token), 'the new reaction shows', LIVE_MS);
    expect(performance.now() - started).to.be.below(LIVE_MS);
    const item = feedItem(el, token)!;
    expect(text(item.querySelector('[part="comment"]'))).to.equal('Arrived live');
    expect(text(item.querySelector('[part="team"]'))).to.equal('Network');
    expect(item.getAttribute('part')).to.contain('fresh');
    expect(getComputedStyle(item).animationName).to.equal('arrive');
    expect(text(shadow(el).querySelector('[part="label"]'))).to.contain('3 ratings');

    // Checked once the arrival animation (which fades the item in) is over.
    await Promise.all(item.getAnimations().map((a) => a.finished));
    await expect(el).to.be.accessible();
  });

  it('shows markup in a comment as text', async () => {
    const site = await createSite();
    const el = await liveWall(site);
    const hostile = '<img src=x onerror=alert(1)>';
    const token = await react(site, 'negative', hostile);
    await until(() => feedItem(el, token), 'the reaction shows', LIVE_MS);
    expect(feedItem(el, token)!.querySelector('[part="comment"]')!.textContent).to.equal(hostile);
    expect(shadow(el).querySelector('img')).to.equal(null);
  });

  it('renders no technician, even if a snapshot carried one', async () => {
    // The 'survey' command does not pass a team or technician through, so the real-API check (surveys
    // with technicians, none of their names on the page) is in test/e2e/wall.test.ts. Here: the wall
    // renders only the fields it knows, whatever else a snapshot holds.
    const el = await fixture<CsatWall>(html`<csat-wall site="acme" key="csat_test_k"></csat-wall>`);
    const now = new Date().toISOString();
    const score = { site: 'acme', name: 'Acme IT', score: 100, exact: 100, window: { days: 90, from: '2026-01-01', to: '2026-03-31' }, counts: { positive: 1, neutral: 0, negative: 0, total: 1, imported: 0 }, percent: { positive: 100, neutral: 0, negative: 0 }, benchmark: null, updatedAt: now };
    const recent = [{ id: 'r1', reaction: 'positive', comment: 'Thanks', team: 'Service desk', technician: 'Marguerite Okonkwo', technicianId: 'tech-42', createdAt: now, updatedAt: now }];
    bridges[0]!.push({ ...snapshotOf(score as WallSnapshot['score'], recent as WallSnapshot['recent']), technicians: [{ name: 'Marguerite Okonkwo', score: 100 }] });
    await until(() => shadow(el).querySelector('[part="score"]'), 'the snapshot shows');
    expect(fullText(el)).to.contain('Service desk');
    expect(fullText(el)).not.to.contain('Marguerite');
    expect(fullText(el)).not.to.contain('tech-42');
    expect(shadow(el).innerHTML).not.to.contain('Marguerite');
  });

  it('when the feed ends (a server restart), shows "Reconnecting…" and opens it again on a timer', async () => {
    const site = await createSite();
    const el = await liveWall(site);
    expect(bridges).to.have.length(1);
    bridges[0]!.giveUp();
    await until(() => text(shadow(el).querySelector('[part="status"]')) === 'Reconnecting…', 'the indicator shows');
    expect(shadow(el).querySelector('[part="score"]'), 'the last figures stay up').to.exist;
    await until(() => bridges.length === 2, 'a new connection is opened', 4000);
    await until(() => text(shadow(el).querySelector('[part="status"]')) === 'Live', 'live again');
  });

  it('with reduced motion, a new reaction is highlighted without animation', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const site = await createSite();
    const el = await liveWall(site);
    const token = await react(site, 'positive', 'Calm arrival');
    await until(() => feedItem(el, token), 'the reaction shows', LIVE_MS);
    const item = feedItem(el, token)!;
    expect(item.getAttribute('part')).to.contain('fresh');
    expect(getComputedStyle(item).animationName).to.equal('none');
    expect(getComputedStyle(item).outlineStyle).to.equal('solid');
  });
});
