import { describe, expect, it } from 'vitest';
import { DEFAULT_CHANGE_WINDOW_DAYS, DEFAULT_TOKEN_TTL_DAYS, newSiteSettings, siteAfterSettings } from '../../../api/domain/site-settings.js';
import { DEFAULT_WINDOW_DAYS } from '../../../api/domain/window.js';

describe('newSiteSettings', () => {
  it('fills in the defaults: reactions, a 90-day window, 7 days to change an answer, 30-day links, English, no throttle', () => {
    expect(newSiteSettings({ slug: 'acme', name: 'Acme' })).toEqual({
      slug: 'acme', name: 'Acme', kind: 'reaction', scale: null, scoreMoments: null, windowDays: DEFAULT_WINDOW_DAYS,
      changeWindowDays: DEFAULT_CHANGE_WINDOW_DAYS, tokenTtlDays: DEFAULT_TOKEN_TTL_DAYS, industry: null, locale: 'en', throttleDays: 0,
    });
    expect([DEFAULT_WINDOW_DAYS, DEFAULT_CHANGE_WINDOW_DAYS, DEFAULT_TOKEN_TTL_DAYS]).toEqual([90, 7, 30]);
  });

  it('keeps a scale only on a CSAT site', () => {
    expect(newSiteSettings({ slug: 'a', name: 'A', kind: 'csat', scale: 10 }).scale).toBe(10);
    expect(newSiteSettings({ slug: 'a', name: 'A', kind: 'nps', scale: 10 }).scale).toBeNull();
  });
});

describe('siteAfterSettings', () => {
  it('keeps what the change leaves out and clears what it sets to null', () => {
    const site = { id: 1, createdAt: 5, ...newSiteSettings({ slug: 'a', name: 'A', industry: 'it', windowDays: 30 }) };
    expect(siteAfterSettings(site, { name: 'B', windowDays: undefined, industry: null })).toEqual({ ...site, name: 'B', industry: null });
  });
});
