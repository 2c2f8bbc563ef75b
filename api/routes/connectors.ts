// Help-desk connectors of a site: created, changed and listed with the admin key; their inbound URL
// takes the tool's "ticket closed" calls, verified the way that tool signs them (connectors/intake.ts).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { changedSettings, ConnectorInputError, describeConnector, inboundUrl, newConnector, settingNames, setupSteps } from '../connectors/admin.js';
import { connectorIntake } from '../connectors/intake.js';
import { PROVIDER_NAMES, provider } from '../connectors/providers/index.js';
import { connectorBox } from '../connectors/sealed-settings.js';
import { SecretBoxError } from '../domain/secret-box.js';
import { ApiError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { jsonBody, limitBody, requireJson } from '../middleware/json-body.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import type { SurveyService } from '../services/surveys.js';
import type { Store } from '../store/types.js';

/** Tools send whole ticket objects (ConnectWise's Entity is the full ticket): more room than the API's 16 KB. */
export const MAX_EVENT_BYTES = 64 * 1024;

const label = z.string().trim().min(1).max(100);
const settingsObject = z.record(z.string().max(50), z.unknown()).refine((s) => Object.keys(s).length <= 30, 'at most 30 settings');

const createSchema = z.strictObject({
  provider: z.enum(PROVIDER_NAMES as [string, ...string[]]),
  label: label.optional(),
  settings: settingsObject.optional(),
  reopen: z.boolean().optional(),
});

const changeSchema = z.strictObject({
  label: label.nullable().optional(),
  settings: settingsObject.optional(),
  reopen: z.boolean().optional(),
  disabled: z.boolean().optional(),
});

const limitEvent = bodyLimit({
  maxSize: MAX_EVENT_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `the request body must be at most ${MAX_EVENT_BYTES} bytes`);
  },
});

export function connectorRoutes(deps: { store: Store; clock: Clock; config: AppConfig; surveys: SurveyService; fetch?: typeof fetch }) {
  const { store, clock, config } = deps;
  const box = connectorBox(config.tokenSecret);
  const intake = connectorIntake({ store, clock, surveys: deps.surveys, box, fetch: deps.fetch });
  const site = loadSite(store);
  const admin = adminAuth(store);

  const inputError = (error: unknown): never => {
    if (error instanceof ConnectorInputError) throw new ApiError(400, 'invalid_request', error.message);
    if (error instanceof SecretBoxError) {
      throw new ApiError(409, 'connector_settings_unreadable', 'this connector\'s settings were sealed under another server secret: create the connector again');
    }
    throw error;
  };

  return new Hono<SiteEnv>()
    .post('/:site/connectors', site, admin, limitBody, requireJson, jsonBody(createSchema), async (c) => {
      const body = c.req.valid('json');
      const current = c.get('site');
      const { record, secret } = (() => {
        try {
          return newConnector(box, current, body);
        } catch (error) {
          return inputError(error);
        }
      })();
      await store.createConnector(record, clock.now());
      const url = inboundUrl(config.publicUrl, current, record.id);
      const impl = provider(record.provider);
      c.header('Cache-Control', 'no-store');
      // The only time the inbound secret leaves the server.
      return c.json(
        { id: record.id, provider: record.provider, label: record.label, inboundUrl: url, secret: impl.ownSigningSecret ? null : secret, auth: impl.inboundAuth, setup: setupSteps(record.provider, url, secret, current.slug, record.id), writeBack: record.writeBack, reopen: record.reopen },
        201,
      );
    })
    .patch('/:site/connectors/:id', site, admin, limitBody, requireJson, jsonBody(changeSchema), async (c) => {
      const body = c.req.valid('json');
      const current = c.get('site');
      const connector = await store.getConnector(current.id, c.req.param('id'));
      if (!connector) throw new ApiError(404, 'connector_not_found', 'this site has no connector with that id');
      let sealed: { sealedSettings?: string; writeBack?: boolean } = {};
      if (body.settings) {
        try {
          const next = changedSettings(box, connector, body.settings);
          sealed = { sealedSettings: next.sealedSettings, writeBack: next.writeBack };
        } catch (error) {
          inputError(error);
        }
      }
      await store.updateConnector(current.id, connector.id, { ...sealed, label: body.label, reopen: body.reopen, disabled: body.disabled }, clock.now());
      const status = (await store.listConnectors(current.id)).find((s) => s.id === connector.id)!;
      const updated = (await store.getConnector(current.id, connector.id))!;
      c.header('Cache-Control', 'no-store');
      return c.json(describeConnector(status, config.publicUrl, current, settingNames(box, updated)));
    })
    .get('/:site/connectors', site, admin, async (c) => {
      const current = c.get('site');
      c.header('Cache-Control', 'no-store');
      const items = [];
      for (const status of await store.listConnectors(current.id)) {
        const record = (await store.getConnector(current.id, status.id))!;
        items.push(describeConnector(status, config.publicUrl, current, settingNames(box, record)));
      }
      return c.json({ items });
    })
    // The tool's call: no admin key; the connector's own verification decides (401 when it fails).
    .post('/:site/connectors/:id/events', site, limitEvent, async (c) => {
      const rawBody = await c.req.text();
      const result = await intake.handle(c.get('site'), c.req.param('id'), { headers: c.req.header(), query: c.req.query(), rawBody });
      c.header('Cache-Control', 'no-store');
      return c.json(result.body, result.status);
    });
}
