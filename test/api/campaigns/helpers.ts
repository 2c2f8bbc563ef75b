// Shared setup for campaign tests: the app over a real SQLite file with a fake clock (../helpers.js),
// and short calls for the campaign routes.
import { testApi } from '../helpers.js';

export type Api = Awaited<ReturnType<typeof testApi>>;

export async function campaignApi(options: Parameters<typeof testApi>[0] = {}) {
  const api = await testApi(options);
  const auth = { Authorization: `Bearer ${api.key}` };
  const base = `/v1/sites/${api.site.slug}/campaigns`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api.json(method, `${base}${path}`, body, auth);
    return { status: res.status, body: (await res.json()) as any };
  };
  /** Surveys a campaign issued, per contact address. */
  const surveysPerContact = (campaignId: string): Record<string, number> => {
    const rows = api.store.db
      .prepare('SELECT contact_email AS email, count(*) AS n FROM surveys WHERE campaign_id = ? GROUP BY 1')
      .all(campaignId) as Array<{ email: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.email, r.n]));
  };
  const tableCount = (table: string) => (api.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { ...api, auth, base, call, surveysPerContact, tableCount };
}

export const CONTACTS = [
  { email: 'ana@client-one.example', name: 'Ana' },
  { email: 'bo@client-two.example', locale: 'fr' },
  { email: 'chen@client-three.example', name: 'Chen', locale: 'en' },
];
