// Relationship campaigns of a site (admin key): an NPS, CSAT or reaction survey sent to every client
// contact on a schedule (once, or every N days), skipping contacts who opted out or got any survey of
// the site within the campaign's throttle. Create, list, read (with runs and their counts), pause,
// resume, replace contacts, stop, and run now. Every write is all or nothing.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { checkContacts, contactSchema, describeProblems, parseContactsCsv, type ContactList } from '../campaigns/contacts.js';
import { CampaignNotActiveError, campaignRunner, type RunResultItem } from '../campaigns/runs.js';
import { CAMPAIGN_MOMENT, campaignTicketRef, DEFAULT_THROTTLE_DAYS, MAX_CONTACTS, MAX_EVERY_DAYS, MAX_THROTTLE_DAYS } from '../campaigns/schedule.js';
import { campaignView, contactView, runItemView, runView } from '../campaigns/view.js';
import { KINDS, kindScaleProblem } from '../domain/kinds.js';
import { isMoment } from '../domain/moments.js';
import { publicId, surveyToken } from '../domain/tokens.js';
import { ApiError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { jsonBody, requireJson } from '../middleware/json-body.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { surveyLinks } from '../services/surveys.js';
import { ConflictError } from '../store/errors.js';
import type { Campaign, NewCampaignContact } from '../store/types-campaigns.js';
import type { Store } from '../store/types.js';

/** A full list of 10,000 contacts with names fits; the other routes keep their 16 KiB limit. */
export const MAX_CAMPAIGN_BODY_BYTES = 4 * 1024 * 1024;

const limitCampaignBody = bodyLimit({
  maxSize: MAX_CAMPAIGN_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `the request body must be at most ${MAX_CAMPAIGN_BODY_BYTES} bytes`);
  },
});

const contactsField = {
  /** JSON contacts, or the same as CSV text (header email,name,locale): one of the two. */
  contacts: z.array(contactSchema).max(MAX_CONTACTS, `a campaign has at most ${MAX_CONTACTS} contacts`).optional(),
  contactsCsv: z.string().max(MAX_CAMPAIGN_BODY_BYTES).optional(),
};

const createSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(KINDS),
  scale: z.number().int().optional(),
  moment: z.string().refine(isMoment, 'a moment is 1-40 lower-case letters, digits and dashes').optional(),
  /** Omitted or null: the campaign runs once. */
  everyDays: z.number().int().min(1).max(MAX_EVERY_DAYS).nullable().optional(),
  throttleDays: z.number().int().min(0).max(MAX_THROTTLE_DAYS).optional(),
  /** ISO 8601; default now. */
  startsAt: z.iso.datetime({ offset: true }).optional(),
  ...contactsField,
});

const changeSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    /** Pause or resume; stopping is DELETE. */
    status: z.enum(['active', 'paused']).optional(),
    throttleDays: z.number().int().min(0).max(MAX_THROTTLE_DAYS).optional(),
    ...contactsField,
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one thing to change');

/** The contact list of a body: JSON or CSV, never both; null when neither is given. */
function contactsOf(body: { contacts?: Array<z.infer<typeof contactSchema>>; contactsCsv?: string }): NewCampaignContact[] | null {
  if (body.contacts && body.contactsCsv !== undefined) throw new ApiError(400, 'invalid_request', 'give contacts or contactsCsv, not both');
  let list: ContactList;
  if (body.contacts) list = checkContacts(body.contacts.map((c, i) => ({ ...c, line: i + 1 })));
  else if (body.contactsCsv !== undefined) list = parseContactsCsv(body.contactsCsv);
  else return null;
  if (!list.ok) throw new ApiError(400, 'invalid_contacts', describeProblems(list.problems, body.contacts ? 'contact' : 'line'));
  return list.contacts;
}

const noCampaign = (id: string) => new ApiError(404, 'campaign_not_found', `this site has no campaign "${id}"`);

