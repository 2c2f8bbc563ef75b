// The email flags of `csat site create|set` and how `csat site list|set` shows a site's email settings.
// The SMTP URL holds a password: it is sealed before it is stored and only ever shown as "set"/"not set".
import { secretBox } from '../domain/secret-box.js';
import { emailSettingsChange, type EmailSettingsInput } from '../email/settings-change.js';
import { loadServerSecret } from '../server-secret.js';
import type { SiteEmailSettings } from '../store/types-email.js';
import type { Site, Store } from '../store/types.js';

export const EMAIL_OPTIONS = {
  'sender-name': { type: 'string' },
  'sender-email': { type: 'string' },
  'reply-to': { type: 'string' },
  'smtp-url': { type: 'string' },
  'email-delay-minutes': { type: 'string' },
} as const;

export const EMAIL_USAGE = `  --sender-email <address>     send each survey by email from this address ("" stops sending)
  --sender-name <name>         the From name (default: the site's name)
  --reply-to <address>         where replies to a survey email go
  --smtp-url <url>             this site's SMTP server, smtp(s)://user:password@host:port, stored
                               encrypted ("" = the server-wide $CSAT_SMTP_URL)
  --email-delay-minutes N      send N minutes after the ticket closed (default 0)`;

/** The email settings given as flags, or null when none was. */
export function emailFlags(values: Record<string, unknown>): EmailSettingsInput | null {
  const text = (name: keyof typeof EMAIL_OPTIONS) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const delay = text('email-delay-minutes');
  const input: EmailSettingsInput = {
    senderName: text('sender-name'),
    senderEmail: text('sender-email'),
    replyTo: text('reply-to'),
    smtpUrl: text('smtp-url'),
    delayMinutes: delay === undefined ? undefined : /^\d+$/.test(delay) ? Number(delay) : -1,
  };
  return Object.values(input).some((v) => v !== undefined) ? input : null;
}

/** The first problem with the flags, checked before anything is created. */
export function emailFlagsProblem(input: EmailSettingsInput): string | null {
  const result = emailSettingsChange(0, input, secretBox(Buffer.alloc(32)));
  return 'problem' in result ? result.problem : null;
}

/** Applies the flags; returns the problem in words instead when one is wrong (nothing is stored then). */
export async function applyEmailFlags(store: Store, site: Site, input: EmailSettingsInput, env: { CSAT_SECRET?: string }, dbFile: string): Promise<string | null> {
  // The server secret is read (or created) only when there is something to seal.
  const box = input.smtpUrl ? secretBox(loadServerSecret(env.CSAT_SECRET, dbFile)) : secretBox(Buffer.alloc(32));
  const result = emailSettingsChange(site.id, input, box);
  if ('problem' in result) return result.problem;
  await store.setEmailSettings(site.id, result.change);
  return null;
}

/** `  email desk@acme.example (smtp set, delay 15 min)`, or '' for a site that sends no email. */
export function describeEmail(settings: SiteEmailSettings): string {
  if (!settings.senderEmail && !settings.smtpUrlSealed) return '';
  const from = settings.senderEmail ? `email ${settings.senderName ? `"${settings.senderName}" ` : ''}${settings.senderEmail}` : 'email off';
  const parts = [`smtp ${settings.smtpUrlSealed ? 'set' : 'not set'}`, `delay ${settings.delayMinutes} min`];
  if (settings.replyTo) parts.push(`reply-to ${settings.replyTo}`);
  return `  ${from} (${parts.join(', ')})`;
}
