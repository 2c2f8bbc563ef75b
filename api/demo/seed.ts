// A believable quarter for each demo site, so the first request after `npm start` shows real scores in
// each survey kind. Brightline IT, the demo company, asks three ways:
// - `demo`: a reaction after every closed help-desk ticket. The shape follows one reference quarter of
//   a real IT firm: 1,061 responses, 98.5% positive, 0.8% neutral, 0.7% negative, mostly on weekdays.
// - `demo-csat`: CSAT 1-5 after on-site visits and maintenance windows, mostly 5s and 4s (~92% satisfied).
// - `demo-nps`: NPS 0-10 from client contacts, mostly a quarterly relationship check-in sent in two
//   batches six weeks apart (answers trailing off over the two weeks after each send), plus onboarding
//   and project closings; promoters, passives and detractors give an NPS of 50.
// Deterministic (seeded PRNG): the same history every time for the same `now`. Written through the
// ordinary survey and response paths (chained like any other answer), each answer marked as seeded.
import { normaliseDimensions, type Dimension } from '../domain/dimensions.js';
import { classOf, type AnswerClass, type KindScale, type SurveyKind } from '../domain/kinds.js';
import { CAMPAIGN_MOMENT } from '../campaigns/schedule.js';
import { seededRandom } from '../domain/seeded-random.js';
import { newAdminKey, newTokenId } from '../domain/tokens.js';
import { DAY_MS, dayOf } from '../domain/window.js';
import type { Site, Store } from '../store/types.js';
import { withoutDiskWaits } from '../store/bulk-load.js';

/** The reaction site: the one in the demo pages' header, and the one the server prints. */
export const DEMO_SLUG = 'demo';
export const DEMO_CSAT_SLUG = 'demo-csat';
export const DEMO_NPS_SLUG = 'demo-nps';

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

/** One demo site and the quarter it gets. */
export interface DemoSiteSpec {
  slug: string;
  name: string;
  kind: SurveyKind;
  scale: number | null;
  industry: string | null;
  /** PRNG seed of its history. */
  seed: number;
  /** Answers per value over the quarter (reactions: 1, 0, -1). */
  answers: Weighted<number>;
  /** Share of answers per moment. */
  moments: Weighted<string>;
  /** Moments whose answers come in waves after a send (relationship check-ins), not day by day. */
  waveMoments: readonly string[];
  ticketPrefix: Readonly<Record<string, string>>;
  teams: readonly string[];
  technicians: readonly string[];
  comments: Readonly<Record<AnswerClass, readonly string[]>>;
  /** Chance an answer of each class has a comment. */
  commentChance: Readonly<Record<AnswerClass, number>>;
}

const HELP_DESK_TECHNICIANS = ['Amara Okafor', 'Ben Schultz', 'Chloé Martin', 'Dev Patel', 'Elena Rossi', 'Farid Haddad'];

