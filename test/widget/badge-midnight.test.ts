// <csat-badge live> at UTC midnight: the score window moves with the day, so a rating on the window's
// first day leaves it at 00:00 and the open badge shows the new figures without any reaction recorded.
// The server is a separate process whose clock the test sets (test/widget/clock-server.mjs).
import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { badgeLoaded, labelText, scoreNumber, until } from './dom.js';
import { createSite, react, setServerClock, startClockServer, stopServer } from './server-process.js';

const at = (day: number, hours: number, minutes = 0) => Date.UTC(2026, 10, day, hours, minutes);

describe('csat-badge live at UTC midnight', () => {
  afterEach(stopServer);

  it('shows the new window once the server clock passes midnight, with no reaction', async function (this: { timeout(ms: number): void }) {
    this.timeout(20_000);
    // A 7-day window: on 23 November it runs from the 17th to the 23rd, from midnight on from the 18th.
    const { api } = await startClockServer(at(17, 12));
    const site = await createSite({ windowDays: 7, at: at(17, 12) });
    expect(await react(site, 'positive')).to.equal(201);
    await setServerClock(at(23, 23, 58));
    expect(await react(site, 'negative')).to.equal(201);

    const el = await fixture<CsatBadge>(html`<csat-badge live site=${site} api=${api}></csat-badge>`);
    await badgeLoaded(el);
    // 1 positive (the 17th), 1 negative (the 23rd): 50% - 50% = 0.
    expect(scoreNumber(el)).to.equal('0');
    expect(labelText(el)).to.match(/\b2 ratings\b/);

    await setServerClock(at(24, 0, 1));
    // Only the negative one is left in the window: -100.
    await until(() => scoreNumber(el) === '-100', 'the score of the new day', 8000);
    expect(labelText(el)).to.match(/\b1 rating\b/);
    el.remove();
  });
});
