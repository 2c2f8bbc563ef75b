// A believable quarter for the `demo` site, so the first request after `npm start` shows a real score.
// Deterministic (seeded PRNG): the same history every time. The shape follows one reference quarter of a
// real IT firm: 1,061 responses, 98.5% positive, 0.8% neutral, 0.7% negative, mostly on weekdays.
import { randomBytes } from 'node:crypto';
import type { Reaction } from './domain/reaction.js';
import { seededRandom } from './domain/seeded-random.js';
import { newAdminKey, newTokenId } from './domain/tokens.js';
import { DAY_MS, dayOf } from './domain/window.js';
import type { Site, Store } from './store/types.js';

export const DEMO_SLUG = 'demo';

const TEAMS = ['Service Desk', 'Field Services', 'Projects'];
const TECHNICIANS = ['Amara Okafor', 'Ben Schultz', 'Chloé Martin', 'Dev Patel', 'Elena Rossi', 'Farid Haddad'];
const POSITIVE_COMMENTS = [
  'Fixed before I finished my coffee. Thank you!',
  'Very patient walking me through the VPN setup.',
  'Quick and friendly, as always.',
  'Printer works again, you are heroes.',
  'Great explanation of what went wrong.',
];
const NEUTRAL_COMMENTS = ['Solved, but it took two calls.', 'Fine, though I had to chase for an update.'];
const NEGATIVE_COMMENTS = ['Waited three days for a password reset.', 'The laptop came back with the same problem.'];

export interface DemoPlan {
  at: number;
  ticketRef: string;
  team: string;
  technician: string;
  reaction: Reaction;
  comment: string | null;
}

/** The demo history ending at `now`, oldest first. */
export function demoHistory(now: number, counts = { positive: 1045, neutral: 9, negative: 7 }, days = 90): DemoPlan[] {
  const random = seededRandom(20261123);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const reactions: Reaction[] = [
    ...Array<Reaction>(counts.positive).fill('positive'),
    ...Array<Reaction>(counts.neutral).fill('neutral'),
    ...Array<Reaction>(counts.negative).fill('negative'),
  ];
  for (let i = reactions.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [reactions[i], reactions[j]] = [reactions[j]!, reactions[i]!];
  }
  // Weekdays get five times the weight of weekend days; times fall in office hours (UTC).
  const start = (dayOf(now) - days + 1) * DAY_MS; // midnight UTC, `days - 1` days ago
  const dayWeights = Array.from({ length: days }, (_, d) => {
    const weekday = new Date(start + d * DAY_MS).getUTCDay();
    return weekday === 0 || weekday === 6 ? 1 : 5;
  });
  const totalWeight = dayWeights.reduce((a, b) => a + b, 0);
  const plans = reactions.map((reaction, i) => {
    let r = random() * totalWeight;
    let day = 0;
    while (day < days - 1 && (r -= dayWeights[day]!) > 0) day++;
    const at = Math.min(now - 60_000, Math.round(start + day * DAY_MS + (8 + random() * 9) * 3_600_000));
    const commentChance = reaction === 'positive' ? 0.2 : 0.9;
    const comments = reaction === 'positive' ? POSITIVE_COMMENTS : reaction === 'neutral' ? NEUTRAL_COMMENTS : NEGATIVE_COMMENTS;
    return {
      at,
      ticketRef: `TCK-${(40_000 + i).toString()}`,
      team: pick(TEAMS),
      technician: pick(TECHNICIANS),
      reaction,
      comment: random() < commentChance ? pick(comments) : null,
    };
  });
  return plans.sort((a, b) => a.at - b.at);
}

/** Creates the demo site with its admin key and history through the ordinary survey and response
 * paths (chained like any other), each rating marked as seeded so the score shows it is demo history.
 * Returns the plaintext admin key. */
export async function seedDemo(store: Store, now: number): Promise<{ site: Site; adminKey: string }> {
  const site = await store.createSite(
    { slug: DEMO_SLUG, name: 'Brightline IT (demo)', windowDays: 90, industry: 'it-services' },
    now - 91 * DAY_MS,
  );
  const key = newAdminKey();
  await store.addAdminKey({ id: key.id, siteId: site.id, hash: key.hash, label: 'demo' }, now);
  for (const plan of demoHistory(now)) {
    const surveyAt = plan.at - 2 * 3_600_000;
    const { survey } = await store.createSurvey(
      {
        siteId: site.id,
        ticketRef: plan.ticketRef,
        tokenId: newTokenId(),
        team: plan.team,
        technician: plan.technician,
        contactEmail: `client-${randomBytes(3).toString('hex')}@example.com`,
        expiresAt: surveyAt + site.tokenTtlDays * DAY_MS,
      },
      surveyAt,
    );
    // Marked as seeded: the score says how much of it is demo history, not real clients' answers.
    await store.submitResponse(
      { survey, reaction: plan.reaction, comment: plan.comment, changeWindowMs: site.changeWindowDays * DAY_MS, seeded: true },
      plan.at,
    );
  }
  return { site, adminKey: key.key };
}
