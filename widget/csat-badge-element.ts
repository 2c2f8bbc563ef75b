// The small element base of <csat-badge> and <csat-survey>: lit-html templates over a few lines of
// reactive properties, instead of LitElement. It ships inside other people's websites, where LitElement's
// general machinery (controllers, decorators' metadata, converters, style fallbacks for browsers without
// constructable stylesheets) cost bytes these two elements never use (npm run size reports what ships). The same contract as
// LitElement where they use it: `static properties` (attribute, type Number/Boolean, reflect, state),
// `static styles` adopted into an open shadow root (strict-CSP safe, no <style> element), willUpdate /
// render / updated with the changed properties, requestUpdate, updateComplete, renderRoot.
import { render, type TemplateResult } from 'lit/html.js';

export interface PropertyOptions {
  /** The attribute's name, or false for none (default: the property's name). */
  attribute?: string | boolean;
  type?: typeof Number | typeof Boolean;
  /** Written back to the attribute after each update. */
  reflect?: boolean;
  /** Private state: no attribute. */
  state?: boolean;
}

const attributeOf = (name: string, options: PropertyOptions) => !options.state && options.attribute !== false && (typeof options.attribute === 'string' ? options.attribute : name);

export class CsatElement extends HTMLElement {
  static properties: Record<string, PropertyOptions> = {};
  static styles: CSSStyleSheet[] = [];

  /** Read once per class when it is defined: also the moment its properties become accessors. */
  static get observedAttributes(): string[] {
    const attributes = [];
    for (const [name, options] of Object.entries(this.properties)) {
      Object.defineProperty(this.prototype, name, {
        get(this: CsatElement) {
          return this.#values.get(name);
        },
        set(this: CsatElement, value: unknown) {
          const old = this.#values.get(name);
          if (Object.is(old, value)) return;
          this.#values.set(name, value);
          this.requestUpdate(name, old);
        },
      });
      const attribute = attributeOf(name, options);
      if (attribute) attributes.push(attribute);
    }
    return attributes;
  }

  #values = new Map<string, unknown>();
  #changed = new Map<string, unknown>();
  #updating: Promise<unknown> = Promise.resolve();
  #pending = false;
  #reflecting = false;
  /** Properties set on the element before its class was defined, kept until it is connected. */
  #early: Array<[string, unknown]>;

  constructor() {
    super();
    // Such own properties would hide the accessors: taken off now, and set again once connected (after
    // the class's defaults, which the subclass's field initialisers set right after this constructor).
    const self = this as unknown as Record<string, unknown>;
    this.#early = Object.keys((this.constructor as typeof CsatElement).properties)
      .filter((name) => Object.hasOwn(this, name))
      .map((name) => {
        const value = self[name];
        delete self[name];
        return [name, value];
      });
  }

  get renderRoot(): ShadowRoot {
    return this.shadowRoot!;
  }

  /** Resolves once no update is pending (including updates that one update caused). */
  get updateComplete(): Promise<boolean> {
    return this.#updating.then(() => (this.#pending ? this.updateComplete : true));
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null) {
    if (this.#reflecting) return;
    for (const [name, options] of Object.entries((this.constructor as typeof CsatElement).properties)) {
      if (attributeOf(name, options) !== attribute) continue;
      const { type } = options;
      (this as unknown as Record<string, unknown>)[name] = type === Boolean ? value !== null : type === Number && value !== null ? Number(value) : value;
    }
  }

  connectedCallback() {
    if (!this.shadowRoot) {
      this.attachShadow({ mode: 'open' }).adoptedStyleSheets = (this.constructor as typeof CsatElement).styles;
      for (const [name, value] of this.#early) (this as unknown as Record<string, unknown>)[name] = value;
    }
    this.requestUpdate();
  }

  disconnectedCallback() {}

  /** Schedules one update for everything that changes in the current task. */
  requestUpdate(name?: string, old?: unknown) {
    if (name !== undefined && !this.#changed.has(name)) this.#changed.set(name, old);
    if (this.#pending) return;
    this.#pending = true;
    this.#updating = Promise.resolve().then(() => this.#update());
  }

  #update() {
    if (!this.shadowRoot) return void (this.#pending = false); // connectedCallback asks again
    const changed = this.#changed;
    this.willUpdate(changed);
    // Changes made by willUpdate belong to this update.
    this.#changed = new Map();
    this.#pending = false;
    render(this.render(), this.shadowRoot, { host: this });
    this.#reflecting = true;
    for (const [name, options] of Object.entries((this.constructor as typeof CsatElement).properties)) {
      const attribute = attributeOf(name, options);
      if (!options.reflect || !attribute || !changed.has(name)) continue;
      const value = this.#values.get(name);
      if (value == null || value === false) this.removeAttribute(attribute);
      else this.setAttribute(attribute, value === true ? '' : String(value));
    }
    this.#reflecting = false;
    this.updated(changed);
  }

  protected willUpdate(_changed: Map<string, unknown>): void {}

  protected render(): TemplateResult | string {
    return '';
  }

  protected updated(_changed: Map<string, unknown>): void {}
}
