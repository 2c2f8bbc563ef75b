// `csat connector ...`: create, change and list a site's help-desk connectors from the server's shell.
// `create` prints the inbound URL, the secret (the only time it is shown) and the tool's setup steps.
import type { SecretBox } from '../domain/secret-box.js';
import type { Site, Store } from '../store/types.js';
import { changedSettings, ConnectorInputError, inboundUrl, newConnector, settingNames, setupSteps } from './admin.js';
import { PROVIDER_NAMES, provider } from './providers/index.js';

export const CONNECTOR_USAGE = `  connector create <site> <${PROVIDER_NAMES.join('|')}> [key=value ...] [--label <text>] [--reopen] [--url <address>]
                                   a help-desk connector: prints its inbound URL, its secret (shown
                                   once) and the setup steps for that tool (docs/help-desks.md)
  connector set <site> <connector-id> [key=value ...] [--reopen|--no-reopen] [--disable|--enable]
                                   change its settings (API credentials, mappings); key=null removes one
  connector list <site>            connectors, their last event and error, write-back queue (no secrets)`;

/** parseArgs options the connector commands read. */
export const CONNECTOR_OPTIONS = {
  reopen: { type: 'boolean' },
  'no-reopen': { type: 'boolean' },
  disable: { type: 'boolean' },
  enable: { type: 'boolean' },
} as const;

export interface ConnectorCliContext {
  store: Store;
  /** The secret box of connector settings (read lazily: `list` needs no server secret). */
  box: () => SecretBox;
  site: (slug: string | undefined) => Promise<Site>;
  /** Base of the inbound URL (as the server's survey links: --url, CSAT_PUBLIC_URL, localhost:PORT). */
  publicUrl: () => string;
  values: { reopen?: boolean; 'no-reopen'?: boolean; disable?: boolean; enable?: boolean; label?: string };
  out: (line: string) => void;
  now: () => number;
  usage: (message: string) => Error;
}

const LIST_SETTINGS = new Set(['closedStatusIds', 'closedStatuses', 'closeValues', 'reopenValues']);
const NUMBER_SETTINGS = new Set(['noteType', 'notePublish']);

/** `key=value` arguments as settings: JSON for objects and arrays, comma lists and numbers where the
 * setting is one, null to remove. */
export function parseSettingArgs(pairs: readonly string[] = [], usage: (m: string) => Error): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw usage(`settings are given as key=value, not "${pair.slice(0, 40)}"`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (raw === 'null') settings[key] = null;
    else if (/^\s*[[{]/.test(raw)) {
      try {
        settings[key] = JSON.parse(raw);
      } catch {
        throw usage(`${key}: the value is not valid JSON`);
      }
    } else if (LIST_SETTINGS.has(key)) settings[key] = raw.split(',').map((s) => s.trim()).filter(Boolean);
    else if (NUMBER_SETTINGS.has(key)) settings[key] = Number(raw);
    else settings[key] = raw;
  }
  return settings;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function runConnectorCommand(sub: string | undefined, args: string[], ctx: ConnectorCliContext): Promise<number> {
  const { store, out, usage, values } = ctx;
  const site = await ctx.site(args[0]);
  try {
    switch (sub) {
      case 'create': {
        const name = args[1];
        if (!name) throw usage(`name the help desk: ${PROVIDER_NAMES.join(', ')}`);
        const base = ctx.publicUrl();
        const settings = Object.fromEntries(Object.entries(parseSettingArgs(args.slice(2), usage)).filter(([, v]) => v !== null));
        const { record, secret } = newConnector(ctx.box(), site, { provider: name, label: values.label ?? null, settings, reopen: values.reopen ?? false });
        await store.createConnector(record, ctx.now());
        const url = inboundUrl(base, site, record.id);
        const impl = provider(record.provider);
        out(`Connector ${record.id} (${impl.title}) for "${site.slug}".`);
        out(`Inbound URL: ${url}`);
        if (impl.ownSigningSecret) out(`Secret: none to copy; ${impl.title} signs its calls with its own signing secret (step 2 below).`);
        else out(`Secret (shown once, store it now): ${secret}`);
        out(`Verification: ${impl.inboundAuth}.`);
        out(`Write-back: ${record.writeBack ? 'on' : 'off until the API credentials are set'}${record.reopen ? ', reopening the ticket' : ''}.`);
        out('');
        out(`Setup in ${impl.title}:`);
        let n = 0;
        // Numbered steps; the JSON bodies and header lines between them are shown as they are to be pasted.
        for (const step of setupSteps(record.provider, url, secret, site.slug, record.id)) out(/^[{[]|^[\w-]+: \S+$/.test(step) ? step : `${(n += 1)}. ${step}`);
        return 0;
      }
      case 'set': {
        const id = args[1];
        if (!id) throw usage(`name the connector id (see: csat connector list ${site.slug})`);
        const connector = await store.getConnector(site.id, id);
        if (!connector) throw usage(`"${site.slug}" has no connector ${id}`);
        if (values.reopen && values['no-reopen']) throw usage('give --reopen or --no-reopen, not both');
        if (values.disable && values.enable) throw usage('give --disable or --enable, not both');
        const change = args.length > 2 ? changedSettings(ctx.box(), connector, parseSettingArgs(args.slice(2), usage)) : null;
        await store.updateConnector(
          site.id,
          id,
          {
            ...(change && { sealedSettings: change.sealedSettings, writeBack: change.writeBack }),
            ...(values.reopen && { reopen: true }),
            ...(values['no-reopen'] && { reopen: false }),
            ...(values.disable && { disabled: true }),
            ...(values.enable && { disabled: false }),
            ...(values.label !== undefined && { label: values.label }),
          },
          ctx.now(),
        );
        const updated = (await store.getConnector(site.id, id))!;
        out(`Connector ${id}: settings ${settingNames(ctx.box(), updated).join(', ') || '(none)'}; write-back ${updated.writeBack ? 'on' : 'off'}${updated.reopen ? ', reopens' : ''}${updated.disabledAt !== null ? '; disabled' : ''}.`);
        return 0;
      }
      case 'list': {
        const items = await store.listConnectors(site.id);
        if (items.length === 0) out(`"${site.slug}" has no connectors (csat connector create ${site.slug} <provider>).`);
        for (const c of items) {
          const wb = c.writeBacks;
          out(
            [
              `${c.id}  ${c.provider}${c.label ? ` (${c.label})` : ''}${c.disabledAt !== null ? '  disabled' : ''}`,
              `last event: ${c.lastEvent ? `${iso(c.lastEvent.at)} ${c.lastEvent.summary}` : 'none yet'}`,
              `last error: ${c.lastError ? `${iso(c.lastError.at)} ${c.lastError.message}` : 'none'}`,
              `write-back: ${c.writeBack ? 'on' : 'off'}, ${wb.pending} pending, ${wb.delivered} delivered, ${wb.failed} failed`,
            ].join('\n    '),
          );
        }
        return 0;
      }
      default:
        throw usage(`unknown connector command: ${sub ?? '(none)'}; try create, set or list`);
    }
  } catch (error) {
    if (error instanceof ConnectorInputError) throw usage(error.message);
    throw error;
  }
}
