// The widget's texts, which the drop-in script does not bundle: every text in every language, but for the
// English of the unreachable-API fallback (built into widget/i18n.ts, so not repeated here).
// Served at /widget/i18n/<lang>.json; a test checks that every key of the English texts is here.
// The words of kinds, classes, scale ends, follow-ups and dimensions come from the one vocabulary
// (api/domain/vocabulary.ts), flattened into keys the widget reads without nesting:
//   q.<kind>            the question of a kind          lo.<kind>, hi.<kind>   the ends of a numbered scale
//   fu.<kind>.<class>   the follow-up prompt after an answer of that class
//   c.<kind>.<class>    the class names of a breakdown (Promoters, Passives, Detractors)
//   d.<dimension>       a "What mattered most?" choice  scaleValue             "4 out of 5"
import { DIMENSIONS } from '../domain/dimensions.js';
import { KINDS } from '../domain/kinds.js';
import { LOCALES, type Locale } from '../domain/locale.js';
import { REACTIONS } from '../domain/reaction.js';
import { VOCABULARY } from '../domain/vocabulary.js';

/** The survey's own texts (the sentences around the vocabulary's words). */
const SURVEY: Record<Locale, Record<string, string>> = {
  en: {
    optional: '(optional)',
    save: 'Save',
    saved: 'Thank you! Your answer was saved.',
    commentSaved: 'Saved. Thank you!',
    saving: 'Saving…',
    yourAnswer: 'Your answer',
    changeUntil: 'You can change it until {date}.',
    changedMind: 'Changed your mind?',
    final: 'This answer is final.',
    invalid: 'This survey link is not valid.',
    expired: 'This survey link has expired.',
    failed: 'Your answer could not be saved. Please try again.',
  },
  fr: {
    optional: '(facultatif)',
    save: 'Enregistrer',
    saved: 'Merci ! Votre réponse est enregistrée.',
    commentSaved: 'Enregistré. Merci !',
    saving: 'Enregistrement…',
    yourAnswer: 'Votre réponse',
    changeUntil: 'Vous pouvez la modifier jusqu’au {date}.',
    changedMind: 'Vous avez changé d’avis ?',
    final: 'Cette réponse est définitive.',
    invalid: 'Ce lien de questionnaire n’est pas valide.',
    expired: 'Ce lien de questionnaire a expiré.',
    failed: 'Votre réponse n’a pas pu être enregistrée. Réessayez.',
  },
  ar: {
    optional: '(اختياري)',
    save: 'حفظ',
    saved: 'شكراً لك! تم حفظ إجابتك.',
    commentSaved: 'تم الحفظ. شكراً لك!',
    saving: 'جارٍ الحفظ…',
    yourAnswer: 'إجابتك',
    changeUntil: 'يمكنك تغييرها حتى {date}.',
    changedMind: 'هل غيّرت رأيك؟',
    final: 'هذه الإجابة نهائية.',
    invalid: 'رابط الاستبيان غير صالح.',
    expired: 'انتهت صلاحية رابط الاستبيان.',
    failed: 'تعذّر حفظ إجابتك. حاول مرة أخرى.',
  },
};

/** The badge's texts (its words for the reactions come from the vocabulary). */
const BADGE: Record<Locale, Record<string, string>> = {
  en: {
    days: 'last {n} days',
    ratings: '{n} ratings',
    oneRating: '{n} rating',
    noRatings: 'No ratings yet',
    outOf: 'out of 100',
    scale: 'on a scale from −100 to 100',
    close: 'Close',
    benchmark: '{pct}% positive · {label} average: {avg}%',
    source: 'Source: {source}',
    window: 'Ratings from {from} to {to}',
    origin: '{imported}% imported · {seeded}% demo · {sealed}% sealed',
    verifiable: 'Verifiable: public log of {n} entries',
    how: 'How is this score computed?',
  },
  fr: {
    title: 'Satisfaction client',
    unavailable: 'Score indisponible',
    days: '{n} derniers jours',
    ratings: '{n} avis',
    oneRating: '{n} avis',
    noRatings: 'Pas encore d’avis',
    outOf: 'sur 100',
    scale: 'sur une échelle de −100 à 100',
    close: 'Fermer',
    benchmark: '{pct} % positifs · moyenne {label} : {avg} %',
    source: 'Source : {source}',
    window: 'Avis du {from} au {to}',
    origin: '{imported} % importés · {seeded} % démo · {sealed} % scellés',
    verifiable: 'Vérifiable : journal public de {n} entrées',
    how: 'Comment ce score est-il calculé ?',
  },
  ar: {
    title: 'رضا العملاء',
    unavailable: 'النتيجة غير متاحة',
    days: 'آخر {n} يوماً',
    ratings: '{n} تقييم',
    oneRating: 'تقييم واحد ({n})',
    noRatings: 'لا توجد تقييمات بعد',
    outOf: 'من 100',
    scale: 'على مقياس من −100 إلى 100',
    close: 'إغلاق',
    benchmark: '{pct}% إيجابي · متوسط {label}: {avg}%',
    source: 'المصدر: {source}',
    window: 'التقييمات من {from} إلى {to}',
    origin: '{imported}% مستوردة · {seeded}% تجريبية · {sealed}% مختومة',
    verifiable: 'قابلة للتحقق: سجل عام من {n} إدخال',
    how: 'كيف تُحسب هذه النتيجة؟',
  },
};

/** The vocabulary's words of one language as the widget's flat keys. */
function vocabularyKeys(locale: Locale): Record<string, string> {
  const v = VOCABULARY[locale];
  const keys: Record<string, string> = {
    // The reaction survey's question under its older key too: a cached older script reads it.
    question: v.question.reaction,
    scaleValue: v.valueOf,
    dimensionsQuestion: v.dimensionsQuestion,
  };
  for (const kind of KINDS) {
    keys[`q.${kind}`] = v.question[kind];
    for (const c of REACTIONS) {
      keys[`fu.${kind}.${c}`] = v.followUp[kind][c];
      keys[`c.${kind}.${c}`] = v.classes[kind][c];
    }
  }
  for (const kind of ['csat', 'nps'] as const) [keys[`lo.${kind}`], keys[`hi.${kind}`]] = v.scaleEnds[kind];
  for (const d of DIMENSIONS) keys[`d.${d}`] = v.dimensions[d];
  return keys;
}

export const WIDGET_STRINGS: Readonly<Record<string, Record<string, string>>> = Object.fromEntries(
  LOCALES.map((locale) => [
    locale,
    {
      ...BADGE[locale],
      ...VOCABULARY[locale].reaction,
      ...SURVEY[locale],
      ...vocabularyKeys(locale),
    },
  ]),
);
