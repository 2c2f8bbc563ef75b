// The SSE clients of the fan-out benchmark, in their own process (plain node, no dependencies):
//   node bench/fanout-client.mjs <stream url> <n>
// Opens n streams in batches, PER_ADDRESS streams per loopback source address (127.1.x.y: Linux routes
// all of 127/8 to the loopback device), as many visitors' browsers would, so the server's per-address
// cap does not refuse them. Each stream is a bare TCP socket with a hand-written GET: one process reads
// 10,000 streams, and Node's HTTP client machinery per response would make this process, not the
// server, the slow part of the delay measured. Tells the parent (IPC) `ready` once each stream has its
// first score event, then on `collect` waits for every stream's second score event and reports the
// delays from the parent's t0 (process.hrtime is CLOCK_MONOTONIC, shared by processes on the machine).
import net from 'node:net';

const [url, nArg] = process.argv.slice(2);
const n = Number(nArg);
const { hostname, port, pathname, search } = new URL(url);
const BATCH = 250;
const PER_ADDRESS = 50;
const REQUEST = `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n\r\n`;
const EVENT = 'event: score';
const sourceAddress = (i) => {
  const a = Math.floor(i / PER_ADDRESS);
  return `127.1.${Math.floor(a / 250)}.${(a % 250) + 1}`;
};
const arrivals = new Array(n).fill(null);
const sockets = [];
let received = 0;
let onAll = null;

function open(i) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), localAddress: sourceAddress(i) }, () => socket.write(REQUEST));
    sockets.push(socket);
    socket.setEncoding('utf8');
    let head = '';
    let headDone = false;
    let events = 0;
    socket.on('data', (chunk) => {
      let body = chunk;
      if (!headDone) {
        head += chunk;
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = head.slice(0, head.indexOf('\r\n'));
        if (!/^HTTP\/1\.[01] 200/.test(status)) return reject(new Error(`stream ${i}: ${status}`));
        headDone = true;
        body = head.slice(end + 4);
      }
      // Frames arrive whole (a few hundred bytes, one write each); count the score events in the chunk.
      for (let at = body.indexOf(EVENT); at >= 0; at = body.indexOf(EVENT, at + EVENT.length)) {
        events++;
        if (events === 1) resolve();
        else if (events === 2) {
          arrivals[i] = process.hrtime.bigint();
          if (++received === n) onAll?.();
        }
      }
    });
    socket.on('error', reject);
  });
}

const started = process.hrtime.bigint();
let opened = 0;
let error = null;
try {
  for (let i = 0; i < n; i += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => open(i + k)));
    opened = Math.min(n, i + BATCH);
  }
} catch (e) {
  error = e instanceof Error ? `${e.code ?? ''} ${e.message}` : String(e);
}
process.send({ type: 'ready', opened, error, connectMs: Number(process.hrtime.bigint() - started) / 1e6 });

process.on('message', async (message) => {
  if (message.type !== 'collect') return;
  const t0 = BigInt(message.t0);
  if (received < opened) {
    await new Promise((resolve) => {
      onAll = resolve;
      setTimeout(resolve, message.timeoutMs);
    });
  }
  const delays = arrivals.filter((t) => t !== null).map((t) => Number(t - t0) / 1e6).sort((a, b) => a - b);
  process.send({ type: 'result', received: delays.length, delays });
  for (const socket of sockets) socket.destroy();
  setTimeout(() => process.exit(0), 100);
});
