/**
 * SendGrid Event Webhook: `verify` checks the ECDSA signature over timestamp + raw body,
 * `parse` turns the JSON array of events into canonical events.
 */
import type { ProviderPlugin } from '../types.js';
import { parseSendgrid } from './parse.js';
import { verifySendgrid } from './verify.js';

export const sendgrid: ProviderPlugin = {
  name: 'sendgrid',
  async verify(req, config, deps) {
    await verifySendgrid(req.headers, req.body, config.secrets.SENDGRID_WEBHOOK_PUBLIC_KEY, deps.now());
  },
  parse(body) {
    return parseSendgrid(body);
  },
};
