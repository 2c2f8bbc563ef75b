// <csat-badge live> across a real restart of the built server (dist/api/server.js in its own process):
// the process is killed and started again on the same port and database file, a reaction is recorded
// by the new process, and the badge shows it. The badge never fetches the score once live, so the
// new figure can only reach it over a stream it reopened to the new process.
import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { captureWarnings } from './api.js';
import { badgeLoaded, scoreNumber, until } from './dom.js';
import { createSite, react, restartServer, startBuiltServer, stopServer } from './server-process.js';

describe('csat-badge live across a server restart', () => {
  afterEach(stopServer);

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`shows the next score after the server is stopped with ${signal} and started again`, async function (this: { timeout(ms: number): void }) {
      // Two server starts, the graceful stop's wait for open streams, and the badge's backoff.
      this.timeout(20_000);
      const warnings = captureWarnings();
      try {
        const { api } = await startBuiltServer();
        const site = await createSite();
        expect(await react(site, 'positive')).to.equal(201);
        const el = await fixture<CsatBadge>(html`<csat-badge live site=${site} api=${api}></csat-badge>`);
        await badgeLoaded(el);
        expect(scoreNumber(el)).to.equal('100');
        // Live before the restart: a reaction reaches the open stream (1 positive, 1 negative: 0).
        expect(await react(site, 'negative')).to.equal(201);
        await until(() => scoreNumber(el) === '0', 'the live score before the restart', 8000);

        const restart = await restartServer(signal);
        expect(restart.after, 'a new server process').to.not.equal(restart.before);
        expect(restart.exit, 'how the old one ended').to.equal(signal === 'SIGKILL' ? 'SIGKILL' : 0);
        expect(restart.api).to.equal(api);

        // Recorded by the new process: 1 positive, 2 negative = -33.
        expect(await react(site, 'negative')).to.equal(201);
        await until(() => scoreNumber(el) === '-33', 'the score from the restarted server', 12_000);
        el.remove();
      } finally {
        warnings.restore();
      }
    });
  }
});
