// The widget modules may be loaded twice on one page (an embed included twice, or two versions side
// by side): the second evaluation must not throw, and the first definition stays registered.
import { expect } from '@open-wc/testing';
import { CsatBadge } from '../../widget/csat-badge.js';
import { CsatSurvey } from '../../widget/csat-survey.js';

/** Evaluates a widget module a second time: another URL (a query string) is another module instance. */
async function evaluateAgain(file: string): Promise<Record<string, unknown>> {
  const url = new URL(`../../widget/${file}?again=${Date.now()}`, import.meta.url).href;
  return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
}

describe('registering the elements twice', () => {
  it('a second <csat-badge> module does not throw and leaves the first class registered', async () => {
    const again = await evaluateAgain('csat-badge.ts');
    expect(again.CsatBadge, 'the module really ran a second time').to.be.a('function').and.not.equal(CsatBadge);
    expect(customElements.get('csat-badge')).to.equal(CsatBadge);
  });

  it('a second <csat-survey> module does not throw and leaves the first class registered', async () => {
    const again = await evaluateAgain('csat-survey.ts');
    expect(again.CsatSurvey, 'the module really ran a second time').to.be.a('function').and.not.equal(CsatSurvey);
    expect(customElements.get('csat-survey')).to.equal(CsatSurvey);
  });

  it('the package entry registers nothing new', async () => {
    const entry = await import('../../widget/index.js');
    expect(entry.CsatBadge).to.equal(CsatBadge);
    expect(customElements.get('csat-badge')).to.equal(CsatBadge);
    expect(customElements.get('csat-survey')).to.equal(CsatSurvey);
  });

  it('(an unguarded define would throw: the guard is what the tests above check)', () => {
    expect(() => customElements.define('csat-badge', class extends HTMLElement {})).to.throw(DOMException);
  });
});
