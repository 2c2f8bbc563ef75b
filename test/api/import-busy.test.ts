// A store write that finds the database locked by another connection (a `csat import` batch) waits for
// it with timers: the thread stays free for other work meanwhile, and the write goes in once the lock is
// released. With a long busy_timeout the call itself would block the thread, then fail.
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../api/domain/window.js';
import { newTokenId } from '../../api/domain/tokens.js';
import { isBusy, retryBusy } from '../../api/store/sqlite-busy.js';
import { newFile, open, raw } from './store/fixtures.js';
import { T0 } from './helpers.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('a write while another connection holds the write lock', () => {
  it('is pending, not failed, while reads and timers go on; it goes in once the lock is released', async () => {
    const file = newFile();
    const store = open(file);
    const site = await store.createSite({ slug: 'acme', name: 'Acme' }, T0);
    const other = raw(file);
    other.pragma('busy_timeout = 5000');
    other.prepare('BEGIN IMMEDIATE').run();

    let settled: 'created' | 'failed' | null = null;
    const write = store
      .createSurvey({ siteId: site.id, ticketRef: 'DURING-LOCK', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0)
      .then(() => (settled = 'created'), () => (settled = 'failed'));
    // The thread is free: timers fire and reads are answered while the write waits.
    for (let i = 0; i < 5; i++) {
      await tick();
      expect((await store.getSite('acme'))?.name).toBe('Acme');
    }
    expect(settled).toBeNull();
    expect(store.db.prepare("SELECT count(*) AS n FROM surveys WHERE ticket_ref = 'DURING-LOCK'").get()).toEqual({ n: 0 });

    other.prepare('COMMIT').run();
    await write;
    expect(settled).toBe('created');
    expect(store.db.prepare("SELECT count(*) AS n FROM surveys WHERE ticket_ref = 'DURING-LOCK'").get()).toEqual({ n: 1 });
  });

  it('gives up with the busy error when the lock is never released, and other errors are not retried', async () => {
    let calls = 0;
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const failed = await retryBusy(() => {
      calls++;
      throw busy;
    }, 30).catch((error: unknown) => error);
    expect(failed).toBe(busy);
    expect(isBusy(failed)).toBe(true);
    expect(calls).toBeGreaterThan(1);

    calls = 0;
    const other = new Error('constraint');
    expect(await retryBusy(() => {
      calls++;
      throw other;
    }).catch((error: unknown) => error)).toBe(other);
    expect(calls).toBe(1);
  });
});
