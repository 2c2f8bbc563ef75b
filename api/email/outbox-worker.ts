// Sends the survey emails queued in the outbox. Requests only write outbox rows (in the survey's
// transaction); this worker claims the due ones on a timer, composes each from the survey and the site's
// settings, sends it over SMTP and records the outcome with the next retry (domain/email-schedule.ts).
//
// Sending once: a row is marked `sending` before the SMTP conversation and `sent` right after the
// server's acceptance, so a retry, a restart or a second round never sends an accepted email again. The
// one gap no SMTP client can close is a crash between the server's "250 OK" and that update (a few
// milliseconds): the email is then sent again after the restart, with the same Message-ID, which
// receivers use to drop duplicates.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Clock } from '../clock.js';
import { nextEmailAttempt } from '../domain/email-schedule.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { ClaimedEmail } from '../store/types-email.js';
import type { Store } from '../store/types.js';
import { composeSurveyEmail } from './compose.js';
import { smtpUrlOf } from './smtp-settings.js';
import { workerLoop } from '../services/worker-loop.js';

export interface EmailWorkerOptions {
  store: Store;
  clock: Clock;
  publicUrl: string;
  tokenSecret: Buffer;
  box: SecretBox;
  /** The server-wide SMTP server (CSAT_SMTP_URL), for sites without their own. */
  smtpUrl?: string;
  intervalMs?: number;
  batch?: number;
  logError?: (message: string, error: unknown) => void;
}

export interface EmailWorker {
  /** One round: sends every due email (up to `batch`); resolves with how many were attempted. */
  runOnce(): Promise<number>;
  /** Stops the timer, waits for the round in flight, closes SMTP connections. */
  stop(): Promise<void>;
}

const MAX_ERROR_CHARS = 500;

/** A retry cannot help after an SMTP 5xx to the envelope or the message (unknown mailbox, refused). */
function isPermanent(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string };
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && e.code !== 'EAUTH';
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Never keep credentials that an error message might quote (a URL with user:password@).
  return text.replace(/\/\/[^@\s/]*@/g, '//***@').slice(0, MAX_ERROR_CHARS);
}

class NoSmtpError extends Error {}

export function startEmailWorker(options: EmailWorkerOptions): EmailWorker {
  const { store, clock, box, intervalMs = 1000, batch = 10 } = options;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  // One transport per SMTP URL; nodemailer opens a connection per message (no pool to go stale).
  const transports = new Map<string, Transporter>();
  const transportFor = (url: string) => {
    let transport = transports.get(url);
    if (!transport) {
      transport = nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
      transports.set(url, transport);
    }
    return transport;
  };

  async function send(email: ClaimedEmail): Promise<void> {
    let error: unknown = null;
    let permanent = false;
    try {
      const [site, survey, settings] = await Promise.all([
        store.getSiteById(email.siteId),
        store.getSurvey(email.siteId, email.surveyId),
        store.getEmailSettings(email.siteId),
      ]);
      if (!site || !survey?.contactEmail || !settings.senderEmail) {
        // Erased contact, or the site stopped sending email after this one was queued.
        permanent = true;
        throw new Error(!survey?.contactEmail ? 'the contact has no email address (erased?)' : 'the site has no sender address any more');
      }
      const url = smtpUrlOf(settings, box, options.smtpUrl);
      if (!url) throw new NoSmtpError('no SMTP server: set CSAT_SMTP_URL or the site\'s --smtp-url');
      const message = composeSurveyEmail({
        site,
        settings,
        survey: { ...survey, contactEmail: survey.contactEmail },
        messageId: email.messageId,
        publicUrl: options.publicUrl,
        tokenSecret: options.tokenSecret,
      });
      await transportFor(url).sendMail(message);
    } catch (caught) {
      error = caught;
      permanent ||= isPermanent(caught);
    }
    const at = clock.now();
    try {
      await store.recordEmailAttempt(
        email.id,
        error === null
          ? { sent: true, error: null, nextAttemptAt: null }
          : { sent: false, error: describe(error), nextAttemptAt: nextEmailAttempt(email.attempts, at, { permanent }) },
        at,
      );
    } catch (caught) {
      logError(`survey email ${email.id}: could not record the attempt`, caught);
    }
  }

  async function round(state: { readonly stopped: boolean }): Promise<number> {
    let attempted = 0;
    // One claim per email, right before it is sent: only the email actually in an SMTP conversation is
    // ever `sending`, so a crash leaves exactly that one to retry (and its attempt count stays true).
    // One at a time also suits mail servers, which rate-limit a sender.
    while (!state.stopped && attempted < batch) {
      let claimed: ClaimedEmail[];
      try {
        claimed = await store.claimDueEmails(clock.now(), 1);
      } catch (caught) {
        logError('email worker: could not read the outbox', caught);
        break;
      }
      if (claimed.length === 0) break;
      await send(claimed[0]!);
      attempted += 1;
    }
    return attempted;
  }

  // Only one worker runs per database (SQLite): rows left `sending` were cut off by a crash or kill.
  const before = store.releaseSendingEmails(clock.now()).catch((caught: unknown) => logError('email worker: could not release interrupted emails', caught));
  const loop = workerLoop({ name: 'email worker', intervalMs, round, logError, before });
  return {
    runOnce: loop.runOnce,
    async stop() {
      await loop.stop();
      for (const transport of transports.values()) transport.close();
    },
  };
}
