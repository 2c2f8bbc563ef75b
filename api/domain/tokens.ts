// Survey tokens and admin keys. Both are unguessable; neither is ever stored as it is.
//
// A survey token is `base64url(tokenId ‖ mac)`: 128 random bits naming the survey plus a 128-bit
// HMAC of them under the server's secret. The database keeps only tokenId, so a copy of the database
// cannot be turned into working links, while the server can hand the same link out again when a
// help-desk tool retries a survey creation.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_ID_BYTES = 16;
const TOKEN_MAC_BYTES = 16;
const TOKEN_LENGTH = Math.ceil(((TOKEN_ID_BYTES + TOKEN_MAC_BYTES) * 4) / 3); // 43 base64url chars

export function newTokenId(): Buffer {
  return randomBytes(TOKEN_ID_BYTES);
}

function tokenMac(secret: Buffer, tokenId: Buffer): Buffer {
  return createHmac('sha256', secret).update('csat survey token v1\0').update(tokenId).digest().subarray(0, TOKEN_MAC_BYTES);
}

export function surveyToken(secret: Buffer, tokenId: Buffer): string {
  return Buffer.concat([tokenId, tokenMac(secret, tokenId)]).toString('base64url');
}

/** The tokenId of a genuine token, or null for anything forged, truncated or malformed. */
export function verifySurveyToken(secret: Buffer, token: string): Buffer | null {
  if (typeof token !== 'string' || token.length !== TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  // Reject non-canonical spellings (the last character carries 2 spare bits).
  if (raw.length !== TOKEN_ID_BYTES + TOKEN_MAC_BYTES || raw.toString('base64url') !== token) return null;
  const tokenId = raw.subarray(0, TOKEN_ID_BYTES);
  const mac = raw.subarray(TOKEN_ID_BYTES);
  return timingSafeEqual(mac, tokenMac(secret, tokenId)) ? Buffer.from(tokenId) : null;
}

// Admin keys look like `csat_<12 hex id>_<43 base64url secret>`. The id finds the key row; the SHA-256
// of the whole key is what is stored and compared (in constant time).
const ADMIN_KEY_PATTERN = /^csat_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewAdminKey {
  id: string;
  key: string;
  hash: Buffer;
}

export function newAdminKey(): NewAdminKey {
  const id = randomBytes(6).toString('hex');
  const key = `csat_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashAdminKey(key) };
}

export function hashAdminKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** The key id of a well-formed admin key, else null. */
export function adminKeyId(key: string): string | null {
  return ADMIN_KEY_PATTERN.exec(key)?.[1] ?? null;
}

export function adminKeyMatches(key: string, storedHash: Buffer): boolean {
  const hash = hashAdminKey(key);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}

/** A short random public id with a readable prefix, e.g. `sv_Yk3…`. */
export function publicId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
