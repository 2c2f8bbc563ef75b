// A campaign's contact list, from JSON or from CSV text (header `email,name,locale`), checked whole: every
// problem is reported with its line, and a list with any problem is refused. No I/O.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { LOCALES, type Locale } from '../domain/locale.js';
import type { NewCampaignContact } from '../store/types-campaigns.js';
import { MAX_CONTACTS } from './schedule.js';

export const contactSchema = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200).optional(),
  locale: z.enum(LOCALES).optional(),
});

export type ContactInput = z.infer<typeof contactSchema>;

export interface ContactProblem {
  /** 1-based line of the CSV, or position in the JSON array (1-based). */
  line: number;
  message: string;
}

export type ContactList = { ok: true; contacts: NewCampaignContact[] } | { ok: false; problems: ContactProblem[] };

const COLUMNS = ['email', 'name', 'locale'] as const;

/** Lower-cases addresses and refuses an empty list, a list over the limit and repeated addresses. */
export function checkContacts(list: ReadonlyArray<ContactInput & { line: number }>): ContactList {
  if (list.length === 0) return { ok: false, problems: [{ line: 1, message: 'the contact list is empty' }] };
  if (list.length > MAX_CONTACTS) return { ok: false, problems: [{ line: 1, message: `a campaign has at most ${MAX_CONTACTS} contacts (got ${list.length})` }] };
  const problems: ContactProblem[] = [];
  const seen = new Map<string, number>();
  const contacts: NewCampaignContact[] = [];
  for (const c of list) {
    const email = c.email.trim().toLowerCase();
    const first = seen.get(email);
    if (first !== undefined) problems.push({ line: c.line, message: `${email} is already on line ${first}` });
    else seen.set(email, c.line);
    contacts.push({ email, name: c.name ?? null, locale: (c.locale as Locale | undefined) ?? null });
  }
  return problems.length ? { ok: false, problems } : { ok: true, contacts };
}

export function parseContactsCsv(text: string): ContactList {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, info: true, bom: true, trim: true });
  } catch (error) {
    return { ok: false, problems: [{ line: (error as { lines?: number }).lines ?? 1, message: `not valid CSV: ${(error as Error).message}` }] };
  }
  if (records.length === 0) return { ok: false, problems: [{ line: 1, message: 'no contacts (the first line must be the header email,name,locale)' }] };
  const columns = Object.keys(records[0]!.record);
  const unknown = columns.filter((c) => !(COLUMNS as readonly string[]).includes(c));
  if (!columns.includes('email') || unknown.length) {
    const parts = [columns.includes('email') ? '' : 'missing column email', unknown.length ? `unknown column(s) ${unknown.join(', ')}` : ''];
    return { ok: false, problems: [{ line: 1, message: `${parts.filter(Boolean).join('; ')}; expected email,name,locale` }] };
  }
  if (records.length > MAX_CONTACTS) return { ok: false, problems: [{ line: 1, message: `a campaign has at most ${MAX_CONTACTS} contacts (got ${records.length})` }] };

  const problems: ContactProblem[] = [];
  const rows: Array<ContactInput & { line: number }> = [];
  for (const { record, info } of records) {
    // Empty optional cells mean "not given".
    const candidate = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ''));
    const parsed = contactSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      problems.push({ line: info.lines, message: `${issue.path.join('.') || 'row'}: ${issue.message}` });
    } else rows.push({ ...parsed.data, line: info.lines });
  }
  if (problems.length) return { ok: false, problems };
  return checkContacts(rows);
}

/** The problems as one message for a 400 (the first few, then how many more). */
export function describeProblems(problems: readonly ContactProblem[], where: string): string {
  const shown = problems.slice(0, 5).map((p) => `${where} ${p.line}: ${p.message}`);
  return problems.length > shown.length ? `${shown.join('; ')}; and ${problems.length - shown.length} more` : shown.join('; ');
}
