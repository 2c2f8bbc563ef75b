// The text of a write-back note: the reaction, the comment, and where to follow up.
import type { Reaction } from '../domain/reaction.js';

const WORDS: Record<Reaction, string> = { positive: 'positive', neutral: 'neutral', negative: 'negative' };

export function noteText(input: { reaction: Reaction; comment: string | null; adminUrl: string }): string {
  return [
    `Customer satisfaction survey: the customer's reaction is ${WORDS[input.reaction]}.`,
    input.comment ? `Comment: "${input.comment}"` : 'No comment.',
    `Follow up: ${input.adminUrl}`,
  ].join('\n');
}

/** The response in the admin page. */
export function adminUrl(publicUrl: string, siteSlug: string, responseId: string): string {
  return `${publicUrl}/admin?site=${encodeURIComponent(siteSlug)}#response=${encodeURIComponent(responseId)}`;
}
