// What a new survey is issued as, decided once for every store: its contact address (compared in lower
// case, so throttling and erasure find every survey of a person), its kind and scale, and its moment.
import type { KindScale } from './kinds.js';
import { DEFAULT_MOMENT } from './moments.js';
import type { NewSurvey, Site } from '../store/types.js';

/** The contact address as stored and compared: lower case; null without one. */
export function surveyContact(contactEmail: string | null | undefined): string | null {
  return contactEmail?.toLowerCase() ?? null;
}

/** Survey fatigue is checked only for a survey with an address, and only when the caller asks. */
export function throttleSince(input: Pick<NewSurvey, 'contactEmail' | 'throttleSince'>): number | null {
  return surveyContact(input.contactEmail) && input.throttleSince !== undefined ? input.throttleSince : null;
}

/** A survey's kind is fixed when it is issued: a campaign may ask NPS on a site whose tickets get
 * reactions. Only a CSAT survey has a scale (the campaign's, else the site's). */
export function newSurveyKind(input: Pick<NewSurvey, 'kind' | 'scale'>, site: Pick<Site, 'kind' | 'scale'>): KindScale {
  const kind = input.kind ?? site.kind;
  return { kind, scale: kind === 'csat' ? (input.scale ?? site.scale ?? null) : null };
}

export function newSurveyMoment(input: Pick<NewSurvey, 'moment'>): string {
  return input.moment ?? DEFAULT_MOMENT;
}
