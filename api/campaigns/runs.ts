// Runs a relationship campaign: one survey per due contact, through the same survey service as ticket
// surveys (token lifetime, opt-outs, survey fatigue, the email queued in the survey's own transaction).
//
// Durable without double sends: a run is first claimed (its number recorded and the schedule moved, in
// one transaction, so two processes never start the same run); each contact's survey then carries the
// ticketRef <campaign>/<run>/<contact>, and the store creates at most one survey per ticketRef. A run cut
// short by a crash is resumed by the worker: contacts already done get their existing survey back (no
// second email), the others get theirs.
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { surveyService, type SurveyOutcome } from '../services/surveys.js';
import type { Campaign, CampaignContact, CampaignRun, RunItemStatus } from '../store/types-campaigns.js';
import type { Site, Store } from '../store/types.js';
import { campaignTicketRef, nextRunAfter, throttleSince } from './schedule.js';

export interface RunResultItem {
  n: number;
  /** null when the contact has since left the list and got no survey in this run. */
  email: string | null;
  ticketRef: string;
  status: RunItemStatus;
  surveyId: string | null;
  /** The survey page, when csat-badge does not email it (a sealed survey's link is only in its email). */
  link: string | null;
  /** The survey email's state when the site sends email. */
  emailStatus: string | null;
}

export interface RunResult {
  run: CampaignRun;
  items: RunResultItem[];
}

export class CampaignNotActiveError extends Error {
  readonly code = 'campaign_not_active';
}

/** The store as the survey service sees it during a run: each survey it creates gets the campaign's
 * kind, scale, moment and id, and the campaign's throttle instead of the site's. */
function campaignStoreView(store: Store, campaign: Campaign, since: number | undefined): Store {
  const view = Object.create(store) as Store;
  view.createSurveyWithEmail = (input, email, now) =>
    store.createSurveyWithEmail(
      { ...input, kind: campaign.kind, scale: campaign.scale, moment: campaign.moment, campaignId: campaign.id, throttleSince: since },
      email,
      now,
    );
  return view;
}

const statusOf = (outcome: SurveyOutcome): RunItemStatus =>
  outcome.status === 'throttled' ? 'throttled' : outcome.status === 'opted_out' ? 'opted_out' : 'issued';

export function campaignRunner(deps: { store: Store; clock: Clock; config: AppConfig; logError?: (message: string, error: unknown) => void }) {
  const { store, clock, config } = deps;
  const logError = deps.logError ?? config.logError ?? ((message, error) => console.error(message, error));
  // Runs this process is executing now, so the worker does not resume a run a request is running.
  const inFlight = new Set<string>();

  /** `stopping`: the server is shutting down; the run is left unfinished and the next start resumes it. */
  const execute = async (site: Site, campaign: Campaign, run: CampaignRun, stopping: () => boolean = () => false): Promise<RunResult | null> => {
    const key = `${campaign.id}/${run.seq}`;
    inFlight.add(key);
    try {
      const contacts: CampaignContact[] = await store.listCampaignContacts(campaign.id);
      const since = throttleSince(campaign.throttleDays, clock.now());
      const surveys = surveyService({ store: campaignStoreView(store, campaign, since), clock, config });
      // The service words its throttle answer with the site's setting: here it is the campaign's.
      const asSite: Site = { ...site, throttleDays: campaign.throttleDays };
      const items: RunResultItem[] = [];
      for (const contact of contacts) {
        if (stopping()) return null;
        const ticketRef = campaignTicketRef(campaign.id, run.seq, contact.n);
        const outcome = await surveys.create(asSite, {
          ticketRef,
          locale: contact.locale ?? undefined,
          contact: { email: contact.email, name: contact.name ?? undefined },
        });
        const status = statusOf(outcome);
        const surveyId = outcome.status === 'created' || outcome.status === 'existing' ? outcome.survey.id : null;
        await store.recordRunItem(campaign.id, run.seq, { n: contact.n, status, surveyId });
        items.push({
          n: contact.n,
          email: contact.email,
          ticketRef,
          status,
          surveyId,
          link: 'links' in outcome && outcome.links ? outcome.links.page : null,
          emailStatus: outcome.email?.status ?? null,
        });
      }
      await store.finishCampaignRun(campaign.id, run.seq, clock.now());
      return { run: (await store.getCampaignRun(campaign.id, run.seq))!, items };
    } finally {
      inFlight.delete(key);
    }
  };

  return {
    /** "Run now": a run outside the schedule (a once campaign is then done; a recurring one keeps its
     * schedule). @throws CampaignNotActiveError when the campaign is paused or stopped. */
    async runNow(site: Site, campaign: Campaign): Promise<RunResult> {
      const run = await store.startCampaignRun(campaign.id, { trigger: 'manual', nextRunAt: campaign.everyDays === null ? null : 'unchanged' }, clock.now());
      if (!run) throw new CampaignNotActiveError(`campaign ${campaign.id} is ${campaign.status === 'active' ? 'no longer active' : campaign.status}: resume it first`);
      return (await execute(site, campaign, run))!;
    },

    /** One pass of the time-driven side: finishes runs a stopped process left unfinished, then starts
     * every due run. Returns how many runs it executed. */
    async runDue(options: { limit?: number; stopping?: () => boolean } = {}): Promise<number> {
      const { limit = 20, stopping = () => false } = options;
      let done = 0;
      for (const run of await store.unfinishedCampaignRuns()) {
        if (stopping()) return done;
        if (inFlight.has(`${run.campaignId}/${run.seq}`)) continue;
        const campaign = await store.getCampaignById(run.campaignId);
        const site = campaign && (await store.getSiteById(campaign.siteId));
        if (!campaign || !site) continue;
        // A stopped campaign's interrupted run ends where it stopped; a paused one waits for its resume.
        if (campaign.status === 'stopped') await store.finishCampaignRun(run.campaignId, run.seq, clock.now());
        if (campaign.status !== 'active') continue;
        try {
          if (await execute(site, campaign, run, stopping)) done += 1;
        } catch (error) {
          logError(`campaign ${campaign.id}: resuming run ${run.seq} failed`, error);
        }
      }
      for (const campaign of await store.dueCampaigns(clock.now(), limit)) {
        if (stopping()) return done;
        const site = await store.getSiteById(campaign.siteId);
        if (!site || campaign.nextRunAt === null) continue;
        const now = clock.now();
        const run = await store.startCampaignRun(campaign.id, { trigger: 'schedule', dueAt: campaign.nextRunAt, nextRunAt: nextRunAfter(campaign, now) }, now);
        if (!run) continue; // another process started it
        try {
          if (await execute(site, campaign, run, stopping)) done += 1;
        } catch (error) {
          // Left unfinished: the next round resumes it.
          logError(`campaign ${campaign.id}: run ${run.seq} stopped early`, error);
        }
      }
      return done;
    },
  };
}

export type CampaignRunner = ReturnType<typeof campaignRunner>;
