// `csat`: the command line for people who run csat-badge on their own server. Works on the same
// database file as the server (WAL lets both run at once).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { INDUSTRIES } from '../domain/benchmark.js';
import { CSAT_SCALES, isKind, kindScaleProblem, KINDS } from '../domain/kinds.js';
import { parseMoments } from '../domain/moments.js';
import { isLocale, LOCALES, type Locale } from '../domain/locale.js';
import { newAdminKey } from '../domain/tokens.js';
import { MAX_WINDOW_DAYS } from '../domain/window.js';
import { defaultStateFile, VERIFY_OPTIONS, VERIFY_USAGE, verifyLocal, verifyRemote } from './verify.js';
import { pagedResponsesCsv } from '../services/export-csv.js';
import { parseImportCsv } from '../services/import-csv.js';
import { SLUG_PATTERN } from '../middleware/site.js';
import { ImportError, type ImportProblem } from '../store/errors.js';
import { backupStore, checkDatabase } from '../store/backup.js';
import { runWebhookCommand, WEBHOOK_USAGE } from './webhooks.js';
import { CAMPAIGN_USAGE, isCampaignCommand, runCampaignCli } from './campaigns.js';
import { CONNECTOR_OPTIONS, CONNECTOR_USAGE, runConnectorCommand } from '../connectors/cli.js';
import { connectorBox } from '../connectors/sealed-settings.js';
import { loadServerSecret } from '../server-secret.js';
import { isPostgresUrl } from '../store/open.js';
import { lazyStore } from './lazy-store.js';
import { ERASE_OPTIONS, ERASE_USAGE, runErase } from './erase.js';
import { MIGRATE_STORE_USAGE, MigrateStoreError, migrateStore } from './migrate-store.js';
import { applyEmailFlags, describeEmail, EMAIL_OPTIONS, EMAIL_USAGE, emailFlags, emailFlagsProblem } from './email.js';
import type { Site, SiteSettings, Store } from '../store/types.js';

export const DEFAULT_DB = './data/csat.db';

