// Turns an operator's email settings (CLI flags or the settings route) into a stored change: the SMTP URL
// is checked and sealed here, so no caller ever stores or echoes it in plain text.
import { MAX_EMAIL_DELAY_MINUTES } from '../domain/email-schedule.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { SiteEmailChange } from '../store/types-email.js';
import { isSmtpUrl, smtpUrlContext } from './smtp-settings.js';

export interface EmailSettingsInput {
  senderName?: string | null;
  senderEmail?: string | null;
  replyTo?: string | null;
  /** null or '' removes the site's own server (the server-wide CSAT_SMTP_URL applies again). */
  smtpUrl?: string | null;
  delayMinutes?: number;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** A change to store, or the first problem in words. */
export function emailSettingsChange(siteId: number, input: EmailSettingsInput, box: SecretBox): { change: SiteEmailChange } | { problem: string } {
  const change: SiteEmailChange = {};
  for (const [field, label] of [['senderEmail', 'sender email'], ['replyTo', 'reply-to']] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (value !== null && value !== '' && (!EMAIL.test(value) || value.length > 254)) return { problem: `the ${label} must be an email address` };
    change[field] = value || null;
  }
  if (input.senderName !== undefined) {
    const name = input.senderName?.trim() ?? '';
    if (name.length > 100 || /[\r\n]/.test(name)) return { problem: 'the sender name must be one line of at most 100 characters' };
    change.senderName = name || null;
  }
  if (input.delayMinutes !== undefined) {
    if (!Number.isInteger(input.delayMinutes) || input.delayMinutes < 0 || input.delayMinutes > MAX_EMAIL_DELAY_MINUTES) {
      return { problem: `the email delay must be a whole number of minutes from 0 to ${MAX_EMAIL_DELAY_MINUTES}` };
    }
    change.delayMinutes = input.delayMinutes;
  }
  if (input.smtpUrl !== undefined) {
    if (input.smtpUrl === null || input.smtpUrl === '') change.smtpUrlSealed = null;
    // The problem never quotes the URL: it may hold a password.
    else if (!isSmtpUrl(input.smtpUrl) || input.smtpUrl.length > 2000) return { problem: 'the SMTP URL must look like smtp://user:password@host:587 or smtps://…' };
    else change.smtpUrlSealed = box.seal(input.smtpUrl, smtpUrlContext(siteId));
  }
  return { change };
}
