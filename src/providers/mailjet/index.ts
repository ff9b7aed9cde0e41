/**
 * Mailjet Event API. Mailjet signs nothing; its documented protection is HTTP Basic credentials in
 * the callback URL (`https://user:password@host/webhooks/mailjet`), checked against
 * MAILJET_WEBHOOK_AUTH.
 */
import { requireBasicAuth } from '../shared/basic-auth.js';
import type { ProviderPlugin } from '../types.js';
import { parseMailjet } from './parse.js';

export const MAILJET_SECRET = 'MAILJET_WEBHOOK_AUTH';

export const mailjet: ProviderPlugin = {
  name: 'mailjet',
  async verify(req, config) {
    requireBasicAuth(req.headers, config.secrets[MAILJET_SECRET], MAILJET_SECRET);
  },
  parse: (body) => parseMailjet(body),
};
