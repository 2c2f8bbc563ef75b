// The languages respondents see (survey page, email snippet) and how one is picked for a request.

export const LOCALES = ['en', 'fr', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export const RTL_LOCALES: ReadonlySet<Locale> = new Set(['ar']);

/** The first supported language of an Accept-Language header by preference (q), else the fallback. */
export function negotiateLocale(acceptLanguage: string | undefined, fallback: Locale): Locale {
  if (!acceptLanguage) return fallback;
  const ranges = acceptLanguage
    .split(',')
    .slice(0, 20) // a hostile header can be long; nobody prefers 20 languages
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: tag.trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    if (range.language === '*') return fallback;
    if (isLocale(range.language)) return range.language;
  }
  return fallback;
}
