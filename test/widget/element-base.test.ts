// The small element base of <csat-badge> and <csat-survey> (widget/csat-badge-element.ts): the parts of
// LitElement's contract the two elements rely on, checked on a test element of its own.
import { expect, fixture, html } from '@open-wc/testing';
import { html as template } from 'lit/html.js';
import { CsatElement } from '../../widget/csat-badge-element.js';

class TestElement extends CsatElement {
  static override properties = {
    site: {},
    days: { type: Number, attribute: 'window' },
    compact: { type: Boolean, reflect: true },
    theme: { reflect: true },
    count: { state: true, attribute: false },
  };
  site = 'default';
  days: number | null = null;
  compact = false;
  theme: string | null = null;
  count = 0;
  renders = 0;
  changes: string[][] = [];

  protected override willUpdate(changed: Map<string, unknown>) {
    this.changes.push([...changed.keys()].sort());
  }

  protected override render() {
    this.renders++;
    return template`<p>${this.site} ${this.days} ${this.count}</p>`;
  }
}

let sequence = 0;
/** Each test defines the class under a tag of its own (a class can be defined once). */
function define(): string {
  const tag = `csat-test-element-${++sequence}`;
  customElements.define(tag, class extends TestElement {});
  return tag;
}

const shown = (el: Element) => el.shadowRoot?.querySelector('p')?.textContent?.replace(/\s+/g, ' ').trim();

describe('the widget element base', () => {
  it('takes attributes (converted by type), renders once per batch of changes, and reflects', async () => {
    const tag = define();
    const el = document.createElement(tag) as TestElement;
    el.setAttribute('site', 'acme');
    el.setAttribute('window', '30');
    document.body.append(el);
    await el.updateComplete;
    expect(shown(el)).to.equal('acme 30 0');
    expect(el.renders).to.equal(1);
    expect(el.changes[0]).to.include.members(['site', 'days', 'compact', 'theme', 'count']);
    el.count = 1;
    el.count = 2;
    el.compact = true;
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.renders, 'one render for the three changes').to.equal(2);
    expect(el.changes[1]).to.deep.equal(['compact', 'count', 'theme']);
    expect(shown(el)).to.equal('acme 30 2');
    expect(el.hasAttribute('compact')).to.equal(true);
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(el.hasAttribute('count'), 'state has no attribute').to.equal(false);
    el.compact = false;
    el.removeAttribute('window');
    await el.updateComplete;
    expect(el.hasAttribute('compact')).to.equal(false);
    expect(el.days).to.equal(null);
    el.remove();
  });

  it('keeps properties set before the element was defined (over the class defaults)', async () => {
    const tag = `csat-test-element-${++sequence}`;
    const el = document.createElement(tag) as TestElement;
    (el as unknown as Record<string, unknown>).site = 'early';
    document.body.append(el);
    customElements.define(tag, class extends TestElement {});
    await (el as TestElement).updateComplete;
    expect(el.site).to.equal('early');
    expect(shown(el)).to.equal('early 0');
    el.remove();
  });

  it('renders into an open shadow root once connected', async () => {
    const tag = define();
    const el = await fixture<TestElement>(html`<div></div>`).then(async (div) => {
      div.innerHTML = `<${tag} site="fixture"></${tag}>`;
      const inner = div.firstElementChild as TestElement;
      await inner.updateComplete;
      return inner;
    });
    expect(el.shadowRoot?.mode).to.equal('open');
    expect(shown(el)).to.equal('fixture 0');
  });
});
