// Which SMTP server a site's email goes through, and how its URL (which holds the password) is kept.
import type { SecretBox } from '../domain/secret-box.js';
import type { SiteEmailSettings } from '../store/types-email.js';

/** The secret-box context of a site's SMTP URL: a sealed URL copied onto another site does not open. */
export const smtpUrlContext = (siteId: number) => `site ${siteId} smtp-url`;

/** smtp:// or smtps://, with a host. Checked before anything is stored. */
export function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The site's own SMTP URL, else the server-wide one, else null. @throws SecretBoxError when the
 * sealed URL does not open (the server secret changed). */
export function smtpUrlOf(settings: SiteEmailSettings, box: SecretBox, serverWide: string | undefined): string | null {
  if (settings.smtpUrlSealed) return box.open(settings.smtpUrlSealed, smtpUrlContext(settings.siteId));
  return serverWide ?? null;
}

/** What a route or the CLI may show of the settings: never the URL, only whether one is set. */
export function describeEmailSettings(settings: SiteEmailSettings) {
  return {
    senderName: settings.senderName,
    senderEmail: settings.senderEmail,
    replyTo: settings.replyTo,
    smtp: settings.smtpUrlSealed ? 'set' : 'not set',
    delayMinutes: settings.delayMinutes,
  };
}
