// A row of connectors as both stores read it (flags as 0/1 in both), and the record made from it.
import type { ConnectorProvider, ConnectorRecord } from './types-connectors.js';

export interface ConnectorRow {
  id: string;
  site_id: number;
  provider: ConnectorProvider;
  label: string | null;
  sealed_settings: string;
  write_back: number;
  reopen: number;
  created_at: number;
  disabled_at: number | null;
  last_event: string | null;
  last_event_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
}

export const toRecord = (r: ConnectorRow): ConnectorRecord => ({
  id: r.id,
  siteId: r.site_id,
  provider: r.provider,
  label: r.label,
  sealedSettings: r.sealed_settings,
  writeBack: r.write_back === 1,
  reopen: r.reopen === 1,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});
