// The pure parts: the schedule after a run, the throttle's reference time, the contact list parser.
import { describe, expect, it } from 'vitest';
import { campaignTicketRef, nextRunAfter, throttleSince } from '../../../api/campaigns/schedule.js';
import { parseContactsCsv } from '../../../api/campaigns/contacts.js';
import { DAY_MS } from '../../../api/domain/window.js';

const START = Date.parse('2026-01-05T09:00:00Z');

describe('nextRunAfter', () => {
  it('is the start until it has passed, then the next multiple of the period after now', () => {
    expect(nextRunAfter({ startsAt: START, everyDays: 90 }, START - 1)).toBe(START);
    expect(nextRunAfter({ startsAt: START, everyDays: 90 }, START)).toBe(START + 90 * DAY_MS);
    expect(nextRunAfter({ startsAt: START, everyDays: 90 }, START + 90 * DAY_MS + 5)).toBe(START + 180 * DAY_MS);
    // Down for 200 days: one run now, the next on the schedule, not three runs in a row.
    expect(nextRunAfter({ startsAt: START, everyDays: 90 }, START + 200 * DAY_MS)).toBe(START + 270 * DAY_MS);
    expect(nextRunAfter({ startsAt: START, everyDays: null }, START)).toBeNull();
  });
});

describe('throttleSince', () => {
  it('is off at 0 days and otherwise the throttle back from now, less a day of tolerance', () => {
    expect(throttleSince(0, START)).toBeUndefined();
    expect(throttleSince(90, START)).toBe(START - 89 * DAY_MS);
    expect(throttleSince(1, START)).toBe(START - DAY_MS / 2);
  });
});

describe('parseContactsCsv', () => {
  it('reads email,name,locale in any column order and lower-cases addresses', () => {
    expect(parseContactsCsv('locale,email\nfr,Ana@X.example\n,bo@y.example')).toEqual({
      ok: true,
      contacts: [
        { email: 'ana@x.example', name: null, locale: 'fr' },
        { email: 'bo@y.example', name: null, locale: null },
      ],
    });
  });

  it('reports every bad line', () => {
    const result = parseContactsCsv('email,locale\nnope,en\nb@y.example,xx\nb@y.example,en');
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 2, message: expect.stringMatching(/^email: /) },
        { line: 3, message: expect.stringMatching(/^locale: /) },
      ],
    });
    expect(parseContactsCsv('email\nb@y.example\nB@y.example')).toEqual({ ok: false, problems: [{ line: 3, message: 'b@y.example is already on line 2' }] });
    expect(parseContactsCsv('')).toMatchObject({ ok: false });
  });

  it('numbers tickets by campaign, run and contact, never by address', () => {
    expect(campaignTicketRef('cp_abc', 3, 17)).toBe('cp_abc/3/17');
  });
});
