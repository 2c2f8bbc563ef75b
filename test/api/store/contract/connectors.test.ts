// Contract: help-desk connectors' storage, on every store: connectors, replay-protected events, ticket
// links, and the write-back queue a reaction fills in its own transaction. On PostgreSQL, two instances
// draining the queue at once never take the same write-back.
import { expect } from 'vitest';
import { newTokenId } from '../../../../api/domain/tokens.js';
import { DAY_MS } from '../../../../api/domain/window.js';
import type { ConnectorEventRecord } from '../../../../api/store/types-connectors.js';
import type { Site, Store, Survey } from '../../../../api/store/types.js';
import { T0 } from '../../helpers.js';
import { acmeOpener, forEachStore } from './stores.js';

const changeWindowMs = 7 * DAY_MS;

async function survey(store: Store, site: Site, ticketRef: string): Promise<Survey> {
  return (await store.createSurvey({ siteId: site.id, ticketRef, tokenId: newTokenId(), expiresAt: T0 + 30 * DAY_MS }, T0)).survey;
}

const connector = (siteId: number, id: string, extra: { writeBack?: boolean; reopen?: boolean } = {}) => ({
  id,
  siteId,
  provider: 'zendesk' as const,
  label: `Desk ${id}`,
  sealedSettings: `v1.sealed-${id}`,
  writeBack: extra.writeBack ?? true,
  reopen: extra.reopen ?? false,
});

const close = (connectorId: string, ticketId: string, surveyId: string | null, eventKey = `close-${ticketId}`): ConnectorEventRecord => ({
  connectorId, eventKey, kind: 'close', ticketId, ticketRef: `ZD-${ticketId}`, surveyId, outcome: 'survey sent',
});

