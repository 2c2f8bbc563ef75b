import { describe, expect, it } from 'vitest';
import { nextRunAtAfterStatus, numberContacts } from '../../../api/domain/campaign-contacts.js';

describe('campaign contact numbers', () => {
  it('numbers a first list from the next unused number, lower-casing addresses', () => {
    const result = numberContacts([], 1, [
      { email: 'Ann@Client.example', name: 'Ann', locale: 'en' },
      { email: 'bo@client.example', name: null, locale: null },
    ]);
    expect(result).toEqual({
      contacts: [
        { n: 1, email: 'ann@client.example', name: 'Ann', locale: 'en' },
        { n: 2, email: 'bo@client.example', name: null, locale: null },
      ],
      nextUnused: 3,
    });
  });

  it('keeps the number of an address still on the list and never reuses a removed one\'s', () => {
    const known = [{ n: 1, email: 'ann@client.example' }, { n: 2, email: 'bo@client.example' }];
    const result = numberContacts(known, 3, [
      { email: 'cy@client.example', name: null, locale: null },
      { email: 'BO@client.example', name: 'Bo', locale: 'fr' },
    ]);
    expect(result.contacts.map((c) => [c.n, c.email])).toEqual([[3, 'cy@client.example'], [2, 'bo@client.example']]);
    expect(result.nextUnused).toBe(4);
  });

  it('a stopped campaign keeps nothing scheduled; a paused one keeps its schedule', () => {
    expect(nextRunAtAfterStatus('stopped', 1000)).toBeNull();
    expect(nextRunAtAfterStatus('paused', 1000)).toBe(1000);
    expect(nextRunAtAfterStatus('active', null)).toBeNull();
  });
});
