// `csat campaign ...`: relationship campaigns from the server's command line, on the same database and
// with the same rules as the admin API (create from a CSV of contacts, list, show, run now, pause,
// resume, stop).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { CliIo } from './main.js';
import { describeProblems, parseContactsCsv } from '../campaigns/contacts.js';
import { CampaignNotActiveError, campaignRunner } from '../campaigns/runs.js';
import { CAMPAIGN_MOMENT, DEFAULT_THROTTLE_DAYS, MAX_EVERY_DAYS, MAX_THROTTLE_DAYS } from '../campaigns/schedule.js';
import { isKind, kindScaleProblem } from '../domain/kinds.js';
import { isMoment } from '../domain/moments.js';
import { publicId } from '../domain/tokens.js';
import { loadServerSecret } from '../server-secret.js';
import { lazyStore } from './lazy-store.js';
import type { Campaign, CampaignRun } from '../store/types-campaigns.js';

export const CAMPAIGN_USAGE = `  campaign create <site> --name <name> --kind nps|csat|reaction [--scale 3|5|10] --contacts <file.csv>
           [--every N] [--throttle N] [--moment <name>] [--start <ISO date>]
                                   a relationship survey to each contact (CSV header email,name,locale),
                                   once or every N days; contacts who got any survey of the site within
                                   --throttle days (default ${DEFAULT_THROTTLE_DAYS}) or opted out are skipped
  campaign list <site>             the site's campaigns: id, kind, schedule, state, next run
  campaign show <site> <id>        one campaign and its runs with their counts
  campaign run <site> <id>         run it now; prints the survey links when the site does not email them
  campaign pause|resume|stop <site> <id>`;

class CampaignUsageError extends Error {}

/** True when the command line is a `campaign` command (`--db <file>` may come first). */
export function isCampaignCommand(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--db') i += 1;
    else if (!arg.startsWith('-')) return arg === 'campaign';
  }
  return false;
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