export const DEMO_SITES: readonly DemoSiteSpec[] = [
  {
    slug: DEMO_SLUG,
    name: 'Brightline IT (demo)',
    kind: 'reaction',
    scale: null,
    industry: 'it-services',
    seed: 20261123,
    // 1,045 + 9 + 7 = 1,061: 98.5% positive, 0.8% neutral, 0.7% negative, score 98 (97.8).
    answers: [[1, 1045], [0, 9], [-1, 7]],
    moments: [['ticket-closed', 0.96], ['maintenance', 0.04]],
    waveMoments: [],
    ticketPrefix: { 'ticket-closed': 'TCK', maintenance: 'MNT' },
    teams: ['Service Desk', 'Field Services', 'Projects'],
    technicians: HELP_DESK_TECHNICIANS,
    comments: {
      positive: [
        'Fixed before I finished my coffee. Thank you!',
        'Very patient walking me through the VPN setup.',
        'Quick and friendly, as always.',
        'Printer works again, you are heroes.',
        'Great explanation of what went wrong.',
      ],
      neutral: ['Solved, but it took two calls.', 'Fine, though I had to chase for an update.'],
      negative: ['Waited three days for a password reset.', 'The laptop came back with the same problem.'],
    },
    commentChance: { positive: 0.2, neutral: 0.9, negative: 0.9 },
  },
  {
    slug: DEMO_CSAT_SLUG,
    name: 'Brightline IT Field Services (demo)',
    kind: 'csat',
    scale: 5,
    industry: null,
    seed: 20261124,
    // 420 answers: 286 fives, 101 fours, 19 threes, 8 twos, 6 ones: 387 satisfied, CSAT 92%.
    answers: [[5, 286], [4, 101], [3, 19], [2, 8], [1, 6]],
    moments: [['ticket-closed', 0.78], ['maintenance', 0.14], ['onboarding', 0.08]],
    waveMoments: [],
    ticketPrefix: { 'ticket-closed': 'VIS', maintenance: 'MNT', onboarding: 'ONB' },
    teams: ['Field Services', 'Infrastructure'],
    technicians: ['Grace Lindqvist', 'Hugo Moreau', 'Imani Mensah', 'Jonas Weber', 'Karim Benali'],
    comments: {
      positive: [
        'On time, tidy, and explained everything before leaving.',
        'The new switch was in and working within the hour.',
        'Friendly technician, the meeting room screen finally works.',
        'Maintenance done overnight as promised, nobody noticed a thing.',
        'Set up all five new starters in one morning.',
      ],
      neutral: ['Job done, but the visit was rescheduled twice.', 'Fine, although the cabling is still a bit messy.'],
      negative: ['The technician arrived two hours late.', 'The Wi-Fi dropped again the day after the visit.', 'Nobody told us the server would be down all afternoon.'],
    },
    commentChance: { positive: 0.25, neutral: 0.7, negative: 0.85 },
  },
  {
    slug: DEMO_NPS_SLUG,
    name: 'Brightline IT Client Relationship (demo)',
    kind: 'nps',
    scale: null,
    industry: null,
    seed: 20261125,
    // 240 answers: 149 promoters (62.1%), 62 passives, 29 detractors (12.1%): NPS 50.
    answers: [[10, 90], [9, 59], [8, 40], [7, 22], [6, 12], [5, 7], [4, 4], [3, 3], [2, 1], [1, 1], [0, 1]],
    moments: [[CAMPAIGN_MOMENT, 0.75], ['onboarding', 0.15], ['project', 0.1]],
    waveMoments: [CAMPAIGN_MOMENT],
    ticketPrefix: { [CAMPAIGN_MOMENT]: 'CHK', onboarding: 'ONB', project: 'PRJ' },
    teams: ['Account Management'],
    technicians: ['Lena Fischer', 'Marcus Reid', 'Noor Al-Sayed'],
    comments: {
      positive: [
        'They feel like part of our own team.',
        'Proactive: they spotted the backup problem before we did.',
        'The office move went without a single lost hour.',
        'Clear monthly reports and honest advice.',
        'I already recommended them to two other firms.',
      ],
      neutral: ['Good service, but the price went up this year.', 'Solid, though response times vary.', 'Fine overall; the project ran a few weeks late.'],
      negative: ['Too many different people on our account.', 'The migration caused a week of disruption.', 'We keep reporting the same printer issue.'],
    },
    commentChance: { positive: 0.35, neutral: 0.6, negative: 0.85 },
  },
];

export const DEMO_SLUGS: readonly string[] = DEMO_SITES.map((s) => s.slug);

/** What respondents name as mattered most, per class: speed and know-how when it went well, speed and
 * getting it right when it did not. */
const DIMENSION_WEIGHTS: Readonly<Record<AnswerClass, Weighted<Dimension>>> = {
  positive: [['responsiveness', 35], ['assurance', 25], ['empathy', 20], ['reliability', 15], ['tangibles', 5]],
  neutral: [['responsiveness', 35], ['reliability', 30], ['assurance', 15], ['empathy', 15], ['tangibles', 5]],
  negative: [['responsiveness', 45], ['reliability', 35], ['empathy', 10], ['assurance', 5], ['tangibles', 5]],
};
const DIMENSION_CHANCE: Readonly<Record<AnswerClass, number>> = { positive: 0.3, neutral: 0.6, negative: 0.75 };

export interface DemoPlan {
  at: number;
  ticketRef: string;
  moment: string;
  team: string;
  technician: string;
  contactEmail: string;
  /** On the site's scale (reactions: 1, 0, -1). */
  value: number;
  dimensions: Dimension[];
  comment: string | null;
}

