/**
 * Mailgun webhooks: `verify` checks the HMAC of timestamp + token and refuses a token seen
 * before; `parse` turns the one event of the request into canonical events.
 */
import type { ProviderPlugin } from '../types.js';
import { parseMailgun } from './parse.js';
import { verifyMailgun } from './verify.js';

export const mailgun: ProviderPlugin = {
  name: 'mailgun',
  verify(req, config, deps) {
    return verifyMailgun(req.body, config.secrets.MAILGUN_WEBHOOK_SIGNING_KEY, deps);
  },
  parse(body) {
    return parseMailgun(body);
  },
};
