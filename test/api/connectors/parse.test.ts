// Every provider's parse() on the fixtures modelled on its documentation: the right ticket, team,
// technician, contact, company and language, closes and reopens told apart, other calls ignored.
import { describe, expect, it } from 'vitest';
import { localeOf } from '../../../api/connectors/language.js';
import { PROVIDER_NAMES, provider } from '../../../api/connectors/providers/index.js';
import type { ProviderName } from '../../../api/connectors/types.js';
import { fixture, fixtureNames, FIXTURE_SETTINGS } from './fixtures.js';

const settingsFor = (name: string) => ({ inboundSecret: 'x'.repeat(32), ...FIXTURE_SETTINGS[name] });

describe('fixtures', () => {
  it('exist for every provider and each names the page it follows', () => {
    const names = fixtureNames();
    for (const p of PROVIDER_NAMES) expect(names.some((n) => n.startsWith(`${p}.`))).toBe(true);
    for (const n of names) expect(fixture(n).follows.length).toBeGreaterThan(10);
  });
});

describe.each(fixtureNames())('%s', (name) => {
  const providerName = name.split('.')[0] as ProviderName;
  const f = fixture(name);
  const result = provider(providerName).parse(f.body, settingsFor(providerName) as never);

  it(f.expect ? `is a ${f.expect.kind} with the documented fields` : 'is ignored', () => {
    if (!f.expect) {
      expect(result.status).toBe('ignored');
      return;
    }
    expect(result.status).toBe('event');
    if (result.status !== 'event') return;
    const { event } = result;
    expect(event.kind).toBe(f.expect.kind);
    expect(event.ticketRef).toBe(f.expect.ticketRef);
    if (f.expect.kind === 'reopen') return;
    expect(event.team).toBe(f.expect.team);
    expect(event.technician).toBe(f.expect.technician);
    // Autotask's webhook names the contact by id only; the intake reads it from the API (tested there).
    if (providerName === 'autotask') expect(event.refs).toEqual({ contactId: '30684123' });
    else expect(event.contact).toEqual(f.expect.contact);
    expect(event.company).toBe(f.expect.company);
    expect(localeOf(event.language)).toBe(f.expect.locale);
  });
});

describe('hostile or odd payloads', () => {
  it.each(PROVIDER_NAMES)('%s: a non-object, an array or a deep junk body is invalid or ignored, never a throw', (name) => {
    for (const body of [null, 42, 'text', [], [1, 2], { ticket: { id: '../../etc' } }, { __proto__: { id: 1 } }]) {
      const r = provider(name).parse(body, settingsFor(name) as never);
      expect(['invalid', 'ignored']).toContain(r.status);
    }
  });

  it('leaves unrendered placeholders and bad emails out', () => {
    const r = provider('zendesk').parse(
      { ticket: { id: '7', status: 'Solved', group: '{{ticket.group.name}}', requester: { email: 'not-an-email', name: 'null' } } },
      settingsFor('zendesk') as never,
    );
    expect(r).toEqual({ status: 'event', event: { kind: 'close', ticketId: '7', ticketRef: '7' } });
  });

  it('the generic connector without a mapping says so', () => {
    expect(provider('generic').parse({ a: 1 }, { inboundSecret: 'x' } as never)).toMatchObject({ status: 'invalid' });
  });
});

describe('localeOf', () => {
  it.each([
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['French', 'fr'],
    ['Français', 'fr'],
    ['English (United States)', 'en'],
    ['ar', 'ar'],
    ['de', undefined],
    ['', undefined],
  ])('%s -> %s', (input, expected) => expect(localeOf(input)).toBe(expected));
});
