import { describe, expect, it } from 'vitest';
import { WIDGET_STRINGS } from '../../api/widget-strings.js';
import { en, LANGS } from '../../widget/i18n.js';
import { testApi } from './helpers.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the widget\'s language packs', () => {
  it.each(LANGS.filter((l) => l !== 'en'))('%s has every English key, no other, with the same placeholders', (lang) => {
    const pack = WIDGET_STRINGS[lang]!;
    expect(Object.keys(pack).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
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
    expect((await t.app.request('/widget/i18n/en.json')).status).toBe(404); // built into the script
  });
});
