// How a failed outbound request (a webhook delivery, a help-desk write-back) is described in the
// delivery status that operators read: a timeout by its limit, a network error with its code, and
// never more than MAX_ERROR_CHARS.
export const MAX_ERROR_CHARS = 500;

export function describeOutboundError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  if (error instanceof Error) {
    const cause = error.cause as { code?: string; message?: string } | undefined;
    const detail = cause?.code ?? cause?.message;
    return (detail ? `${error.message}: ${detail}` : error.message).slice(0, MAX_ERROR_CHARS);
  }
  return String(error).slice(0, MAX_ERROR_CHARS);
}
