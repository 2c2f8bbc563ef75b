// Secrets kept in the database (SMTP passwords, connector credentials) are sealed with AES-256-GCM under
// a key derived from the server secret, so a copy of the database file alone reveals none of them.
// Each sealed value is bound to a context (e.g. "site 3 smtp-url") as additional authenticated data:
// a value copied onto another row or purpose does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = 'csat-badge secret-box';

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export interface SecretBox {
  /** `v1.<base64url(iv ‖ ciphertext ‖ tag)>`; a fresh random IV every time. */
  seal(plaintext: string, context: string): string;
  /** @throws SecretBoxError when the value is malformed, tampered with, sealed for another context or
   * under another server secret. */
  open(sealed: string, context: string): string;
}

/** The AES key for one purpose: HKDF-SHA256 of the server secret. Separate purposes get unrelated keys,
 * and the survey-token HMAC key (the server secret itself) is never used for encryption. */
export function deriveKey(serverSecret: Buffer, purpose: string): Buffer {
  if (serverSecret.length < 32) throw new SecretBoxError('the server secret must be at least 32 bytes');
  return Buffer.from(hkdfSync('sha256', serverSecret, SALT, `${purpose} ${VERSION}`, 32));
}

export function secretBox(serverSecret: Buffer, purpose = 'stored secrets'): SecretBox {
  const key = deriveKey(serverSecret, purpose);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, data, ...rest] = sealed.split('.');
      if (version !== VERSION || data === undefined || rest.length > 0) throw new SecretBoxError('not a sealed value of a known version');
      const raw = Buffer.from(data, 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed value too short');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('the sealed value does not open with this server secret and context (changed secret or altered data)');
      }
    },
  };
}
