import { css } from 'lit';

// No comments inside css``: they would ship in the drop-in script. Of note: [part=base] has a fixed
// width, so the loading, loaded, empty and error states share one box and the host page never shifts.

export const badgeStyles = css`
  :host {
    display: inline-block;
    position: relative;
    line-height: 1.3;
    font-size: var(--csat-font-size, 0.875rem);
    vertical-align: middle;
  }
  [part='base'] {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    box-sizing: border-box;
    width: var(--csat-width, 25em);
    max-width: 100%;
    height: 2.5em;
    padding: 0 0.9em 0 0.5em;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: var(--_bg);
    cursor: pointer;
    text-align: start;
  }
  :host([compact]) [part='base'] {
    width: 6em;
  }
  [part='face'] {
    width: 1.6em;
    height: 1.6em;
    flex: none;
    color: var(--tone, var(--_muted));
  }
  [part='score'] {
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
    color: var(--_muted);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  :host([compact]) [part='label'] {
    display: none;
  }
  .skeleton [part='score'],
  .skeleton .of,
  .skeleton [part='label'] {
    color: transparent;
    background: var(--_line);
    border-radius: 4px;
  }
  .off {
    cursor: default;
  }
  [part='popover'],
  [part='survey'] {
    position: absolute;
    z-index: 10;
    inset-block-start: calc(100% + 0.4em);
    inset-inline-start: 0;
    box-sizing: border-box;
    width: max-content;
    max-width: min(24rem, 90vw);
    padding: 0.9em 1em;
    border: 1px solid var(--_line);
    border-radius: 10px;
    background: var(--_bg);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.15);
  }
  [part='survey'] {
    padding: 0.3em;
    width: min(26rem, 90vw);
  }
  .title {
    font-weight: 700;
    margin: 0 1.5em 0.5em 0;
  }
  .close {
    position: absolute;
    inset-block-start: 0.3em;
    inset-inline-end: 0.3em;
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
    grid-template-columns: 5em 10em 3.5em;
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
  .positive { --tone: var(--_positive); }
  .neutral { --tone: var(--_neutral); }
  .negative { --tone: var(--_negative); }
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
