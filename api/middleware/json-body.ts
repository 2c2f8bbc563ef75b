// Guards for routes that take a JSON body: size first (before the body is read whole, chunked or not),
// then media type, then a strict schema.
import { zValidator } from '@hono/zod-validator';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { ZodType } from 'zod';
import { MAX_BODY_BYTES } from '../config.js';
import { ApiError } from '../errors.js';

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `the request body must be at most ${MAX_BODY_BYTES} bytes`);
  },
});

export const requireJson = createMiddleware(async (c, next) => {
  if (!JSON_TYPE.test(c.req.header('Content-Type') ?? '')) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
  }
  await next();
});

/** Validates the JSON body; the first problem becomes a 400 naming the field. */
export function jsonBody<T extends ZodType>(schema: T) {
  return zValidator('json', schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new ApiError(400, 'invalid_request', `${where}${issue?.message ?? 'invalid body'}`);
    }
  });
}
