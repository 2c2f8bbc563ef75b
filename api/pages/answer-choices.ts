// The answers a survey of one kind offers, as the survey page and the email show them: the form field
// and value a choice posts, the link's `?r=` value, and the words, all taken from the one vocabulary.
import { answerValues, classOf, REACTION_VALUE, reactionOfValue, type AnswerClass, type KindScale } from '../domain/kinds.js';
import type { Locale } from '../domain/locale.js';
import { isReaction, REACTIONS, type Reaction } from '../domain/reaction.js';
import { VOCABULARY } from '../domain/vocabulary.js';
import { fill, REACTION_EMOJI } from './messages.js';

export interface Choice {
  /** The stored value (reactions: 1, 0, -1). */
  value: number;
  /** The form field that carries it: reaction surveys post `reaction`, numbered scales `score`. */
  field: 'reaction' | 'score';
  /** What the form field and the link's `?r=` hold: `positive`, or `4`. */
  param: string;
  class: AnswerClass;
  /** The short text on the button: "😀 Good", or "4". */
  text: string;
  /** How it is read out and written in text-only email: "😀 Good", or "4 out of 5". */
  name: string;
  /** The scale's end label on its lowest and highest value ("Very satisfied"), else null. */
  end: string | null;
}

/** The highest value of a numbered scale ("4 out of 5", "7 out of 10"). */
const maxOf = ({ kind, scale }: KindScale) => (kind === 'nps' ? 10 : (scale ?? 5));

/** Every choice in display order: reactions as the page always showed them (positive first), numbered
 * scales lowest first. */
export function choicesOf(ks: KindScale, locale: Locale): Choice[] {
  const v = VOCABULARY[locale];
  if (ks.kind === 'reaction') {
    return REACTIONS.map((r) => {
      const text = `${REACTION_EMOJI[r]} ${v.reaction[r]}`;
      return { value: REACTION_VALUE[r], field: 'reaction', param: r, class: r, text, name: text, end: null };
    });
  }
  const values = answerValues(ks);
  const [low, high] = v.scaleEnds[ks.kind];
  const max = maxOf(ks);
  return values.map((value, i) => ({
    value,
    field: 'score',
    param: String(value),
    class: classOf(ks, value),
    text: String(value),
    name: fill(v.valueOf, { value: String(value), max: String(max) }),
    end: i === 0 ? low : i === values.length - 1 ? high : null,
  }));
}

/** The choice holding `value`, if the kind has one. */
export function choiceOf(ks: KindScale, locale: Locale, value: number): Choice | null {
  return choicesOf(ks, locale).find((c) => c.value === value) ?? null;
}

/** The value a link's `?r=` names (`positive` on reaction surveys, `4` on numbered ones), or null. */
export function valueFromParam(ks: KindScale, param: string | undefined): number | null {
  if (param === undefined) return null;
  if (ks.kind === 'reaction') return isReaction(param) ? REACTION_VALUE[param] : null;
  // Only the canonical spelling ("9", not "09" or "9.0"): one link per value.
  if (!/^(0|[1-9]\d?)$/.test(param)) return null;
  const value = Number(param);
  return answerValues(ks).includes(value) ? value : null;
}

/** The scanner rules (api/domain/scanner.ts) count opens per class: a scanner opening every number of
 * a scale opens links of different classes within moments, as with the three reactions. */
export function linkClassOf(ks: KindScale, value: number): Reaction {
  return ks.kind === 'reaction' ? reactionOfValue(value) : classOf(ks, value);
}

/** The lowest and highest value of the scale, for "choose a number from 1 to 5". */
export function rangeOf(ks: KindScale): { min: number; max: number } {
  const values = answerValues(ks);
  return { min: values[0]!, max: values[values.length - 1]! };
}
