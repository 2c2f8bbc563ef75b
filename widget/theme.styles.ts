// Shared design tokens: every colour is a documented --csat-* custom property with a light and a dark
// default; `theme="light|dark"` overrides the visitor's prefers-color-scheme.
import { css } from 'lit';

const dark = css`
  --_text: var(--csat-color-text, #f0f3f6);
  --_muted: var(--csat-color-muted, #9198a1);
  --_bg: var(--csat-color-background, #151b23);
  --_line: var(--csat-color-border, #3d444d);
  --_positive: var(--csat-color-positive, #3fb950);
  --_neutral: var(--csat-color-neutral, #d29922);
  --_negative: var(--csat-color-negative, #f85149);
  --_focus: var(--csat-color-focus, #4493f8);
`;

export const themeStyles = css`
  :host {
    --_text: var(--csat-color-text, #1f2328);
    --_muted: var(--csat-color-muted, #59636e);
    --_bg: var(--csat-color-background, #ffffff);
    --_line: var(--csat-color-border, #d1d9e0);
    --_positive: var(--csat-color-positive, #1a7f37);
    --_neutral: var(--csat-color-neutral, #9a6700);
    --_negative: var(--csat-color-negative, #cf222e);
    --_focus: var(--csat-color-focus, #0969da);
    --_radius: var(--csat-radius, 999px);
    font-family: var(--csat-font-family, inherit);
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  button {
    font: inherit;
    color: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
