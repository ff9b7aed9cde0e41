/**
 * Azure Communication Services Email through Event Grid. `verify` checks the shared secret (query
 * `key` or `X-Webhook-Secret`); `parse` turns delivery reports into canonical events and answers
 * the subscription validation event. The secret is required for the validation event as well: the
 * endpoint URL given to Event Grid carries `?key=`, so the handshake has it, and an endpoint
 * without a secret stays closed. (The CloudEvents OPTIONS handshake is in handshake.ts.)
 */
import type { ProviderPlugin } from '../types.js';
import { parseAzure } from './parse.js';
import { requireAzureSecret } from './secret.js';

export const azure: ProviderPlugin = {
  name: 'azure',
  async verify(req, config) {
    requireAzureSecret(req.url, req.headers, config.secrets.AZURE_WEBHOOK_SECRET);
  },
  parse: (body) => parseAzure(body),
};
