import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { listen } from './http-server.js';
import { testApi } from './helpers.js';

describe('concurrent submits over HTTP', () => {
  it('50 simultaneous submits for one ticket leave exactly one response', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    try {
      const { token } = await t.createSurvey('T-1');
      const reactions = ['positive', 'neutral', 'negative'];
      const statuses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          fetch(`${server.url}/v1/responses`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ token, reaction: reactions[i % 3] }),
          }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(49);

      const raw = new Database(t.file, { readonly: true });
      const rows = raw.prepare('SELECT count(*) AS n FROM responses').get() as { n: number };
      raw.close();
      expect(rows.n).toBe(1);
      expect((await t.score()).counts.total).toBe(1);
      expect(await t.store.countMismatches(t.site.id)).toEqual([]);
      expect(await t.store.listEvents(t.site.id)).toHaveLength(50);
    } finally {
      await server.close();
    }
  });
});
