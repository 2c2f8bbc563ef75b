// The respondent's answer, identified only by the survey token: a first reaction, a change within the
// change window, and reading it back. Only POST records; nothing here changes state on a GET.
import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { commentLength, MAX_COMMENT_CHARS, normalizeComment } from '../domain/comment.js';
import { REACTIONS } from '../domain/reaction.js';
import { verifySurveyToken } from '../domain/tokens.js';
import { DAY_MS } from '../domain/window.js';
import { ApiError } from '../errors.js';
import { jsonBody, limitBody, requireJson } from '../middleware/json-body.js';
import { publicAccess } from '../middleware/public.js';
import type { ScoreHub } from '../score-hub.js';
import type { Site, Store, StoredResponse, Survey } from '../store/types.js';

const TOO_LONG = `must be at most ${MAX_COMMENT_CHARS} characters`;

const submissionSchema = z.strictObject({
  token: z.string().max(200),
  reaction: z.enum(REACTIONS),
  comment: z
    .string()
    .max(MAX_COMMENT_CHARS * 2, TOO_LONG) // UTF-16 units: a cheap bound before counting characters
    .refine((s) => commentLength(s) <= MAX_COMMENT_CHARS, TOO_LONG)
    .nullable()
    .optional(),
});

export function responseRoutes(deps: { store: Store; clock: Clock; config: AppConfig; hub: ScoreHub }) {
  const { store, clock, config, hub } = deps;

  const surveyFor = async (token: string): Promise<{ survey: Survey; site: Site }> => {
    const tokenId = verifySurveyToken(config.tokenSecret, token);
    const survey = tokenId && (await store.getSurveyByTokenId(tokenId));
    const site = survey && (await store.getSiteById(survey.siteId));
    if (!survey || !site) throw new ApiError(404, 'invalid_token', 'this survey link is not valid');
    return { survey, site };
  };

  const describe = (site: Site, response: StoredResponse) => ({
    site: site.slug,
    reaction: response.reaction,
    comment: response.comment,
    createdAt: new Date(response.createdAt).toISOString(),
    updatedAt: new Date(response.updatedAt).toISOString(),
    changeableUntil: new Date(response.createdAt + site.changeWindowDays * DAY_MS).toISOString(),
  });

  return new Hono()
    .use('*', ...publicAccess)
    .post('/', limitBody, requireJson, jsonBody(submissionSchema), async (c) => {
      const body = c.req.valid('json');
      const { survey, site } = await surveyFor(body.token);
      const now = clock.now();
      // An expired link still lets its respondent change an answer inside the change window; it only
      // stops a first answer.
      if (now >= survey.expiresAt && !(await store.getResponseForSurvey(survey.id))) {
        throw new ApiError(410, 'token_expired', 'this survey link has expired');
      }
      const outcome = await store.submitResponse(
        { survey, reaction: body.reaction, comment: normalizeComment(body.comment), changeWindowMs: site.changeWindowDays * DAY_MS },
        now,
      );
      if (outcome.status === 'window_closed') {
        const until = new Date(outcome.response.createdAt + site.changeWindowDays * DAY_MS).toISOString();
        throw new ApiError(409, 'change_window_closed', `this answer could be changed until ${until} and is now final`);
      }
      void hub.publish(site).catch(() => {});
      return c.json(describe(site, outcome.response), outcome.status === 'created' ? 201 : 200);
    })
    .get('/:token', async (c) => {
      const { survey, site } = await surveyFor(c.req.param('token'));
      const response = await store.getResponseForSurvey(survey.id);
      c.header('Cache-Control', 'no-store');
      if (!response) throw new ApiError(404, 'not_answered', 'this survey has not been answered yet');
      return c.json(describe(site, response));
    });
}
