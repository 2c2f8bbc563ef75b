// A site's settings when it is created and when an operator changes them: the defaults and what an
// omitted setting means, decided once for every store.
import type { NewSite, Site, SiteSettings } from '../store/types.js';
import { DEFAULT_WINDOW_DAYS } from './window.js';

export const DEFAULT_CHANGE_WINDOW_DAYS = 7;
export const DEFAULT_TOKEN_TTL_DAYS = 30;

export type NewSiteSettings = Omit<Site, 'id' | 'createdAt'>;

/** Every setting of a new site, defaults filled in. Only a CSAT site has a scale. */
export function newSiteSettings(input: NewSite): NewSiteSettings {
  const kind = input.kind ?? 'reaction';
  return {
    slug: input.slug,
    name: input.name,
    kind,
    scale: kind === 'csat' ? (input.scale ?? null) : null,
    scoreMoments: input.scoreMoments ?? null,
    windowDays: input.windowDays ?? DEFAULT_WINDOW_DAYS,
    changeWindowDays: input.changeWindowDays ?? DEFAULT_CHANGE_WINDOW_DAYS,
    tokenTtlDays: input.tokenTtlDays ?? DEFAULT_TOKEN_TTL_DAYS,
    industry: input.industry ?? null,
    locale: input.locale ?? 'en',
    throttleDays: input.throttleDays ?? 0,
  };
}

/** The site after an operator's change: a setting left out (undefined) keeps its value; null clears the
 * ones that may be empty (industry, score moments). */
export function siteAfterSettings(site: Site, settings: SiteSettings): Site {
  return { ...site, ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) };
}
