// Signed notes against Go's published sumdb/note test data (test/fixtures/merkle/signed-note.json), and
// checkpoints signed and opened with keys made here.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkpointText,
  generateSigner,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifierKeyText,
} from '../../../api/domain/signed-note.js';

const v = JSON.parse(fs.readFileSync(new URL('../../fixtures/merkle/signed-note.json', import.meta.url), 'utf8')) as Record<string, string>;

describe('C2SP signed-note, published vectors', () => {
  it('derives the published verifier key from the published signer key', () => {
    const signer = parseSignerKey(v.signerKey!);
    expect(verifierKeyText(signer)).toBe(v.verifierKey);
    expect(verifierKeyText(parseVerifierKey(v.verifierKey!))).toBe(v.verifierKey);
  });

  it('signs the published text to the published note, byte for byte', () => {
    expect(signNote(v.text!, parseSignerKey(v.signerKey!))).toBe(v.signedNote);
  });

  it('opens the published note with its key, also beside another signature, and refuses other keys', () => {
    const peter = parseVerifierKey(v.verifierKey!);
    expect(openNote(v.signedNote!, peter)).toEqual({ ok: true, text: v.text });
    expect(openNote(v.signedNote! + v.otherSignatureLine!, peter)).toEqual({ ok: true, text: v.text });
    const enoch = parseVerifierKey(v.otherVerifierKey!);
    expect(openNote(v.signedNote!, enoch).ok).toBe(false);
    const tampered = v.signedNote!.replace('cryptography', 'cryptographz');
    expect(openNote(tampered, peter)).toMatchObject({ ok: false, reason: expect.stringContaining('invalid signature') });
  });

  it('refuses mangled verifier keys', () => {
    const key = v.verifierKey!;
    expect(() => parseVerifierKey(key.replace('c74f20a3', 'c74f20a4'))).toThrow();
    expect(() => parseVerifierKey(key.slice(0, -1))).toThrow();
    expect(() => parseVerifierKey(`x${key}`)).toThrow();
  });
});

describe('checkpoints', () => {
  it('round-trip and verify with their own key only', () => {
    const signer = generateSigner('example.org/csat/demo');
    const other = generateSigner('example.org/csat/demo');
    const text = checkpointText({ origin: signer.name, size: 8, rootHash: Buffer.alloc(32, 7) });
    expect(text).toBe(`example.org/csat/demo\n8\n${Buffer.alloc(32, 7).toString('base64')}\n`);
    const note = signNote(text, signer);
    expect(openNote(note, signer)).toEqual({ ok: true, text });
    expect(openNote(note, other).ok).toBe(false);
    expect(parseCheckpoint(text)).toEqual({ origin: signer.name, size: 8, rootHash: Buffer.alloc(32, 7) });
    expect(parseCheckpoint('origin\n-1\nAAAA\n')).toBeNull();
    expect(parseCheckpoint('origin\n08\n' + Buffer.alloc(32).toString('base64') + '\n')).toBeNull();
  });
});
