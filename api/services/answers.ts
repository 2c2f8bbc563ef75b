// The respondent's answer as one piece of logic shared by the JSON API and the survey page: find the
// survey a token names, and record a first answer or a change under the expiry and change-window rules.
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import type { Reaction } from '../domain/reaction.js';
import { classOf, isAnswerValue, REACTION_VALUE, type SurveyKind } from '../domain/kinds.js';
import type { Dimension } from '../domain/dimensions.js';
import { answerDisposition, recordOpen, type LinkKind } from '../domain/scanner.js';
import { verifySurveyToken } from '../domain/tokens.js';
import { DAY_MS } from '../domain/window.js';
import type { ScoreHub } from '../live/score-hub.js';
import type { HeldAnswer } from '../store/types-held.js';
import type { Site, Store, StoredResponse, Survey } from '../store/types.js';

export interface SurveyContext {
  site: Site;
  survey: Survey;
  response: StoredResponse | null;
  /** Until when the current answer may be changed; null before the first answer. */
  changeableUntil: number | null;
  /** Whether a POST now would be accepted (a first answer before expiry, or a change in the window). */
  open: boolean;
  expired: boolean;
  /** An answer auto-sent while the survey was marked as scanned, waiting for a person's click; not counted. */
  held: HeldAnswer | null;
}

/** A respondent's answer: a reaction for reaction surveys, a value on the scale for CSAT and NPS. */
export type AnswerInput = { reaction: Reaction } | { value: number };

/** The answer as a value of the survey's kind, or null when it does not fit that kind. */
export function answerValue(kind: SurveyKind, scale: number | null, answer: AnswerInput): number | null {
  if ('reaction' in answer) return kind === 'reaction' ? REACTION_VALUE[answer.reaction] : null;
  return kind !== 'reaction' && isAnswerValue({ kind, scale }, answer.value) ? answer.value : null;
}

export type AnswerOutcome =
  | { kind: 'invalid' }
  | { kind: 'invalid_answer'; context: SurveyContext }
  | { kind: 'expired'; context: SurveyContext }
  | { kind: 'closed'; context: SurveyContext }
  | { kind: 'saved'; created: boolean; context: SurveyContext }
  | { kind: 'held'; context: SurveyContext };

export function answers(deps: { store: Store; clock: Clock; config: AppConfig; hub: ScoreHub }) {
  const { store, clock, config, hub } = deps;

  const context = (site: Site, survey: Survey, response: StoredResponse | null, now: number, held: HeldAnswer | null): SurveyContext => {
    // Fixed at the first answer (older rows without it: the site's setting, as before).
    const changeableUntil = response ? (response.changeableUntil ?? response.createdAt + site.changeWindowDays * DAY_MS) : null;
    const expired = now >= survey.expiresAt;
    // An expired link still lets its respondent change an answer inside the change window; it only
    // stops a first answer.
    const open = response ? now < changeableUntil! : !expired;
    return { site, survey, response, changeableUntil, open, expired, held };
  };

  /** The survey a token names with its current answer, or null for anything unknown or forged. */
  async function lookup(token: string): Promise<SurveyContext | null> {
    const tokenId = verifySurveyToken(config.tokenSecret, token);
    const survey = tokenId && (await store.getSurveyByTokenId(tokenId));
    const site = survey && (await store.getSiteById(survey.siteId));
    if (!survey || !site) return null;
    return context(site, survey, await store.getResponseForSurvey(survey.id), clock.now(), await store.getHeldAnswer(survey.id));
  }

  /** Notes that a link of the survey was opened (a GET or HEAD: never a reaction), for telling scanners
   * from people. A failure here must not cost the person their page. */
  async function openLink(found: SurveyContext, kind: LinkKind): Promise<void> {
    await store.recordLinkOpen(found.survey.id, kind, clock.now(), recordOpen).catch(() => {});
  }

  /**
   * `comment`: undefined keeps the current comment, null clears it. `auto`: sent by the page itself
   * (the pause after a link), with no interaction of a person; held instead of counted while the survey
   * is marked as scanned. `dimensions`: undefined keeps the current choice. A bare reaction stands for
   * `{ reaction }`.
   */
  async function submit(
    token: string,
    input: AnswerInput | Reaction,
    comment: string | null | undefined,
    options: { auto?: boolean; dimensions?: Dimension[] } = {},
  ): Promise<AnswerOutcome> {
    const found = await lookup(token);
    if (!found) return { kind: 'invalid' };
    const { site, survey } = found;
    const value = answerValue(survey.kind, survey.scale, typeof input === 'string' ? { reaction: input } : input);
    if (value === null) return { kind: 'invalid_answer', context: found };
    if (!found.response && found.expired) return { kind: 'expired', context: found };
    const now = clock.now();
    const reaction = classOf(survey, value);
    if (found.open && answerDisposition({ auto: options.auto === true, opens: await store.getLinkOpens(survey.id), now }) === 'hold') {
      const held = { surveyId: survey.id, reaction, value, comment: comment ?? null, at: now };
      await store.holdAnswer(held);
      return { kind: 'held', context: { ...found, held } };
    }
    const submission = { survey, value, comment, dimensions: options.dimensions, changeWindowMs: site.changeWindowDays * DAY_MS };
    const outcome = await store.submitResponse(submission, now);
    if (outcome.status === 'window_closed') return { kind: 'closed', context: context(site, survey, outcome.response, now, found.held) };
    // A counted answer supersedes whatever was held.
    if (found.held) await store.dropHeldAnswer(survey.id);
    const after = context(site, survey, outcome.response, now, null);
    void hub.publish(site).catch(() => {}); // a failed live push must not fail the answer
    return { kind: 'saved', created: outcome.status === 'created', context: after };
  }

  /** Where the current reaction sits in the site's public log (its latest event's entry), for the receipt. */
  async function logEntry(found: SurveyContext): Promise<{ site: string; index: number } | null> {
    if (!found.response) return null;
    const index = await store.logIndexOfResponse(found.site.id, found.response.id);
    return index === null ? null : { site: found.site.slug, index };
  }

  return { lookup, submit, openLink, logEntry };
}

export type Answers = ReturnType<typeof answers>;
