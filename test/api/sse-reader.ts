// A Server-Sent Events client for tests: reads a real stream and collects events and comments.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** Opens an SSE stream and collects its events and comments as they arrive. */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers: { Accept: 'text/event-stream', ...headers } });
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const waiters: Array<() => void> = [];
  const parser = createParser({
    onEvent: (event) => {
      events.push(event);
      waiters.splice(0).forEach((w) => w());
    },
    onComment: (comment) => {
      comments.push(comment);
      waiters.splice(0).forEach((w) => w());
    },
  });
  const reading = (async () => {
    const decoder = new TextDecoder();
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted by the test
    }
  })();
  const until = async (done: () => boolean, what: string, ms = 3000) => {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return { res, events, comments, until, close: async () => (controller.abort(), await reading) };
}
