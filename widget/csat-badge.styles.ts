import { css } from './theme.styles.js';

// The host's box depends on CSS alone, never on the score or the texts: the loading, loaded, empty and
// error states share it, the README's reserve-CSS repeats it, and the page never shifts. It takes the room
// its container gives (a preferred width that shrinks, down to the face and the number), and the label
// drops its parts to fit: its parts wrap onto a second line that is never shown, so the last part goes
// first (ratings, then the window, then the words), and the zero-width ::before makes even the first
// part go when it does not fit whole. An empty or failed badge keeps its state ("No ratings yet") and
// drops the words in front of it instead. Sizes are physical (width, height): in horizontal text, right to
// left included, they are the logical ones, in fewer bytes; margins and insets stay logical for Arabic.
export const badgeStyles = css`
  :host {
    display: inline-block;
    box-sizing: border-box;
    width: var(--csat-width, 34em);
    max-width: 100%;
    min-width: min(8.5em, 100%);
    height: 2.5em;
    line-height: 1.3;
    font-size: var(--csat-font-size, 0.875rem);
    vertical-align: middle;
    container-type: inline-size;
  }
  :host([compact]) {
    width: 8.5em;
  }
  [part='base'] {
    display: flex;
    align-items: center;
    gap: 0.5em;
    box-sizing: border-box;
    width: 100%;
    height: 100%;
    padding: 0 0.9em 0 0.5em;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: var(--_bg);
    cursor: pointer;
    text-align: start;
    white-space: nowrap;
    overflow: hidden;
    anchor-name: --csat-badge;
  }
  :host([compact]) [part='base'] {
    justify-content: center;
    padding: 0 0.6em 0 0.4em;
    gap: 0.35em;
  }
  [part='face'] {
    width: 1.6em;
    height: 1.6em;
    flex: none;
    color: var(--tone, var(--_muted));
  }
  [part='score'] {
    flex: none;
    font-weight: 700;
    font-size: 1.25em;
    font-variant-numeric: tabular-nums;
  }
  .of {
    font-weight: 400;
    font-size: 0.7em;
    color: var(--_muted);
  }
  [part='label'] {
    flex: 1 1 0;
    min-width: 0;
    display: flex;
    flex-wrap: wrap;
    height: 1.3em;
    overflow: hidden;
    color: var(--_muted);
  }
  [part='label']::before {
    content: '';
    height: 1.3em;
  }
  [part='label'] span + span::before {
    content: '·';
    margin-inline: 0.3em;
  }
  :host([compact]) [part='label'] {
    display: none;
  }
  @container (max-width: 21em) {
    .state span:first-child {
      display: none;
    }
    .state span::before {
      content: none;
    }
  }
  .skeleton [part='score'],
  .skeleton .of,
  .skeleton [part='label'] span {
    color: transparent;
    background: var(--_line);
    border-radius: 4px;
  }
  .off {
    cursor: default;
  }
  [popover] {
    box-sizing: border-box;
    width: max-content;
    max-width: min(24rem, 100vw - 1rem);
    padding: 0.9em 1em;
    border: 1px solid var(--_line);
    border-radius: 10px;
    background: var(--_bg);
    color: var(--_text);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.15);
    overflow: visible;
  }
  [part='survey'] {
    padding: 1em;
    width: min(26rem, 100vw - 1rem);
    max-width: none;
  }
  csat-survey::part(base) {
    border: 0;
    padding: 0;
    background: none;
  }
  @supports (anchor-name: --a) {
    [popover] {
      position-anchor: --csat-badge;
      position-area: block-end span-inline-end;
      position-try-fallbacks: flip-inline, --csat-under;
      inset: auto;
      margin: 0.4em 0 0;
    }
    @media (max-width: 40rem) {
      [popover] {
        position-area: block-end;
        justify-self: stretch;
        width: auto;
        max-width: none;
        margin-inline: 0.5rem;
      }
    }
    @position-try --csat-under {
      position-area: block-end;
      justify-self: stretch;
      width: auto;
      margin: 0.4em 0.5rem 0;
    }
  }
  .title {
    font-weight: 700;
    margin: 0 1.5em 0.5em 0;
  }
  .close {
    position: absolute;
    inset-block-start: 0.4em;
    inset-inline-end: 0.4em;
    border: 0;
    background: transparent;
    cursor: pointer;
    font-size: 1.2em;
    line-height: 1;
    padding: 0.2em 0.4em;
    z-index: 1;
  }
  ul {
    list-style: none;
    margin: 0.5em 0;
    padding: 0;
  }
  li {
    display: grid;
    grid-template-columns: 5em minmax(4em, 10em) 3.5em;
    align-items: center;
    gap: 0.5em;
    margin: 0.3em 0;
  }
  [part='bar'] {
    height: 0.6em;
    border-radius: 4px;
    background: var(--_line);
    overflow: hidden;
  }
  .fill {
    display: block;
    height: 100%;
    background: var(--tone);
  }
  .pct {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  p {
    margin: 0.4em 0;
  }
  .muted {
    color: var(--_muted);
  }
  a {
    color: var(--_focus);
  }
  @media (forced-colors: active) {
    .fill { forced-color-adjust: none; background: CanvasText; }
    [part='bar'] { border: 1px solid CanvasText; }
  }
`;
