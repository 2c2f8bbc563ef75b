// Public entries: exact bytes, strict parsing, and the score recomputed from them as an outsider does.
import { describe, expect, it } from 'vitest';
import { entryData, parseEntry, replayEntries, type LogEntry } from '../../../api/domain/log-entry.js';
import { reactionScore } from '../../../api/domain/score.js';

const e = (survey: string, reaction: LogEntry['reaction'], day: string, kind: LogEntry['kind'] = 'first', origin: LogEntry['origin'] = 'live'): LogEntry =>
  ({ v: 1, survey, reaction, day, origin, sealed: false, kind });

describe('log entries', () => {
  it('serialise to fixed bytes and parse back only from exactly those bytes', () => {
    const entry = e('abc', 'positive', '2026-11-23');
    const data = entryData(entry);
    expect(data).toBe('{"v":1,"survey":"abc","reaction":"positive","day":"2026-11-23","origin":"live","sealed":false,"kind":"first"}');
    expect(parseEntry(data)).toEqual(entry);
    expect(parseEntry(data.replace(':', ': '))).toBeNull();
    expect(parseEntry(data.replace('positive', 'great'))).toBeNull();
    expect(parseEntry(data.replace('"kind":"first"', '"kind":"first","comment":"x"'))).toBeNull();
    expect(parseEntry('not json')).toBeNull();
  });

  it('replay: the latest reaction of a survey counts on its first day, inside the window only', () => {
    const entries = [
      e('a', 'negative', '2026-11-20'),
      e('b', 'positive', '2026-11-21'),
      e('a', 'positive', '2026-11-20', 'change'),
      e('c', 'neutral', '2026-01-01', 'first', 'imported'),
      e('d', 'positive', '2026-10-01', 'first', 'imported'),
    ];
    const { counts, problems } = replayEntries(entries, '2026-08-26', '2026-11-23');
    expect(problems).toEqual([]);
    expect(counts).toEqual({ positive: 3, neutral: 0, negative: 0, imported: 1 });
    expect(reactionScore(counts).score).toBe(100);
  });

  it('replay names entries no honest log holds', () => {
    const { problems } = replayEntries(
      [e('a', 'positive', '2026-11-20'), e('a', 'negative', '2026-11-20'), e('b', 'neutral', '2026-11-20', 'change'), e('a', 'neutral', '2026-11-21', 'change')],
      '2026-01-01',
      '2026-12-31',
    );
    expect(problems).toEqual([
      'entry 1 is a second first answer of survey a',
      'entry 2 changes survey b, which has no first answer',
      'entry 3 moves survey a from 2026-11-20 to 2026-11-21',
    ]);
  });
});
