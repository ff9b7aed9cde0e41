/**
 * Brevo transactional webhooks. Brevo signs nothing: the webhook is protected by credentials it
 * sends with every call, HTTP Basic (`https://user:password@host/...`) or `Authorization: Bearer
 * user:password` (its "token" authentication), checked against BREVO_WEBHOOK_AUTH.
 */
import { requireBasicAuth } from '../shared/basic-auth.js';
import type { ProviderPlugin } from '../types.js';
import { parseBrevo } from './parse.js';

export const BREVO_SECRET = 'BREVO_WEBHOOK_AUTH';

export const brevo: ProviderPlugin = {
  name: 'brevo',
  async verify(req, config) {
    requireBasicAuth(req.headers, config.secrets[BREVO_SECRET], BREVO_SECRET, { bearer: true });
  },
  parse: (body) => parseBrevo(body),
};