export interface CliIo {
  out: (line: string) => void;
  /** Raw output without a newline (exports). */
  write: (text: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  now: () => number;
}

const USAGE = `Usage: csat <command> [options]

Commands:
  site create <slug> --name <name> [settings] [--quiet]
                                   create a site and print its first admin key (shown once)
  site set <slug> [settings]       change a site's settings
  site list                        list the sites and their settings
  key create <site> [--label <text>] [--scope admin|wall] [--url <address>] [--quiet]
                                   create another key for a site (shown once); a wall key can only
                                   read the live feed of the office wall, whose page address is printed
                                   with the key (base: --url, else $CSAT_PUBLIC_URL, else
                                   http://localhost:$PORT, as the server's survey links)
  key list <site>                  list a site's admin keys (ids only; keys are stored hashed)
  key revoke <site> <key-id>       revoke an admin key
  import <site> <file.csv>         import past ratings (columns date,ticketRef,reaction,comment; csat and
                                   nps sites: date,ticketRef,score,comment; optional moment); nothing unless every line is good
  export <site> [--out <file.csv>] every response as CSV (to standard output by default), then
                                   how many were written (on standard error)
${VERIFY_USAGE}
${ERASE_USAGE}
  backup <file> [--force]          copy the database while the server runs, then check the copy
                                   (integrity, event chains, daily counts); --force replaces <file>
${MIGRATE_STORE_USAGE}
${WEBHOOK_USAGE}
${CAMPAIGN_USAGE}
${CONNECTOR_USAGE}

Site settings:
  --name <name>                company name shown to respondents
  --window-days N              days in the rolling score window (default 90)
  --change-window-days N       days a respondent may change an answer (default 7)
  --throttle-days N            at most one survey per contact per N days (default 0 = off)
  --locale ${LOCALES.join('|')}          language of survey pages and emails (default en)
  --industry ${Object.keys(INDUSTRIES).join('|')}   show that industry's benchmark beside the score (reaction sites)
  --kind ${KINDS.join('|')}     what ticket surveys ask and the score shows (default reaction; site create only)
  --scale ${CSAT_SCALES.join('|')}               points of a csat scale (site create only)
  --score-moments <m,m|all>    count only these moments in the public score (default all)
${EMAIL_USAGE}

Options:
  --db <file>   database file (default: $CSAT_DB or ${DEFAULT_DB})
  -q, --quiet   print only the result: the key alone (for export CSAT_KEY=$(csat ... --quiet)),
                no summary after an export
  -h, --help    show this help`;

class UsageError extends Error {}

function wholeNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

type Values = Record<string, string | boolean | undefined>;

/** The site settings given on the command line (only those given). */
function siteSettings(values: Values): SiteSettings {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const industry = text('industry');
  const locale = text('locale');
  const name = text('name')?.trim();
  if (industry !== undefined && !INDUSTRIES[industry]) throw new UsageError(`--industry must be one of ${Object.keys(INDUSTRIES).join(', ')}`);
  if (locale !== undefined && !isLocale(locale)) throw new UsageError(`--locale must be one of ${LOCALES.join(', ')}`);
  if (name === '') throw new UsageError('--name cannot be empty');
  const moments = text('score-moments');
  const scoreMoments = moments === undefined ? undefined : moments === 'all' ? null : parseMoments(moments);
  if (scoreMoments === null && moments !== 'all') throw new UsageError('--score-moments must be "all" or a comma list of moment names (a-z, 0-9, -)');
  const settings: SiteSettings = {
    name,
    scoreMoments,
    windowDays: wholeNumber('window-days', text('window-days'), 1, MAX_WINDOW_DAYS),
    changeWindowDays: wholeNumber('change-window-days', text('change-window-days'), 1, 365),
    throttleDays: wholeNumber('throttle-days', text('throttle-days'), 0, 365),
    locale: locale as Locale | undefined,
    industry,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

function describeSite(site: Site): string {
  return [
    `${site.slug}  ${site.name}`,
    `window ${site.windowDays}d`,
    `change ${site.changeWindowDays}d`,
    `throttle ${site.throttleDays ? `${site.throttleDays}d` : 'off'}`,
    site.locale,
    ...(site.kind === 'reaction' ? [] : [site.kind === 'csat' ? `csat 1-${site.scale}` : 'nps']),
    ...(site.scoreMoments ? [`moments ${site.scoreMoments.join(',')}`] : []),
    ...(site.industry ? [site.industry] : []),
  ].join('  ');
}

/** Where people reach the server: the same base the server puts in survey links (api/server.ts), so the
 * wall address printed here opens on the monitor as it is. */
function publicBase(url: string | undefined, env: CliIo['env']): string {
  const [from, base] = url !== undefined ? ['--url', url] : env.CSAT_PUBLIC_URL ? ['CSAT_PUBLIC_URL', env.CSAT_PUBLIC_URL] : ['PORT', `http://localhost:${env.PORT || 8787}`];
  const protocol = URL.canParse(base) ? new URL(base).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') throw new UsageError(`${from} does not give an http(s) address: ${base}`);
  return base.replace(/\/+$/, '');
}

/** The store as the export reads it, counting the responses handed out so the summary can say how many
 * rows were written (the export itself yields whole pages of CSV). */
function countingReader(store: Store): { reader: Store; rows: () => number } {
  let rows = 0;
  const reader = Object.create(store) as Store;
  reader.exportPage = async (...args) => {
    const page = await store.exportPage(...args);
    rows += page.length;
    return page;
  };
  return { reader, rows: () => rows };
}

function printProblems(io: CliIo, file: string, problems: ImportProblem[]) {
  const shown = problems.slice(0, 20);
  for (const p of shown) io.err(`${file}:${p.line}: ${p.message}`);
  if (problems.length > shown.length) io.err(`... and ${problems.length - shown.length} more problem(s)`);
  io.err('Nothing was imported.');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (isCampaignCommand(argv)) return runCampaignCli(argv, io, DEFAULT_DB);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        name: { type: 'string' },
        'window-days': { type: 'string' },
        'change-window-days': { type: 'string' },
        industry: { type: 'string' },
        kind: { type: 'string' },
        scale: { type: 'string' },
        'score-moments': { type: 'string' },
        'throttle-days': { type: 'string' },
        locale: { type: 'string' },
        label: { type: 'string' },
        scope: { type: 'string' },
        out: { type: 'string' },
        url: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        force: { type: 'boolean' },
        ...ERASE_OPTIONS,
        ...EMAIL_OPTIONS,
        ...CONNECTOR_OPTIONS,
        ...VERIFY_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }

  const dbFile = values.db ?? io.env.CSAT_DB ?? DEFAULT_DB;
  const store = lazyStore(dbFile);
  const open = store.open;
  const siteNamed = async (slug: string | undefined): Promise<Site> => {
    if (!slug) throw new UsageError('name the site');
    const site = await (await open()).getSite(slug);
    if (!site) throw new UsageError(`there is no site "${slug}" in ${dbFile}`);
    return site;
  };

  const [command, sub, ...rest] = positionals;
  try {
    if (command === 'site' && sub === 'create') {
      const [slug] = rest;
      if (!slug || !SLUG_PATTERN.test(slug)) throw new UsageError('the site slug must be lowercase letters, digits and dashes (max 63), e.g. acme-it');
      const settings = siteSettings(values);
      if (!settings.name) throw new UsageError('give the company name: --name "Acme IT"');
      const now = io.now();
      const email = emailFlags(values);
      const emailProblem = email && emailFlagsProblem(email);
      if (emailProblem) throw new UsageError(emailProblem);
      const kind = values.kind ?? 'reaction';
      const scale = values.scale === undefined ? null : Number(values.scale);
      if (!isKind(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
      const kindProblem = kindScaleProblem(kind, scale);
      if (kindProblem) throw new UsageError(`--kind ${kind}: ${kindProblem}`);
      const site = await (await open()).createSite({ ...settings, kind, scale, slug, name: settings.name }, now);
      if (email) await applyEmailFlags(await open(), site, email, io.env, dbFile);
      const key = newAdminKey();
      await (await open()).addAdminKey({ id: key.id, siteId: site.id, hash: key.hash, label: 'created with the site' }, now);
      // The public log's signing key is made now, so its public half can be pinned from day one.
      const logKey = await (await open()).logKey(site.id);
      if (values.quiet) {
        io.out(key.key);
        return 0;
      }
      io.out(`Created site "${site.slug}" (${site.name}), score window ${site.windowDays} days.`);
      io.out(`Admin key (shown once, store it now): ${key.key}`);
      io.out(`Public log key (publish it; csat verify <url> --log-key checks against it): ${logKey.verifierKey}`);
      return 0;
    }
    if (command === 'site' && sub === 'set') {
      const site = await siteNamed(rest[0]);
      const settings = siteSettings(values);
      if (values.kind !== undefined || values.scale !== undefined) throw new UsageError('a site keeps the kind and scale it was created with (its answers are on that scale)');
      const email = emailFlags(values);
      if (Object.keys(settings).length === 0 && !email) throw new UsageError('name at least one setting to change, e.g. --throttle-days 30');
      const emailProblem = email && (await applyEmailFlags(await open(), site, email, io.env, dbFile));
      if (emailProblem) throw new UsageError(emailProblem);
      const updated = Object.keys(settings).length > 0 ? (await (await open()).updateSite(site.slug, settings))! : site;
      io.out(describeSite(updated) + describeEmail(await (await open()).getEmailSettings(site.id)));
      return 0;
    }
    if (command === 'site' && sub === 'list') {
      for (const site of await (await open()).listSites()) io.out(describeSite(site) + describeEmail(await (await open()).getEmailSettings(site.id)));
      return 0;
    }
    if (command === 'key' && sub === 'create') {
      const site = await siteNamed(rest[0]);
      const scope = values.scope ?? 'admin';
      if (scope !== 'admin' && scope !== 'wall') throw new UsageError('--scope must be admin or wall');
      // Checked before the key is stored: a bad address must not leave a key nobody saw.
      const base = scope === 'wall' ? publicBase(values.url, io.env) : undefined;
      const key = newAdminKey();
      await (await open()).addAdminKey({ id: key.id, siteId: site.id, hash: key.hash, label: values.label ?? null, scope }, io.now());
      if (values.quiet) {
        io.out(key.key);
        return 0;
      }
      io.out(`${scope === 'wall' ? 'Wall' : 'Admin'} key ${key.id} for "${site.slug}" (shown once, store it now): ${key.key}`);
      // The key rides in the #fragment, which browsers never send, so it stays out of server logs.
      if (base) io.out(`Wall page: ${base}/wall?site=${site.slug}#key=${key.key}`);
      return 0;
    }
    if (command === 'key' && sub === 'list') {
      const site = await siteNamed(rest[0]);
      for (const key of await (await open()).listAdminKeys(site.id)) {
        const state = key.revokedAt === null ? 'active' : `revoked ${new Date(key.revokedAt).toISOString()}`;
        io.out(`${key.id}  ${key.scope}  ${new Date(key.createdAt).toISOString()}  ${state}${key.label ? `  ${key.label}` : ''}`);
      }
      return 0;
    }
    if (command === 'key' && sub === 'revoke') {
      const site = await siteNamed(rest[0]);
      const keyId = rest[1];
      if (!keyId) throw new UsageError('name the key id to revoke (see: csat key list <site>)');
      if (!(await (await open()).revokeAdminKey(site.id, keyId, io.now()))) {
        throw new UsageError(`"${site.slug}" has no active key ${keyId}`);
      }
      io.out(`Revoked key ${keyId} of "${site.slug}".`);
      return 0;
    }
    if (command === 'webhook') return await runWebhookCommand(sub, rest, { store: await open(), site: siteNamed, out: io.out, now: io.now, usage: (m) => new UsageError(m) });
    if (command === 'connector') {
      const box = () => connectorBox(loadServerSecret(io.env.CSAT_SECRET, dbFile));
      return await runConnectorCommand(sub, rest, { store: await open(), box, site: siteNamed, publicUrl: () => publicBase(values.url, io.env), values, out: io.out, now: io.now, usage: (m) => new UsageError(m) });
    }
    if (command === 'import') {
      const site = await siteNamed(sub);
      const file = rest[0];
      if (!file) throw new UsageError('name the CSV file to import');
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const now = io.now();
      const parsedCsv = parseImportCsv(text, now, site);
      if (!parsedCsv.ok) {
        printProblems(io, file, parsedCsv.problems);
        return 1;
      }
      const { imported } = await (await open()).importResponses(site.id, parsedCsv.rows, now);
      io.out(`Imported ${imported} rating(s) into "${site.slug}"; they count in the score and are marked as imported.`);
      return 0;
    }
    if (command === 'export') {
      const site = await siteNamed(sub);
      // The same CSV as GET /v1/sites/:site/responses.csv, notes included, read a page at a time.
      const { reader, rows } = countingReader(await open());
      const chunks = pagedResponsesCsv(reader, site.id, {});
      if (values.out) {
        const fd = fs.openSync(values.out, 'w');
        try {
          for await (const chunk of chunks) fs.writeSync(fd, chunk);
        } finally {
          fs.closeSync(fd);
        }
      } else {
        for await (const chunk of chunks) io.write(chunk);
      }
      // On standard error, so a CSV piped from standard output stays clean.
      if (!values.quiet) io.err(`Exported ${rows()} response(s) of "${site.slug}"${values.out ? ` to ${values.out}` : ''}.`);
      return 0;
    }
    if (command === 'verify') {
      // A site's address: the outsider's check of its public log (api/cli/verify.ts); else a site here.
      if (sub && /^https?:\/\//.test(sub)) {
        return await verifyRemote(sub, { pinnedKey: values['log-key'], stateFile: values.state ?? defaultStateFile(io.env), out: io.out });
      }
      return await verifyLocal(await open(), await siteNamed(sub), io.now(), io.out);
    }
    if (command === 'erase') return await runErase(await open(), await siteNamed(sub), values.contact, io);
    if (command === 'migrate-store') {
      if (!sub || !rest[0] || rest.length > 1) throw new UsageError('name the database to copy and the empty one to copy it into, e.g. csat migrate-store ./data/csat.db postgres://csat:secret@db:5432/csat');
      return await migrateStore(sub, rest[0], io);
    }
    if (command === 'backup') {
      const destination = sub;
      if (!destination) throw new UsageError('name the file to write the backup to, e.g. csat backup backups/csat.db');
      if (isPostgresUrl(dbFile)) throw new UsageError('csat backup copies a SQLite database; back up PostgreSQL with its own tools (pg_dump), or copy it into a SQLite file with csat migrate-store');
      if (!fs.existsSync(dbFile)) throw new UsageError(`there is no database at ${dbFile}`);
      if (path.resolve(destination) === path.resolve(dbFile)) throw new UsageError('the backup must go to another file than the database');
      if (fs.existsSync(destination) && !values.force) throw new UsageError(`${destination} already exists; add --force to replace it`);
      const started = performance.now();
      fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
      const { bytes, pages } = await backupStore(await open(), destination);
      const copied = ((performance.now() - started) / 1000).toFixed(2);
      io.out(`Copied ${dbFile} to ${destination}: ${pages} pages, ${bytes} bytes in ${copied} s.`);
      const check = await checkDatabase(destination);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      io.out(check.integrity === 'ok' ? 'Integrity check: ok.' : `Integrity check: FAILED\n${check.integrity}`);
      for (const site of check.sites) {
        const chain = site.chainValid ? 'chain intact' : `chain BROKEN (${site.chainProblem})`;
        const counts = site.mismatches === 0 ? 'daily counts equal to a recount' : `${site.mismatches} day(s) differ from a recount`;
        io.out(`  ${site.slug}: ${site.responses} responses, ${site.events} events, ${chain}, ${counts}.`);
      }
      const sum = (pick: (s: (typeof check.sites)[number]) => number) => check.sites.reduce((n, s) => n + pick(s), 0);
      io.out(
        `Backup: ${check.sites.length} site(s), ${sum((s) => s.responses)} responses, ${sum((s) => s.events)} events, ${bytes} bytes, ${seconds} s.`,
      );
      const ok = check.integrity === 'ok' && check.sites.every((s) => s.chainValid && s.mismatches === 0);
      if (!ok) io.err(`csat: the copy at ${destination} did not pass its check; do not rely on it.`);
      return ok ? 0 : 1;
    }
    throw new UsageError(`unknown command: ${positionals.join(' ')}`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof MigrateStoreError) {
      io.err(`csat: ${error.message}`);
      return 2;
    }
    if (error instanceof ImportError) {
      printProblems(io, rest[0] ?? '', error.problems);
      return 1;
    }
    // A conflict, a database that is too new or cannot be opened: the message is meant for people.
    io.err(`csat: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await store.close();
  }
}
