// C2SP signed-note (Ed25519 only) and C2SP tlog-checkpoint: the signed statement "this log has N
// entries and this root hash", in the same text format as Go's sumdb and transparency-dev logs, so their
// tools can read ours. Pure (node:crypto only).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

const ALG_ED25519 = 0x01;
// DER wrappers that turn the raw 32-byte key and seed into what node:crypto imports.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SIG_PREFIX = '\u2014 ';

export interface NoteSigner {
  name: string;
  keyId: number;
  /** The 32-byte Ed25519 seed. */
  seed: Buffer;
  publicKey: Buffer;
}

export interface NoteVerifier {
  name: string;
  keyId: number;
  publicKey: Buffer;
}

/** A key name may not contain spaces or '+' (C2SP signed-note). */
export const validKeyName = (name: string) => name.length > 0 && !/[\s+]/.test(name) && !/[\u0000-\u001f]/.test(name);

export function keyId(name: string, publicKey: Buffer): number {
  return createHash('sha256').update(name).update('\n').update(Buffer.from([ALG_ED25519])).update(publicKey).digest().readUInt32BE(0);
}

const hex8 = (id: number) => id.toString(16).padStart(8, '0');

function publicFromSeed(seed: Buffer): Buffer {
  const der = createPublicKey(createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

export function signerFromSeed(name: string, seed: Buffer): NoteSigner {
  if (!validKeyName(name)) throw new Error(`invalid key name: ${name}`);
  if (seed.length !== 32) throw new Error('an Ed25519 seed has 32 bytes');
  const publicKey = publicFromSeed(seed);
  return { name, keyId: keyId(name, publicKey), seed, publicKey };
}

export function generateSigner(name: string): NoteSigner {
  const der = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
  return signerFromSeed(name, Buffer.from(der.subarray(der.length - 32)));
}

/** Splits at the first count-1 '+': the base64 key at the end may itself contain '+'. */
function splitKey(text: string, count: number): string[] | null {
  const parts: string[] = [];
  let rest = text;
  for (let i = 1; i < count; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return null;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  return [...parts, rest];
}

/** `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>`, as Go's note.NewSigner reads it. */
export function parseSignerKey(text: string): NoteSigner {
  const parts = splitKey(text, 5);
  if (!parts || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new Error('malformed signer key');
  const [, , name, id, key] = parts as [string, string, string, string, string];
  const raw = Buffer.from(key, 'base64');
  if (raw.length !== 33 || raw[0] !== ALG_ED25519) throw new Error('malformed signer key');
  const signer = signerFromSeed(name, raw.subarray(1));
  if (hex8(signer.keyId) !== id) throw new Error('signer key id does not match its key');
  return signer;
}

export const signerKeyText = (s: NoteSigner) => `PRIVATE+KEY+${s.name}+${hex8(s.keyId)}+${Buffer.concat([Buffer.from([ALG_ED25519]), s.seed]).toString('base64')}`;
export const verifierKeyText = (v: NoteVerifier) => `${v.name}+${hex8(v.keyId)}+${Buffer.concat([Buffer.from([ALG_ED25519]), v.publicKey]).toString('base64')}`;

/** `<name>+<hex id>+<base64(0x01 || public key)>`; throws on anything else. */
export function parseVerifierKey(text: string): NoteVerifier {
  const parts = splitKey(text, 3);
  if (!parts) throw new Error('malformed verifier key');
  const [name, id, key] = parts as [string, string, string];
  if (!validKeyName(name) || !/^[0-9a-f]{8}$/.test(id)) throw new Error('malformed verifier key');
  const raw = Buffer.from(key, 'base64');
  if (raw.length !== 33 || raw[0] !== ALG_ED25519 || raw.toString('base64') !== key) throw new Error('malformed verifier key');
  const publicKey = Buffer.from(raw.subarray(1));
  if (hex8(keyId(name, publicKey)) !== id) throw new Error('verifier key id does not match its key');
  return { name, keyId: keyId(name, publicKey), publicKey };
}

/** Signs a note's text (which must end in a newline) and returns the whole note. */
export function signNote(text: string, signer: NoteSigner): string {
  if (!text.endsWith('\n') || text.includes('\n\n')) throw new Error('malformed note text');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, signer.seed]), format: 'der', type: 'pkcs8' });
  const id = Buffer.alloc(4);
  id.writeUInt32BE(signer.keyId);
  const sig = sign(null, Buffer.from(text, 'utf8'), key);
  return `${text}\n${SIG_PREFIX}${signer.name} ${Buffer.concat([id, sig]).toString('base64')}\n`;
}

export type OpenedNote = { ok: true; text: string } | { ok: false; reason: string };

/** Opens a note and checks that `verifier` signed it; other signatures are allowed and ignored. */
export function openNote(note: string, verifier: NoteVerifier): OpenedNote {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return { ok: false, reason: 'malformed note' };
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  let found = false;
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) return { ok: false, reason: 'malformed note' };
    const raw = Buffer.from(m[2]!, 'base64');
    if (raw.length < 5 || m[1] !== verifier.name || raw.readUInt32BE(0) !== verifier.keyId) continue;
    const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, verifier.publicKey]), format: 'der', type: 'spki' });
    if (!verify(null, Buffer.from(text, 'utf8'), key, raw.subarray(4))) {
      return { ok: false, reason: `invalid signature for key ${verifier.name}+${hex8(verifier.keyId)}` };
    }
    found = true;
  }
  return found ? { ok: true, text } : { ok: false, reason: `not signed by ${verifier.name}+${hex8(verifier.keyId)}` };
}

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
}

/** C2SP tlog-checkpoint body: origin, decimal size, base64 root hash, one per line. */
export const checkpointText = (c: Checkpoint) => `${c.origin}\n${c.size}\n${c.rootHash.toString('base64')}\n`;

export function parseCheckpoint(text: string): Checkpoint | null {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') return null;
  const [origin, size, root] = lines as [string, string, string];
  const rootHash = Buffer.from(root, 'base64');
  if (!origin || !/^(0|[1-9]\d{0,15})$/.test(size) || rootHash.length !== 32 || rootHash.toString('base64') !== root) return null;
  return { origin, size: Number(size), rootHash };
}
