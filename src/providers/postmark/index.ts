/**
 * Postmark webhooks: Postmark signs nothing, so `verify` checks the HTTP Basic credentials
 * configured in the webhook URL (POSTMARK_WEBHOOK_AUTH = `user:password`); `parse` turns the
 * record into canonical events.
 */
import type { ProviderPlugin } from '../types.js';
import { requireBasicAuth } from '../shared/basic-auth.js';
import { parsePostmark } from './parse.js';

export const postmark: ProviderPlugin = {
  name: 'postmark',
  async verify(req, config) {
    requireBasicAuth(req.headers, config.secrets.POSTMARK_WEBHOOK_AUTH, 'POSTMARK_WEBHOOK_AUTH');
  },
  parse(body) {
    return parsePostmark(body);
  },
};
