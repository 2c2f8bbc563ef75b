// How the operators' pages (the admin page and the wall) write an answer and a score of each survey
// kind: a reaction by its word ("Good"), a CSAT answer on its scale ("4 out of 5"), an NPS answer as
// "NPS 6", each with its class ("satisfied", "detractor"); a score as "98/100", "CSAT 92%" or "NPS 75".
// Every word comes from the one vocabulary and the domain's class names.
import type { Dimension } from '../api/domain/dimensions.js';
import { CLASS_NAMES, type AnswerClass, type SurveyKind } from '../api/domain/kinds.js';
import { momentLabel, VOCABULARY } from '../api/domain/vocabulary.js';

export type { Dimension } from '../api/domain/dimensions.js';
export type { AnswerClass, SurveyKind } from '../api/domain/kinds.js';

/** The operators' pages speak English. */
export const WORDS = VOCABULARY.en;

/** An answer as the API sends it: its class (`reaction`), and for CSAT and NPS its value (`score`). */
export interface AnswerJson {
  reaction: AnswerClass;
  kind?: SurveyKind;
  scale?: number | null;
  score?: number | null;
}

/** "Good"; "4 out of 5"; "NPS 6". */
export function answerText(a: AnswerJson): string {
  const kind = a.kind ?? 'reaction';
  if (kind === 'reaction' || a.score === null || a.score === undefined) return WORDS.reaction[a.reaction];
  if (kind === 'nps') return `NPS ${a.score}`;
  return WORDS.valueOf.replace('{value}', String(a.score)).replace('{max}', String(a.scale ?? 5));
}

/** The class beside a numbered answer ("satisfied", "detractor"); null for reactions, whose word is
 * their class. */
export function classWord(a: AnswerJson): string | null {
  const kind = a.kind ?? 'reaction';
  return kind === 'reaction' ? null : CLASS_NAMES[kind][a.reaction];
}

/** The three classes of a kind as breakdowns name them: Good/Okay/Bad, Satisfied/Neutral/Dissatisfied,
 * Promoters/Passives/Detractors. */
export const classesOf = (kind: SurveyKind | undefined) => WORDS.classes[kind ?? 'reaction'];

/** A score in its kind's own terms: "98/100", "CSAT 92%", "NPS 75"; null when there are no answers. */
export function scoreText(kind: SurveyKind | undefined, score: number | null): string | null {
  if (score === null) return null;
  if (kind === 'nps') return `NPS ${score}`;
  if (kind === 'csat') return `CSAT ${score}%`;
  return `${score}/100`;
}

/** The short name of a dimension ("Responsiveness"), the part of its vocabulary entry before the colon. */
export const dimensionName = (d: Dimension) => WORDS.dimensions[d].split(':')[0]!;

/** A moment's label: built-in ones in words ("Closed ticket"), a site's own as named. */
export const momentName = (moment: string) => momentLabel(moment, 'en');
