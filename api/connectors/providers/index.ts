// The providers by name.
import type { BaseSettings, Provider, ProviderName } from '../types.js';
import { autotask } from './autotask.js';
import { connectwise } from './connectwise.js';
import { freshdesk } from './freshdesk.js';
import { generic } from './generic.js';
import { halopsa } from './halopsa.js';
import { zendesk } from './zendesk.js';

export const PROVIDERS = { connectwise, autotask, halopsa, zendesk, freshdesk, generic } as const satisfies Record<ProviderName, unknown>;
export const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];

export function isProviderName(name: unknown): name is ProviderName {
  return typeof name === 'string' && Object.hasOwn(PROVIDERS, name);
}

/** The provider, typed loosely: settings are checked against its schema where they come in. */
export function provider(name: ProviderName): Provider<BaseSettings & Record<string, unknown>> {
  return PROVIDERS[name] as unknown as Provider<BaseSettings & Record<string, unknown>>;
}
