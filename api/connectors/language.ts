// The tools name a contact's language in many ways ("fr", "fr-CA", "French", "Français"); the survey
// knows a few locales. Anything else leaves the survey in the site's language.
import { LOCALES, type Locale } from '../domain/locale.js';

const NAMES: Record<string, Locale> = {
  english: 'en',
  anglais: 'en',
  french: 'fr',
  'français': 'fr',
  francais: 'fr',
  arabic: 'ar',
  'العربية': 'ar',
  arabe: 'ar',
};

export function localeOf(language: string | undefined): Locale | undefined {
  if (!language) return undefined;
  const l = language.trim().toLowerCase();
  const code = /^([a-z]{2})(?:[-_][a-z0-9]+)*$/.exec(l)?.[1];
  if (code && (LOCALES as readonly string[]).includes(code)) return code as Locale;
  return NAMES[l.replace(/\s*\(.*\)$/, '')];
}
