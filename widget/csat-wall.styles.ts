import { css } from 'lit';

// No comments inside css``: they would ship in the script. The wall is dark unless theme="light"
// (a monitor in an office), sized from the viewport: 1em is 24px at 1920x1080, and the layout fills
// exactly one screen, the feed clipped at its bottom.

export const wallStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-size: var(--csat-font-size, clamp(12px, min(1.25vw, 2.2vh), 48px));
    line-height: 1.3;
    --_surface: var(--csat-color-surface, #f6f8fa);
    --_page: var(--csat-color-background, #ffffff);
    background: var(--_page);
    color: var(--_text);
  }
  :host(:not([theme='light'])) {
    --_text: var(--csat-color-text, #f0f3f6);
    --_muted: var(--csat-color-muted, #9198a1);
    --_page: var(--csat-color-background, #0d1117);
    --_surface: var(--csat-color-surface, #151b23);
    --_line: var(--csat-color-border, #3d444d);
    --_positive: var(--csat-color-positive, #3fb950);
    --_neutral: var(--csat-color-neutral, #d29922);
    --_negative: var(--csat-color-negative, #f85149);
    --_focus: var(--csat-color-focus, #4493f8);
  }
  * {
    box-sizing: border-box;
  }
  h1,
  h2,
  p,
  ul,
  ol {
    margin: 0;
    padding: 0;
  }
  ul,
  ol {
    list-style: none;
  }
  .muted {
    color: var(--_muted);
    font-weight: 400;
  }
  .positive {
    --tone: var(--_positive);
  }
  .neutral {
    --tone: var(--_neutral);
  }
  .negative {
    --tone: var(--_negative);
  }
  .face {
    width: 1.4em;
    height: 1.4em;
    flex: none;
    color: var(--tone, var(--_muted));
  }

  .wall {
    display: grid;
    grid-template-columns: minmax(0, 5fr) minmax(0, 7fr);
    grid-template-rows: auto minmax(0, 1fr);
    gap: 1em 1.25em;
    height: 100vh;
    padding: 1.25em 1.5em 1.5em;
  }
  header {
    grid-column: 1 / -1;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 1em;
  }
  h1 {
    font-size: 1.5em;
    font-weight: 700;
  }
  h1 .muted {
    margin-inline-start: 0.4em;
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.2em 0.8em;
    border: 1px solid var(--_line);
    border-radius: 999px;
    font-size: 0.9em;
    color: var(--_muted);
  }
  .status::before {
    content: '';
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_positive);
  }
  .status.off {
    color: var(--_text);
    border-color: var(--_neutral);
  }
  .status.off::before {
    background: var(--_neutral);
    animation: blink 1.2s ease-in-out infinite;
  }

  .side,
  .main {
    display: grid;
    gap: 1em;
    min-height: 0;
  }
  .side {
    grid-template-rows: minmax(0, 1fr) auto;
  }
  .main {
    grid-template-rows: auto minmax(0, 1fr);
  }
  .panel {
    background: var(--_surface);
    border: 1px solid var(--_line);
    border-radius: 0.75em;
    padding: 1em 1.25em;
    min-height: 0;
  }
  h2 {
    font-size: 1em;
    font-weight: 600;
    margin-block-end: 0.6em;
  }
  h2 .muted {
    margin-inline-start: 0.4em;
  }

  .hero {
    display: flex;
    flex-direction: column;
    justify-content: center;
    align-items: center;
    text-align: center;
    gap: 0.4em;
  }
  .big {
    display: flex;
    align-items: center;
    gap: 0.15em;
    font-size: 10.5em;
    line-height: 1;
  }
  .big .face {
    width: 0.7em;
    height: 0.7em;
  }
  .score {
    font-weight: 800;
    font-variant-numeric: tabular-nums;
    letter-spacing: -0.03em;
    color: var(--tone, var(--_text));
  }
  /* "NPS 75", "CSAT 92%": the figure stays the big thing. */
  .big.csat,
  .big.nps {
    font-size: 8em;
  }
  .score .unit {
    font-size: 0.4em;
    font-weight: 700;
    letter-spacing: 0;
  }
  .score.none {
    font-size: 9em;
    line-height: 1;
  }
  .outof {
    font-size: 1.6em;
    font-weight: 600;
  }
  .label {
    font-size: 1.05em;
    color: var(--_muted);
  }
  .breakdown {
    display: flex;
    gap: 3px;
    width: 80%;
    height: 0.9em;
    margin-block-start: 0.8em;
    border-radius: 999px;
    overflow: hidden;
    background: var(--_line);
  }
  .breakdown span {
    flex: 0 1 0;
    background: var(--tone);
  }
  .legend {
    display: flex;
    gap: 1.2em;
    font-size: 0.95em;
  }
  .legend span {
    color: var(--tone);
    font-weight: 600;
  }

  .pair {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 1em;
  }
  .counts ul {
    display: grid;
    gap: 0.35em;
  }
  .counts li {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  .counts .n {
    font-size: 1.6em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    min-width: 2.2ch;
    color: var(--tone);
  }

  .trend svg {
    display: block;
    width: 100%;
    height: auto;
    max-height: 26vh;
    font-family: inherit;
  }
  .trend .grid {
    stroke: var(--_line);
    stroke-dasharray: 4 8;
  }
  .trend .axis {
    stroke: var(--_line);
    stroke-width: 2;
  }
  .trend .bar {
    fill: var(--tone);
    opacity: 0.35;
  }
  .trend .bar.zero {
    opacity: 1;
  }
  .trend .line {
    fill: none;
    stroke: var(--_text);
    stroke-width: 3;
    stroke-linejoin: round;
  }
  .trend text {
    fill: var(--_muted);
    font-size: 22px;
  }
  .trend .week {
    font-size: 19px;
  }
  .trend .value {
    fill: var(--_text);
    font-size: 26px;
    font-weight: 700;
  }

  .feed {
    display: flex;
    flex-direction: column;
    overflow: hidden;
  }
  .feed ol {
    display: grid;
    gap: 0.4em;
    align-content: start;
    min-height: 0;
    overflow: hidden;
  }
  .feed ol.overflows {
    mask-image: linear-gradient(to bottom, black 85%, transparent);
  }
  .feed li {
    display: flex;
    align-items: flex-start;
    gap: 0.7em;
    padding: 0.4em 0.7em;
    border-radius: 0.5em;
    border-inline-start: 0.25em solid var(--tone);
    background: var(--_page);
  }
  .feed li .face {
    margin-block-start: 0.05em;
  }
  .feed .body {
    min-width: 0;
    flex: 1;
  }
  .what {
    display: flex;
    align-items: baseline;
    gap: 0.6em;
  }
  .reaction-label {
    font-weight: 700;
    color: var(--tone);
  }
  .team {
    padding: 0 0.5em;
    border: 1px solid var(--_line);
    border-radius: 999px;
    font-size: 0.85em;
  }
  .when {
    margin-inline-start: auto;
    font-size: 0.85em;
    color: var(--_muted);
    white-space: nowrap;
  }
  .comment {
    margin-block-start: 0.2em;
    font-size: 1.1em;
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
  }
  .feed li.fresh {
    outline: 0.15em solid var(--_focus);
    background: color-mix(in srgb, var(--_focus) 18%, var(--_page));
    animation: arrive 0.8s ease-out;
  }
  .empty {
    font-size: 1.1em;
  }

  .message {
    display: grid;
    place-content: center;
    gap: 0.6em;
    min-height: 100vh;
    padding: 2em;
    text-align: center;
  }
  .message p:first-child {
    font-size: 2em;
    font-weight: 700;
  }
  code {
    font-size: 0.95em;
  }

  @keyframes arrive {
    from {
      transform: translateY(-0.6em);
      opacity: 0;
    }
  }
  @keyframes blink {
    50% {
      opacity: 0.3;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .feed li.fresh,
    .status.off::before {
      animation: none;
    }
  }
`;
