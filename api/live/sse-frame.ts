// One Server-Sent Events message as the bytes every listener gets: built once per change and written
// to each stream as the same Buffer, so a change costs one serialisation however many clients listen.

/** A message ready to write, with the change it carries: `seq` grows with every change, so a stream
 * that already has a newer message skips an older one that arrives late. */
export interface Frame {
  readonly seq: number;
  readonly bytes: Buffer;
}

/** `event:`, one `data:` line per line of `data` (the SSE format ends a field at a newline), and the
 * reconnect delay the client's EventSource should use. */
export function sseFrame(event: string, data: string, retryMs?: number): Buffer {
  let text = `event: ${event}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  if (retryMs !== undefined) text += `retry: ${retryMs}\n`;
  return Buffer.from(`${text}\n`);
}

export const HEARTBEAT = Buffer.from(': heartbeat\n\n');
