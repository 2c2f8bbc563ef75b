// RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, inclusion and consistency proofs, over
// leaf hashes held in memory. Pure: the store hands in the leaf hashes, the verifier the proofs.
import { createHash } from 'node:crypto';

export type Hash = Buffer;

const sha256 = (...parts: Uint8Array[]): Hash => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

/** RFC 9162 §2.1.1: the 0x00 / 0x01 prefixes keep a leaf from ever passing for an inner node. */
export const hashLeaf = (data: Uint8Array): Hash => sha256(LEAF, data);
export const hashChildren = (left: Hash, right: Hash): Hash => sha256(NODE, left, right);
export const EMPTY_ROOT: Hash = sha256();

/** The largest power of two strictly smaller than n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[lo:hi]) over leaf hashes. */
function subtreeRoot(leaves: readonly Hash[], lo: number, hi: number): Hash {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[lo]!;
  const k = split(n);
  return hashChildren(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi));
}

export function treeRoot(leaves: readonly Hash[], size = leaves.length): Hash {
  if (size > leaves.length) throw new RangeError(`tree of ${size} leaves from ${leaves.length} hashes`);
  return subtreeRoot(leaves, 0, size);
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1. */
export function inclusionProof(leaves: readonly Hash[], index: number, size = leaves.length): Hash[] {
  if (!(index >= 0 && index < size && size <= leaves.length)) throw new RangeError(`no leaf ${index} in a tree of ${size}`);
  const path = (m: number, lo: number, hi: number): Hash[] => {
    if (hi - lo <= 1) return [];
    const k = split(hi - lo);
    return m < k ? [...path(m, lo, lo + k), subtreeRoot(leaves, lo + k, hi)] : [...path(m - k, lo + k, hi), subtreeRoot(leaves, lo, lo + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1; empty when m is 0 or m equals n. */
export function consistencyProof(leaves: readonly Hash[], from: number, to = leaves.length): Hash[] {
  if (!(from >= 0 && from <= to && to <= leaves.length)) throw new RangeError(`no consistency proof from ${from} to ${to}`);
  if (from === 0 || from === to) return [];
  const sub = (m: number, lo: number, hi: number, whole: boolean): Hash[] => {
    const n = hi - lo;
    if (m === n) return whole ? [] : [subtreeRoot(leaves, lo, hi)];
    const k = split(n);
    return m <= k
      ? [...sub(m, lo, lo + k, whole), subtreeRoot(leaves, lo + k, hi)]
      : [...sub(m - k, lo + k, hi, false), subtreeRoot(leaves, lo, lo + k)];
  };
  return sub(from, 0, to, true);
}

const isHash = (h: Hash) => h.length === 32;

/** RFC 9162 §2.1.3.2. */
export function verifyInclusion(leafHash: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return false;
  if (!isHash(leafHash) || !isHash(root) || !proof.every(isHash)) return false;
  // Plain numbers, not bit operators: JavaScript's are 32-bit and a log may outgrow them.
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2; a tree is consistent with itself (empty proof, same root) and with the empty tree. */
export function verifyConsistency(from: number, to: number, proof: readonly Hash[], fromRoot: Hash, toRoot: Hash): boolean {
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 0 && from <= to)) return false;
  if (!proof.every(isHash)) return false;
  if (from === to) return proof.length === 0 && fromRoot.equals(toRoot);
  if (from === 0) return proof.length === 0;
  if (proof.length === 0 || !isHash(fromRoot) || !isHash(toRoot)) return false;
  // A first tree of 2^k leaves is a complete subtree of the second: its root starts the path.
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(fromRoot) && sr.equals(toRoot) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
}

/** The roots of the perfect subtrees that make up a tree, largest first: appending a leaf costs
 * O(log n) hashes, so the root of a growing log is kept without rehashing every leaf. */
export interface CompactRange {
  size: number;
  roots: Hash[];
}

export const emptyRange = (): CompactRange => ({ size: 0, roots: [] });

export function appendLeaf(range: CompactRange, leaf: Hash): CompactRange {
  const roots = [...range.roots];
  let node = leaf;
  // Like carrying in binary addition: each trailing 1 bit of the size merges two equal subtrees.
  for (let s = range.size; s % 2 === 1; s = Math.floor(s / 2)) node = hashChildren(roots.pop()!, node);
  roots.push(node);
  return { size: range.size + 1, roots };
}

export function rangeRoot(range: CompactRange): Hash {
  if (range.roots.length === 0) return EMPTY_ROOT;
  let root = range.roots[range.roots.length - 1]!;
  for (let i = range.roots.length - 2; i >= 0; i--) root = hashChildren(range.roots[i]!, root);
  return root;
}
