// <csat-badge live>: the score follows new reactions over Server-Sent Events, without a reload.
import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { answer, apiUrl, createSurvey, seededSite } from './api.js';
import { badgeLoaded, labelText, mustPart, scoreNumber, until } from './dom.js';

describe('csat-badge live', () => {
  it('updates the number over SSE when a reaction is recorded elsewhere', async () => {
    const site = await seededSite(['positive']);
    const el = await fixture<CsatBadge>(html`<csat-badge live site=${site} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
    expect(scoreNumber(el)).to.equal('100');
    const base = mustPart(el, 'base');

    // Count fetches from now on: the update must come over the open stream, not a new request.
    const originalFetch = window.fetch;
    let fetches = 0;
    window.fetch = (...args: Parameters<typeof fetch>) => {
      fetches++;
      return originalFetch(...args);
    };
    try {
      // 1 positive + 1 negative: 50 % - 50 % = 0.
      expect(await answer(await createSurvey(site), 'negative')).to.equal(201);
      await until(() => scoreNumber(el) === '0', 'the live score changes to 0');
    } finally {
      window.fetch = originalFetch;
    }
    expect(labelText(el)).to.equal('Customer satisfaction · last 90 days · 2 ratings');
    expect(fetches, 'fetch() calls').to.equal(0);
    expect(mustPart(el, 'base'), 'the same badge button, updated in place').to.equal(base);
  });
});
