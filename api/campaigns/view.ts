// The JSON shapes of campaigns and runs, shared by the admin API and the CLI's output.
import type { Campaign, CampaignContact, CampaignRun } from '../store/types-campaigns.js';
import type { RunResultItem } from './runs.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function campaignView(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    scale: c.scale,
    moment: c.moment,
    everyDays: c.everyDays,
    throttleDays: c.throttleDays,
    startsAt: iso(c.startsAt),
    nextRunAt: iso(c.nextRunAt),
    // "finished": active with nothing more scheduled (a once campaign that ran).
    status: c.status === 'active' && c.nextRunAt === null ? ('finished' as const) : c.status,
    runCount: c.runs,
    contactCount: c.contacts,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export function runView(r: CampaignRun) {
  return {
    run: r.seq,
    trigger: r.trigger,
    dueAt: iso(r.dueAt),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    counts: r.counts,
  };
}

export function contactView(c: CampaignContact) {
  return { email: c.email, name: c.name, locale: c.locale };
}

export function runItemView(i: RunResultItem) {
  return { email: i.email, ticketRef: i.ticketRef, status: i.status, surveyId: i.surveyId, link: i.link, emailStatus: i.emailStatus };
}
