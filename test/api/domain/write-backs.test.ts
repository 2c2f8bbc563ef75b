import { describe, expect, it } from 'vitest';
import { writeBackActions } from '../../../api/domain/write-backs.js';

describe('writeBackActions', () => {
  it('notes a first non-positive answer, and reopens too when the connector reopens tickets', () => {
    expect(writeBackActions(null, 'negative', { reopen: false })).toEqual(['note']);
    expect(writeBackActions(null, 'neutral', { reopen: true })).toEqual(['note', 'reopen']);
  });

  it('queues nothing for a positive answer or an unchanged class', () => {
    expect(writeBackActions(null, 'positive', { reopen: true })).toEqual([]);
    expect(writeBackActions('negative', 'negative', { reopen: true })).toEqual([]);
    expect(writeBackActions('negative', 'positive', { reopen: true })).toEqual([]);
    expect(writeBackActions('positive', 'negative', { reopen: false })).toEqual(['note']);
  });
});
