import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adminKeyId,
  adminKeyMatches,
  hashAdminKey,
  newAdminKey,
  newTokenId,
  publicId,
  surveyToken,
  verifySurveyToken,
} from '../../../api/domain/tokens.js';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const secret = Buffer.from('a'.repeat(32) + 'test secret, not a real one');
const otherSecret = Buffer.from('b'.repeat(32) + 'test secret, not a real one');

function replaceAt(s: string, i: number, ch: string): string {
  return s.slice(0, i) + ch + s.slice(i + 1);
}

describe('token ids', () => {
  it('are 16 random bytes and two of them differ', () => {
    const a = newTokenId();
    const b = newTokenId();
    expect(Buffer.isBuffer(a)).toBe(true);
    expect(a.length).toBe(16);
    expect(b.length).toBe(16);
    expect(a.equals(b)).toBe(false);
    const t1 = surveyToken(secret, a);
    const t2 = surveyToken(secret, b);
    expect(t1).not.toBe(t2);
  });
});

describe('survey tokens', () => {
  it('are 43 base64url characters encoding 16 id bytes followed by a 16-byte MAC', () => {
    const id = newTokenId();
    const token = surveyToken(secret, id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const raw = Buffer.from(token, 'base64url');
    expect(raw.length).toBe(32);
    expect(raw.subarray(0, 16).equals(id)).toBe(true);
  });

  it('round-trip: verifySurveyToken returns the token id', () => {
    for (let i = 0; i < 50; i++) {
      const id = newTokenId();
      const verified = verifySurveyToken(secret, surveyToken(secret, id));
      expect(verified).not.toBeNull();
      expect(verified!.length).toBe(16);
      expect(verified!.equals(id)).toBe(true);
    }
  });

  it('is deterministic for the same secret and id (a retried survey creation gets the same link)', () => {
    const id = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(surveyToken(secret, id)).toBe(surveyToken(Buffer.from(secret), Buffer.from(id)));
  });

  it('the returned id is a copy, not a view that aliases anything the caller could mutate', () => {
    const id = newTokenId();
    const token = surveyToken(secret, id);
    const verified = verifySurveyToken(secret, token)!;
    verified.fill(0);
    expect(verifySurveyToken(secret, token)!.equals(id)).toBe(true);
  });

  it('rejects a token made with another secret', () => {
    const id = newTokenId();
    expect(verifySurveyToken(otherSecret, surveyToken(secret, id))).toBeNull();
    expect(verifySurveyToken(secret, surveyToken(otherSecret, id))).toBeNull();
  });

  it('rejects a token whose MAC is not the HMAC of its id (id swapped, MAC kept)', () => {
    const a = Buffer.from(surveyToken(secret, newTokenId()), 'base64url');
    const b = Buffer.from(surveyToken(secret, newTokenId()), 'base64url');
    const forged = Buffer.concat([b.subarray(0, 16), a.subarray(16)]).toString('base64url');
    expect(verifySurveyToken(secret, forged)).toBeNull();
    const zeroMac = Buffer.concat([a.subarray(0, 16), Buffer.alloc(16)]).toString('base64url');
    expect(verifySurveyToken(secret, zeroMac)).toBeNull();
  });

  it('rejects every single-character change at every position', () => {
    for (let round = 0; round < 3; round++) {
      const token = surveyToken(secret, newTokenId());
      let tried = 0;
      for (let i = 0; i < token.length; i++) {
        for (const ch of B64URL) {
          if (ch === token[i]) continue;
          tried++;
          const changed = replaceAt(token, i, ch);
          if (verifySurveyToken(secret, changed) !== null) {
            throw new Error(`accepted ${changed} (position ${i} changed from ${token[i]} to ${ch})`);
          }
        }
      }
      expect(tried).toBe(43 * 63);
      // and the original still verifies
      expect(verifySurveyToken(secret, token)).not.toBeNull();
    }
  });

  it('rejects truncated, extended, empty and padded tokens', () => {
    const token = surveyToken(secret, newTokenId());
    expect(verifySurveyToken(secret, token)).not.toBeNull();
    expect(verifySurveyToken(secret, '')).toBeNull();
    expect(verifySurveyToken(secret, token.slice(0, -1))).toBeNull();
    expect(verifySurveyToken(secret, token.slice(1))).toBeNull();
    expect(verifySurveyToken(secret, token.slice(0, 22))).toBeNull();
    expect(verifySurveyToken(secret, token + 'A')).toBeNull();
    expect(verifySurveyToken(secret, 'A' + token)).toBeNull();
    expect(verifySurveyToken(secret, token + token)).toBeNull();
    expect(verifySurveyToken(secret, token + '=')).toBeNull();
    expect(verifySurveyToken(secret, token.slice(0, -1) + '=')).toBeNull();
    expect(verifySurveyToken(secret, ` ${token}`)).toBeNull();
    expect(verifySurveyToken(secret, `${token}\n`)).toBeNull();
    expect(verifySurveyToken(secret, token.slice(0, 42) + '\n')).toBeNull();
  });

  it('rejects the standard base64 alphabet spelling (+ and / instead of - and _)', () => {
    // Find a token that contains at least one of - or _ so the two spellings differ.
    let token = '';
    while (!/[-_]/.test(token)) token = surveyToken(secret, newTokenId());
    const standard = token.replace(/-/g, '+').replace(/_/g, '/');
    expect(standard).not.toBe(token);
    expect(Buffer.from(standard, 'base64').equals(Buffer.from(token, 'base64url'))).toBe(true);
    expect(verifySurveyToken(secret, standard)).toBeNull();
  });

  it('rejects non-string inputs without throwing', () => {
    const token = surveyToken(secret, newTokenId());
    const bad: unknown[] = [undefined, null, 0, 43, true, {}, [], [token], Buffer.from(token), { length: 43 }];
    for (const value of bad) {
      expect(verifySurveyToken(secret, value as string)).toBeNull();
    }
  });

  it('rejects a non-canonical last character (same bytes, different spare bits)', () => {
    let checked = 0;
    for (let round = 0; round < 20; round++) {
      const token = surveyToken(secret, newTokenId());
      const last = B64URL.indexOf(token[42]!);
      // 32 bytes = 256 bits in 43 sextets = 258 bits: the last character's low 2 bits are spare.
      expect(last & 3).toBe(0);
      for (const spare of [1, 2, 3]) {
        const variant = replaceAt(token, 42, B64URL[last | spare]!);
        // Decodes to exactly the same bytes...
        expect(Buffer.from(variant, 'base64url').equals(Buffer.from(token, 'base64url'))).toBe(true);
        // ...but is not the canonical spelling, so it must not be accepted.
        expect(verifySurveyToken(secret, variant)).toBeNull();
        checked++;
      }
    }
    expect(checked).toBe(60);
  });

  it('property: random 43-character base64url strings are rejected', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...B64URL), minLength: 43, maxLength: 43 }), (s) => {
        expect(verifySurveyToken(secret, s)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});

describe('admin keys', () => {
  it('newAdminKey() returns csat_<12 hex>_<43 base64url> with a matching id', () => {
    const { id, key } = newAdminKey();
    expect(key).toMatch(/^csat_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(key.slice(5, 17)).toBe(id);
    expect(key.slice(18)).toHaveLength(43);
    expect(Buffer.from(key.slice(18), 'base64url')).toHaveLength(32);
  });

  it('two new keys differ in id and secret', () => {
    const a = newAdminKey();
    const b = newAdminKey();
    expect(a.id).not.toBe(b.id);
    expect(a.key.slice(18)).not.toBe(b.key.slice(18));
    expect(a.hash.equals(b.hash)).toBe(false);
  });

  it('adminKeyId parses a well-formed key', () => {
    const { id, key } = newAdminKey();
    expect(adminKeyId(key)).toBe(id);
    expect(adminKeyId(`csat_0123456789ab_${'A'.repeat(43)}`)).toBe('0123456789ab');
  });

  it('adminKeyId returns null for malformed keys', () => {
    const good = `csat_0123456789ab_${'x'.repeat(42)}-`;
    expect(adminKeyId(good)).toBe('0123456789ab');
    const malformed = [
      '',
      'csat_',
      `CSAT_0123456789ab_${'x'.repeat(43)}`,
      `csat-0123456789ab_${'x'.repeat(43)}`,
      `0123456789ab_${'x'.repeat(43)}`,
      `csat_0123456789AB_${'x'.repeat(43)}`, // upper-case hex
      `csat_0123456789a_${'x'.repeat(43)}`, // 11 hex
      `csat_0123456789abc_${'x'.repeat(43)}`, // 13 hex
      `csat_0123456789ag_${'x'.repeat(43)}`, // not hex
      `csat_0123456789ab_${'x'.repeat(42)}`, // 42 secret chars
      `csat_0123456789ab_${'x'.repeat(44)}`, // 44 secret chars
      `csat_0123456789ab_${'x'.repeat(42)}=`, // padding
      `csat_0123456789ab_${'x'.repeat(42)}+`, // standard base64
      `csat_0123456789ab${'x'.repeat(44)}`, // missing separator
      ` ${good}`,
      `${good} `,
      `${good}\n`,
      `x${good}`,
    ];
    for (const key of malformed) expect(adminKeyId(key), JSON.stringify(key)).toBeNull();
  });

  it('adminKeyMatches accepts the key and rejects any one-character change', () => {
    const { key, hash } = newAdminKey();
    expect(adminKeyMatches(key, hash)).toBe(true);
    for (let i = 0; i < key.length; i++) {
      const ch = key[i] === 'A' ? 'B' : 'A';
      expect(adminKeyMatches(replaceAt(key, i, ch), hash)).toBe(false);
    }
    expect(adminKeyMatches(key.slice(0, -1), hash)).toBe(false);
    expect(adminKeyMatches(key + 'A', hash)).toBe(false);
    expect(adminKeyMatches(key, newAdminKey().hash)).toBe(false);
  });

  it('adminKeyMatches compares every byte of the stored hash', () => {
    const { key, hash } = newAdminKey();
    for (const i of [0, 15, 31]) {
      const tampered = Buffer.from(hash);
      tampered[i] = tampered[i]! ^ 0x01;
      expect(adminKeyMatches(key, tampered), `byte ${i}`).toBe(false);
    }
  });

  it('adminKeyMatches is false (not a throw) for a stored hash of the wrong length', () => {
    const { key, hash } = newAdminKey();
    expect(adminKeyMatches(key, hash.subarray(0, 16))).toBe(false);
    expect(adminKeyMatches(key, Buffer.alloc(0))).toBe(false);
    expect(adminKeyMatches(key, Buffer.concat([hash, Buffer.alloc(1)]))).toBe(false);
  });

  it('the stored hash is the 32-byte SHA-256 of the whole key and does not contain the plaintext', () => {
    const { key, hash } = newAdminKey();
    expect(hash.length).toBe(32);
    expect(hash.equals(createHash('sha256').update(key, 'utf8').digest())).toBe(true);
    expect(hashAdminKey(key).equals(hash)).toBe(true);
    const secretPart = key.slice(18);
    for (const encoding of ['hex', 'base64', 'base64url', 'latin1', 'utf8'] as const) {
      const text = hash.toString(encoding);
      expect(text.includes(key)).toBe(false);
      expect(text.includes(secretPart)).toBe(false);
    }
    expect(hash.includes(Buffer.from(key))).toBe(false);
    expect(hash.includes(Buffer.from(secretPart))).toBe(false);
    expect(hash.includes(Buffer.from(secretPart, 'base64url'))).toBe(false);
  });

  it('hashAdminKey matches a known SHA-256 test vector', () => {
    // SHA-256("abc")
    expect(hashAdminKey('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('publicId', () => {
  it('is the prefix, an underscore and 16 base64url characters, and random', () => {
    const a = publicId('sv');
    const b = publicId('sv');
    expect(a).toMatch(/^sv_[A-Za-z0-9_-]{16}$/);
    expect(a).not.toBe(b);
  });
});
