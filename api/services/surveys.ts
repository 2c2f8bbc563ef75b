// Survey creation, shared by the HTTP route and the help-desk connectors: one place decides the token
// lifetime, survey fatigue, opt-outs and whether an email is queued, so every door behaves the same.
// Opt-outs and the fatigue throttle are applied before anything is queued, in the survey's transaction.
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { firstSendAt } from '../domain/email-schedule.js';
import type { Locale } from '../domain/locale.js';
import { REACTIONS } from '../domain/reaction.js';
import { newTokenId, surveyToken } from '../domain/tokens.js';
import { DAY_MS } from '../domain/window.js';
import type { EmailRecord } from '../store/types-email.js';
import type { Site, Store, Survey, SurveyKind } from '../store/types.js';
import { answerValues, type KindScale } from '../domain/kinds.js';

export interface NewSurvey {
  ticketRef: string;
  team?: string;
  technician?: string;
  /** Language of the email and the page; default: the site's. */
  locale?: Locale;
  contact?: { email?: string; name?: string };
  /** The client's company, as the help-desk tool names it (accepted for connectors; not stored yet). */
  company?: string;
  /** Ask for a sealed survey: refused unless csat-badge sends its email (else nobody could get the token). */
  sealed?: boolean;
  /** What the survey measures; default `ticket-closed`. */
  moment?: string;
  /** Default: the site's kind and scale (a relationship campaign may ask another kind). */
  kind?: SurveyKind;
  scale?: number | null;
  campaignId?: string;
  /** Survey fatigue in days; default: the site's setting. */
  throttleDays?: number;
}

/** The page, and one link per answer: `positive`, `neutral`, `negative` for reactions, the numbers of the
 * scale ("1".."5", "0".."10") for CSAT and NPS. */
export type SurveyLinks = { page: string } & Record<string, string>;

export type SurveyOutcome =
  /** `token` and `links` are null for a sealed survey: only its email carries them. */
  | { status: 'created' | 'existing'; ticketRef: string; survey: Survey; token: string | null; links: SurveyLinks | null; email: EmailRecord | null }
  /** No survey for this ticket: the contact got `previous` within the site's throttleDays. */
  | { status: 'throttled'; ticketRef: string; previous: Survey; nextAllowedAt: number; email: EmailRecord | null }
  /** No survey for this ticket: the contact unsubscribed from this site's surveys. */
  | { status: 'opted_out'; ticketRef: string; email: EmailRecord | null };

/** The survey email's Message-ID: the same for every attempt, so a receiver can tell a resend. */
export function surveyMessageId(publicUrl: string, surveyId: string): string {
  return `<${surveyId}.survey@${new URL(publicUrl).hostname}>`;
}

export function surveyLinks(publicUrl: string, token: string, ks: KindScale = { kind: 'reaction', scale: null }): SurveyLinks {
  const page = `${publicUrl}/s/${token}`;
  const answers = ks.kind === 'reaction' ? REACTIONS : answerValues(ks).map(String);
  return { page, ...Object.fromEntries(answers.map((a) => [a, `${page}?r=${a}`])) };
}

/** `sealed: true` for a survey whose email csat-badge will not send: its token would reach nobody. */
export class SealError extends Error {
  readonly code = 'cannot_seal';
  constructor() {
    super('a sealed survey is only reachable through the email csat-badge sends: set the site\'s sender address and give contact.email');
    this.name = 'SealError';
  }
}

export function surveyService(deps: { store: Store; clock: Clock; config: AppConfig }) {
  const { store, clock, config } = deps;

  const withLinks = (survey: Survey) => {
    if (survey.sealed) return { survey, token: null, links: null };
    const token = surveyToken(config.tokenSecret, survey.tokenId);
    return { survey, token, links: surveyLinks(config.publicUrl, token, survey) };
  };

  return {
    /** Creates (or returns the existing survey for the same ticketRef), applies throttle and opt-out, and
     * queues the email in the same transaction when the site sends email. `closedAt` (ms) is when the
     * ticket closed, for the site's delay.
     * A survey whose email csat-badge sends is sealed: its token never goes back to the operator, who
     * could otherwise answer in the client's name.
     * @throws ConflictError `ticket_already_rated` when the ticket's rating was imported.
     * @throws SealError when `sealed` is asked for a survey csat-badge does not email. */
    async create(site: Site, input: NewSurvey, options: { closedAt?: number } = {}): Promise<SurveyOutcome> {
      const now = clock.now();
      const settings = await store.getEmailSettings(site.id);
      // A site emails its surveys once it has a sender address; without a contact there is nobody to write to.
      const email =
        settings.senderEmail && input.contact?.email
          ? { sendAt: firstSendAt(options.closedAt, settings.delayMinutes, now), messageId: (id: string) => surveyMessageId(config.publicUrl, id) }
          : null;
      if (input.sealed && !email) throw new SealError();
      const throttleDays = input.throttleDays ?? site.throttleDays;
      const result = await store.createSurveyWithEmail(
        {
          siteId: site.id,
          ticketRef: input.ticketRef,
          tokenId: newTokenId(),
          team: input.team ?? null,
          technician: input.technician ?? null,
          contactEmail: input.contact?.email ?? null,
          contactName: input.contact?.name ?? null,
          locale: input.locale ?? null,
          moment: input.moment,
          kind: input.kind,
          scale: input.scale,
          campaignId: input.campaignId ?? null,
          sealed: email !== null,
          // The link's lifetime starts when the email goes out, not when it was queued.
          expiresAt: (email?.sendAt ?? now) + site.tokenTtlDays * DAY_MS,
          throttleSince: throttleDays > 0 ? now - throttleDays * DAY_MS : undefined,
          // An unsubscribed contact gets no further survey from this site, by email or otherwise.
          skipOptedOut: true,
        },
        email,
        now,
      );
      if (result.status === 'opted_out') return { status: 'opted_out', ticketRef: input.ticketRef, email: result.email };
      if (result.status === 'throttled') {
        const previous = result.survey;
        return { status: 'throttled', ticketRef: input.ticketRef, previous, nextAllowedAt: previous.createdAt + throttleDays * DAY_MS, email: result.email };
      }
      return { status: result.status, ticketRef: result.survey.ticketRef, ...withLinks(result.survey), email: result.email };
    },

    /** A reopened ticket: cancels its email if not yet sent; returns whether one was cancelled. An email
     * the worker is sending at this moment can no longer be called back. */
    async cancelUnsent(site: Site, ticketRef: string): Promise<boolean> {
      return store.cancelQueuedEmail(site.id, ticketRef, clock.now());
    },
  };
}

export type SurveyService = ReturnType<typeof surveyService>;
