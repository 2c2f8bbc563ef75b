// The words of each kind, class, dimension and moment in every respondent language: the one source the
// survey page, the email, the widget's language packs, the wall and the admin page read.
import type { Dimension } from './dimensions.js';
import type { AnswerClass, SurveyKind } from './kinds.js';
import type { Locale } from './locale.js';
import type { Reaction } from './reaction.js';

export interface Vocabulary {
  /** The three reactions as buttons. */
  reaction: Record<Reaction, string>;
  /** The classes of each kind, plural, as breakdowns and reports name them. */
  classes: Record<SurveyKind, Record<AnswerClass, string>>;
  /** The question of each kind. */
  question: Record<SurveyKind, string>;
  /** The ends of a numbered scale, lowest first (CSAT and NPS). */
  scaleEnds: Record<'csat' | 'nps', [string, string]>;
  /** "4 out of 5": how a numbered answer is read aloud and in text-only email. */
  valueOf: string;
  /** The follow-up prompt after an answer, by class (NPS asks what would make it a 10). */
  followUp: Record<SurveyKind, Record<AnswerClass, string>>;
  dimensionsQuestion: string;
  dimensions: Record<Dimension, string>;
  /** Built-in moments, and `relationship`, the default of relationship campaigns. */
  moments: Record<'ticket-closed' | 'onboarding' | 'maintenance' | 'project' | 'relationship', string>;
}

