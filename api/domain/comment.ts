// The respondent's optional comment: plain text, never markup.

export const MAX_COMMENT_CHARS = 2000;

/** Characters as a person counts them (code points), not UTF-16 units. */
export function commentLength(text: string): number {
  return [...text].length;
}

/** Trimmed, with Windows line endings folded; an empty comment is no comment. `undefined` passes
 * through (it means "keep the current comment"). */
export function normalizeComment<T extends string | null | undefined>(comment: T): string | null | Exclude<T, string | null> {
  if (comment === undefined) return comment as Exclude<T, string | null>;
  if (comment === null) return null;
  const text = comment.replace(/\r\n?/g, '\n').trim();
  return text === '' ? null : text;
}
