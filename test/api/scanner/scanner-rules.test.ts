// The pure rules that tell a mail scanner from a person (api/domain/scanner.ts).
import { describe, expect, it } from 'vitest';
import { answerDisposition, isScanned, LINK_BURST_MS, NO_OPENS, recordOpen, SCANNED_FOR_MS } from '../../../api/domain/scanner.js';

const T = 1_800_000_000_000;

describe('scanner rules', () => {
  it('one reaction link opened, even again and again, is a person: not scanned', () => {
    let s = recordOpen(NO_OPENS, 'positive', T);
    s = recordOpen(s, 'positive', T + 1_000);
    s = recordOpen(s, 'positive', T + 2_000);
    expect(s.scannedUntil).toBeNull();
    expect(isScanned(s, T + 2_000)).toBe(false);
  });

  it('two different reaction links within the burst window mark the survey scanned for SCANNED_FOR_MS', () => {
    let s = recordOpen(NO_OPENS, 'positive', T);
    s = recordOpen(s, 'negative', T + LINK_BURST_MS);
    expect(s.scannedUntil).toBe(T + LINK_BURST_MS + SCANNED_FOR_MS);
    expect(isScanned(s, T + LINK_BURST_MS + SCANNED_FOR_MS - 1)).toBe(true);
    expect(isScanned(s, T + LINK_BURST_MS + SCANNED_FOR_MS)).toBe(false);
  });

  it('two different links further apart than the burst window are a person changing their mind', () => {
    let s = recordOpen(NO_OPENS, 'positive', T);
    s = recordOpen(s, 'neutral', T + LINK_BURST_MS + 1);
    expect(isScanned(s, T + LINK_BURST_MS + 1)).toBe(false);
  });

  it('a trap hit alone marks the survey scanned', () => {
    const s = recordOpen(NO_OPENS, 'trap', T);
    expect(isScanned(s, T)).toBe(true);
    expect(isScanned(s, T + SCANNED_FOR_MS)).toBe(false);
  });

  it('a later single open never shortens or clears an earlier mark', () => {
    let s = recordOpen(NO_OPENS, 'positive', T);
    s = recordOpen(s, 'neutral', T + 10);
    const until = s.scannedUntil;
    s = recordOpen(s, 'positive', T + 5 * 60_000);
    expect(s.scannedUntil).toBe(until);
    expect(isScanned(s, T + 6 * 60_000)).toBe(true);
  });

  it('holds only an auto-sent answer while scanned; anything a person pressed counts', () => {
    const scanned = recordOpen(NO_OPENS, 'trap', T);
    expect(answerDisposition({ auto: true, opens: scanned, now: T + 1 })).toBe('hold');
    expect(answerDisposition({ auto: false, opens: scanned, now: T + 1 })).toBe('count');
    expect(answerDisposition({ auto: true, opens: NO_OPENS, now: T + 1 })).toBe('count');
    expect(answerDisposition({ auto: true, opens: scanned, now: T + SCANNED_FOR_MS })).toBe('count');
  });
});
