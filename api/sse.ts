// The shared shape of our Server-Sent Events streams: writes in order (a change never overtakes the
// first event), heartbeat comments so proxies keep idle connections, and clean-up on disconnect.
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';

export interface LiveStream {
  /** Queues a write after every earlier one; skipped once the client has gone. */
  enqueue(write: (stream: SSEStreamingApi) => Promise<unknown>): void;
}

/** `start` subscribes (returning the unsubscribe) and queues the first event. */
export function liveStream(c: Context, heartbeatMs: number, start: (live: LiveStream) => () => void): Response {
  c.header('Cache-Control', 'no-store'); // live and, for the wall, private
  c.header('X-Accel-Buffering', 'no'); // nginx: do not buffer the stream
  // A HEAD gets the headers only: no subscription, no stream left running for nobody to read.
  if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': 'text/event-stream' });
  return streamSSE(c, async (stream) => {
    let writes: Promise<unknown> = Promise.resolve();
    const gone = () => stream.aborted || stream.closed;
    const live: LiveStream = {
      enqueue: (write) => {
        writes = writes.then(() => (gone() ? undefined : write(stream))).catch(() => undefined);
      },
    };
    const stop = start(live);
    stream.onAbort(stop);
    try {
      while (!gone()) {
        await stream.sleep(heartbeatMs);
        if (gone()) break;
        live.enqueue((s) => s.write(': heartbeat\n\n'));
        await writes;
      }
    } finally {
      stop();
    }
  });
}
