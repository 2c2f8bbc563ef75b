// The respondent's answer over JSON, identified only by the survey token: a first reaction, a change
// within the change window, and reading it back. Only POST records; nothing here changes state on a GET.
import { Hono } from 'hono';
import { z } from 'zod';
import type { Answers, SurveyContext } from '../services/answers.js';
import { commentLength, MAX_COMMENT_CHARS, normalizeComment } from '../domain/comment.js';
import { REACTIONS } from '../domain/reaction.js';
import { DIMENSIONS, normaliseDimensions } from '../domain/dimensions.js';
import { ApiError, errorBody } from '../errors.js';
import { jsonBody, requireJson } from '../middleware/json-body.js';
import { limitDeclaredBody } from '../middleware/declared-length.js';
import { publicAccess } from '../middleware/public.js';
import type { ReactionLimiter } from '../middleware/rate-limit.js';

const TOO_LONG = `must be at most ${MAX_COMMENT_CHARS} characters`;

const submissionSchema = z.strictObject({
  token: z.string().max(200),
  /** Reaction surveys answer with `reaction`, CSAT and NPS surveys with `score` (checked against the survey). */
  reaction: z.enum(REACTIONS).optional(),
  score: z.number().int().min(0).max(10).optional(),
  /** "What mattered most?": undefined keeps the current choice, [] clears it. */
  dimensions: z.array(z.enum(DIMENSIONS)).max(DIMENSIONS.length).refine((d) => new Set(d).size === d.length, 'must not repeat a dimension').optional(),
  comment: z
    .string()
    .max(MAX_COMMENT_CHARS * 2, TOO_LONG) // UTF-16 units: a cheap bound before counting characters
    .refine((s) => commentLength(s) <= MAX_COMMENT_CHARS, TOO_LONG)
    .nullable()
    .optional(),
  /** Sent by a page with no interaction of a person (an auto-send): held, not counted, while the survey
   * is marked as scanned (api/domain/scanner.ts). */
  auto: z.boolean().optional(),
}).refine((b) => (b.reaction === undefined) !== (b.score === undefined), { message: 'give either reaction or score', path: ['reaction'] });

const invalidToken = () => new ApiError(404, 'invalid_token', 'this survey link is not valid');

/** What a survey asks: its kind, scale and moment. */
const asks = ({ survey }: SurveyContext) => ({ kind: survey.kind, scale: survey.scale, moment: survey.moment });

function describe(context: SurveyContext) {
  const { site, response, changeableUntil, open } = context;
  if (!response) throw new Error('describe() needs an answer');
  return {
    site: site.slug,
    answered: true,
    ...asks(context),
    /** The answer's class: the reaction itself for reaction surveys. */
    reaction: response.reaction,
    /** The answer of a CSAT or NPS survey; null for reactions. */
    score: response.kind === 'reaction' ? null : response.value,
    dimensions: response.dimensions,
    comment: response.comment,
    createdAt: new Date(response.createdAt).toISOString(),
    updatedAt: new Date(response.updatedAt).toISOString(),
    changeableUntil: new Date(changeableUntil!).toISOString(),
    /** Decided by the server's clock, so a visitor's wrong clock cannot mislead the widget. */
    changeable: open,
  };
}

export function responseRoutes({ answers, limiter }: { answers: Answers; limiter: ReactionLimiter }) {
  const limitReactions = limiter((c, retryAfter) => {
    // Retry-After is not CORS-safelisted: let the widget on other sites read it.
    c.header('Access-Control-Expose-Headers', 'ETag, Retry-After');
    return c.json(errorBody('rate_limited', `too many answers from this address; try again in ${retryAfter} s`), 429);
  });
  return new Hono()
    .use('*', publicAccess)
    .post('/', limitReactions, limitDeclaredBody, requireJson, jsonBody(submissionSchema), async (c) => {
      const body = c.req.valid('json');
      const answer = body.reaction !== undefined ? { reaction: body.reaction } : { value: body.score! };
      const dimensions = body.dimensions && normaliseDimensions(body.dimensions)!;
      const outcome = await answers.submit(body.token, answer, normalizeComment(body.comment), { auto: body.auto, dimensions });
      switch (outcome.kind) {
        case 'invalid':
          throw invalidToken();
        case 'invalid_answer': {
          const { kind, scale } = outcome.context.survey;
          const wants = kind === 'reaction' ? 'a reaction (positive, neutral or negative)' : kind === 'nps' ? 'a score from 0 to 10' : `a score from 1 to ${scale}`;
          throw new ApiError(400, 'invalid_answer', `this ${kind} survey takes ${wants}`);
        }
        case 'expired':
          throw new ApiError(410, 'token_expired', 'this survey link has expired');
        case 'closed': {
          const until = new Date(outcome.context.changeableUntil!).toISOString();
          throw new ApiError(409, 'change_window_closed', `this answer could be changed until ${until} and is now final`);
        }
        case 'saved':
          return c.json(describe(outcome.context), outcome.created ? 201 : 200);
        case 'held': {
          // Accepted but not counted: a person confirms it on the survey page (or sends it without `auto`).
          const { site, held, response } = outcome.context;
          const score = outcome.context.survey.kind === 'reaction' ? null : held!.value;
          return c.json({ site: site.slug, answered: response !== null, held: { reaction: held!.reaction, score, comment: held!.comment } }, 202);
        }
      }
    })
    .get('/:token', async (c) => {
      const found = await answers.lookup(c.req.param('token'));
      if (!found) throw invalidToken();
      c.header('Cache-Control', 'no-store');
      // Not answered yet is an ordinary state, not an error: a 404 here would put a red line in the console
      // of every page that hosts an unanswered survey.
      if (!found.response) {
        return c.json({ site: found.site.slug, answered: false, ...asks(found), expiresAt: new Date(found.survey.expiresAt).toISOString() });
      }
      return c.json(describe(found));
    });
}
