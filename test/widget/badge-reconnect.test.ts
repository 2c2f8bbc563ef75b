// <csat-badge live> after its stream is cut: it comes back by itself (with backoff) and shows the score
// of the reconnected stream, even when the first attempts are refused as a proxy does while the server
// restarts; a badge taken out of the page stops trying.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { answer, apiUrl, captureWarnings, createSurvey, seededSite } from './api.js';
import { badgeLoaded, scoreNumber, until } from './dom.js';

const command = async (payload: Record<string, unknown>) => (await executeServerCommand<{ listeners: number }, Record<string, unknown>>('csat', payload))!;
const listeners = async (site: string) => (await command({ action: 'listeners', site })).listeners;
/** Polls the server until the site's live listener count is `n`. */
async function listenersBecome(site: string, n: number, what: string) {
  const deadline = Date.now() + 8000;
  while ((await listeners(site)) !== n) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('csat-badge live reconnects', () => {
  it('reopens its stream after the server cuts it and refuses it once, and shows the next score', async () => {
    const warnings = captureWarnings();
    try {
      const site = await seededSite(['positive']);
      const el = await fixture<CsatBadge>(html`<csat-badge live site=${site} api=${await apiUrl()}></csat-badge>`);
      await badgeLoaded(el);
      expect(scoreNumber(el)).to.equal('100');
      await listenersBecome(site, 1, 'the live stream');

      // EventSource alone gives up for good on an HTTP error: the badge must not.
      expect((await command({ action: 'cut-streams', site, refuse: 1 })).listeners).to.equal(1);
      expect(await answer(await createSurvey(site), 'negative')).to.equal(201);
      await until(() => scoreNumber(el) === '0', 'the score of the reopened stream', 9000);
      await listenersBecome(site, 1, 'one live stream again');
    } finally {
      warnings.restore();
    }
  });

  it('stops trying once taken out of the page', async () => {
    const warnings = captureWarnings();
    try {
      const site = await seededSite(['positive']);
      const el = await fixture<CsatBadge>(html`<csat-badge live site=${site} api=${await apiUrl()}></csat-badge>`);
      await badgeLoaded(el);
      await listenersBecome(site, 1, 'the live stream');
      await command({ action: 'cut-streams', site, refuse: 1 });
      el.remove();
      // Longer than the first two waits of the backoff: a badge still trying would be back by then.
      await new Promise((r) => setTimeout(r, 3500));
      expect(await listeners(site)).to.equal(0);

      // Back in the page, it is live again.
      document.body.append(el);
      await listenersBecome(site, 1, 'the stream of the badge put back');
      el.remove();
    } finally {
      warnings.restore();
    }
  });
});
