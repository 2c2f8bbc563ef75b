// Fixed text the server sends on every page view (the drop-in script, the pages' CSS and JS, the
// widget's language packs) goes out brotli- or gzip-encoded, as the client accepts. Each body is
// compressed once, on its first request, on zlib's thread pool (the async API), and the bytes are kept in
// memory: a later request only picks the stored bytes. A coding that would not make the body smaller
// (a tiny stylesheet) is never used.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'hono';

export type Coding = 'br' | 'gzip';
const CODINGS: readonly Coding[] = ['br', 'gzip']; // order of preference when the client weighs them alike

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

// Highest settings: the work is done once per process, the bytes saved are sent on every page view.
function encode(coding: Coding, raw: Buffer): Promise<Buffer> {
  if (coding === 'gzip') return gzipAsync(raw, { level: 9 });
  return brotliAsync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
}

/**
 * The coding to send for an Accept-Encoding header: the highest weighted of br and gzip, br on a tie;
 * null (the bytes as they are) when the client names neither, or refuses both with q=0 (RFC 9110 12.5.3).
 */
export function chooseCoding(acceptEncoding: string | undefined): Coding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const item of acceptEncoding.split(',')) {
    const [name, ...params] = item.split(';');
    const coding = name?.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      if (!/^\s*q\s*=/i.test(param)) continue;
      q = Number(param.split('=')[1]!.trim() || NaN);
    }
    // A weight that is not a number from 0 to 1 makes the item unreadable: it is ignored.
    if (Number.isFinite(q) && q >= 0 && q <= 1) weights.set(coding, q);
  }
  let best: Coding | null = null;
  let bestQ = 0;
  for (const coding of CODINGS) {
    const q = weights.get(coding) ?? weights.get('*') ?? 0;
    if (q > bestQ) [best, bestQ] = [coding, q];
  }
  return best;
}

/** One fixed body with its content type and strong ETag, and its encodings once made. */
export interface CompressedAsset {
  readonly raw: Buffer;
  readonly contentType: string;
  /** The ETag of the unencoded bytes; an encoding's is the same tag with `-br` or `-gzip` added inside the quotes. */
  readonly etag: string;
  /** The encoded bytes, made on first call and shared by every later one; null when not smaller than raw. */
  encoded(coding: Coding): Promise<Buffer | null>;
}

export function compressedAsset(body: string | Uint8Array, contentType: string, etag?: string): CompressedAsset {
  const raw = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const made = new Map<Coding, Promise<Buffer | null>>();
  return {
    raw,
    contentType,
    etag: etag ?? `"${createHash('sha256').update(raw).digest('base64url').slice(0, 32)}"`,
    encoded(coding) {
      let bytes = made.get(coding);
      if (!bytes) {
        bytes = encode(coding, raw).then((out) => (out.length < raw.length ? out : null));
        made.set(coding, bytes);
      }
      return bytes;
    },
  };
}

const tagFor = (etag: string, coding: Coding | null) => (coding ? `${etag.slice(0, -1)}-${coding}"` : etag);

// If-None-Match uses the weak comparison (RFC 9110 13.1.2). Any of the asset's representations matches:
// they are the same content, and the 304 carries the tag of the one this request would get.
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const tags = new Set([etag, ...CODINGS.map((coding) => tagFor(etag, coding))]);
  return ifNoneMatch.split(',').some((tag) => tags.has(tag.trim().replace(/^W\//, '')));
}

/**
 * Answers with the asset in the coding the request accepts, or 304 when its If-None-Match names the
 * asset. Sets Vary, ETag, Content-Type, Content-Encoding and Content-Length; the route sets Cache-Control.
 */
export async function sendAsset(c: Context, asset: CompressedAsset): Promise<Response> {
  const wanted = chooseCoding(c.req.header('Accept-Encoding'));
  const encoded = wanted ? await asset.encoded(wanted) : null;
  const coding = encoded ? wanted : null;
  const bytes = encoded ?? asset.raw;
  c.header('Vary', 'Accept-Encoding', { append: true });
  c.header('ETag', tagFor(asset.etag, coding));
  if (matches(c.req.header('If-None-Match'), asset.etag)) return c.body(null, 304);
  c.header('Content-Type', asset.contentType);
  if (coding) c.header('Content-Encoding', coding);
  c.header('Content-Length', String(bytes.length));
  // Node's Buffers are on plain ArrayBuffers here (zlib and Buffer.from allocate them); the types allow shared ones.
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
}
