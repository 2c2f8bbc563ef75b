// The widget's texts, fetched once per page from the API (/widget/i18n/<lang>.json), English included,
// in parallel with the score: a site uses one language, so it should not download three, and every byte
// of the drop-in script ships to other people's websites. Built in: only the English of the fallback a
// badge shows when the API cannot be reached at all (and so neither can its texts).

export type Lang = 'en' | 'fr' | 'ar';
export const LANGS: readonly Lang[] = ['en', 'fr', 'ar'];

/** The English texts of a badge whose API is unreachable. `{name}` marks a value filled in by fill(). */
export const en = {
  title: 'Customer satisfaction',
  unavailable: 'Score unavailable',
};

/** The badge's texts, from the API's pack of the language (api/services/widget-strings.ts). */
export type BadgeKey =
  | 'days' | 'ratings' | 'oneRating' | 'noRatings' | 'outOf' | 'scale' | 'close' | 'positive' | 'neutral' | 'negative'
  | 'benchmark' | 'source' | 'window' | 'origin' | 'verifiable' | 'how';

/** The survey's texts, from the API's pack of the language (api/services/widget-strings.ts, English included). */
export type SurveyKey =
  | 'optional' | 'save' | 'saved' | 'commentSaved' | 'saving' | 'yourAnswer' | 'changeUntil' | 'changedMind'
  | 'final' | 'invalid' | 'expired' | 'failed' | 'scaleValue' | 'dimensionsQuestion';

/** Plus the vocabulary's words under dotted keys (`q.nps`, `fu.csat.negative`, `c.nps.positive`, `d.empathy`). */
export type Strings = typeof en & Record<BadgeKey | SurveyKey, string> & { [key: `${string}.${string}`]: string };

/** Whole packs as fetched. */
const packs: Partial<Record<Lang, Strings>> = {};
const loading = new Map<Lang, Promise<unknown>>();

/** Whether the language's pack is here (or failed: then the elements make do with what is built in). */
export const hasStrings = (lang: Lang): boolean => lang in packs;

/** Until its pack arrives, the texts are undefined: the elements show their loading states. */
export const strings = (lang: Lang): Strings => packs[lang] ?? (en as Strings);

/** Fetches a language once per page; on failure the element keeps the built-in English rather than retrying. */
export function loadStrings(api: string, lang: Lang): Promise<unknown> {
  let pending = loading.get(lang);
  if (!pending) {
    pending = fetch(`${api}/widget/i18n/${lang}.json`, { credentials: 'omit' })
      .then((res) => (res.ok ? res.json() : {}))
      .catch(() => ({}))
      .then((pack: Partial<Strings>) => (packs[lang] = { ...en, ...pack } as Strings));
    loading.set(lang, pending);
  }
  return pending;
}

/** A text with its values; empty while the language's pack is on its way (the skeleton's placeholders). */
export function fill(text: string | undefined, values: Record<string, string | number>): string {
  return (text ?? '').replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** The element's `lang`, else the nearest ancestor's, else the browser's; English when unsupported. */
export function langOf(element: Element, attr: string | null | undefined): Lang {
  const wanted = (attr || element.closest('[lang]')?.getAttribute('lang') || navigator.language || 'en').slice(0, 2).toLowerCase();
  return LANGS.includes(wanted as Lang) ? (wanted as Lang) : 'en';
}

export const dirOf = (lang: Lang): 'rtl' | 'ltr' => (lang === 'ar' ? 'rtl' : 'ltr');

export const formatNumber = (n: number, lang: Lang): string => n.toLocaleString(lang);

export function formatDay(isoDay: string, lang: Lang): string {
  return new Date(`${isoDay.slice(0, 10)}T00:00:00Z`).toLocaleDateString(lang, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
