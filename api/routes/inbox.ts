// The operators' inbox: every response with its survey's context, newest first, filters and a stable
// cursor; follow-up state and notes (never the rating or the comment); and a CSV export of the same.
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { FOLLOW_UP_STATES } from '../domain/follow-up.js';
import { isMoment } from '../domain/moments.js';
import { REACTIONS } from '../domain/reaction.js';
import { ApiError } from '../errors.js';
import { pagedResponsesCsv } from '../services/export-csv.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { jsonBody, limitBody, requireJson } from '../middleware/json-body.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import type { InboxCursor, InboxFilter, InboxItem, Note, Store } from '../store/types.js';

const iso = (ms: number) => new Date(ms).toISOString();
const instant = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

const filterSchema = z.strictObject({
  reaction: z.enum(REACTIONS).optional(),
  moment: z.string().refine(isMoment, 'must be a moment name (lower-case letters, digits and dashes)').optional(),
  followUp: z.enum(FOLLOW_UP_STATES).optional(),
  team: z.string().min(1).max(100).optional(),
  technician: z.string().min(1).max(100).optional(),
  since: instant.optional(),
  until: instant.optional(),
  hasComment: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const patchSchema = z
  .strictObject({
    followUp: z.enum(['open', 'contacted', 'resolved']).optional(),
    note: z.strictObject({ author: z.string().trim().min(1).max(100), text: z.string().trim().min(1).max(2000) }).optional(),
  })
  .refine((b) => b.followUp !== undefined || b.note !== undefined, 'send followUp, note, or both');

const encodeCursor = (c: InboxCursor) => Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');

function decodeCursor(text: string | undefined): InboxCursor | null {
  if (text === undefined) return null;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (Number.isInteger(createdAt) && typeof id === 'string') return { createdAt: createdAt as number, id };
  } catch {
    // fall through
  }
  throw new ApiError(400, 'invalid_cursor', 'cursor is not one this API handed out');
}

/** Query parameters -> filter; unknown parameters are an error, like unknown JSON fields. */
function readFilter(c: Context) {
  const parsed = filterSchema.safeParse(c.req.query());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(400, 'invalid_request', `${issue?.path.join('.') || 'query'}: ${issue?.message}`);
  }
  const { cursor, limit, ...filter } = parsed.data;
  return { filter: filter as InboxFilter, cursor: decodeCursor(cursor), limit };
}

export function describeItem(item: InboxItem) {
  return {
    id: item.id,
    ticketRef: item.ticketRef,
    // As GET /v1/responses/:token says an answer: its class, and the CSAT or NPS value as `score`.
    reaction: item.reaction,
    kind: item.kind,
    scale: item.scale,
    score: item.kind === 'reaction' ? null : item.value,
    moment: item.moment,
    dimensions: item.dimensions,
    comment: item.comment,
    source: item.source,
    followUp: item.followUp,
    team: item.team,
    technician: item.technician,
    contact: item.contactEmail || item.contactName ? { email: item.contactEmail, name: item.contactName } : null,
    notes: item.notes,
    createdAt: iso(item.createdAt),
    updatedAt: iso(item.updatedAt),
  };
}

const describeNote = (n: Note) => ({ author: n.author, text: n.text, followUp: n.followUp, at: iso(n.at) });

export function inboxRoutes(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  const site = loadSite(store);
  const admin = adminAuth(store);

  return new Hono<SiteEnv>()
    .get('/:site/responses', site, admin, async (c) => {
      const { filter, cursor, limit } = readFilter(c);
      const items = await store.listResponses(c.get('site').id, filter, cursor, limit + 1);
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      c.header('Cache-Control', 'no-store');
      return c.json({
        items: page.map(describeItem),
        nextCursor: items.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
      });
    })
    .get('/:site/responses.csv', site, admin, (c) => {
      const { filter } = readFilter(c);
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${c.get('site').slug}-responses.csv"`);
      c.header('Cache-Control', 'no-store');
      // A HEAD gets the headers only: reading a whole export for a body nobody receives is waste.
      if (c.req.method === 'HEAD') return c.body(null, 200);
      // Streamed a page at a time, read on the store's read connection (no write waits for it). Each
      // write waits until the server asks for more, which it does only once the socket has drained, and
      // the next page is read after that: a client that reads nothing stops the export, which then holds a
      // page at most, never the whole export. A client that goes away ends the loop.
      const chunks = pagedResponsesCsv(store, c.get('site').id, filter);
      return stream(c, async (out) => {
        for await (const text of chunks) {
          if (out.aborted || out.closed) break;
          await out.write(text);
        }
      });
    })
    .get('/:site/responses/:id', site, admin, async (c) => {
      const found = await store.getResponse(c.get('site').id, c.req.param('id'));
      if (!found) throw new ApiError(404, 'response_not_found', 'this site has no response with that id');
      c.header('Cache-Control', 'no-store');
      return c.json({ ...describeItem(found), noteList: found.noteList.map(describeNote) });
    })
    .patch('/:site/responses/:id', site, admin, limitBody, requireJson, jsonBody(patchSchema), async (c) => {
      const body = c.req.valid('json');
      const result = await store.updateFollowUp(c.get('site').id, c.req.param('id'), { to: body.followUp, note: body.note }, clock.now());
      if (result.status === 'not_found') throw new ApiError(404, 'response_not_found', 'this site has no response with that id');
      if (result.status === 'illegal') {
        throw new ApiError(409, 'illegal_transition', `follow-up cannot move from ${result.from} to ${result.to}`);
      }
      const found = (await store.getResponse(c.get('site').id, c.req.param('id')))!;
      return c.json({ ...describeItem(found), noteList: found.noteList.map(describeNote) });
    });
}
