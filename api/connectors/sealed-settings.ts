// Connector settings (the inbound secret, the tool's API credentials) live in the database only sealed
// with the secret box (AES-256-GCM under a key derived from the server secret), bound to the connector's
// id so a sealed value copied onto another connector does not open.
import { secretBox, type SecretBox } from '../domain/secret-box.js';
import type { BaseSettings } from './types.js';

export type ConnectorSettings = BaseSettings & Record<string, unknown>;

export function connectorBox(serverSecret: Buffer): SecretBox {
  return secretBox(serverSecret, 'connector settings');
}

const context = (connectorId: string) => `connector ${connectorId} settings`;

export function sealSettings(box: SecretBox, connectorId: string, settings: ConnectorSettings): string {
  return box.seal(JSON.stringify(settings), context(connectorId));
}

/** @throws SecretBoxError when the server secret changed or the value was altered. */
export function openSettings(box: SecretBox, connectorId: string, sealed: string): ConnectorSettings {
  return JSON.parse(box.open(sealed, context(connectorId))) as ConnectorSettings;
}
