// Operators (their help-desk tool) create one survey per closed ticket and get the links and the email
// fragment to send; survey fatigue (a site's throttleDays) can say "skip this one" instead.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { LOCALES } from '../domain/locale.js';
import { surveyToken } from '../domain/tokens.js';
import { ApiError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { jsonBody, limitBody, requireJson } from '../middleware/json-body.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { cachedBody } from '../middleware/cached.js';
import { publicAccess } from '../middleware/public.js';
import { isoDay, rollingWindow } from '../domain/window.js';
import { emailHtml, emailText } from '../pages/email.js';
import { ConflictError } from '../store/errors.js';
import { SealError, surveyLinks, surveyService } from '../services/surveys.js';
import type { EmailRecord } from '../store/types-email.js';
import type { Site, Store, Survey } from '../store/types.js';
import { isMoment } from '../domain/moments.js';

export { surveyLinks };

const label = (max: number) => z.string().trim().min(1).max(max);

const newSurveySchema = z.strictObject({
  ticketRef: label(200),
  team: label(100).optional(),
  technician: label(100).optional(),
  /** Language of the email and the page; default: the site's. */
  locale: z.enum(LOCALES).optional(),
  contact: z
    .strictObject({
      email: z.email().max(254).optional(),
      name: label(200).optional(),
    })
    .optional(),
  /** Refuse to create it unless csat-badge emails it (such a survey is sealed anyway). */
  sealed: z.boolean().optional(),
  /** What the survey measures: ticket-closed (default), onboarding, maintenance, project or the site's own. */
  moment: z.string().refine(isMoment, 'must be a moment name: lower-case letters, digits and dashes, at most 40').optional(),
  /** When the ticket closed (ISO 8601); the site's email delay counts from it. Default: now. */
  closedAt: z.iso.datetime({ offset: true }).optional(),
});

export function surveyRoutes(deps: { store: Store; clock: Clock; config: AppConfig }) {
  const { store, clock, config } = deps;
  const surveys = surveyService(deps);

  const email = (site: Site, survey: Survey) => {
    const token = surveyToken(config.tokenSecret, survey.tokenId);
    const input = { company: site.name, ticketRef: survey.ticketRef, locale: survey.locale ?? site.locale, kind: survey.kind, scale: survey.scale, links: surveyLinks(config.publicUrl, token, survey) };
    return { token, links: input.links, html: emailHtml(input), text: emailText(input) };
  };

  /** A sealed survey's answer has no token, links or email fragment: only the email to the client has them. */
  const describe = (site: Site, survey: Survey) => {
    const base = { throttled: false, id: survey.id, ticketRef: survey.ticketRef, sealed: survey.sealed };
    if (survey.sealed) return { ...base, expiresAt: new Date(survey.expiresAt).toISOString() };
    const mail = email(site, survey);
    return {
      ...base,
      token: mail.token,
      expiresAt: new Date(survey.expiresAt).toISOString(),
      links: mail.links,
      emailHtml: mail.html,
      emailText: mail.text,
    };
  };

  /** Present only when the site sends the email itself (an additive field of the answer). */
  const emailState = (email: EmailRecord | null) =>
    email ? { email: { status: email.status, sendAt: new Date(email.sendAt).toISOString(), messageId: email.messageId } } : {};

  const findSurvey = async (c: Context<SiteEnv>) => {
    const survey = await store.getSurvey(c.get('site').id, c.req.param('id') ?? '');
    if (!survey) throw new ApiError(404, 'survey_not_found', 'this site has no survey with that id');
    return survey;
  };

  /** The email fragment routes hand out the token, so a sealed survey has none. */
  const unsealedSurvey = async (c: Context<SiteEnv>) => {
    const survey = await findSurvey(c);
    if (survey.sealed) throw new ApiError(409, 'survey_sealed', 'this survey is sealed: its link is only in the email csat-badge sends to the client');
    return survey;
  };

  const site = loadSite(store);
  const auth = adminAuth(store);

  return new Hono<SiteEnv>()
    // Public: surveys issued and answered per day of the score's window. The score cannot prove that
    // respondents are real clients; a company answering its own surveys would have to issue them, and a
    // reader can see how many were issued and how many answered each day.
    .use('/:site/activity', publicAccess)
    .get('/:site/activity', site, async (c) => {
      const current = c.get('site');
      const window = rollingWindow(clock.now(), current.windowDays);
      const days = await store.activityBetween(current.id, window.fromDay, window.toDay);
      const sum = (key: 'issued' | 'answered') => days.reduce((n, d) => n + d[key], 0);
      const body = JSON.stringify({
        site: current.slug,
        window: { days: window.days, from: isoDay(window.fromDay), to: isoDay(window.toDay) },
        issued: sum('issued'),
        answered: sum('answered'),
        // Days with neither are left out.
        perDay: days.map((d) => ({ day: isoDay(d.day), issued: d.issued, answered: d.answered })),
      });
      return cachedBody(c, body, 'application/json; charset=utf-8');
    })
    .post('/:site/surveys', site, auth, limitBody, requireJson, jsonBody(newSurveySchema), async (c) => {
      const current = c.get('site');
      const { closedAt: closedText, ...input } = c.req.valid('json');
      const closedAt = closedText === undefined ? undefined : Date.parse(closedText);
      // A minute of leeway for the help-desk server's clock.
      if (closedAt !== undefined && closedAt > clock.now() + 60_000) throw new ApiError(400, 'invalid_request', 'closedAt is in the future');
      try {
        const outcome = await surveys.create(current, input, { closedAt });
        if (outcome.status === 'throttled') {
          // No survey for this ticket: the contact was asked recently. The help-desk tool skips the email.
          const { previous } = outcome;
          return c.json({
            throttled: true,
            ticketRef: outcome.ticketRef,
            reason: `this contact was sent a survey within the last ${current.throttleDays} days`,
            previous: { id: previous.id, ticketRef: previous.ticketRef, createdAt: new Date(previous.createdAt).toISOString() },
            nextAllowedAt: new Date(outcome.nextAllowedAt).toISOString(),
            ...emailState(outcome.email),
          });
        }
        if (outcome.status === 'opted_out') {
          return c.json({ throttled: false, optedOut: true, ticketRef: outcome.ticketRef, reason: 'this contact unsubscribed from this site\'s surveys', ...emailState(outcome.email) });
        }
        return c.json({ ...describe(current, outcome.survey), ...emailState(outcome.email) }, outcome.status === 'created' ? 201 : 200);
      } catch (error) {
        if (error instanceof ConflictError) throw new ApiError(409, error.code, error.message);
        if (error instanceof SealError) throw new ApiError(400, error.code, error.message);
        throw error;
      }
    })
    // A reopened ticket: its survey email is not sent if it is still waiting (the survey itself stays).
    .post('/:site/surveys/:id/email/cancel', site, auth, async (c) => {
      const survey = await findSurvey(c);
      const cancelled = await surveys.cancelUnsent(c.get('site'), survey.ticketRef);
      return c.json({ cancelled, ...emailState(await store.getEmailForSurvey(survey.id)) });
    })
    .get('/:site/surveys/:id/email.html', site, auth, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.html(email(c.get('site'), await unsealedSurvey(c)).html);
    })
    .get('/:site/surveys/:id/email.txt', site, auth, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.text(email(c.get('site'), await unsealedSurvey(c)).text);
    });
}
