// The widget's texts in each supported language, and how an element picks one.
import type { Reaction } from './api-client.js';

export type Lang = 'en' | 'fr' | 'ar';

interface Strings {
  title: string;
  days: (n: number) => string;
  ratings: (n: string) => string;
  noRatings: string;
  unavailable: string;
  outOf: string;
  details: string;
  close: string;
  reactions: Record<Reaction, string>;
  benchmark: (label: string, pct: string) => string;
  window: (from: string, to: string) => string;
  how: string;
  question: string;
  commentLabel: string;
  saveComment: string;
  saved: string;
  saving: string;
  yourAnswer: string;
  changeUntil: (date: string) => string;
  changedMind: string;
  final: string;
  invalid: string;
  expired: string;
  failed: string;
}

const en: Strings = {
  title: 'Customer satisfaction',
  days: (n) => `last ${n} days`,
  ratings: (n) => `${n} ratings`,
  noRatings: 'No ratings yet',
  unavailable: 'Score unavailable',
  outOf: 'out of 100',
  details: 'Show score details',
  close: 'Close',
  reactions: { positive: 'Good', neutral: 'Okay', negative: 'Bad' },
  benchmark: (label, pct) => `Industry average (${label}): ${pct}% positive`,
  window: (from, to) => `Ratings from ${from} to ${to}`,
  how: 'How is this score computed?',
  question: 'How did we do on this request?',
  commentLabel: 'Anything to add? (optional)',
  saveComment: 'Save comment',
  saved: 'Thank you! Your answer was saved.',
  saving: 'Saving…',
  yourAnswer: 'Your answer',
  changeUntil: (d) => `You can change it until ${d}.`,
  changedMind: 'Changed your mind?',
  final: 'This answer is final.',
  invalid: 'This survey link is not valid.',
  expired: 'This survey link has expired.',
  failed: 'Your answer could not be saved. Please try again.',
};

const fr: Strings = {
  title: 'Satisfaction client',
  days: (n) => `${n} derniers jours`,
  ratings: (n) => `${n} avis`,
  noRatings: 'Pas encore d’avis',
  unavailable: 'Score indisponible',
  outOf: 'sur 100',
  details: 'Voir le détail du score',
  close: 'Fermer',
  reactions: { positive: 'Bien', neutral: 'Moyen', negative: 'Mal' },
  benchmark: (label, pct) => `Moyenne du secteur (${label}) : ${pct} % positifs`,
  window: (from, to) => `Avis du ${from} au ${to}`,
  how: 'Comment ce score est-il calculé ?',
  question: 'Comment avons-nous traité cette demande ?',
  commentLabel: 'Quelque chose à ajouter ? (facultatif)',
  saveComment: 'Enregistrer le commentaire',
  saved: 'Merci ! Votre réponse est enregistrée.',
  saving: 'Enregistrement…',
  yourAnswer: 'Votre réponse',
  changeUntil: (d) => `Vous pouvez la modifier jusqu’au ${d}.`,
  changedMind: 'Vous avez changé d’avis ?',
  final: 'Cette réponse est définitive.',
  invalid: 'Ce lien de questionnaire n’est pas valide.',
  expired: 'Ce lien de questionnaire a expiré.',
  failed: 'Votre réponse n’a pas pu être enregistrée. Réessayez.',
};

const ar: Strings = {
  title: 'رضا العملاء',
  days: (n) => `آخر ${n} يوماً`,
  ratings: (n) => `${n} تقييم`,
  noRatings: 'لا توجد تقييمات بعد',
  unavailable: 'النتيجة غير متاحة',
  outOf: 'من 100',
  details: 'عرض تفاصيل النتيجة',
  close: 'إغلاق',
  reactions: { positive: 'جيد', neutral: 'مقبول', negative: 'سيئ' },
  benchmark: (label, pct) => `متوسط القطاع (${label}): ${pct}% إيجابي`,
  window: (from, to) => `التقييمات من ${from} إلى ${to}`,
  how: 'كيف تُحسب هذه النتيجة؟',
  question: 'كيف كان أداؤنا في هذا الطلب؟',
  commentLabel: 'هل لديك ما تضيفه؟ (اختياري)',
  saveComment: 'حفظ التعليق',
  saved: 'شكراً لك! تم حفظ إجابتك.',
  saving: 'جارٍ الحفظ…',
  yourAnswer: 'إجابتك',
  changeUntil: (d) => `يمكنك تغييرها حتى ${d}.`,
  changedMind: 'هل غيّرت رأيك؟',
  final: 'هذه الإجابة نهائية.',
  invalid: 'رابط الاستبيان غير صالح.',
  expired: 'انتهت صلاحية رابط الاستبيان.',
  failed: 'تعذّر حفظ إجابتك. حاول مرة أخرى.',
};

const STRINGS: Record<Lang, Strings> = { en, fr, ar };

/** The element's `lang`, else the nearest ancestor's, else the browser's; English when unsupported. */
export function langOf(element: Element, attr: string | null | undefined): Lang {
  const wanted = (attr || element.closest('[lang]')?.getAttribute('lang') || navigator.language || 'en').slice(0, 2).toLowerCase();
  return wanted in STRINGS ? (wanted as Lang) : 'en';
}

export const strings = (lang: Lang): Strings => STRINGS[lang];

export const dirOf = (lang: Lang): 'rtl' | 'ltr' => (lang === 'ar' ? 'rtl' : 'ltr');

export function formatNumber(n: number, lang: Lang): string {
  return n.toLocaleString(lang);
}

export function formatDay(isoDay: string, lang: Lang): string {
  return new Date(`${isoDay.slice(0, 10)}T00:00:00Z`).toLocaleDateString(lang, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