export function campaignRoutes(deps: { store: Store; clock: Clock; config: AppConfig }) {
  const { store, clock, config } = deps;
  const site = loadSite(store);
  const admin = adminAuth(store);
  const runner = campaignRunner(deps);

  const found = async (c: Context<SiteEnv>): Promise<Campaign> => {
    const id = c.req.param('id') ?? '';
    const campaign = await store.getCampaign(c.get('site').id, id);
    if (!campaign) throw noCampaign(id);
    return campaign;
  };

  /** A run's surveys as a run returned them: links recomputed from the tokens (never for sealed ones). */
  const runItems = async (siteId: number, campaignId: string, seq: number): Promise<RunResultItem[]> => {
    const items: RunResultItem[] = [];
    const contacts = new Map((await store.listCampaignContacts(campaignId)).map((k) => [k.n, k.email]));
    for (const item of await store.listRunItems(campaignId, seq)) {
      const survey = item.surveyId ? await store.getSurvey(siteId, item.surveyId) : null;
      const email = survey ? await store.getEmailForSurvey(survey.id) : null;
      items.push({
        n: item.n,
        email: survey ? survey.contactEmail : (contacts.get(item.n) ?? null),
        ticketRef: campaignTicketRef(campaignId, seq, item.n),
        status: item.status,
        surveyId: item.surveyId,
        link: survey && !survey.sealed ? surveyLinks(config.publicUrl, surveyToken(config.tokenSecret, survey.tokenId)).page : null,
        emailStatus: email?.status ?? null,
      });
    }
    return items;
  };

  return new Hono<SiteEnv>()
    .post('/:site/campaigns', site, admin, limitCampaignBody, requireJson, jsonBody(createSchema), async (c) => {
      const body = c.req.valid('json');
      const scale = body.scale ?? null;
      const problem = kindScaleProblem(body.kind, scale);
      if (problem) throw new ApiError(400, 'invalid_request', `scale: ${problem}`);
      const contacts = contactsOf(body);
      if (!contacts) throw new ApiError(400, 'invalid_request', 'contacts: give the contact list (contacts as JSON, or contactsCsv)');
      const now = clock.now();
      const campaign = await store.createCampaign(
        {
          id: publicId('cp'),
          siteId: c.get('site').id,
          name: body.name,
          kind: body.kind,
          scale,
          moment: body.moment ?? CAMPAIGN_MOMENT,
          everyDays: body.everyDays ?? null,
          throttleDays: body.throttleDays ?? DEFAULT_THROTTLE_DAYS,
          startsAt: body.startsAt === undefined ? now : Date.parse(body.startsAt),
          contacts,
        },
        now,
      );
      return c.json(campaignView(campaign), 201);
    })
    .get('/:site/campaigns', site, admin, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ items: (await store.listCampaigns(c.get('site').id)).map(campaignView) });
    })
    .get('/:site/campaigns/:id', site, admin, async (c) => {
      c.header('Cache-Control', 'no-store');
      const campaign = await found(c);
      const [runs, contacts] = await Promise.all([store.listCampaignRuns(campaign.id), store.listCampaignContacts(campaign.id)]);
      return c.json({ ...campaignView(campaign), runs: runs.map(runView), contacts: contacts.map(contactView) });
    })
    .patch('/:site/campaigns/:id', site, admin, limitCampaignBody, requireJson, jsonBody(changeSchema), async (c) => {
      const campaign = await found(c);
      if (campaign.status === 'stopped') throw new ApiError(409, 'campaign_stopped', 'this campaign is stopped; create a new one');
      const { contacts: _json, contactsCsv: _csv, ...rest } = c.req.valid('json');
      const contacts = contactsOf(c.req.valid('json'));
      const updated = await store.updateCampaign(c.get('site').id, campaign.id, { ...rest, ...(contacts ? { contacts } : {}) }, clock.now());
      if (!updated) throw noCampaign(campaign.id);
      return c.json(campaignView(updated));
    })
    // Stops for good (no more runs); its runs and surveys stay, as do their answers.
    .delete('/:site/campaigns/:id', site, admin, async (c) => {
      const campaign = await found(c);
      const updated = await store.updateCampaign(c.get('site').id, campaign.id, { status: 'stopped' }, clock.now());
      if (!updated) throw noCampaign(campaign.id);
      return c.json(campaignView(updated));
    })
    .post('/:site/campaigns/:id/run', site, admin, async (c) => {
      const campaign = await found(c);
      try {
        const result = await runner.runNow(c.get('site'), campaign);
        return c.json({ ...runView(result.run), surveys: result.items.map(runItemView) }, 201);
      } catch (error) {
        if (error instanceof CampaignNotActiveError) throw new ApiError(409, error.code, error.message);
        if (error instanceof ConflictError) throw new ApiError(409, error.code, error.message);
        throw error;
      }
    })
    .get('/:site/campaigns/:id/runs/:run', site, admin, async (c) => {
      c.header('Cache-Control', 'no-store');
      const campaign = await found(c);
      const seq = /^\d{1,9}$/.test(c.req.param('run')) ? Number(c.req.param('run')) : NaN;
      const run = Number.isSafeInteger(seq) ? await store.getCampaignRun(campaign.id, seq) : null;
      if (!run) throw new ApiError(404, 'run_not_found', `campaign "${campaign.id}" has no run ${c.req.param('run')}`);
      const items = await runItems(c.get('site').id, campaign.id, run.seq);
      return c.json({ ...runView(run), surveys: items.map(runItemView) });
    });
}
