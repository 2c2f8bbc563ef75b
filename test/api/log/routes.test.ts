// The public log routes: open to any origin, immutable where the content can never change, 4xx on bad
// input; the score object carries the log head, and its proofs verify against it.
import { describe, expect, it } from 'vitest';
import { hashLeaf, treeRoot, verifyConsistency, verifyInclusion } from '../../../api/domain/merkle.js';
import { openNote, parseCheckpoint, parseVerifierKey } from '../../../api/domain/signed-note.js';
import { testApi } from '../helpers.js';

const b = (s: string) => Buffer.from(s, 'base64');

describe('public log routes', () => {
  it('serve the key, checkpoint, entries and proofs that verify against the score\'s log head', async () => {
    const api = await testApi();
    for (const [i, r] of (['positive', 'negative', 'positive'] as const).entries()) {
      const { token } = await api.createSurvey(`T-${i}`);
      expect((await api.react(token, r)).status).toBeLessThan(300);
    }
    const { token } = await api.createSurvey('T-9');
    await api.react(token, 'neutral');
    api.clock.advance(1000);
    await api.react(token, 'positive');
    const base = `/v1/sites/${api.site.slug}/log`;

    const score = (await api.score()) as unknown as { log: { size: number; rootHash: string; checkpoint: string } };
    expect(score.log.size).toBe(5);
    const keyRes = await api.app.request(`${base}/key`);
    expect(keyRes.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const key = parseVerifierKey(((await keyRes.json()) as { verifierKey: string }).verifierKey);
    const opened = openNote(score.log.checkpoint, key);
    expect(opened.ok).toBe(true);
    expect(parseCheckpoint((opened as { text: string }).text)).toMatchObject({ size: 5 });

    const cpRes = await api.app.request(`${base}/checkpoint`);
    expect(await cpRes.text()).toBe(score.log.checkpoint);
    expect(cpRes.headers.get('Cache-Control')).toBe('public, max-age=5');

    const entriesRes = await api.app.request(`${base}/entries?start=0&end=5`);
    expect(entriesRes.headers.get('Cache-Control')).toContain('immutable');
    const { entries } = (await entriesRes.json()) as { entries: Array<{ index: number; data: string }> };
    expect(entries.map((e) => JSON.parse(e.data).kind)).toEqual(['first', 'first', 'first', 'first', 'change']);
    const leaves = entries.map((e) => hashLeaf(Buffer.from(e.data)));
    // Asking past the end is not cached for long: the entries are still to come.
    expect((await api.app.request(`${base}/entries?start=3&end=10`)).headers.get('Cache-Control')).toBe('public, max-age=5');

    for (let i = 0; i < 5; i++) {
      const res = await api.app.request(`${base}/proof/inclusion?index=${i}&size=5`);
      expect(res.headers.get('Cache-Control')).toContain('immutable');
      const { proof } = (await res.json()) as { proof: string[] };
      expect(verifyInclusion(leaves[i]!, i, 5, proof.map(b), b(score.log.rootHash))).toBe(true);
    }
    const from3 = (await (await api.app.request(`${base}/proof/consistency?from=3&to=5`)).json()) as { proof: string[] };
    const root3 = treeRoot(leaves, 3);
    expect(verifyConsistency(3, 5, from3.proof.map(b), root3, b(score.log.rootHash))).toBe(true);
  });

  it('answer bad input with a 4xx error body', async () => {
    const api = await testApi();
    const base = `/v1/sites/${api.site.slug}/log`;
    for (const url of [
      `${base}/entries?start=x`,
      `${base}/entries?start=5&end=2`,
      `${base}/entries?start=0&end=5000`,
      `${base}/proof/inclusion?index=0&size=1`,
      `${base}/proof/inclusion?index=-1&size=1`,
      `${base}/proof/consistency?from=2&to=1`,
      `${base}/proof/consistency?from=0`,
    ]) {
      const res = await api.app.request(url);
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/invalid_/);
    }
    expect((await api.app.request('/v1/sites/nope/log/checkpoint')).status).toBe(404);
    // An empty log still has a signed checkpoint (size 0, the empty tree's root).
    expect(await (await api.app.request(`${base}/checkpoint`)).text()).toMatch(/^csat-badge\/[^\n]+\n0\n47DEQpj8HBSa\+\/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n\u2014 /);
  });
});
