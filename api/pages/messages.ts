// The page-only texts a respondent reads, in each supported language. `{x}` marks a value filled in
// later. The words of kinds, reactions, questions, scale ends, follow-ups and dimensions are not here:
// they come from the one vocabulary (api/domain/vocabulary.ts).
import type { Locale } from '../domain/locale.js';
import type { Reaction } from '../domain/reaction.js';

export interface Messages {
  aboutTicket: string;
  pick: string;
  /** `pick` for a numbered scale (CSAT, NPS). */
  pickScore: string;
  pressToConfirm: string;
  saving: string;
  /** A held answer (sent by the page while mail scanners were opening the links) waits for a click. */
  confirmTitle: string;
  confirmButton: string;
  commentLabel: string;
  commentHint: string;
  saveComment: string;
  saved: string;
  savingComment: string;
  commentSaved: string;
  yourAnswer: string;
  changeUntil: string;
  changedMind: string;
  final: string;
  expiredTitle: string;
  expiredBody: string;
  invalidTitle: string;
  invalidBody: string;
  closedTitle: string;
  forbiddenTitle: string;
  forbiddenBody: string;
  rateLimitedTitle: string;
  rateLimitedBody: string;
  badRequest: string;
  /** A number off the scale, or none: `{min}`, `{max}`. */
  badScore: string;
  /** A "What mattered most?" choice the page does not offer. */
  badDimensions: string;
  /** Above a numbered scale: which way it goes (`{min}`, `{low}`, `{max}`, `{high}`). */
  scaleHint: string;
  commentTooLong: string;
  emailIntro: string;
  emailFooter: string;
  poweredBy: string;
  /** The answered page's receipt: `{index}` is the log's own index (from 0), as the log routes number entries. */
  logEntry: string;
  /** `logEntry` for CSAT and NPS answers, which are not reactions. */
  logEntryAnswer: string;
  logEntryLink: string;
}

