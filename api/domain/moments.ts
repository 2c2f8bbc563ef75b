// The moment a survey measures: a closed ticket by default, or a moment of the relationship beyond a
// ticket. Sites may name their own moments; the report groups by moment and the public score may be
// limited to some of them.

export const BUILT_IN_MOMENTS = ['ticket-closed', 'onboarding', 'maintenance', 'project'] as const;
export const DEFAULT_MOMENT = 'ticket-closed';

/** A moment name: lower-case letters, digits and dashes, 1-40 characters (it goes in URLs and CSV). */
export function isMoment(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9][a-z0-9-]{0,39}$/.test(value);
}

/** Moments for a score: a comma list of names, none repeated, at most 20; null when invalid. */
export function parseMoments(value: string): string[] | null {
  const names = value.split(',').map((m) => m.trim());
  if (names.length > 20 || !names.every(isMoment) || new Set(names).size !== names.length) return null;
  return names;
}
