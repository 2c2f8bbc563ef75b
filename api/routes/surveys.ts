// Operators (their help-desk tool) create one survey per closed ticket and get the links to send.
import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { REACTIONS } from '../domain/reaction.js';
import { newTokenId, surveyToken } from '../domain/tokens.js';
import { DAY_MS } from '../domain/window.js';
import { ApiError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { jsonBody, limitBody, requireJson } from '../middleware/json-body.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { ConflictError } from '../store/errors.js';
import type { Store, Survey } from '../store/types.js';

const label = (max: number) => z.string().trim().min(1).max(max);

const newSurveySchema = z.strictObject({
  ticketRef: label(200),
  team: label(100).optional(),
  technician: label(100).optional(),
  contact: z
    .strictObject({
      email: z.email().max(254).optional(),
      name: label(200).optional(),
    })
    .optional(),
});

export function surveyLinks(publicUrl: string, token: string) {
  const page = `${publicUrl}/s/${token}`;
  return {
    page,
    ...(Object.fromEntries(REACTIONS.map((r) => [r, `${page}?r=${r}`])) as Record<(typeof REACTIONS)[number], string>),
  };
}

export function surveyRoutes(deps: { store: Store; clock: Clock; config: AppConfig }) {
  const { store, clock, config } = deps;

  const describe = (survey: Survey) => {
    const token = surveyToken(config.tokenSecret, survey.tokenId);
    return {
      id: survey.id,
      ticketRef: survey.ticketRef,
      token,
      expiresAt: new Date(survey.expiresAt).toISOString(),
      links: surveyLinks(config.publicUrl, token),
    };
  };

  return new Hono<SiteEnv>().post(
    '/:site/surveys',
    loadSite(store),
    adminAuth(store),
    limitBody,
    requireJson,
    jsonBody(newSurveySchema),
    async (c) => {
      const site = c.get('site');
      const body = c.req.valid('json');
      const now = clock.now();
      try {
        const { survey, created } = await store.createSurvey(
          {
            siteId: site.id,
            ticketRef: body.ticketRef,
            tokenId: newTokenId(),
            team: body.team ?? null,
            technician: body.technician ?? null,
            contactEmail: body.contact?.email?.toLowerCase() ?? null,
            contactName: body.contact?.name ?? null,
            expiresAt: now + site.tokenTtlDays * DAY_MS,
          },
          now,
        );
        return c.json(describe(survey), created ? 201 : 200);
      } catch (error) {
        if (error instanceof ConflictError) throw new ApiError(409, error.code, error.message);
        throw error;
      }
    },
  );
}