forEachStore('help-desk connectors', 'connectors', (kind, it) => {
  const setUp = acmeOpener(kind);

  it('creates, reads, changes and lists connectors of one site', async () => {
    const { store, site } = await setUp();
    const other = await store.createSite({ slug: 'other', name: 'Other' }, T0);
    await store.createConnector(connector(site.id, 'c_b'), T0 + 1);
    await store.createConnector(connector(site.id, 'c_a', { writeBack: false }), T0 + 1);
    await store.createConnector(connector(site.id, 'c_0'), T0);
    await store.createConnector(connector(other.id, 'c_x'), T0);
    expect(await store.getConnector(site.id, 'c_a')).toEqual({ ...connector(site.id, 'c_a', { writeBack: false }), createdAt: T0 + 1, disabledAt: null });
    expect(await store.getConnector(site.id, 'c_x')).toBeNull();

    expect(await store.updateConnector(site.id, 'c_a', { reopen: true, label: null }, T0 + 5)).toBe(true);
    expect(await store.updateConnector(site.id, 'c_a', { disabled: true }, T0 + 6)).toBe(true);
    expect(await store.updateConnector(site.id, 'c_a', { disabled: true }, T0 + 7)).toBe(true);
    expect(await store.updateConnector(site.id, 'c_x', { disabled: true }, T0 + 7)).toBe(false);
    expect(await store.getConnector(site.id, 'c_a')).toMatchObject({ reopen: true, label: null, writeBack: false, disabledAt: T0 + 6, sealedSettings: 'v1.sealed-c_a' });
    expect(await store.updateConnector(site.id, 'c_a', { disabled: false, sealedSettings: 'v1.new' }, T0 + 8)).toBe(true);
    expect(await store.getConnector(site.id, 'c_a')).toMatchObject({ disabledAt: null, sealedSettings: 'v1.new' });

    const list = await store.listConnectors(site.id);
    expect(list.map((c) => c.id)).toEqual(['c_0', 'c_a', 'c_b']);
    expect(list[0]).not.toHaveProperty('sealedSettings');
    expect(list[0]).toMatchObject({ lastEvent: null, lastError: null, writeBacks: { pending: 0, delivered: 0, failed: 0, last: null } });
  });

  it('takes an event key once, links the ticket to its survey, and counts reopens', async () => {
    const { store, site } = await setUp();
    await store.createConnector(connector(site.id, 'c_1'), T0);
    const s = await survey(store, site, 'ZD-7');
    expect(await store.connectorEventSeen('c_1', 'close-7')).toBe(false);
    expect(await store.recordConnectorEvent(close('c_1', '7', s.id), T0 + 1)).toBe(true);
    expect(await store.recordConnectorEvent({ ...close('c_1', '7', null), outcome: 'again' }, T0 + 2)).toBe(false);
    expect(await store.connectorEventSeen('c_1', 'close-7')).toBe(true);
    expect(await store.getConnectorTicket('c_1', '7')).toEqual({ connectorId: 'c_1', ticketId: '7', ticketRef: 'ZD-7', surveyId: s.id, state: 'closed', reopens: 0 });
    // A reopen names no survey: the ticket keeps its link.
    expect(await store.recordConnectorEvent({ ...close('c_1', '7', null, 'reopen-7'), kind: 'reopen', outcome: 'reopened' }, T0 + 3)).toBe(true);
    expect(await store.getConnectorTicket('c_1', '7')).toMatchObject({ surveyId: s.id, state: 'reopened', reopens: 1 });
    expect(await store.getConnectorTicket('c_1', 'nope')).toBeNull();
    const [status] = await store.listConnectors(site.id);
    expect(status!.lastEvent).toEqual({ at: T0 + 3, summary: 'reopen of ticket ZD-7: reopened' });

    await store.noteConnectorActivity('c_1', { error: 'x'.repeat(600) }, T0 + 4);
    await store.noteConnectorActivity('c_1', { event: 'ping' }, T0 + 5);
    const [after] = await store.listConnectors(site.id);
    expect(after!.lastError).toEqual({ at: T0 + 4, message: 'x'.repeat(500) });
    expect(after!.lastEvent).toEqual({ at: T0 + 5, summary: 'ping' });
  });

  it('queues write-backs with the reaction that calls for them, and records their attempts', async () => {
    const { store, site } = await setUp();
    await store.createConnector(connector(site.id, 'c_1', { reopen: true }), T0);
    await store.createConnector(connector(site.id, 'c_2', { writeBack: false }), T0);
    const s = await survey(store, site, 'ZD-7');
    const quiet = await survey(store, site, 'ZD-8');
    await store.recordConnectorEvent(close('c_1', '7', s.id), T0);
    await store.recordConnectorEvent(close('c_2', '7', s.id), T0);
    await store.recordConnectorEvent(close('c_1', '8', quiet.id), T0);

    await store.submitResponse({ survey: quiet, reaction: 'positive', changeWindowMs }, T0 + 1);
    expect(await store.dueWriteBacks(T0 + 1, 10)).toEqual([]);
    const answered = await store.submitResponse({ survey: s, reaction: 'negative', comment: 'slow', changeWindowMs }, T0 + 2);
    // A comment edit adds nothing; a change to another non-positive reaction does.
    await store.submitResponse({ survey: s, reaction: 'negative', comment: 'very slow', changeWindowMs }, T0 + 3);
    expect(await store.dueWriteBacks(T0 + 1, 10)).toEqual([]);
    const due = await store.dueWriteBacks(T0 + 3, 10);
    expect(due).toEqual([
      expect.objectContaining({ connectorId: 'c_1', siteId: site.id, siteSlug: 'acme', provider: 'zendesk', sealedSettings: 'v1.sealed-c_1', ticketId: '7', action: 'note', responseId: answered.response.id, reaction: 'negative', comment: 'very slow', attempts: 0 }),
      expect.objectContaining({ connectorId: 'c_1', ticketId: '7', action: 'reopen', attempts: 0 }),
    ]);
    expect(due[0]!.id).toBeLessThan(due[1]!.id);

    await store.recordWriteBackAttempt(due[0]!.id, { ok: true, httpStatus: 200, error: null, nextAttemptAt: null }, T0 + 10);
    await store.recordWriteBackAttempt(due[1]!.id, { ok: false, httpStatus: 503, error: 'busy', nextAttemptAt: T0 + 20 }, T0 + 11);
    expect(await store.dueWriteBacks(T0 + 19, 10)).toEqual([]);
    const retry = await store.dueWriteBacks(T0 + 20, 10);
    expect(retry).toEqual([expect.objectContaining({ id: due[1]!.id, attempts: 1 })]);
    await store.recordWriteBackAttempt(due[1]!.id, { ok: false, httpStatus: 400, error: 'refused', nextAttemptAt: null }, T0 + 21);
    expect(await store.dueWriteBacks(T0 + DAY_MS, 10)).toEqual([]);

    const [status] = await store.listConnectors(site.id);
    expect(status!.writeBacks).toEqual({
      pending: 0, delivered: 1, failed: 1,
      last: { status: 'failed', action: 'reopen', ticketId: '7', attempts: 2, httpStatus: 400, error: 'refused', at: T0 + 21 },
    });
  });

  it('holds back the write-backs of a disabled connector', async () => {
    const { store, site } = await setUp();
    await store.createConnector(connector(site.id, 'c_1'), T0);
    const s = await survey(store, site, 'ZD-7');
    await store.recordConnectorEvent(close('c_1', '7', s.id), T0);
    await store.submitResponse({ survey: s, reaction: 'neutral', changeWindowMs }, T0 + 1);
    await store.updateConnector(site.id, 'c_1', { disabled: true }, T0 + 2);
    expect(await store.dueWriteBacks(T0 + 3, 10)).toEqual([]);
    await store.updateConnector(site.id, 'c_1', { disabled: false }, T0 + 4);
    expect(await store.dueWriteBacks(T0 + 5, 10)).toHaveLength(1);
  });

  if (kind.name === 'postgres') {
    // SQLite has one worker per database file; several PostgreSQL instances share one queue.
    it('never hands one write-back to two instances draining the queue at once, and hands it out again after the lease', async () => {
      const { o, store, site } = await setUp();
      const another = await o.another();
      await store.createConnector(connector(site.id, 'c_1'), T0);
      for (let i = 0; i < 30; i++) {
        const s = await survey(store, site, `ZD-${i}`);
        await store.recordConnectorEvent(close('c_1', String(i), s.id), T0);
        await store.submitResponse({ survey: s, reaction: 'negative', changeWindowMs }, T0 + 1);
      }
      const rounds = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? another : store).dueWriteBacks(T0 + 2, 7)));
      const ids = rounds.flat().map((j) => j.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(30);
      expect(await store.dueWriteBacks(T0 + 2, 100)).toEqual([]);
      // An instance that claimed and stopped: its jobs come back once the lease is over.
      const { WRITE_BACK_LEASE_MS } = await import('../../../../api/store/pg/connectors.js');
      expect(await another.dueWriteBacks(T0 + 2 + WRITE_BACK_LEASE_MS, 100)).toHaveLength(30);
    }, 30_000);
  }
});
