// The widget's texts. English is built in; other languages are fetched once per page from the API
// (/widget/i18n/<lang>.json), which keeps the drop-in script within its size budget: a site uses one
// language, so it should not download three.

export type Lang = 'en' | 'fr' | 'ar';
export const LANGS: readonly Lang[] = ['en', 'fr', 'ar'];

/** `{name}` marks a value filled in by fill(). */
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
  how: 'How is this score computed?',
  question: 'How did we do on this request?',
  commentLabel: 'Anything to add? (optional)',
  saveComment: 'Save comment',
  saved: 'Thank you! Your answer was saved.',
  commentSaved: 'Your comment was saved.',
  saving: 'Saving…',
  yourAnswer: 'Your answer',
  changeUntil: 'You can change it until {date}.',
  changedMind: 'Changed your mind?',
  final: 'This answer is final.',
  invalid: 'This survey link is not valid.',
  expired: 'This survey link has expired.',
  failed: 'Your answer could not be saved. Please try again.',
};

export type Strings = typeof en;

const packs: Partial<Record<Lang, Strings>> = { en };
const loading = new Map<Lang, Promise<unknown>>();

export const hasStrings = (lang: Lang): boolean => lang in packs;

export const strings = (lang: Lang): Strings => packs[lang] ?? en;

/** Fetches a language once per page; on failure the element stays in English rather than retrying. */
export function loadStrings(api: string, lang: Lang): Promise<unknown> {
  let pending = loading.get(lang);
  if (!pending) {
    pending = fetch(`${api}/widget/i18n/${lang}.json`, { credentials: 'omit' })
      .then((res) => (res.ok ? res.json() : {}))
      .catch(() => ({}))
      .then((pack: Partial<Strings>) => (packs[lang] = { ...en, ...pack }));
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