export const VOCABULARY: Record<Locale, Vocabulary> = {
  en: {
    reaction: { positive: 'Good', neutral: 'Okay', negative: 'Bad' },
    classes: {
      reaction: { positive: 'Good', neutral: 'Okay', negative: 'Bad' },
      csat: { positive: 'Satisfied', neutral: 'Neutral', negative: 'Dissatisfied' },
      nps: { positive: 'Promoters', neutral: 'Passives', negative: 'Detractors' },
    },
    question: {
      reaction: 'How did we do on this request?',
      csat: 'How satisfied are you with our service?',
      nps: 'How likely are you to recommend us to a friend or colleague?',
    },
    scaleEnds: { csat: ['Very dissatisfied', 'Very satisfied'], nps: ['Not at all likely', 'Extremely likely'] },
    valueOf: '{value} out of {max}',
    followUp: {
      reaction: { positive: 'What did we do well?', neutral: 'What could we have done better?', negative: 'What went wrong?' },
      csat: { positive: 'What did we do well?', neutral: 'What could we have done better?', negative: 'What went wrong?' },
      nps: { positive: 'What do you value most about working with us?', neutral: 'What would make it a 10?', negative: 'What should we improve first?' },
    },
    dimensionsQuestion: 'What mattered most? (optional, choose any)',
    dimensions: {
      reliability: 'Reliability: doing it right the first time',
      responsiveness: 'Responsiveness: quick and willing help',
      assurance: 'Assurance: knowledge and confidence',
      empathy: 'Empathy: understanding my situation',
      tangibles: 'Tangibles: tools, updates and paperwork',
    },
    moments: { 'ticket-closed': 'Closed ticket', onboarding: 'Onboarding', maintenance: 'Maintenance', project: 'Project', relationship: 'Relationship' },
  },
  fr: {
    reaction: { positive: 'Bien', neutral: 'Moyen', negative: 'Mal' },
    classes: {
      reaction: { positive: 'Bien', neutral: 'Moyen', negative: 'Mal' },
      csat: { positive: 'Satisfaits', neutral: 'Neutres', negative: 'Insatisfaits' },
      nps: { positive: 'Promoteurs', neutral: 'Passifs', negative: 'Détracteurs' },
    },
    question: {
      reaction: 'Comment avons-nous traité cette demande ?',
      csat: 'Êtes-vous satisfait de notre service ?',
      nps: 'Quelle est la probabilité que vous nous recommandiez à un ami ou à un collègue ?',
    },
    scaleEnds: { csat: ['Très insatisfait', 'Très satisfait'], nps: ['Pas du tout probable', 'Extrêmement probable'] },
    valueOf: '{value} sur {max}',
    followUp: {
      reaction: { positive: 'Qu’avons-nous bien fait ?', neutral: 'Qu’aurions-nous pu mieux faire ?', negative: 'Qu’est-ce qui n’a pas été ?' },
      csat: { positive: 'Qu’avons-nous bien fait ?', neutral: 'Qu’aurions-nous pu mieux faire ?', negative: 'Qu’est-ce qui n’a pas été ?' },
      nps: { positive: 'Qu’appréciez-vous le plus dans notre collaboration ?', neutral: 'Que faudrait-il pour mériter un 10 ?', negative: 'Que devrions-nous améliorer en premier ?' },
    },
    dimensionsQuestion: 'Qu’est-ce qui a compté le plus ? (facultatif, plusieurs choix)',
    dimensions: {
      reliability: 'Fiabilité : bien faire du premier coup',
      responsiveness: 'Réactivité : une aide rapide et volontaire',
      assurance: 'Assurance : compétence et confiance',
      empathy: 'Empathie : comprendre ma situation',
      tangibles: 'Éléments tangibles : outils, suivi et documents',
    },
    moments: { 'ticket-closed': 'Ticket clos', onboarding: 'Mise en service', maintenance: 'Maintenance', project: 'Projet', relationship: 'Relation client' },
  },
  ar: {
    reaction: { positive: 'جيد', neutral: 'مقبول', negative: 'سيئ' },
    classes: {
      reaction: { positive: 'جيد', neutral: 'مقبول', negative: 'سيئ' },
      csat: { positive: 'راضون', neutral: 'محايدون', negative: 'غير راضين' },
      nps: { positive: 'المروّجون', neutral: 'المحايدون', negative: 'المنتقدون' },
    },
    question: {
      reaction: 'كيف كان أداؤنا في هذا الطلب؟',
      csat: 'ما مدى رضاك عن خدمتنا؟',
      nps: 'ما مدى احتمال أن توصي بنا لصديق أو زميل؟',
    },
    scaleEnds: { csat: ['غير راضٍ إطلاقًا', 'راضٍ جدًا'], nps: ['غير محتمل إطلاقًا', 'محتمل جدًا'] },
    valueOf: '{value} من {max}',
    followUp: {
      reaction: { positive: 'ما الذي أحسنّا فعله؟', neutral: 'ما الذي كان بإمكاننا فعله بشكل أفضل؟', negative: 'ما الذي لم يسر على ما يرام؟' },
      csat: { positive: 'ما الذي أحسنّا فعله؟', neutral: 'ما الذي كان بإمكاننا فعله بشكل أفضل؟', negative: 'ما الذي لم يسر على ما يرام؟' },
      nps: { positive: 'ما أكثر ما تقدّره في العمل معنا؟', neutral: 'ما الذي يجعل تقييمك 10؟', negative: 'ما أول ما يجب أن نحسّنه؟' },
    },
    dimensionsQuestion: 'ما الأهم بالنسبة لك؟ (اختياري، يمكنك اختيار أكثر من إجابة)',
    dimensions: {
      reliability: 'الموثوقية: إنجاز العمل بشكل صحيح من أول مرة',
      responsiveness: 'الاستجابة: مساعدة سريعة وبرغبة',
      assurance: 'الثقة: المعرفة والكفاءة',
      empathy: 'التعاطف: فهم وضعي',
      tangibles: 'الجوانب الملموسة: الأدوات والتحديثات والوثائق',
    },
    moments: { 'ticket-closed': 'تذكرة مغلقة', onboarding: 'الإعداد الأولي', maintenance: 'الصيانة', project: 'مشروع', relationship: 'العلاقة مع العميل' },
  },
};

/** The label of a moment: built-in ones translated, a site's own name as it was given. */
export function momentLabel(moment: string, locale: Locale): string {
  return (VOCABULARY[locale].moments as Record<string, string>)[moment] ?? moment;
}
