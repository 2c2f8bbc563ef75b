// Small DOM helpers shared by the widget tests.
import { waitUntil } from '@open-wc/testing';

/** waitUntil with a timeout that fits a real HTTP round trip (its default is 1 s). */
export function until(predicate: () => unknown, message: string, timeout = 5000): Promise<void> {
  return waitUntil(predicate, message, { timeout, interval: 25 });
}

export function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error(`<${el.localName}> has no open shadow root`);
  return el.shadowRoot;
}

/** The first element of the shadow root with this part name, or null. */
export function part<T extends Element = HTMLElement>(el: Element, name: string): T | null {
  return shadow(el).querySelector<T>(`[part~="${name}"]`);
}

export function mustPart<T extends Element = HTMLElement>(el: Element, name: string): T {
  const found = part<T>(el, name);
  if (!found) throw new Error(`<${el.localName}> renders no part="${name}"`);
  return found;
}

/** A badge's label as read: its parts joined by the " · " its styles draw between them. */
export function labelText(el: Element): string {
  const label = part(el, 'label');
  return label ? [...label.children].map((span) => text(span)).join(' · ') : '';
}

/** Whether a popover part is open (shown in the top layer). */
export function isOpen(el: Element, name = 'popover'): boolean {
  return part(el, name)?.matches(':popover-open') ?? false;
}

/** textContent with runs of whitespace collapsed. */
export function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function box(el: Element): { width: number; height: number } {
  const { width, height } = el.getBoundingClientRect();
  return { width, height };
}

/** The number a badge shows (its part="score" without the "/100" and the screen-reader suffix), or null. */
export function scoreNumber(el: Element): string | null {
  const score = part(el, 'score');
  if (!score) return null;
  return [...score.childNodes]
    .filter((n) => n.nodeType === Node.TEXT_NODE)
    .map((n) => n.textContent)
    .join('')
    .trim();
}

/** Resolves once a badge shows a loaded score (its part="base" became the button). */
export function badgeLoaded(el: Element): Promise<void> {
  return until(() => mustPart(el, 'base').localName === 'button', 'the score arrives');
}
