// The wall's feed reader: Server-Sent Events over fetch, so the key travels in the Authorization
// header. EventSource cannot send headers, which is why the key used to ride in `?key=` and so in every
// access log and proxy log between the wall and the server. eventsource-parser does the SSE framing.
import { createParser } from 'eventsource-parser';

export interface FeedHandlers {
  /** One named event (`event: snapshot`) with its data. */
  onEvent(name: string, data: string): void;
  /** The stream ended: `status` is the HTTP status of a refused request, 200 for a stream that was open
   * and closed, 0 for a network failure. `retryMs` is the server's `retry:` advice, if it sent one. */
  onEnd(status: number, retryMs: number | undefined): void;
}

/** Opens the stream; abort the returned controller to close it (no onEnd then). */
export function readFeed(url: string, key: string, handlers: FeedHandlers): AbortController {
  const controller = new AbortController();
  let retryMs: number | undefined;
  const parser = createParser({
    onEvent: (event) => handlers.onEvent(event.event ?? 'message', event.data),
    onRetry: (ms) => (retryMs = ms),
  });
  const end = (status: number) => {
    if (!controller.signal.aborted) handlers.onEnd(status, retryMs);
  };
  void (async () => {
    let status = 0;
    try {
      const res = await fetch(url, {
        headers: { Authorization: `Bearer ${key}`, Accept: 'text/event-stream' },
        cache: 'no-store',
        credentials: 'omit',
        signal: controller.signal,
      });
      status = res.status;
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        return end(status);
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
      end(status);
    } catch {
      // A dropped connection mid-stream is a stream that was open (200); a failed connect is 0.
      end(status);
    }
  })();
  return controller;
}
