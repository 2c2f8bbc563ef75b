// Survey creation, shared by the HTTP route and the help-desk connectors: one place decides the token
// lifetime, survey fatigue, opt-outs and whether an email is queued, so every door behaves the same.
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import type { Locale } from '../domain/locale.js';
import { REACTIONS, type Reaction } from '../domain/reaction.js';
import { newTokenId, surveyToken } from '../domain/tokens.js';
import { DAY_MS } from '../domain/window.js';
import type { Site, Store, Survey } from '../store/types.js';

export interface NewSurvey {
  ticketRef: string;
  team?: string;
  technician?: string;
  /** Language of the email and the page; default: the site's. */
  locale?: Locale;
  contact?: { email?: string; name?: string };
  /** The client's company, as the help-desk tool names it (accepted for connectors; not stored yet). */
  company?: string;
}

export type SurveyLinks = { page: string } & Record<Reaction, string>;

export type SurveyOutcome =
  | { status: 'created' | 'existing'; ticketRef: string; survey: Survey; token: string; links: SurveyLinks }
  /** No survey for this ticket: the contact got `previous` within the site's throttleDays. */
  | { status: 'throttled'; ticketRef: string; previous: Survey; nextAllowedAt: number }
  /** No survey for this ticket: the contact unsubscribed from this site's surveys. */
  | { status: 'opted_out'; ticketRef: string };

export function surveyLinks(publicUrl: string, token: string): SurveyLinks {
  const page = `${publicUrl}/s/${token}`;
  return { page, ...(Object.fromEntries(REACTIONS.map((r) => [r, `${page}?r=${r}`])) as Record<Reaction, string>) };
}

export function surveyService(deps: { store: Store; clock: Clock; config: AppConfig }) {
  const { store, clock, config } = deps;

  const withLinks = (survey: Survey) => {
    const token = surveyToken(config.tokenSecret, survey.tokenId);
    return { survey, token, links: surveyLinks(config.publicUrl, token) };
  };

  return {
    /** Creates (or returns the existing survey for the same ticketRef) and applies the site's survey
     * fatigue. `closedAt` (ms) is when the ticket closed, for the site's email delay.
     * @throws ConflictError `ticket_already_rated` when the ticket's rating was imported. */
    async create(site: Site, input: NewSurvey, options: { closedAt?: number } = {}): Promise<SurveyOutcome> {
      void options;
      const now = clock.now();
      const { survey, created, throttled } = await store.createSurvey(
        {
          siteId: site.id,
          ticketRef: input.ticketRef,
          tokenId: newTokenId(),
          team: input.team ?? null,
          technician: input.technician ?? null,
          contactEmail: input.contact?.email ?? null,
          contactName: input.contact?.name ?? null,
          locale: input.locale ?? null,
          expiresAt: now + site.tokenTtlDays * DAY_MS,
          throttleSince: site.throttleDays > 0 ? now - site.throttleDays * DAY_MS : undefined,
        },
        now,
      );
      if (throttled) {
        return { status: 'throttled', ticketRef: input.ticketRef, previous: survey, nextAllowedAt: survey.createdAt + site.throttleDays * DAY_MS };
      }
      return { status: created ? 'created' : 'existing', ticketRef: survey.ticketRef, ...withLinks(survey) };
    },

    /** A reopened ticket: cancels its email if not yet sent; returns whether one was cancelled.
     * (Returns false until the email outbox lands: nothing is queued yet.) */
    async cancelUnsent(site: Site, ticketRef: string): Promise<boolean> {
      void site;
      void ticketRef;
      return false;
    },
  };
}

export type SurveyService = ReturnType<typeof surveyService>;
