// Takes a live stream's socket out of Node's HTTP server once the response headers are out, as Node
// itself does for an Upgrade: the HTTP parser goes back to its pool, and the request, response and the
// server's per-connection listeners become garbage. What stays is a plain socket we write frames to, at
// less memory per connection than a response held open (the fan-out benchmark reports the server's
// memory with 10,000 badges connected).
//
// This uses `_http_common`'s freeParser and the socket's `parser` field, which Node does not document;
// when either is missing (another Node version), nothing is detached and the stream stays a response.
import { createRequire } from 'node:module';
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface Parser {
  finish(): unknown;
}
type FreeParser = (parser: Parser, req: unknown, socket: Socket) => void;

const freeParser: FreeParser | undefined = (() => {
  try {
    const common = createRequire(import.meta.url)('_http_common') as { freeParser?: unknown };
    return typeof common.freeParser === 'function' ? (common.freeParser as FreeParser) : undefined;
  } catch {
    return undefined;
  }
})();

/** The events on which Node's HTTP server listens to a connection's socket. */
const SERVER_EVENTS = ['data', 'end', 'close', 'drain', 'error', 'timeout'] as const;

/** Detached sockets per server: server.closeAllConnections() no longer sees them, so it is taught to. */
const detachedOf = new WeakMap<Server, Set<Socket>>();

function track(server: Server, socket: Socket) {
  let sockets = detachedOf.get(server);
  if (!sockets) {
    const set = new Set<Socket>();
    sockets = set;
    detachedOf.set(server, set);
    const closeAll = server.closeAllConnections.bind(server);
    // A stopping server (and every test's close) ends its live streams this way.
    server.closeAllConnections = () => {
      closeAll();
      for (const s of set) s.destroy();
    };
  }
  sockets.add(socket);
  socket.once('close', untrack);
}

// Listeners shared by every detached socket (an emitter calls them with `this` = the socket): no
// closure per connection.
function untrack(this: Socket) {
  detachedOf.get((this as Socket & { server?: Server }).server!)?.delete(this);
}

function destroySocket(this: Socket) {
  this.destroy();
}

/** Node's server read the socket for us and ended it on the client's FIN (it allows half-open sockets);
 * now we do: anything the client sends is read and dropped, and its end closes the stream. */
function endWithClient(socket: Socket) {
  socket.on('error', destroySocket);
  socket.on('end', destroySocket);
}

/**
 * Detaches `outgoing`'s socket after its headers went out, and returns it; returns null (nothing
 * changed) when it cannot. The caller then owns the socket: it ends the stream by destroying it, and
 * may write to it at once.
 */
export function detachStream(outgoing: ServerResponse): Socket | null {
  const socket = outgoing.socket as (Socket & { parser?: Parser | null; server?: unknown }) | null;
  const server = socket?.server as Server | undefined;
  if (!socket || !socket.parser || !freeParser || typeof socket.parser.finish !== 'function' || typeof server?.closeAllConnections !== 'function') return null;
  // Headers still queued on the response (a pipelined request's) would be lost with it.
  if (((outgoing as unknown as { outputData?: unknown[] }).outputData?.length ?? 0) > 0) return null;
  const free = freeParser;
  // The server's own listeners, taken now: the caller adds its own right after.
  const serverListeners = SERVER_EVENTS.map((event) => [event, socket.listeners(event)] as const);
  endWithClient(socket);
  track(server, socket);
  // The request may be handled while its parser is still executing (it then records the connection
  // as idle once the message completes): free the parser once that has unwound.
  setImmediate(() => {
    const parser = socket.parser;
    if (socket.destroyed || !parser) return;
    for (const [event, listeners] of serverListeners) {
      for (const listener of listeners) socket.removeListener(event, listener as (...args: unknown[]) => void);
    }
    parser.finish();
    free(parser, outgoing.req, socket);
    outgoing.detachSocket(socket);
    // The server's per-socket wrappers of on/addListener/prependListener/setEncoding (they exist to stop
    // its parser consuming the socket when someone reads it): with the parser gone the socket's own
    // methods do, and the wrappers' closures go too.
    // (Assigned the prototype's, not deleted: a delete turns the socket's properties into a dictionary,
    // measured at ~800 bytes more per connection.)
    const own = socket as unknown as Record<string, unknown>;
    const proto = Object.getPrototypeOf(socket) as Record<string, unknown>;
    for (const name of ['on', 'addListener', 'prependListener', 'setEncoding']) {
      if (Object.hasOwn(own, name)) own[name] = proto[name];
    }
    socket.resume();
  });
  return socket;
}
