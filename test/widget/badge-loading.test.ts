// The loading state: a skeleton with the loaded badge's box, so the host page does not shift.
import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { gatedApi, releaseGate, seededSite } from './api.js';
import { badgeLoaded, box, mustPart } from './dom.js';

describe('csat-badge while the score is loading', () => {
  let gate = 0;

  /** A badge whose score request is held by the server until release() is called. */
  async function heldBadge(site: string) {
    const name = `loading-${Date.now()}-${++gate}`;
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await gatedApi(name)}></csat-badge>`);
    return { el, release: () => releaseGate(name) };
  }

  it('shows a busy skeleton, then the score', async () => {
    const site = await seededSite(['positive', 'positive', 'positive', 'negative']);
    const { el, release } = await heldBadge(site);
    const skeleton = mustPart(el, 'base');
    expect(skeleton.classList.contains('skeleton')).to.equal(true);
    expect(skeleton.getAttribute('aria-busy')).to.equal('true');
    await release();
    await badgeLoaded(el);
    const base = mustPart(el, 'base');
    expect(base.classList.contains('skeleton')).to.equal(false);
    expect(base.hasAttribute('aria-busy')).to.equal(false);
  });

  // One case per kind of loaded badge: a score with its ratings, and none yet.
  for (const [name, reactions] of [
    ['a score with a few ratings', ['positive', 'positive', 'positive', 'negative']],
    ['no ratings yet', []],
  ] as const) {
    it(`keeps the same box when ${name} arrives (no layout shift)`, async () => {
      const site = await seededSite([...reactions]);
      const { el, release } = await heldBadge(site);
      expect(mustPart(el, 'base').classList.contains('skeleton')).to.equal(true);
      const before = { host: box(el), base: box(mustPart(el, 'base')) };
      await release();
      await badgeLoaded(el);
      const after = { host: box(el), base: box(mustPart(el, 'base')) };
      expect(Math.abs(after.host.width - before.host.width), `host width ${before.host.width} -> ${after.host.width}`).to.be.at.most(1);
      expect(Math.abs(after.host.height - before.host.height), `host height ${before.host.height} -> ${after.host.height}`).to.be.at.most(1);
      expect(Math.abs(after.base.width - before.base.width), `badge width ${before.base.width} -> ${after.base.width}`).to.be.at.most(1);
      expect(Math.abs(after.base.height - before.base.height), `badge height ${before.base.height} -> ${after.base.height}`).to.be.at.most(1);
    });
  }

  it('is accessible while loading', async () => {
    const site = await seededSite(['positive']);
    const { el, release } = await heldBadge(site);
    expect(mustPart(el, 'base').classList.contains('skeleton')).to.equal(true);
    try {
      await expect(el).to.be.accessible();
    } finally {
      await release();
    }
  });
});