function whole(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new CampaignUsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

const describeCampaign = (c: Campaign) =>
  [
    c.id,
    c.name,
    c.kind === 'csat' ? `csat ${c.scale}` : c.kind,
    c.everyDays === null ? 'once' : `every ${c.everyDays}d`,
    `throttle ${c.throttleDays ? `${c.throttleDays}d` : 'off'}`,
    c.status === 'active' && c.nextRunAt === null ? 'finished' : c.status,
    `next ${iso(c.nextRunAt)}`,
    `runs ${c.runs}`,
    `contacts ${c.contacts}`,
  ].join('  ');

const describeRun = (r: CampaignRun) =>
  `run ${r.seq}  ${r.trigger}  ${iso(r.startedAt)}  ${r.finishedAt === null ? 'unfinished' : 'done'}  ` +
  `contacts ${r.counts.contacts}, issued ${r.counts.issued}, throttled ${r.counts.throttled}, opted out ${r.counts.optedOut}, answered ${r.counts.answered}`;

export async function runCampaignCli(argv: string[], io: CliIo, defaultDb: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        name: { type: 'string' },
        kind: { type: 'string' },
        scale: { type: 'string' },
        moment: { type: 'string' },
        contacts: { type: 'string' },
        every: { type: 'string' },
        throttle: { type: 'string' },
        start: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`csat: ${(error as Error).message}\n\nUsage:\n${CAMPAIGN_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`Usage:\n${CAMPAIGN_USAGE}`);
    return 0;
  }
  const [, sub, slug, id] = positionals;
  const dbFile = values.db ?? io.env.CSAT_DB ?? defaultDb;
  const store = lazyStore(dbFile);
  const open = store.open;
  try {
    if (!sub) throw new CampaignUsageError('name a campaign command: create, list, show, run, pause, resume, stop');
    if (!slug) throw new CampaignUsageError('name the site');
    const site = await (await open()).getSite(slug);
    if (!site) throw new CampaignUsageError(`there is no site "${slug}" in ${dbFile}`);
    const campaign = async () => {
      if (!id) throw new CampaignUsageError(`name the campaign id (see: csat campaign list ${site.slug})`);
      const found = await (await open()).getCampaign(site.id, id);
      if (!found) throw new CampaignUsageError(`"${site.slug}" has no campaign ${id}`);
      return found;
    };

    switch (sub) {
      case 'create': {
        const name = values.name?.trim();
        if (!name) throw new CampaignUsageError('give the campaign a name: --name "Quarterly NPS"');
        if (!isKind(values.kind)) throw new CampaignUsageError('--kind must be nps, csat or reaction');
        const scale = whole('scale', values.scale, 1, 10) ?? null;
        const problem = kindScaleProblem(values.kind, scale);
        if (problem) throw new CampaignUsageError(`--scale: ${problem}`);
        if (values.moment !== undefined && !isMoment(values.moment)) throw new CampaignUsageError('--moment must be 1-40 lower-case letters, digits and dashes');
        const everyDays = whole('every', values.every, 1, MAX_EVERY_DAYS) ?? null;
        const throttleDays = whole('throttle', values.throttle, 0, MAX_THROTTLE_DAYS) ?? DEFAULT_THROTTLE_DAYS;
        const startsAt = values.start === undefined ? io.now() : Date.parse(values.start);
        if (Number.isNaN(startsAt)) throw new CampaignUsageError('--start must be a date like 2026-12-01 or 2026-12-01T09:00:00Z');
        if (!values.contacts) throw new CampaignUsageError('give the contacts: --contacts contacts.csv (header email,name,locale)');
        let text: string;
        try {
          text = fs.readFileSync(values.contacts, 'utf8');
        } catch (error) {
          throw new CampaignUsageError(`cannot read ${values.contacts}: ${(error as Error).message}`);
        }
        const contacts = parseContactsCsv(text);
        if (!contacts.ok) {
          io.err(`csat: ${values.contacts}: ${describeProblems(contacts.problems, 'line')}`);
          io.err('Nothing was created.');
          return 1;
        }
        const created = await (await open()).createCampaign(
          { id: publicId('cp'), siteId: site.id, name, kind: values.kind, scale, moment: values.moment ?? CAMPAIGN_MOMENT, everyDays, throttleDays, startsAt, contacts: contacts.contacts },
          io.now(),
        );
        io.out(`Created campaign ${created.id} "${created.name}" for ${created.contacts} contact(s); first run ${iso(created.nextRunAt)}.`);
        io.out(describeCampaign(created));
        return 0;
      }
      case 'list': {
        for (const c of await (await open()).listCampaigns(site.id)) io.out(describeCampaign(c));
        return 0;
      }
      case 'show': {
        const c = await campaign();
        io.out(describeCampaign(c));
        for (const r of await (await open()).listCampaignRuns(c.id)) io.out(`  ${describeRun(r)}`);
        return 0;
      }
      case 'run': {
        const c = await campaign();
        const secret = loadServerSecret(io.env.CSAT_SECRET, dbFile);
        const publicUrl = (io.env.CSAT_PUBLIC_URL ?? `http://localhost:${io.env.PORT || 8787}`).replace(/\/+$/, '');
        const runner = campaignRunner({ store: await open(), clock: { now: io.now }, config: { publicUrl, tokenSecret: secret } });
        let result;
        try {
          result = await runner.runNow(site, c);
        } catch (error) {
          if (error instanceof CampaignNotActiveError) throw new CampaignUsageError(error.message);
          throw error;
        }
        io.out(describeRun(result.run));
        for (const item of result.items) {
          if (item.status === 'issued') io.out(`  ${item.email}  ${item.link ?? `email ${item.emailStatus ?? 'not sent by csat-badge'}`}`);
          else io.out(`  ${item.email}  skipped: ${item.status === 'throttled' ? 'surveyed within the throttle' : 'opted out'}`);
        }
        return 0;
      }
      case 'pause':
      case 'resume':
      case 'stop': {
        const c = await campaign();
        if (c.status === 'stopped') throw new CampaignUsageError(`campaign ${c.id} is stopped`);
        const status = sub === 'pause' ? 'paused' : sub === 'resume' ? 'active' : 'stopped';
        const updated = (await (await open()).updateCampaign(site.id, c.id, { status }, io.now()))!;
        io.out(describeCampaign(updated));
        return 0;
      }
      default:
        throw new CampaignUsageError(`unknown command: campaign ${sub}`);
    }
  } catch (error) {
    io.err(`csat: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof CampaignUsageError ? 2 : 1;
  } finally {
    await store.close();
  }
}
