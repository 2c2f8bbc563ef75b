// Sites, their admin keys and surveys in PostgreSQL, and the two things every writer of a site's data
// shares: the site's row lock (the order of its chain and log across instances) and its version row.
import { newSurveyKind, newSurveyMoment, surveyContact, throttleSince } from '../../domain/new-survey.js';
import { publicId } from '../../domain/tokens.js';
import { newSiteSettings, siteAfterSettings } from '../../domain/site-settings.js';
import { ConflictError } from '../errors.js';
import type { Store } from '../types.js';
import { transaction, type Sql, type Tx } from './connection.js';
import type { CreateSurveyTx } from './parts.js';
import { scaleOf, toKey, toSite, toSurvey, type KeyRow, type SiteRow, type SurveyRow } from '../rows.js';

/** Takes the site's row lock for the rest of `tx` and returns the site. Every write that appends to a
 * site's chain or log, or issues a survey, takes it first, so two instances never interleave there.
 * NO KEY UPDATE rather than UPDATE: inserts that only reference the site (a webhook delivery, an email)
 * need not wait for it, while two lockers of one site still queue. */
export async function lockSite(tx: Tx, siteId: number): Promise<SiteRow> {
  const [row] = await tx<SiteRow[]>`SELECT * FROM sites WHERE id = ${siteId} FOR NO KEY UPDATE`;
  if (!row) throw new Error(`no site with id ${siteId}`);
  return row;
}

/** Marks the site as changed for other instances (Store.dataVersion); inside the writer's transaction. */
export async function bumpVersion(tx: Tx, siteId: number): Promise<void> {
  await tx`INSERT INTO site_versions (site_id, version) VALUES (${siteId}, 1)
    ON CONFLICT (site_id) DO UPDATE SET version = site_versions.version + 1`;
}

/** Idempotent per (site, ticket); see Store.createSurvey. Runs inside the caller's transaction. */
export const createSurveyTx: CreateSurveyTx = async (tx, input, now) => {
  // The site's lock makes the ticket checks below and the insert one step towards a concurrent import
  // of the same ticket (which takes it too) and towards a concurrent call for the same ticket.
  const site = await lockSite(tx, input.siteId);
  const [existing] = await tx<SurveyRow[]>`SELECT * FROM surveys WHERE site_id = ${input.siteId} AND ticket_ref = ${input.ticketRef}`;
  if (existing) return { survey: toSurvey(existing), created: false, throttled: false };
  const email = surveyContact(input.contactEmail);
  const since = throttleSince(input);
  if (since !== null) {
    const [recent] = await tx<SurveyRow[]>`SELECT * FROM surveys
      WHERE site_id = ${input.siteId} AND contact_email = ${email} AND created_at > ${since}
      ORDER BY created_at DESC LIMIT 1`;
    if (recent) return { survey: toSurvey(recent), created: false, throttled: true };
  }
  const [rated] = await tx`SELECT 1 FROM responses WHERE site_id = ${input.siteId} AND ticket_ref = ${input.ticketRef}`;
  if (rated) throw new ConflictError('ticket_already_rated', `ticket ${input.ticketRef} already has an imported rating`);
  const ks = newSurveyKind(input, { kind: site.survey_kind, scale: site.scale || null });
  const [row] = await tx<SurveyRow[]>`
    INSERT INTO surveys (id, site_id, ticket_ref, token_id, team, technician, contact_email, contact_name, locale,
      created_at, expires_at, sealed, kind, scale, moment, campaign_id)
    VALUES (${publicId('sv')}, ${input.siteId}, ${input.ticketRef}, ${input.tokenId}, ${input.team ?? null},
      ${input.technician ?? null}, ${email}, ${input.contactName ?? null}, ${input.locale ?? null}, ${now},
      ${input.expiresAt}, ${input.sealed ? 1 : 0}, ${ks.kind}, ${scaleOf(ks)},
      ${newSurveyMoment(input)}, ${input.campaignId ?? null})
    RETURNING *`;
  await bumpVersion(tx, input.siteId);
  return { survey: toSurvey(row!), created: true, throttled: false };
};

type SiteMethods = Pick<Store,
  | 'createSite' | 'updateSite' | 'getSite' | 'getSiteById' | 'listSites'
  | 'addAdminKey' | 'getAdminKey' | 'listAdminKeys' | 'revokeAdminKey'
  | 'createSurvey' | 'getSurvey' | 'getSurveyByTokenId'>;

