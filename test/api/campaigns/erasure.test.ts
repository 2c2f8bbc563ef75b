// Erasing a contact also takes their address off every campaign list of the site (other sites keep theirs).
import { describe, expect, it } from 'vitest';
import { eraseContact } from '../../../api/services/erasure.js';
import { T0, siteWithKey, tempDbFile } from '../helpers.js';
import { openSqliteStore } from '../../../api/store/sqlite.js';

describe('erasure and campaign contacts', () => {
  it('removes the address from the site\'s campaign lists, and only the site\'s', async () => {
    const store = openSqliteStore(tempDbFile());
    const { site } = await siteWithKey(store);
    const other = await store.createSite({ slug: 'other', name: 'Other IT' }, T0);
    const contacts = [{ email: 'ana@client.example', name: 'Ana', locale: null }, { email: 'bo@client.example', name: 'Bo', locale: null }];
    const campaign = (id: string, siteId: number) =>
      store.createCampaign({ id, siteId, name: 'Quarterly NPS', kind: 'nps', scale: null, moment: 'relationship', everyDays: 90, throttleDays: 90, startsAt: T0, contacts }, T0);
    await campaign('cp_one', site.id);
    await campaign('cp_two', other.id);

    const result = await eraseContact(store, site, 'ana@client.example');
    expect(result.erased).toBe(true);
    expect(result.counts.campaignContacts).toBe(1);
    expect(result.message).toContain('1 campaign contact list(s)');
    expect((await store.listCampaignContacts('cp_one')).map((c) => c.email)).toEqual(['bo@client.example']);
    expect((await store.listCampaignContacts('cp_two')).map((c) => c.email)).toEqual(['ana@client.example', 'bo@client.example']);
    expect((await eraseContact(store, site, 'ana@client.example')).erased).toBe(false);
  });
});
