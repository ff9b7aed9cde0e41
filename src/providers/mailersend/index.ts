/**
 * MailerSend. `verify` checks the `Signature` HMAC of the raw body (MAILERSEND_WEBHOOK_SECRET),
 * and lets MailerSend's own `webhook.test` ping through with its published test secret; `parse`
 * turns the activity into a canonical event.
 */
import type { ProviderPlugin } from '../types.js';
import { parseMailerSend } from './parse.js';
import { verifyMailerSend } from './signature.js';

export const MAILERSEND_SECRET = 'MAILERSEND_WEBHOOK_SECRET';

export const mailersend: ProviderPlugin = {
  name: 'mailersend',
  async verify(req, config) {
    await verifyMailerSend(req.headers, req.body, config.secrets[MAILERSEND_SECRET], MAILERSEND_SECRET);
  },
  parse: (body) => parseMailerSend(body),
};
