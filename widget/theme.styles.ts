// Shared design tokens: every colour is a documented --csat-* custom property with a light and a dark
// default. Which one applies follows the page, not the visitor's system: `color-scheme` is inherited, so
// light-dark() picks dark only where the page says it is dark (its CSS or its <meta name="color-scheme">),
// or where it says "light dark" and the system is dark. `theme` pins it: light, dark, or auto (the system).

/**
 * A constructed stylesheet from a css`` template without values (the build minifies css`` templates).
 * Adopted by the shadow roots, as Lit's styles are: no <style> element, so a strict CSP allows it.
 */
export const css = (text: TemplateStringsArray): CSSStyleSheet => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text[0]!);
  return sheet;
};

export const themeStyles = css`
  :host {
    --_text: var(--csat-color-text, light-dark(#1f2328, #f0f3f6));
    --_muted: var(--csat-color-muted, light-dark(#59636e, #9198a1));
    --_bg: var(--csat-color-background, light-dark(#fff, #151b23));
    --_line: var(--csat-color-border, light-dark(#d1d9e0, #3d444d));
    --_positive: var(--csat-color-positive, light-dark(#1a7f37, #3fb950));
    --_neutral: var(--csat-color-neutral, light-dark(#9a6700, #d29922));
    --_negative: var(--csat-color-negative, light-dark(#cf222e, #f85149));
    --_focus: var(--csat-color-focus, light-dark(#0969da, #4493f8));
    --_radius: var(--csat-radius, 999px);
    font-family: var(--csat-font-family, inherit);
    color: var(--_text);
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([theme='auto']) {
    color-scheme: light dark;
  }
  button {
    font: inherit;
    color: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .positive { --tone: var(--_positive); }
  .neutral { --tone: var(--_neutral); }
  .negative { --tone: var(--_negative); }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
