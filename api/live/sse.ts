// The shared shape of our Server-Sent Events streams: headers as the route set them, frames written in
// order of change (an older frame never follows a newer one), heartbeat comments so proxies keep idle
// connections, clean-up on disconnect, and a bound on what a client that stops reading can make the
// server hold.
//
// On Node the stream is written straight to the socket's ServerResponse: a web ReadableStream, its
// reader and a promise chain per connection were most of the server's memory at 10,000 live badges
// (the fan-out benchmark reports the server's memory with them connected). Anywhere else (app.request() in tests, other runtimes) a ReadableStream is used.
import { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { detachStream } from './detach.js';
import { joinHeartbeat, leaveHeartbeat, type Beating } from './heartbeats.js';
import { HEARTBEAT, type Frame } from './sse-frame.js';

/** What a stream may leave unsent in its socket buffer before it is dropped: a few hundred score
 * events. A client that stopped reading reconnects when it reads again and gets the current figures
 * at once, so dropping it loses nothing that it would not have had to skip anyway. */
export const MAX_UNSENT_BYTES = 256 * 1024;

export interface LiveClient {
  /** Writes `frame` unless this stream already sent a frame of the same or a later change. */
  send(frame: Frame): void;
}

export interface LiveOptions {
  heartbeatMs: number;
  /** Called once when the stream ends, whichever side ended it (after `start`'s clean-up). */
  onClose?: () => void;
  /** Overrides MAX_UNSENT_BYTES (tests). */
  maxUnsentBytes?: number;
}

/** `start` subscribes the client (returning the unsubscribe) and arranges its first frame. */
export function liveStream(c: Context, options: LiveOptions, start: (client: LiveClient) => () => void): Response {
  c.header('Cache-Control', 'no-store'); // live and, for the wall, private
  c.header('X-Accel-Buffering', 'no'); // nginx: do not buffer the stream
  // A HEAD gets the headers only: no subscription, no stream left running for nobody to read.
  if (c.req.method === 'HEAD') {
    options.onClose?.();
    return c.body(null, 200, { 'Content-Type': 'text/event-stream' });
  }
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (outgoing instanceof ServerResponse) return nodeStream(c, outgoing, options, start);
  return webStream(c, options, start);
}

/** Ends a stream once: unsubscribes, tells the owner. (The web stream's; the socket stream is a class.) */
function closer(options: LiveOptions) {
  const steps: Array<() => void> = [];
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    add(step: () => void) {
      steps.push(step);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const step of steps.splice(0)) step();
      options.onClose?.();
    },
  };
}

const streamOfSocket = new WeakMap<Socket, SocketStream>();

/** The socket's 'close' listener, shared by every stream (`this` is the socket): no closure each. */
function onSocketClose(this: Socket) {
  streamOfSocket.get(this)?.end();
}

/** One live stream on a socket: the hub's listener, the heartbeat's member and its own clean-up, in one
 * object per connection instead of a closure per role. */
class SocketStream implements LiveClient, Beating {
  private lastSeq = -Infinity;
  private ended = false;
  private stop: (() => void) | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly heartbeatMs: number,
    private readonly limit: number,
    private readonly onClose: (() => void) | undefined,
  ) {}

  open(start: (client: LiveClient) => () => void) {
    streamOfSocket.set(this.socket, this);
    this.socket.once('close', onSocketClose);
    joinHeartbeat(this.heartbeatMs, this);
    const stop = start(this);
    if (this.ended) stop();
    else this.stop = stop;
  }

  send(frame: Frame) {
    if (frame.seq <= this.lastSeq) return;
    this.lastSeq = frame.seq;
    this.write(frame.bytes);
  }

  heartbeat() {
    this.write(HEARTBEAT);
  }

  private write(bytes: Buffer) {
    if (this.ended) return;
    // What the socket has not sent yet: the client is not reading (or its network cannot keep up).
    // Buffering on for it would grow the server's memory with every change; drop it instead.
    if (this.socket.writableLength > this.limit) {
      this.end();
      this.socket.destroy();
      return;
    }
    this.socket.write(bytes);
  }

  end() {
    if (this.ended) return;
    this.ended = true;
    leaveHeartbeat(this.heartbeatMs, this);
    this.stop?.();
    this.stop = undefined;
    this.onClose?.();
  }
}

function nodeStream(c: Context, outgoing: ServerResponse, options: LiveOptions, start: (client: LiveClient) => () => void): Response {
  const reply = c.body(null, 200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
  const headers: Record<string, string> = {};
  reply.headers.forEach((value, name) => (headers[name] = value));
  // The body runs until the connection closes (no chunked encoding, `Connection: close`): a stream never
  // ends by itself anyway, and every frame can then go to the socket as the very bytes the hub built,
  // without per-client chunk framing or ServerResponse buffering.
  outgoing.useChunkedEncodingByDefault = false;
  outgoing.writeHead(200, headers);
  outgoing.flushHeaders();
  const socket = detachStream(outgoing) ?? outgoing.socket;
  if (!socket || socket.destroyed) {
    options.onClose?.();
    return alreadySent();
  }
  new SocketStream(socket, options.heartbeatMs, options.maxUnsentBytes ?? MAX_UNSENT_BYTES, options.onClose).open(start);
  return alreadySent();
}

function webStream(c: Context, options: LiveOptions, start: (client: LiveClient) => () => void): Response {
  const limit = options.maxUnsentBytes ?? MAX_UNSENT_BYTES;
  const end = closer(options);
  let lastSeq = -Infinity;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const write = (bytes: Buffer) => {
          if (end.closed) return;
          if ((controller.desiredSize ?? 0) <= 0) {
            end.close();
            controller.error(new Error('the client stopped reading'));
            return;
          }
          controller.enqueue(new Uint8Array(bytes));
        };
        const beating = { heartbeat: () => write(HEARTBEAT) };
        joinHeartbeat(options.heartbeatMs, beating);
        end.add(() => leaveHeartbeat(options.heartbeatMs, beating));
        end.add(
          start({
            send(frame) {
              if (frame.seq <= lastSeq) return;
              lastSeq = frame.seq;
              write(frame.bytes);
            },
          }),
        );
      },
      cancel() {
        end.close();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: limit }),
  );
  return c.body(body, 200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
}

/** A reply telling @hono/node-server that the response went out already (that header is never sent to
 * the client). Its lightweight Response class writes a fresh null-body reply by a fast path that does
 * not look at the header, so the reply is turned into a full Response first (reading `body` does it). */
function alreadySent(): Response {
  const reply = new Response(null, { headers: RESPONSE_ALREADY_SENT.headers });
  void reply.body;
  return reply;
}
