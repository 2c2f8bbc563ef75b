// The Merkle code against the published RFC 6962 test data (test/fixtures/merkle/rfc6962-vectors.json),
// then against itself on every size up to 40: each proof it makes verifies, and a wrong one does not.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  appendLeaf,
  consistencyProof,
  emptyRange,
  rangeRoot,
  EMPTY_ROOT,
  hashLeaf,
  inclusionProof,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../../../api/domain/merkle.js';

const vectors = JSON.parse(fs.readFileSync(new URL('../../fixtures/merkle/rfc6962-vectors.json', import.meta.url), 'utf8')) as {
  leavesHex: string[];
  emptyRoot: string;
  leafHashes: string[];
  rootsBySize: Record<string, string>;
  inclusion: { leafIndex: number; size: number; proof: string[] }[];
  consistency: { from: number; to: number; proof: string[] }[];
};
const h = (hex: string) => Buffer.from(hex, 'hex');
const hexes = (list: Buffer[]) => list.map((b) => b.toString('hex'));
const leaves = vectors.leavesHex.map((x) => hashLeaf(h(x)));
const root = (size: number) => h(vectors.rootsBySize[String(size)]!);

describe('RFC 6962 published vectors', () => {
  it('hashes the empty tree, each leaf and every tree size 1..8 to the published values', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(vectors.emptyRoot);
    expect(treeRoot([]).toString('hex')).toBe(vectors.emptyRoot);
    expect(hexes(leaves)).toEqual(vectors.leafHashes);
    for (let size = 1; size <= 8; size++) expect(treeRoot(leaves, size).toString('hex')).toBe(vectors.rootsBySize[String(size)]);
  });

  it('makes and verifies the published inclusion proofs', () => {
    for (const v of vectors.inclusion) {
      expect(hexes(inclusionProof(leaves, v.leafIndex, v.size))).toEqual(v.proof);
      expect(verifyInclusion(leaves[v.leafIndex]!, v.leafIndex, v.size, v.proof.map(h), root(v.size))).toBe(true);
    }
  });

  it('makes and verifies the published consistency proofs', () => {
    for (const v of vectors.consistency) {
      expect(hexes(consistencyProof(leaves, v.from, v.to))).toEqual(v.proof);
      expect(verifyConsistency(v.from, v.to, v.proof.map(h), root(v.from), root(v.to))).toBe(true);
    }
  });

  it('refuses the published proofs once anything about them is wrong', () => {
    const some = h('abacaba000000000000000000000000000000000000000000060061e00123456');
    for (const v of vectors.inclusion.filter((x) => x.proof.length > 0)) {
      const proof = v.proof.map(h);
      const leaf = leaves[v.leafIndex]!;
      expect(verifyInclusion(leaf, v.leafIndex + 1, v.size, proof, root(v.size))).toBe(false);
      expect(verifyInclusion(leaf, v.leafIndex, v.size * 2, proof, root(v.size))).toBe(false);
      expect(verifyInclusion(leaf, v.leafIndex, v.size, proof, some)).toBe(false);
      expect(verifyInclusion(leaf, v.leafIndex, v.size, [...proof, root(v.size)], root(v.size))).toBe(false);
      expect(verifyInclusion(leaf, v.leafIndex, v.size, proof.slice(0, -1), root(v.size))).toBe(false);
      const flipped = proof.map((p, i) => (i === 0 ? Buffer.from(p.map((b, j) => (j === 0 ? b ^ 8 : b))) : p));
      expect(verifyInclusion(leaf, v.leafIndex, v.size, flipped, root(v.size))).toBe(false);
    }
    for (const v of vectors.consistency.filter((x) => x.proof.length > 0)) {
      const proof = v.proof.map(h);
      expect(verifyConsistency(v.from, v.to, proof, root(v.to), root(v.from))).toBe(false);
      expect(verifyConsistency(v.from + 1, v.to, proof, root(v.from), root(v.to))).toBe(false);
      expect(verifyConsistency(v.from, v.to, [], root(v.from), root(v.to))).toBe(false);
      expect(verifyConsistency(v.from, v.to, proof.slice(0, -1), root(v.from), root(v.to))).toBe(false);
      expect(verifyConsistency(v.from, v.to, [proof[0]!, ...proof], root(v.from), root(v.to))).toBe(false);
    }
    // The same tree, or back in time: only an empty proof between equal roots passes.
    expect(verifyConsistency(3, 3, [], root(3), root(3))).toBe(true);
    expect(verifyConsistency(3, 3, [], root(3), root(4))).toBe(false);
    expect(verifyConsistency(4, 3, [], root(4), root(3))).toBe(false);
  });
});

describe('compact range', () => {
  it('gives the published roots, and the same root as the whole tree at every size up to 70', () => {
    let range = emptyRange();
    expect(rangeRoot(range).toString('hex')).toBe(vectors.emptyRoot);
    for (const [i, leaf] of leaves.entries()) {
      range = appendLeaf(range, leaf);
      expect(rangeRoot(range).toString('hex')).toBe(vectors.rootsBySize[String(i + 1)]);
    }
    const many = Array.from({ length: 70 }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
    range = emptyRange();
    for (const [i, leaf] of many.entries()) {
      range = appendLeaf(range, leaf);
      expect(rangeRoot(range).equals(treeRoot(many, i + 1))).toBe(true);
    }
  });
});

describe('proofs this code makes for itself', () => {
  const many = Array.from({ length: 40 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
  it('verify for every leaf and every pair of sizes up to 40, and fail against a rewritten history', () => {
    for (let size = 1; size <= many.length; size++) {
      const r = treeRoot(many, size);
      for (let i = 0; i < size; i++) expect(verifyInclusion(many[i]!, i, size, inclusionProof(many, i, size), r)).toBe(true);
      for (let from = 1; from <= size; from++) {
        expect(verifyConsistency(from, size, consistencyProof(many, from, size), treeRoot(many, from), r)).toBe(true);
      }
    }
    const rewritten = [...many];
    rewritten[5] = hashLeaf(Buffer.from('entry 5, changed'));
    for (const [from, to] of [[6, 40], [10, 33], [8, 9], [16, 17]] as const) {
      // The honest history's checkpoint at `from`, the rewritten log's proof and root at `to`.
      expect(verifyConsistency(from, to, consistencyProof(rewritten, from, to), treeRoot(many, from), treeRoot(rewritten, to))).toBe(false);
    }
  });
});