export const MESSAGES: Record<Locale, Messages> = {
  en: {
    aboutTicket: 'About ticket {ticket}',
    pick: 'Choose a reaction to send your answer. You can write a comment first.',
    pickScore: 'Choose a number to send your answer. You can write a comment first.',
    pressToConfirm: 'Press “{reaction}” to send your answer.',
    saving: 'Saving your answer…',
    confirmTitle: 'Please confirm your answer',
    confirmButton: 'Confirm',
    commentLabel: 'Anything to add? (optional)',
    commentHint: 'Up to 2,000 characters. Only {company} sees it.',
    saveComment: 'Save comment',
    saved: 'Thank you! Your answer was saved.',
    savingComment: 'Saving your comment…',
    commentSaved: 'Comment saved.',
    yourAnswer: 'Your answer: {reaction}',
    changeUntil: 'You can change it until {date}.',
    changedMind: 'Changed your mind?',
    final: 'This answer is final.',
    expiredTitle: 'This survey link has expired',
    expiredBody: 'Survey links stay open for a limited time. Thank you for wanting to answer.',
    invalidTitle: 'We could not find this survey',
    invalidBody: 'The link may be incomplete. Try opening it again from the email.',
    closedTitle: 'This answer can no longer be changed',
    forbiddenTitle: 'This form was sent from another website',
    forbiddenBody: 'For your safety, answers are only accepted from this page. Open the survey link again.',
    rateLimitedTitle: 'Too many answers from your network',
    rateLimitedBody: 'We received many answers from your connection in a short time. Please wait a minute, then open the survey link again.',
    badRequest: 'Please choose one of the three reactions.',
    badScore: 'Please choose a number from {min} to {max}.',
    badDimensions: 'Please choose only among the listed answers to “What mattered most?”.',
    scaleHint: '{min} means “{low}”, {max} means “{high}”.',
    commentTooLong: 'Your comment is longer than 2,000 characters. Please shorten it.',
    emailIntro: 'One click records your answer; you can add a comment on the next page.',
    emailFooter: 'Ticket {ticket} · {company}',
    poweredBy: 'Customer satisfaction survey',
    logEntry: 'Your reaction is entry #{index} of {company}’s public log.',
    logEntryAnswer: 'Your answer is entry #{index} of {company}’s public log.',
    logEntryLink: 'See the proof',
  },
  fr: {
    aboutTicket: 'Au sujet du ticket {ticket}',
    pick: 'Choisissez une réaction pour envoyer votre réponse. Vous pouvez d’abord écrire un commentaire.',
    pickScore: 'Choisissez un nombre pour envoyer votre réponse. Vous pouvez d’abord écrire un commentaire.',
    pressToConfirm: 'Appuyez sur « {reaction} » pour envoyer votre réponse.',
    saving: 'Enregistrement de votre réponse…',
    confirmTitle: 'Veuillez confirmer votre réponse',
    confirmButton: 'Confirmer',
    commentLabel: 'Quelque chose à ajouter ? (facultatif)',
    commentHint: '2 000 caractères au plus. Seule l’équipe {company} le lit.',
    saveComment: 'Enregistrer le commentaire',
    saved: 'Merci ! Votre réponse est enregistrée.',
    savingComment: 'Enregistrement du commentaire…',
    commentSaved: 'Commentaire enregistré.',
    yourAnswer: 'Votre réponse : {reaction}',
    changeUntil: 'Vous pouvez la modifier jusqu’au {date}.',
    changedMind: 'Vous avez changé d’avis ?',
    final: 'Cette réponse est définitive.',
    expiredTitle: 'Ce lien de questionnaire a expiré',
    expiredBody: 'Les liens restent ouverts pendant une durée limitée. Merci d’avoir voulu répondre.',
    invalidTitle: 'Questionnaire introuvable',
    invalidBody: 'Le lien est peut-être incomplet. Rouvrez-le depuis l’e-mail.',
    closedTitle: 'Cette réponse ne peut plus être modifiée',
    forbiddenTitle: 'Ce formulaire a été envoyé depuis un autre site',
    forbiddenBody: 'Pour votre sécurité, les réponses ne sont acceptées que depuis cette page. Rouvrez le lien.',
    rateLimitedTitle: 'Trop de réponses depuis votre réseau',
    rateLimitedBody: 'Nous avons reçu beaucoup de réponses depuis votre connexion en peu de temps. Patientez une minute, puis rouvrez le lien du questionnaire.',
    badRequest: 'Choisissez l’une des trois réactions.',
    badScore: 'Choisissez un nombre de {min} à {max}.',
    badDimensions: 'Choisissez uniquement parmi les réponses proposées à « Qu’est-ce qui a compté le plus ? ».',
    scaleHint: '{min} signifie « {low} », {max} signifie « {high} ».',
    commentTooLong: 'Votre commentaire dépasse 2 000 caractères. Merci de le raccourcir.',
    emailIntro: 'Un clic enregistre votre réponse ; vous pourrez ajouter un commentaire ensuite.',
    emailFooter: 'Ticket {ticket} · {company}',
    poweredBy: 'Questionnaire de satisfaction',
    logEntry: 'Votre réaction est l’entrée n° {index} du journal public de {company}.',
    logEntryAnswer: 'Votre réponse est l’entrée n° {index} du journal public de {company}.',
    logEntryLink: 'Voir la preuve',
  },
  ar: {
    aboutTicket: 'بخصوص التذكرة {ticket}',
    pick: 'اختر تفاعلاً لإرسال إجابتك. يمكنك كتابة تعليق أولاً.',
    pickScore: 'اختر رقماً لإرسال إجابتك. يمكنك كتابة تعليق أولاً.',
    pressToConfirm: 'اضغط «{reaction}» لإرسال إجابتك.',
    saving: 'جارٍ حفظ إجابتك…',
    confirmTitle: 'يرجى تأكيد إجابتك',
    confirmButton: 'تأكيد',
    commentLabel: 'هل لديك ما تضيفه؟ (اختياري)',
    commentHint: 'حتى 2000 حرف. لا يراه إلا فريق {company}.',
    saveComment: 'حفظ التعليق',
    saved: 'شكراً لك! تم حفظ إجابتك.',
    savingComment: 'جارٍ حفظ تعليقك…',
    commentSaved: 'تم حفظ التعليق.',
    yourAnswer: 'إجابتك: {reaction}',
    changeUntil: 'يمكنك تغييرها حتى {date}.',
    changedMind: 'هل غيّرت رأيك؟',
    final: 'هذه الإجابة نهائية.',
    expiredTitle: 'انتهت صلاحية رابط الاستبيان',
    expiredBody: 'تبقى روابط الاستبيان مفتوحة لفترة محدودة. شكراً لرغبتك في الإجابة.',
    invalidTitle: 'تعذّر العثور على هذا الاستبيان',
    invalidBody: 'قد يكون الرابط ناقصاً. حاول فتحه مرة أخرى من البريد الإلكتروني.',
    closedTitle: 'لم يعد بالإمكان تغيير هذه الإجابة',
    forbiddenTitle: 'أُرسل هذا النموذج من موقع آخر',
    forbiddenBody: 'حفاظاً على أمانك، لا تُقبل الإجابات إلا من هذه الصفحة. افتح رابط الاستبيان مرة أخرى.',
    rateLimitedTitle: 'إجابات كثيرة جداً من شبكتك',
    rateLimitedBody: 'تلقّينا إجابات كثيرة من اتصالك خلال وقت قصير. يرجى الانتظار دقيقة، ثم افتح رابط الاستبيان مرة أخرى.',
    badRequest: 'يرجى اختيار أحد التفاعلات الثلاثة.',
    badScore: 'يرجى اختيار رقم من {min} إلى {max}.',
    badDimensions: 'يرجى الاختيار من بين الإجابات المعروضة فقط عن «ما الأهم بالنسبة لك؟».',
    scaleHint: '{min} تعني «{low}»، و{max} تعني «{high}».',
    commentTooLong: 'تعليقك أطول من 2000 حرف. يرجى اختصاره.',
    emailIntro: 'نقرة واحدة تسجّل إجابتك، ويمكنك إضافة تعليق في الصفحة التالية.',
    emailFooter: 'التذكرة {ticket} · {company}',
    poweredBy: 'استبيان رضا العملاء',
    logEntry: 'تفاعلك هو المدخل رقم {index} في السجل العام لـ {company}.',
    logEntryAnswer: 'إجابتك هي المدخل رقم {index} في السجل العام لـ {company}.',
    logEntryLink: 'عرض الإثبات',
  },
};

