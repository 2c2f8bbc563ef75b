// The page a respondent lands on from the email: `GET /s/:token` shows the survey (a GET or HEAD never
// records anything), `POST /s/:token` is its form, guarded against cross-site posts, answered with a
// redirect to the thank-you state (post/redirect/get) so a reload never resubmits.
import { Hono, type Context } from 'hono';
import { csrf } from 'hono/csrf';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Answers, SurveyContext } from '../services/answers.js';
import { commentLength, MAX_COMMENT_CHARS, normalizeComment } from '../domain/comment.js';
import { negotiateLocale, type Locale } from '../domain/locale.js';
import { normaliseDimensions, type Dimension } from '../domain/dimensions.js';
import type { Reaction } from '../domain/reaction.js';
import { sendAsset, type CompressedAsset } from '../middleware/compressed-asset.js';
import { limitBody } from '../middleware/json-body.js';
import type { ReactionLimiter } from '../middleware/rate-limit.js';
import { linkClassOf, rangeOf, valueFromParam } from '../pages/answer-choices.js';
import { SURVEY_CSS, SURVEY_JS } from '../pages/assets.js';
import { fill, MESSAGES } from '../pages/messages.js';
import { renderMessagePage, renderSurveyPage, type MessagePage, type SurveyView } from '../pages/survey-page.js';

// connect-src 'self': the page script saves a comment with a fetch to this same page.
const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** `?saved=` after the redirect of a POST: `1` for a reaction (first or changed), `comment` when only the comment was saved. */
const savedFrom = (value: string | undefined): SurveyView['saved'] => (value === '1' ? 'answer' : value === 'comment' ? 'comment' : null);

