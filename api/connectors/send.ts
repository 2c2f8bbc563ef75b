// Performs one request to a help-desk tool's API (write-back or lookup) with a timeout, and tells
// whether a failure is worth retrying. Redirects are not followed: credentials stay with the URL given.
import { describeOutboundError, MAX_ERROR_CHARS } from '../services/outbound-error.js';
import type { OutboundRequest } from './types.js';

export interface SendResult {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  /** False when trying again cannot help (the tool refused the request itself). */
  retryable: boolean;
  /** The parsed JSON answer of a 2xx, if any (lookups read it). */
  json?: unknown;
}

const MAX_ANSWER_BYTES = 256 * 1024;

/** 408, 425, 429 and 5xx are the tool's passing trouble; other 4xx mean the request or credentials are wrong. */
export const retryableStatus = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

export async function sendRequest(request: OutboundRequest, options: { fetch?: typeof fetch; timeoutMs?: number; readJson?: boolean } = {}): Promise<SendResult> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    const res = await doFetch(request.url, {
      method: request.method,
      headers: { 'User-Agent': 'csat-badge-connectors', Accept: 'application/json', ...request.headers },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status >= 200 && res.status < 300) {
      if (!options.readJson) {
        await res.body?.cancel().catch(() => {});
        return { ok: true, httpStatus: res.status, error: null, retryable: false };
      }
      const textBody = await res.text();
      if (textBody.length > MAX_ANSWER_BYTES) return { ok: false, httpStatus: res.status, error: 'the answer is too large', retryable: false };
      try {
        return { ok: true, httpStatus: res.status, error: null, retryable: false, json: JSON.parse(textBody) as unknown };
      } catch {
        return { ok: false, httpStatus: res.status, error: 'the answer is not JSON', retryable: false };
      }
    }
    // A few hundred characters of the tool's answer say why (bad credentials, unknown ticket).
    const detail = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
    const redirect = res.status >= 300 && res.status < 400;
    return {
      ok: false,
      httpStatus: res.status,
      error: (redirect ? `redirect (HTTP ${res.status}) not followed` : `HTTP ${res.status}${detail ? `: ${detail}` : ''}`).slice(0, MAX_ERROR_CHARS),
      retryable: !redirect && retryableStatus(res.status),
    };
  } catch (caught) {
    return { ok: false, httpStatus: null, error: describeOutboundError(caught, timeoutMs), retryable: true };
  }
}
