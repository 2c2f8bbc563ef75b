import { css } from './theme.styles.js';

export const surveyStyles = css`
  :host {
    display: block;
    max-width: 32rem;
    line-height: 1.45;
  }
  [part='base'] {
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: 12px;
    padding: 1rem;
  }
  /* Focused from script only, when the pressed answer gave way to the follow-up. */
  section:focus {
    outline: 0;
  }
  .q {
    font-weight: 700;
    font-size: 1.1em;
    margin: 0 0 0.75rem;
  }
  .reactions {
    display: flex;
    gap: 0.5rem;
    margin: 0.5rem 0;
  }
  .r {
    flex: 1 1 0;
    min-width: 0;
    min-height: 2.75rem;
    padding: 0.3rem 0.2rem;
    cursor: pointer;
    font-weight: 600;
    border: 2px solid var(--tone);
    color: var(--tone);
    background: transparent;
    border-radius: 10px;
  }
  /* A numbered scale: up to 11 buttons in one row, even in a 320 px phone. */
  .nums {
    gap: 0.25rem;
    margin-bottom: 0;
  }
  .nums .r {
    padding: 0;
    font-variant-numeric: tabular-nums;
  }
  .ends {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    margin-top: 0.25rem;
    font-size: 0.85em;
  }
  .r[aria-pressed='true'] {
    background: var(--tone);
    color: var(--_bg);
  }
  label,
  legend {
    display: block;
    font-weight: 600;
    margin: 0.75rem 0 0.25rem;
    padding: 0;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
  }
  .d {
    display: flex;
    gap: 0.4rem;
    font-weight: 400;
    margin: 0.3rem 0;
  }
  textarea {
    box-sizing: border-box;
    width: 100%;
    min-height: 4.5rem;
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid var(--_line);
    border-radius: 8px;
    padding: 0.4rem 0.6rem;
  }
  .save {
    margin-top: 0.5rem;
    padding: 0.4rem 0.9rem;
    border-radius: 8px;
    border: 1px solid var(--_line);
    background: transparent;
    cursor: pointer;
  }
  .note, .meta {
    color: var(--_muted);
    margin: 0.5rem 0;
  }
  /* A status line keeps its height while empty: saying "Saving…" or "Saved" moves nothing. */
  [role='status'] {
    min-height: 1.45em;
  }
  .note.ok { color: var(--_positive); }
  .note.bad { color: var(--_negative); }
  .answer { white-space: pre-wrap; overflow-wrap: anywhere; }
  @media (forced-colors: active) {
    .r[aria-pressed='true'] { forced-color-adjust: none; background: Highlight; color: HighlightText; }
  }
`;
