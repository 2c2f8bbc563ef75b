// The one error shape of the API: `{ "error": { "code", "message" } }`, with a stable code per case.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Codes for errors raised by Hono itself or its middleware rather than by our handlers. */
function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'unauthorized';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return status >= 500 ? 'internal_error' : 'request_failed';
  }
}

export function errorResponse(c: Context, error: unknown, logError: (message: string, error: unknown) => void) {
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json(errorBody(error.code, error.message), error.status);
  }
  if (error instanceof HTTPException && error.status < 500) {
    const message = /malformed json/i.test(error.message) ? 'the request body is not valid JSON' : error.message;
    const code = /malformed json/i.test(error.message) ? 'invalid_json' : codeForStatus(error.status);
    return c.json(errorBody(code, message || 'the request could not be processed'), error.status);
  }
  logError(`unexpected error on ${c.req.method} ${c.req.path}`, error);
  return c.json(errorBody('internal_error', 'something went wrong on our side; the request was not applied'), 500);
}
