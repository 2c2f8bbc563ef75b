import { describe, expect, it } from 'vitest';
import { planFollowUpChange } from '../../../api/domain/follow-up.js';

describe('planFollowUpChange', () => {
  it('moves forward, refuses a move the state machine lacks, and treats the current state as no move', () => {
    expect(planFollowUpChange('open', { to: 'contacted' })).toEqual({ status: 'ok', move: 'contacted', noteFollowUp: 'contacted' });
    expect(planFollowUpChange('resolved', { to: 'contacted' })).toEqual({ status: 'illegal', from: 'resolved', to: 'contacted' });
    expect(planFollowUpChange('open', { to: 'none' })).toEqual({ status: 'illegal', from: 'open', to: 'none' });
    expect(planFollowUpChange('open', { to: 'open' })).toEqual({ status: 'ok', move: null, noteFollowUp: 'open' });
    expect(planFollowUpChange('open', {})).toEqual({ status: 'ok', move: null, noteFollowUp: null });
  });
});
