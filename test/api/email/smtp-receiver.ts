// A real SMTP server (smtp-server) on a local port for tests, keeping every message it accepts parsed
// by mailparser. `rejectRecipient` answers 550 to RCPT TO for matching addresses; `delayMs` holds each
// message before accepting it (to catch a sender in the middle of a conversation), and a message whose
// sender hung up before the "250 OK" is not kept, as a real mail server would not deliver it.
// `onDataStart` runs when a message's data begins (a test can kill the sender right then).
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Receiver {
  port: number;
  url: string;
  messages: ParsedMail[];
  /** Every AUTH the server was given (it accepts any login). */
  logins: Array<{ username: string; password: string }>;
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startReceiver(options: { port?: number; rejectRecipient?: RegExp; delayMs?: number; onDataStart?: (count: number) => void } = {}): Promise<Receiver> {
  const messages: ParsedMail[] = [];
  const hungUp = new Set<string>();
  const logins: Array<{ username: string; password: string }> = [];
  let started = 0;
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // No reverse DNS of the client: on a closed network each lookup waits for its timeout.
    disableReverseLookup: true,
    // No TLS on a test port: accept a login over the plain connection.
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipient?.test(address.address)) {
        callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onClose(session) {
      hungUp.add(session.id);
    },
    onData(stream, session, callback) {
      options.onDataStart?.((started += 1));
      simpleParser(stream)
        .then(async (mail) => {
          if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
          if (hungUp.has(session.id)) {
            callback(new Error('the client hung up'));
            return;
          }
          messages.push(mail);
          for (const wake of waiters.splice(0)) wake();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    logins,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${messages.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
