import { describe, expect, it } from 'vitest';
import { webhookBody, webhookResponse } from '../../../api/domain/webhook.js';
import { responseEventFields } from '../../../api/domain/response-event.js';

const response = {
  id: 'rs_1', ticketRef: 'T-1', reaction: 'negative' as const, kind: 'csat' as const, scale: 5, value: 2, moment: 'ticket-closed',
  dimensions: ['speed'], comment: 'slow', createdAt: 1000, updatedAt: 2000,
};

describe('webhookResponse', () => {
  it('sends the score of a CSAT answer with the survey team and the follow-up state', () => {
    const body = JSON.parse(webhookBody('response.created', 'acme', webhookResponse(response, { team: 'desk', technician: 'ana' }, 'open'), 3000));
    expect(body).toEqual({
      event: 'response.created', site: 'acme', occurredAt: new Date(3000).toISOString(),
      response: { id: 'rs_1', ticketRef: 'T-1', reaction: 'negative', kind: 'csat', scale: 5, score: 2, moment: 'ticket-closed',
        dimensions: ['speed'], comment: 'slow', team: 'desk', technician: 'ana', followUp: 'open',
        createdAt: new Date(1000).toISOString(), updatedAt: new Date(2000).toISOString() },
    });
  });

  it('sends no score for a reaction', () => {
    expect(webhookResponse({ ...response, kind: 'reaction', scale: null, value: -1 }, { team: null, technician: null }, 'open').score).toBeNull();
  });
});

describe('responseEventFields', () => {
  it('carries the value of CSAT and NPS answers only', () => {
    expect(responseEventFields('change', response)).toEqual({ type: 'change', response: 'rs_1', reaction: 'negative', value: 2, respondedAt: 1000 });
    expect(responseEventFields('submit', { ...response, kind: 'reaction', value: -1 })).toEqual({ type: 'submit', response: 'rs_1', reaction: 'negative', respondedAt: 1000 });
  });
});
