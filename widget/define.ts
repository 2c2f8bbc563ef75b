// Registers a custom element once: an embed can be included twice, or two versions side by side.
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
