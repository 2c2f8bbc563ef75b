// POST /v1/sites/:site/erasures { contact } — erase a contact's personal data, keep the anonymous
// ratings (api/services/erasure.ts). An unknown or already-erased contact is a 200 with `erased: false`
// and zero counts: repeating a request is safe, and the answer says plainly that nothing was held.
import { Hono } from 'hono';
import { z } from 'zod';
import { adminAuth } from '../middleware/admin-auth.js';
import { jsonBody, limitBody, requireJson } from '../middleware/json-body.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { contactSchema, eraseContact } from '../services/erasure.js';
import type { Store } from '../store/types.js';

const erasureSchema = z.object({ contact: contactSchema }).strict();

export function erasureRoutes(deps: { store: Store }) {
  const { store } = deps;
  return new Hono<SiteEnv>().post('/:site/erasures', loadSite(store), adminAuth(store), limitBody, requireJson, jsonBody(erasureSchema), async (c) =>
    c.json(await eraseContact(store, c.get('site'), c.req.valid('json').contact)),
  );
}
