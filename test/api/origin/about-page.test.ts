// The About page says, for the site it is asked about, how many counted ratings were imported (and from
// when), seeded or sealed, and claims no more than the log proves.
import { describe, expect, it } from 'vitest';
import { testApi, T0 } from '../helpers.js';

describe('GET /about/score?site=', () => {
  it('shows the site\'s imported, seeded and sealed counts and the limits of what the log proves', async () => {
    const t = await testApi();
    await t.store.importResponses(t.site.id, [
      { line: 2, respondedAt: Date.parse('2026-10-01T10:00:00Z'), ticketRef: 'OLD-1', reaction: 'positive', comment: null },
      { line: 3, respondedAt: Date.parse('2026-10-03T10:00:00Z'), ticketRef: 'OLD-2', reaction: 'positive', comment: null },
    ], T0);
    const live = await t.createSurvey('T-1');
    await t.react(live.token, 'negative');
    const page = await (await t.app.request('/about/score?site=acme')).text();
    expect(page).toContain('<strong>2</strong> (66.7%) imported from another tool, answered from 2026-10-01 to 2026-10-03');
    expect(page).toContain('<strong>0</strong> (0%) demo data');
    expect(page).toContain('<strong>0</strong> (0%) answered on sealed surveys');
    expect(page).toContain('/v1/sites/acme/activity');
    expect(page).toContain('It does not show that the respondents are real clients.');
    expect(page).toContain('a company could answer its own surveys');
  });

  it('escapes the site name and falls back to the general page for an unknown or missing site', async () => {
    const t = await testApi({ site: { name: '<b>Acme</b>' } });
    expect(await (await t.app.request('/about/score?site=acme')).text()).toContain('&lt;b&gt;Acme&lt;/b&gt;');
    for (const path of ['/about/score', '/about/score?site=nope']) {
      const res = await t.app.request(path);
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain('% good − % bad');
      expect(page).not.toContain('demo data written by the demo seed');
    }
  });

  it('explains the formula of the site\'s own kind, and every kind without a site', async () => {
    const nps = await testApi({ site: { kind: 'nps' } });
    const npsPage = await (await nps.app.request('/about/score?site=acme')).text();
    expect(npsPage).toContain('% promoters − % detractors');
    expect(npsPage).not.toContain('% good − % bad');
    const csat = await testApi({ site: { kind: 'csat', scale: 5 } });
    const csatPage = await (await csat.app.request('/about/score?site=acme')).text();
    expect(csatPage).toContain('on a scale from 1 to 5');
    expect(csatPage).toContain('share of satisfied answers');
    const general = await (await csat.app.request('/about/score')).text();
    for (const text of ['% good − % bad', 'share of satisfied answers', '% promoters − % detractors']) expect(general).toContain(text);
  });
});
