import { describe, expect, it } from 'vitest';
import { WIDGET_STRINGS } from '../../api/services/widget-strings.js';
import { en, LANGS } from '../../widget/i18n.js';
import { testApi } from './helpers.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the widget\'s language packs', () => {
  // English: the badge's texts built into the script, the survey's served like the other languages.
  const english: Record<string, string> = { ...en, ...WIDGET_STRINGS.en };

  it('English splits into the built-in badge texts and the served survey texts, without overlap', () => {
    expect(Object.keys(WIDGET_STRINGS.en!)).toContain('question');
    expect(Object.keys(WIDGET_STRINGS.en!).filter((key) => key in en)).toEqual([]);
  });

  it.each(LANGS.filter((l) => l !== 'en'))('%s has every English key, no other, with the same placeholders', (lang) => {
    const pack = WIDGET_STRINGS[lang]!;
    expect(Object.keys(pack).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(english)) {
      expect(pack[key], key).toBeTruthy();
      expect(placeholders(pack[key]!), key).toEqual(placeholders(text));
    }
  });

  it('are served as JSON to any origin, and unknown languages are a 404', async () => {
    const t = await testApi();
    const res = await t.app.request('/widget/i18n/fr.json', { headers: { Origin: 'https://acme.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(await res.json()).toEqual(WIDGET_STRINGS.fr);
    expect((await t.app.request('/widget/i18n/de.json')).status).toBe(404);
    // The survey's English texts; the badge's are built into the script.
    expect(await (await t.app.request('/widget/i18n/en.json')).json()).toEqual(WIDGET_STRINGS.en);
  });
});
