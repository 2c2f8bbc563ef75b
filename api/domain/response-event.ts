// What a response's event in the hash chain says, decided once for every store: the store only adds
// the site, the sequence number, the time it writes it and the previous hash.
import type { ChainEventBody, EventType } from './chain.js';
import type { SurveyKind } from './kinds.js';
import type { Reaction } from './reaction.js';

export type ResponseEventFields = Pick<ChainEventBody, 'type' | 'response' | 'reaction' | 'value' | 'respondedAt'>;

/** The fields of `response`'s event. Reaction events carry no value, so they hash as they always did. */
export function responseEventFields(
  type: EventType,
  response: { id: string; reaction: Reaction; kind: SurveyKind; value: number; createdAt: number },
): ResponseEventFields {
  return {
    type,
    response: response.id,
    reaction: response.reaction,
    ...(response.kind === 'reaction' ? {} : { value: response.value }),
    respondedAt: response.createdAt,
  };
}
