import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DEFAULT_WINDOW_DAYS,
  MAX_WINDOW_DAYS,
  dayOf,
  inWindow,
  isoDay,
  rollingWindow,
} from '../../../api/domain/window.js';

const at = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test date ${iso}`);
  return ms;
};

describe('constants', () => {
  it('a day is 86,400,000 ms, the default window is 90 days and the maximum 730', () => {
    expect(DAY_MS).toBe(24 * 60 * 60 * 1000);
    expect(DEFAULT_WINDOW_DAYS).toBe(90);
    expect(MAX_WINDOW_DAYS).toBe(730);
  });
});

describe('isoDay / dayOf', () => {
  it('formats UTC day numbers as YYYY-MM-DD', () => {
    expect(isoDay(0)).toBe('1970-01-01');
    expect(isoDay(1)).toBe('1970-01-02');
    expect(isoDay(-1)).toBe('1969-12-31');
    expect(isoDay(Date.UTC(2024, 1, 29) / DAY_MS)).toBe('2024-02-29');
    expect(isoDay(Date.UTC(2026, 10, 22) / DAY_MS)).toBe('2026-11-22');
  });

  it('dayOf counts whole UTC days since 1970-01-01, flooring (also before 1970)', () => {
    expect(dayOf(0)).toBe(0);
    expect(dayOf(DAY_MS - 1)).toBe(0);
    expect(dayOf(DAY_MS)).toBe(1);
    expect(dayOf(-1)).toBe(-1);
    expect(dayOf(at('2026-11-22T00:00:00.000Z'))).toBe(20_779);
    expect(dayOf(at('2026-11-22T23:59:59.999Z'))).toBe(20_779);
    expect(dayOf(at('2026-11-23T00:00:00.000Z'))).toBe(20_780);
  });

  it('isoDay(dayOf(t)) is the UTC date of t, for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const d = new Date(ms);
        const expected = `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
        expect(isoDay(dayOf(ms))).toBe(expected);
      }),
    );
  });
});

describe('rollingWindow', () => {
  // 01:30 on the 23rd in UTC+2 is still 23:30 on the 22nd in UTC.
  const now = at('2026-11-23T01:30:00+02:00');

  it('covers the UTC day of now and the 89 days before it', () => {
    const w = rollingWindow(now, 90);
    expect(w.days).toBe(90);
    expect(isoDay(w.toDay)).toBe('2026-11-22');
    expect(isoDay(w.fromDay)).toBe('2026-08-25');
    expect(w.toDay - w.fromDay + 1).toBe(90);
  });

  it('includes every day of the window and no day outside it', () => {
    const w = rollingWindow(now, 90);
    const first = at('2026-08-25T12:00:00Z');
    let inside = 0;
    for (let i = -5; i < 95; i++) {
      if (inWindow(w, first + i * DAY_MS)) inside++;
      expect(inWindow(w, first + i * DAY_MS)).toBe(i >= 0 && i < 90);
    }
    expect(inside).toBe(90);
  });

  it('includes 00:00:00.000Z of the first day, excludes the millisecond before', () => {
    const w = rollingWindow(now, 90);
    expect(inWindow(w, at('2026-08-25T00:00:00.000Z'))).toBe(true);
    expect(inWindow(w, at('2026-08-24T23:59:59.999Z'))).toBe(false);
  });

  it('includes 23:59:59.999Z of the last day, excludes the next millisecond while now is still on that day', () => {
    const w = rollingWindow(now, 90);
    expect(inWindow(w, at('2026-11-22T23:59:59.999Z'))).toBe(true);
    expect(inWindow(w, at('2026-11-23T00:00:00.000Z'))).toBe(false);
  });

  it('uses UTC days, not the local date of an offset timestamp', () => {
    const w = rollingWindow(now, 90);
    // Local 23rd in UTC+2 but 22nd in UTC: in.
    expect(inWindow(w, at('2026-11-23T00:30:00+02:00'))).toBe(true);
    // Local 23rd 02:00 in UTC+2 is 00:00 on the 23rd UTC: out.
    expect(inWindow(w, at('2026-11-23T02:00:00+02:00'))).toBe(false);
    // Local 24th August 20:00 in UTC-5 is already 01:00 on the 25th UTC: in.
    expect(inWindow(w, at('2026-08-24T20:00:00-05:00'))).toBe(true);
    // Local 25th August 01:00 in UTC+3 is still the 24th UTC: out.
    expect(inWindow(w, at('2026-08-25T01:00:00+03:00'))).toBe(false);
  });

  describe('independent of the process time zone', () => {
    const originalTz = process.env.TZ;
    afterEach(() => {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
    });

    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata', 'UTC']) {
      it(`gives the same window and membership with TZ=${tz}`, () => {
        process.env.TZ = tz;
        if (tz !== 'UTC') {
          // Make sure the zone change actually took effect, otherwise this test would prove nothing.
          expect(new Date(now).getTimezoneOffset()).not.toBe(0);
        }
        const w = rollingWindow(now, 90);
        expect(isoDay(w.toDay)).toBe('2026-11-22');
        expect(isoDay(w.fromDay)).toBe('2026-08-25');
        expect(dayOf(now)).toBe(20_779);
        expect(inWindow(w, at('2026-08-25T00:00:00.000Z'))).toBe(true);
        expect(inWindow(w, at('2026-08-24T23:59:59.999Z'))).toBe(false);
        expect(inWindow(w, at('2026-11-22T23:59:59.999Z'))).toBe(true);
        expect(inWindow(w, at('2026-11-23T00:00:00.000Z'))).toBe(false);
      });
    }
  });

  it('a one-day window is exactly the UTC day of now', () => {
    const w = rollingWindow(now, 1);
    expect(w.fromDay).toBe(w.toDay);
    expect(inWindow(w, at('2026-11-22T00:00:00.000Z'))).toBe(true);
    expect(inWindow(w, at('2026-11-21T23:59:59.999Z'))).toBe(false);
    expect(inWindow(w, at('2026-11-23T00:00:00.000Z'))).toBe(false);
  });

  it('accepts the maximum of 730 days', () => {
    const w = rollingWindow(now, 730);
    expect(w.toDay - w.fromDay + 1).toBe(730);
  });

  it.each([0, -1, 1.5, 731, Number.NaN, Number.POSITIVE_INFINITY])('rejects a window of %s days with RangeError', (days) => {
    expect(() => rollingWindow(now, days)).toThrow(RangeError);
  });

  it('property: an instant is in the window iff its UTC midnight lies within days-1 days before now’s UTC midnight', () => {
    const lo = Date.UTC(2000, 0, 1);
    const hi = Date.UTC(2100, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: lo, max: hi }),
        fc.integer({ min: 1, max: 730 }),
        fc.integer({ min: -800 * DAY_MS, max: 2 * DAY_MS }),
        (nowMs, days, offset) => {
          const t = nowMs + offset;
          const utcMidnight = (ms: number) => {
            const d = new Date(ms);
            return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
          };
          const daysBack = Math.round((utcMidnight(nowMs) - utcMidnight(t)) / DAY_MS);
          const expected = daysBack >= 0 && daysBack < days;
          expect(inWindow(rollingWindow(nowMs, days), t)).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