export const REACTION_EMOJI: Record<Reaction, string> = { positive: '😀', neutral: '😐', negative: '😞' };

/** Fills `{name}` placeholders; values are inserted as they are (escaping is the renderer's job). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}

/** How the change deadline reads; the page script formats it the same way in the visitor's time zone. */
export const DEADLINE_FORMAT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

/** The deadline in UTC: the server cannot know the respondent's time zone, and the text says which zone it is. */
export function formatDate(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { ...DEADLINE_FORMAT, timeZone: 'UTC' }).format(ms);
}

/** The public receipt page of one log entry (api/pages/receipt-page.ts) and its browser check. */
export interface ReceiptMessages {
  title: string;
  reaction: string;
  day: string;
  kind: string;
  kindFirst: string;
  kindChange: string;
  survey: string;
  noScript: string;
  checking: string;
  /** `{index}`, `{size}`, `{key}`. */
  checked: string;
  /** `{reason}`. */
  failed: string;
  raw: string;
  rawEntry: string;
  rawProof: string;
  rawCheckpoint: string;
  rawKey: string;
  notFoundTitle: string;
  notFoundBody: string;
  badIndexTitle: string;
  badIndexBody: string;
}

export const RECEIPT_MESSAGES: Record<Locale, ReceiptMessages> = {
  en: {
    title: 'Entry #{index} of {company}’s public log',
    reaction: 'Reaction',
    day: 'Day (UTC)',
    kind: 'Kind',
    kindFirst: 'first answer',
    kindChange: 'changed answer',
    survey: 'Survey (opaque id)',
    noScript: 'With JavaScript on, your browser checks this entry against the signed log by itself. Without it, the raw proof is below.',
    checking: 'Checking the proof in your browser…',
    checked: 'Checked in your browser: entry #{index} is in the log of size {size}, whose checkpoint is signed by {key}.',
    failed: 'The check failed: {reason}',
    raw: 'The raw proof',
    rawEntry: 'The entry (JSON)',
    rawProof: 'Its inclusion proof in the log of size {size} (JSON)',
    rawCheckpoint: 'The signed checkpoint',
    rawKey: 'The log’s public key (JSON)',
    notFoundTitle: 'No such log entry',
    notFoundBody: 'This log has no entry with that number (yet).',
    badIndexTitle: 'This is not an entry number',
    badIndexBody: 'An entry number is a whole number, from 0.',
  },
  fr: {
    title: 'Entrée n° {index} du journal public de {company}',
    reaction: 'Réaction',
    day: 'Jour (UTC)',
    kind: 'Nature',
    kindFirst: 'première réponse',
    kindChange: 'réponse modifiée',
    survey: 'Questionnaire (identifiant opaque)',
    noScript: 'Avec JavaScript, votre navigateur vérifie lui-même cette entrée dans le journal signé. Sans JavaScript, la preuve brute est ci-dessous.',
    checking: 'Vérification de la preuve dans votre navigateur…',
    checked: 'Vérifié dans votre navigateur : l’entrée n° {index} figure dans le journal de taille {size}, dont le point de contrôle est signé par {key}.',
    failed: 'La vérification a échoué : {reason}',
    raw: 'La preuve brute',
    rawEntry: 'L’entrée (JSON)',
    rawProof: 'Sa preuve d’inclusion dans le journal de taille {size} (JSON)',
    rawCheckpoint: 'Le point de contrôle signé',
    rawKey: 'La clé publique du journal (JSON)',
    notFoundTitle: 'Entrée introuvable',
    notFoundBody: 'Ce journal n’a pas (encore) d’entrée portant ce numéro.',
    badIndexTitle: 'Ce n’est pas un numéro d’entrée',
    badIndexBody: 'Un numéro d’entrée est un nombre entier, à partir de 0.',
  },
  ar: {
    title: 'المدخل رقم {index} في السجل العام لـ {company}',
    reaction: 'التفاعل',
    day: 'اليوم (UTC)',
    kind: 'النوع',
    kindFirst: 'إجابة أولى',
    kindChange: 'إجابة معدّلة',
    survey: 'الاستبيان (معرّف مُعمّى)',
    noScript: 'عند تفعيل JavaScript يتحقق متصفحك بنفسه من هذا المدخل في السجل الموقّع. ومن دونه، تجد الإثبات الخام أدناه.',
    checking: 'جارٍ التحقق من الإثبات في متصفحك…',
    checked: 'تم التحقق في متصفحك: المدخل رقم {index} موجود في السجل ذي الحجم {size}، ونقطة التحقق الخاصة به موقّعة بالمفتاح {key}.',
    failed: 'فشل التحقق: {reason}',
    raw: 'الإثبات الخام',
    rawEntry: 'المدخل (JSON)',
    rawProof: 'إثبات إدراجه في السجل ذي الحجم {size} (JSON)',
    rawCheckpoint: 'نقطة التحقق الموقّعة',
    rawKey: 'المفتاح العام للسجل (JSON)',
    notFoundTitle: 'لا يوجد مدخل بهذا الرقم',
    notFoundBody: 'لا يحتوي هذا السجل على مدخل بهذا الرقم (بعد).',
    badIndexTitle: 'هذا ليس رقم مدخل',
    badIndexBody: 'رقم المدخل عدد صحيح يبدأ من 0.',
  },
};
