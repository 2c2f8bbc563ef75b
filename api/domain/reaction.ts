/** The three answers of a reaction survey, in display order. */
export const REACTIONS = ['positive', 'neutral', 'negative'] as const;
export type Reaction = (typeof REACTIONS)[number];

export function isReaction(value: unknown): value is Reaction {
  return typeof value === 'string' && (REACTIONS as readonly string[]).includes(value);
}

/** Per-reaction totals; `imported` says how many of them came from another tool's history. */
export interface ReactionCounts {
  positive: number;
  neutral: number;
  negative: number;
  imported: number;
}
