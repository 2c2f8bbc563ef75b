// Creating and changing connectors, shared by the admin API and the `csat connector` commands: settings
// are checked against the provider's schema, sealed, and never handed back (only their names are).
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../domain/secret-box.js';
import type { ConnectorRecord, ConnectorStatus, Site } from '../store/types.js';
import { isProviderName, provider } from './providers/index.js';
import { openSettings, sealSettings, type ConnectorSettings } from './sealed-settings.js';
import type { ProviderName } from './types.js';

export class ConnectorInputError extends Error {
  override name = 'ConnectorInputError';
}

/** Checks settings against the provider's schema; the first problem names its field. */
export function checkSettings(name: ProviderName, settings: unknown): Record<string, unknown> {
  const result = provider(name).settingsSchema.safeParse(settings ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConnectorInputError(`settings${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data as Record<string, unknown>;
}

export function inboundUrl(publicUrl: string, site: Site, connectorId: string): string {
  return `${publicUrl}/v1/sites/${site.slug}/connectors/${connectorId}/events`;
}

export function newConnector(box: SecretBox, site: Site, input: { provider: string; label?: string | null; settings?: unknown; reopen?: boolean }) {
  if (!isProviderName(input.provider)) throw new ConnectorInputError(`unknown provider "${String(input.provider).slice(0, 40)}"`);
  const name = input.provider;
  const given = checkSettings(name, input.settings);
  const id = `cn_${randomBytes(12).toString('base64url')}`;
  const settings: ConnectorSettings = { ...given, inboundSecret: randomBytes(24).toString('base64url') };
  const record: Omit<ConnectorRecord, 'createdAt' | 'disabledAt'> = {
    id,
    siteId: site.id,
    provider: name,
    label: input.label ?? null,
    sealedSettings: sealSettings(box, id, settings),
    writeBack: provider(name).canWriteBack(settings),
    reopen: input.reopen ?? false,
  };
  return { record, secret: settings.inboundSecret };
}

/** The connector with `settings` merged over its current ones (a null value removes a setting). */
export function changedSettings(box: SecretBox, connector: ConnectorRecord, settings: Record<string, unknown>) {
  const current = openSettings(box, connector.id, connector.sealedSettings);
  const { inboundSecret, ...rest } = current;
  const merged = Object.fromEntries(Object.entries({ ...rest, ...settings }).filter(([, v]) => v !== null));
  const checked = checkSettings(connector.provider, merged);
  const next: ConnectorSettings = { ...checked, inboundSecret };
  return { sealedSettings: sealSettings(box, connector.id, next), writeBack: provider(connector.provider).canWriteBack(next), names: Object.keys(checked) };
}

/** Setting names (values never leave the server), for `list` and the admin page. */
export function settingNames(box: SecretBox, connector: ConnectorRecord): string[] {
  try {
    const { inboundSecret: _secret, ...rest } = openSettings(box, connector.id, connector.sealedSettings);
    return Object.keys(rest).sort();
  } catch {
    return [];
  }
}

/** The provider's setup steps for this connector (its site and id filled in). */
export function setupSteps(name: ProviderName, url: string, secret: string, siteSlug: string, connectorId: string): string[] {
  return provider(name).setupSteps(url, secret).map((step) => step.replaceAll('<site>', siteSlug).replaceAll('<connector-id>', connectorId));
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A connector as the admin API shows it: state and activity, no secret. */
export function describeConnector(status: ConnectorStatus, publicUrl: string, site: Site, settings: string[]) {
  return {
    id: status.id,
    provider: status.provider,
    title: provider(status.provider).title,
    label: status.label,
    inboundUrl: inboundUrl(publicUrl, site, status.id),
    settings,
    writeBack: status.writeBack,
    reopen: status.reopen,
    disabled: status.disabledAt !== null,
    createdAt: iso(status.createdAt),
    lastEvent: status.lastEvent && { at: iso(status.lastEvent.at), summary: status.lastEvent.summary },
    lastError: status.lastError && { at: iso(status.lastError.at), message: status.lastError.message },
    writeBacks: {
      pending: status.writeBacks.pending,
      delivered: status.writeBacks.delivered,
      failed: status.writeBacks.failed,
      last: status.writeBacks.last && { ...status.writeBacks.last, at: iso(status.writeBacks.last.at) },
    },
  };
}

