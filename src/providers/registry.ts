/** Every provider plugin, by the name in its webhook route. Adding a provider = one line here. */
import type { ProviderName } from '../core/event.js';
import type { ProviderPlugin } from './types.js';
import { ses } from './ses/index.js';

const plugins: ProviderPlugin[] = [
  ses,
];

export const PROVIDER_PLUGINS: ReadonlyMap<string, ProviderPlugin> = new Map(plugins.map((p) => [p.name, p]));

export function providerPlugin(name: string): ProviderPlugin | undefined {
  return PROVIDER_PLUGINS.get(name as ProviderName);
}
