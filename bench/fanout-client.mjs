// The SSE clients of the fan-out benchmark, in their own process (plain node, no dependencies):
//   node bench/fanout-client.mjs <stream url> <n>
// Opens n streams in batches, from PER_ADDRESS streams per loopback source address (127.1.x.y: Linux
// routes all of 127/8 to the loopback device), as many visitors' browsers would, so the server's
// per-address cap does not refuse them; tells the parent (IPC) `ready` once each has its first score
// event, then
// on `collect` waits for every client's second score event and reports the delays from the parent's
// t0 (process.hrtime is CLOCK_MONOTONIC, shared by processes on the machine).
import http from 'node:http';

const [url, nArg] = process.argv.slice(2);
const n = Number(nArg);
const BATCH = 250;
const PER_ADDRESS = 50;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const sourceAddress = (i) => {
  const a = Math.floor(i / PER_ADDRESS);
  return `127.1.${Math.floor(a / 250)}.${(a % 250) + 1}`;
};
const arrivals = new Array(n).fill(null);
const responses = [];
let received = 0;
let onAll = null;

function open(i) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, localAddress: sourceAddress(i), headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${i}: HTTP ${res.statusCode}`));
      responses.push(res);
      res.setEncoding('utf8');
      let buffer = '';
      let events = 0;
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!/^event: score$/m.test(block)) continue;
          events++;
          if (events === 1) resolve();
          else if (events === 2) {
            arrivals[i] = process.hrtime.bigint();
            if (++received === n) onAll?.();
          }
        }
      });
      res.on('error', () => {});
    });
    req.on('error', reject);
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
  for (const res of responses) res.destroy();
  agent.destroy();
  setTimeout(() => process.exit(0), 100);
});
