import { describe, expect, it } from 'vitest';
import { mayBeSkippedAsOptedOut, optOutKey, outboxStep } from '../../../api/domain/survey-email.js';

describe('survey email rules', () => {
  it('keys the opt-out list by the address in any case, never the address itself', () => {
    expect(optOutKey(' Ann@Client.Example ')).toBe(optOutKey('ann@client.example'));
    expect(optOutKey('ann@client.example')).toMatch(/^[0-9a-f]{64}$/);
    expect(optOutKey('bo@client.example')).not.toBe(optOutKey('ann@client.example'));
  });

  it('skips only a new survey for an address, and only when asked', () => {
    expect(mayBeSkippedAsOptedOut({ isNew: true, contactEmail: 'ann@x.example', skipOptedOut: true })).toBe(true);
    expect(mayBeSkippedAsOptedOut({ isNew: false, contactEmail: 'ann@x.example', skipOptedOut: true })).toBe(false);
    expect(mayBeSkippedAsOptedOut({ isNew: true, contactEmail: 'ann@x.example', skipOptedOut: false })).toBe(false);
    expect(mayBeSkippedAsOptedOut({ isNew: true, contactEmail: null, skipOptedOut: true })).toBe(false);
    expect(mayBeSkippedAsOptedOut({ isNew: true, contactEmail: '', skipOptedOut: true })).toBe(false);
  });

  it('queues a new survey\'s email, requeues an existing one\'s, records a throttled one', () => {
    const base = { wantsEmail: true, created: true, throttled: false, contactEmail: 'ann@x.example' };
    expect(outboxStep(base)).toBe('queue');
    expect(outboxStep({ ...base, contactEmail: null })).toBe('none');
    expect(outboxStep({ ...base, created: false })).toBe('requeue_cancelled');
    expect(outboxStep({ ...base, created: false, throttled: true })).toBe('record_throttled');
    expect(outboxStep({ ...base, wantsEmail: false })).toBe('none');
    expect(outboxStep({ ...base, wantsEmail: false, throttled: true, created: false })).toBe('none');
  });
});