/** `notifyChange` tells other instances, on commit, that a site's settings (its window, say) changed. */
export function pgSites(sql: Sql, notifyChange: (tx: Tx, siteId: number) => Promise<void>): SiteMethods {
  return {
    async createSite(input, now) {
      const site = newSiteSettings(input);
      const [row] = await sql<SiteRow[]>`
        INSERT INTO sites (slug, name, survey_kind, scale, score_moments, window_days, change_window_days, token_ttl_days,
          industry, locale, throttle_days, created_at)
        VALUES (${site.slug}, ${site.name}, ${site.kind}, ${scaleOf(site)},
          ${site.scoreMoments ? JSON.stringify(site.scoreMoments) : null}, ${site.windowDays}, ${site.changeWindowDays},
          ${site.tokenTtlDays}, ${site.industry}, ${site.locale}, ${site.throttleDays}, ${now})
        ON CONFLICT (slug) DO NOTHING RETURNING *`;
      if (!row) throw new ConflictError('site_exists', `a site named ${input.slug} already exists`);
      return toSite(row);
    },
    async updateSite(slug, settings) {
      return transaction(sql, async (tx) => {
        const [current] = await tx<SiteRow[]>`SELECT * FROM sites WHERE slug = ${slug} FOR NO KEY UPDATE`;
        if (!current) return null;
        const site = siteAfterSettings(toSite(current), settings);
        const [row] = await tx<SiteRow[]>`
          UPDATE sites SET name = ${site.name}, window_days = ${site.windowDays}, change_window_days = ${site.changeWindowDays},
            token_ttl_days = ${site.tokenTtlDays}, industry = ${site.industry ?? null}, locale = ${site.locale},
            throttle_days = ${site.throttleDays}, score_moments = ${site.scoreMoments ? JSON.stringify(site.scoreMoments) : null}
          WHERE id = ${current.id} RETURNING *`;
        await bumpVersion(tx, current.id);
        await notifyChange(tx, current.id);
        return toSite(row!);
      });
    },
    async getSite(slug) {
      const [row] = await sql<SiteRow[]>`SELECT * FROM sites WHERE slug = ${slug}`;
      return row ? toSite(row) : null;
    },
    async getSiteById(id) {
      const [row] = await sql<SiteRow[]>`SELECT * FROM sites WHERE id = ${id}`;
      return row ? toSite(row) : null;
    },
    async listSites() {
      // Byte order, as SQLite sorts text, whatever the database's collation.
      return (await sql<SiteRow[]>`SELECT * FROM sites ORDER BY slug COLLATE "C"`).map(toSite);
    },
    async addAdminKey(key, now) {
      await sql`INSERT INTO admin_keys (id, site_id, key_hash, label, scope, created_at)
        VALUES (${key.id}, ${key.siteId}, ${key.hash}, ${key.label ?? null}, ${key.scope ?? 'admin'}, ${now})`;
    },
    async getAdminKey(id) {
      const [row] = await sql<KeyRow[]>`SELECT * FROM admin_keys WHERE id = ${id}`;
      return row ? toKey(row) : null;
    },
    async listAdminKeys(siteId) {
      return (await sql<KeyRow[]>`SELECT * FROM admin_keys WHERE site_id = ${siteId} ORDER BY created_at, id COLLATE "C"`).map(toKey);
    },
    async revokeAdminKey(siteId, keyId, now) {
      const result = await sql`UPDATE admin_keys SET revoked_at = ${now} WHERE site_id = ${siteId} AND id = ${keyId} AND revoked_at IS NULL`;
      return result.count === 1;
    },
    async createSurvey(input, now) {
      return transaction(sql, (tx) => createSurveyTx(tx, input, now));
    },
    async getSurvey(siteId, id) {
      const [row] = await sql<SurveyRow[]>`SELECT * FROM surveys WHERE site_id = ${siteId} AND id = ${id}`;
      return row ? toSurvey(row) : null;
    },
    async getSurveyByTokenId(tokenId) {
      const [row] = await sql<SurveyRow[]>`SELECT * FROM surveys WHERE token_id = ${tokenId}`;
      return row ? toSurvey(row) : null;
    },
  };
}