/** A site's demo history ending at `now`, oldest first (pure: no I/O, same output for the same input). */
export function demoHistory(spec: DemoSiteSpec, now: number, days = 90): DemoPlan[] {
  const random = seededRandom(spec.seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const weighted = <T>(list: Weighted<T>) => {
    let r = random() * list.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of list) if ((r -= w) < 0) return item;
    return list[list.length - 1]![0];
  };
  const ks: KindScale = { kind: spec.kind, scale: spec.scale };
  const values = spec.answers.flatMap(([value, count]) => Array<number>(count).fill(value));
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  // Weekdays get five times the weight of weekend days; times fall in office hours (UTC).
  const start = (dayOf(now) - days + 1) * DAY_MS; // midnight UTC, `days - 1` days ago
  const dayWeights = Array.from({ length: days }, (_, d) => {
    const weekday = new Date(start + d * DAY_MS).getUTCDay();
    return weekday === 0 || weekday === 6 ? 1 : 5;
  });
  const totalWeight = dayWeights.reduce((a, b) => a + b, 0);
  const weekdayish = () => {
    let r = random() * totalWeight;
    let day = 0;
    while (day < days - 1 && (r -= dayWeights[day]!) > 0) day++;
    return day;
  };
  // The quarterly check-in goes out in two batches of contacts, six weeks apart; most answer within days.
  const waves = [Math.floor(days * 0.08), Math.floor(days * 0.58)];
  const inWave = () => Math.min(days - 1, pick(waves) + Math.floor(-Math.log(1 - random()) * 3.5));
  const serial = new Map<string, number>();
  const plans = values.map((value, i) => {
    const moment = weighted(spec.moments);
    const day = spec.waveMoments.includes(moment) ? inWave() : weekdayish();
    const at = Math.min(now - 60_000, Math.round(start + day * DAY_MS + (8 + random() * 9) * 3_600_000));
    const cls = classOf(ks, value);
    const prefix = spec.ticketPrefix[moment] ?? 'TCK';
    const n = (serial.get(prefix) ?? 0) + 1;
    serial.set(prefix, n);
    const named = random() < DIMENSION_CHANCE[cls] ? (random() < 0.7 ? 1 : 2) : 0;
    const dimensions = new Set<Dimension>();
    while (dimensions.size < named) dimensions.add(weighted(DIMENSION_WEIGHTS[cls]));
    return {
      at,
      ticketRef: `${prefix}-${(40_000 + n).toString()}`,
      moment,
      team: pick(spec.teams),
      technician: pick(spec.technicians),
      contactEmail: `client-${(1 + Math.floor(random() * 0xffffff)).toString(16).padStart(6, '0')}-${i.toString()}@example.com`,
      value,
      dimensions: normaliseDimensions([...dimensions]) ?? [],
      comment: random() < spec.commentChance[cls] ? pick(spec.comments[cls]) : null,
    };
  });
  return plans.sort((a, b) => a.at - b.at);
}

export interface SeededDemoSite {
  site: Site;
  /** Plaintext admin key of a site created now; null for a demo site that already existed. */
  adminKey: string | null;
}

/**
 * Creates each demo site that does not exist yet, with an admin key and its quarter of history through
 * the ordinary survey and response paths, each answer marked as seeded so the score shows it is demo
 * history. Sites that already exist are left as they are, so seeding twice changes nothing.
 * `site`/`adminKey` are the reaction site's (the one the server prints); `sites` lists all three.
 */
export async function seedDemo(store: Store, now: number): Promise<SeededDemoSite & { sites: SeededDemoSite[] }> {
  const sites: SeededDemoSite[] = [];
  await withoutDiskWaits(store, async () => {
    for (const spec of DEMO_SITES) sites.push(await seedSite(store, spec, now));
  });
  return { ...sites[0]!, sites };
}

async function seedSite(store: Store, spec: DemoSiteSpec, now: number): Promise<SeededDemoSite> {
  const existing = await store.getSite(spec.slug);
  if (existing) return { site: existing, adminKey: null };
  const site = await store.createSite(
    { slug: spec.slug, name: spec.name, kind: spec.kind, scale: spec.scale, windowDays: 90, industry: spec.industry },
    now - 91 * DAY_MS,
  );
  const key = newAdminKey();
  await store.addAdminKey({ id: key.id, siteId: site.id, hash: key.hash, label: 'demo' }, now);
  for (const plan of demoHistory(spec, now)) {
    const surveyAt = plan.at - 2 * 3_600_000;
    const { survey } = await store.createSurvey(
      {
        siteId: site.id,
        ticketRef: plan.ticketRef,
        tokenId: newTokenId(),
        team: plan.team,
        technician: plan.technician,
        contactEmail: plan.contactEmail,
        moment: plan.moment,
        expiresAt: surveyAt + site.tokenTtlDays * DAY_MS,
      },
      surveyAt,
    );
    // Marked as seeded: the score says how much of it is demo history, not real clients' answers.
    await store.submitResponse(
      {
        survey,
        value: plan.value,
        dimensions: plan.dimensions,
        comment: plan.comment,
        changeWindowMs: site.changeWindowDays * DAY_MS,
        seeded: true,
      },
      plan.at,
    );
  }
  return { site, adminKey: key.key };
}
