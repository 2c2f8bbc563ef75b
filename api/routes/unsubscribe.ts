// One-click unsubscribe (RFC 8058) for survey emails: `POST /u/:token` with the body
// `List-Unsubscribe=One-Click` puts the survey's contact on the site's opt-out list; `GET /u/:token`
// shows a confirm page and records nothing. No Origin check on the POST: mail providers send it from
// their own servers, and the token in the address is the proof. The rating is never touched.
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { verifySurveyToken } from '../domain/tokens.js';
import { limitBody } from '../middleware/json-body.js';
import { renderUnsubscribePage, type UnsubscribeView } from '../pages/unsubscribe-page.js';
import type { Site, Store, Survey } from '../store/types.js';

const PAGE_CSP = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

export function unsubscribeRoutes({ store, clock, config }: { store: Store; clock: Clock; config: AppConfig }) {
  const find = async (token: string): Promise<{ survey: Survey; site: Site } | null> => {
    const tokenId = verifySurveyToken(config.tokenSecret, token);
    const survey = tokenId && (await store.getSurveyByTokenId(tokenId));
    const site = survey && (await store.getSiteById(survey.siteId));
    return survey && site ? { survey, site } : null;
  };

  const page = (c: Context, status: ContentfulStatusCode, found: { survey: Survey; site: Site } | null, view: UnsubscribeView) => {
    const locale = found ? (found.survey.locale ?? found.site.locale) : 'en';
    c.header('Content-Security-Policy', PAGE_CSP);
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    c.header('Content-Language', locale);
    return c.html(renderUnsubscribePage(locale, view), status);
  };

  return new Hono()
    .get('/u/:token', async (c) => {
      const found = await find(c.req.param('token'));
      if (!found) return page(c, 404, null, { kind: 'invalid' });
      return page(c, 200, found, { kind: 'ask', company: found.site.name });
    })
    .post('/u/:token', limitBody, async (c) => {
      const found = await find(c.req.param('token'));
      if (!found) return page(c, 404, null, { kind: 'invalid' });
      if (!FORM_TYPES.test(c.req.header('Content-Type') ?? '')) {
        return c.json({ error: { code: 'unsupported_media_type', message: 'send List-Unsubscribe=One-Click as a form body' } }, 415);
      }
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      if (form['List-Unsubscribe'] !== 'One-Click') {
        return c.json({ error: { code: 'invalid_request', message: 'the body must be List-Unsubscribe=One-Click (RFC 8058)' } }, 400);
      }
      // An erased contact has no address left to put on the list: there is nothing more to send anyway.
      if (found.survey.contactEmail) await store.optOut(found.site.id, found.survey.contactEmail, clock.now());
      return page(c, 200, found, { kind: 'done', company: found.site.name });
    });
}
