// The widget's texts. The badge's English is built in; other languages, and the survey's texts in every
// language, are fetched once per page from the API (/widget/i18n/<lang>.json). That keeps the drop-in
// script within its size budget: a site uses one language, so it should not download three, and most
// page views show the badge without a survey.

export type Lang = 'en' | 'fr' | 'ar';
export const LANGS: readonly Lang[] = ['en', 'fr', 'ar'];

/** The badge's English texts. `{name}` marks a value filled in by fill(). */
export const en = {
  title: 'Customer satisfaction',
  days: 'last {n} days',
  ratings: '{n} ratings',
  oneRating: '{n} rating',
  noRatings: 'No ratings yet',
  unavailable: 'Score unavailable',
  outOf: 'out of 100',
  scale: 'on a scale from −100 to 100',
  close: 'Close',
  positive: 'Good',
  neutral: 'Okay',
  negative: 'Bad',
  benchmark: '{pct}% positive · {label} average: {avg}%',
  source: 'Source: {source}',
  window: 'Ratings from {from} to {to}',
  origin: '{imported}% imported · {seeded}% demo · {sealed}% sealed',
  verifiable: 'Verifiable: public log of {n} entries',
  how: 'How is this score computed?',
};

/** The survey's texts, from the API's pack of the language (api/widget-strings.ts, English included). */
export type SurveyKey =
  | 'question' | 'commentLabel' | 'saveComment' | 'saved' | 'commentSaved' | 'saving' | 'yourAnswer'
  | 'changeUntil' | 'changedMind' | 'final' | 'invalid' | 'expired' | 'failed';

export type Strings = typeof en & Record<SurveyKey, string>;

/** Whole packs (the badge's and the survey's texts) as fetched. */
const packs: Partial<Record<Lang, Strings>> = {};
const loading = new Map<Lang, Promise<unknown>>();

/** Whether the whole pack (badge and survey) is here. */
export const hasStrings = (lang: Lang): boolean => lang in packs;

/** Whether the badge's texts are here: English always. */
export const hasBadgeStrings = (lang: Lang): boolean => lang == 'en' || lang in packs;

/** Until its pack arrives, the survey's texts are undefined: the survey shows its loading state. */
export const strings = (lang: Lang): Strings => packs[lang] ?? (en as Strings);

/** Fetches a language once per page; on failure the element stays in English rather than retrying. */
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

export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
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