export function surveyPageRoutes({ answers, publicUrl, limiter }: { answers: Answers; publicUrl: string; limiter: ReactionLimiter }) {
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : null;
  // Browsers send Origin (and Sec-Fetch-Site) on form posts; only this server's own pages may post.
  const formGuard = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === publicOrigin });

  // A language the help desk chose for this contact wins; then the browser's; then the site's.
  const localeFor = (c: Context, found: SurveyContext | null): Locale =>
    found?.survey.locale ?? negotiateLocale(c.req.header('Accept-Language'), found?.site.locale ?? 'en');

  const page = (c: Context, status: ContentfulStatusCode, body: string, locale: Locale) => {
    c.header('Content-Security-Policy', PAGE_CSP);
    // same-origin (not no-referrer): with no-referrer Chromium sends `Origin: null` on the page's own post.
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    c.header('Content-Language', locale);
    return c.html(body, status);
  };

  const message = (c: Context, status: ContentfulStatusCode, kind: MessagePage, found: SurveyContext | null) => {
    const locale = localeFor(c, found);
    return page(c, status, renderMessagePage(locale, kind, found?.site.name), locale);
  };

  const view = (c: Context, found: SurveyContext, extra: Partial<SurveyView> = {}): SurveyView => {
    const { survey, response } = found;
    return {
      locale: localeFor(c, found),
      token: c.req.param('token')!,
      company: found.site.name,
      ticketRef: survey.campaignId ? null : survey.ticketRef,
      kind: survey.kind,
      scale: survey.scale,
      answer: response && { value: response.value, comment: response.comment, dimensions: response.dimensions },
      changeableUntil: found.changeableUntil,
      open: found.open,
      preselect: valueFromParam(survey, c.req.query('r')),
      saved: savedFrom(c.req.query('saved')),
      held: found.held && { value: found.held.value, comment: found.held.comment },
      ...extra,
    };
  };

  const limitReactions = limiter(async (c) => message(c, 429, 'rate_limited', await answers.lookup(c.req.param('token') ?? '')));

  const asset = (file: CompressedAsset) => (c: Context) => {
    c.header('Cache-Control', c.req.query('v') ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    return sendAsset(c, file);
  };

  return new Hono()
    .get('/assets/survey.css', asset(SURVEY_CSS.asset))
    .get('/assets/survey.js', asset(SURVEY_JS.asset))
    .get('/s/:token', async (c) => {
      const found = await answers.lookup(c.req.param('token'));
      if (!found) return message(c, 404, 'invalid', null);
      // Only that an answer link was opened (by its class), to tell scanners (which open them all) from people.
      const opened = valueFromParam(found.survey, c.req.query('r'));
      if (opened !== null) await answers.openLink(found, linkClassOf(found.survey, opened));
      if (!found.response && found.expired) return message(c, 410, 'expired', found);
      const v = view(c, found, { logEntry: await answers.logEntry(found) });
      return page(c, 200, renderSurveyPage(v), v.locale);
    })
    // The email's trap link, which people do not see and scanners open: it marks the survey as scanned.
    // Anyone who lands here anyway gets the survey page without a preselected reaction.
    .get('/s/:token/t', async (c) => {
      const found = await answers.lookup(c.req.param('token'));
      if (!found) return message(c, 404, 'invalid', null);
      await answers.openLink(found, 'trap');
      if (!found.response && found.expired) return message(c, 410, 'expired', found);
      const v = { ...view(c, found), preselect: null, saved: null };
      return page(c, 200, renderSurveyPage(v), v.locale);
    })
    .post('/s/:token', limitReactions, limitBody, async (c) => {
      try {
        await formGuard(c, async () => {});
      } catch {
        return message(c, 403, 'forbidden', await answers.lookup(c.req.param('token')));
      }
      const token = c.req.param('token');
      // A body that is not a well-formed form (a broken multipart boundary, say) is the same 400 page
      // as a form without an answer, never a 500. `all`: "what mattered most?" repeats its field.
      const form: Record<string, unknown> = await c.req.parseBody({ all: true }).catch(() => ({}));
      // A field sent twice is not an answer (only `dimensions` repeats).
      const one = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
      const reaction = one('reaction');
      const score = one('score');
      const comment = one('comment');
      // Added by the page script to the post it makes by itself after the pause; a pressed button never has it.
      const auto = one('auto') === '1';
      // Present (with its hidden empty entry) when the page showed "what mattered most?": then nothing
      // ticked clears the choice; absent keeps it.
      const rawDimensions = form.dimensions === undefined ? undefined : ([] as unknown[]).concat(form.dimensions).filter((d) => d !== '');
      const dimensions: Dimension[] | null | undefined = rawDimensions && normaliseDimensions(rawDimensions);

      const refuse = async (problem: (t: (typeof MESSAGES)[Locale], found: SurveyContext) => string) => {
        const found = await answers.lookup(token);
        if (!found) return message(c, 404, 'invalid', null);
        const tried = found.survey.kind === 'reaction' ? reaction : score;
        const v = view(c, found, {
          saved: null,
          draftComment: comment,
          draftDimensions: dimensions ?? undefined,
          preselect: valueFromParam(found.survey, tried),
        });
        return page(c, 400, renderSurveyPage({ ...v, problem: problem(MESSAGES[v.locale], found) }), v.locale);
      };
      const badAnswer = (t: (typeof MESSAGES)[Locale], found: SurveyContext) => {
        if (found.survey.kind === 'reaction') return t.badRequest;
        const { min, max } = rangeOf(found.survey);
        return fill(t.badScore, { min: String(min), max: String(max) });
      };

      const before = await answers.lookup(token);
      if (!before) return message(c, 404, 'invalid', null);
      // The field of the survey's kind, with a value on its scale; anything else (the other field, both,
      // a number off the scale, "4.5", "04") is refused before anything is recorded.
      const kind = before.survey.kind;
      const value = kind === 'reaction' ? (score === undefined ? valueFromParam(before.survey, reaction) : null) : reaction === undefined ? valueFromParam(before.survey, score) : null;
      if (value === null) return refuse(badAnswer);
      if (dimensions === null) return refuse((t) => t.badDimensions);
      if (comment !== undefined && commentLength(comment) > MAX_COMMENT_CHARS) {
        return refuse((t) => t.commentTooLong);
      }

      // The "Save comment" button posts the current answer again: the confirmation then says the comment was saved.
      const commentOnly = (comment !== undefined || dimensions !== undefined) && before.response?.value === value;
      const answer = kind === 'reaction' ? { reaction: reaction as Reaction } : { value };
      const outcome = await answers.submit(token, answer, normalizeComment(comment), { auto, ...(dimensions ? { dimensions } : {}) });
      switch (outcome.kind) {
        case 'invalid':
          return message(c, 404, 'invalid', null);
        case 'invalid_answer':
          return refuse(badAnswer);
        case 'expired':
          return message(c, 410, 'expired', outcome.context);
        case 'closed': {
          const v = view(c, outcome.context, { saved: null });
          return page(c, 409, renderSurveyPage({ ...v, problem: MESSAGES[v.locale].closedTitle }), v.locale);
        }
        case 'saved':
          return c.redirect(`/s/${encodeURIComponent(token)}?saved=${commentOnly ? 'comment' : '1'}`, 303);
        case 'held':
          // The page then asks the person to confirm with one click.
          return c.redirect(`/s/${encodeURIComponent(token)}`, 303);
      }
    });
}
