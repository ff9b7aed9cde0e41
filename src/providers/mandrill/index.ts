/**
 * Mandrill / Mailchimp Transactional webhooks: `verify` checks the HMAC-SHA1 over the configured
 * URL and the form fields, `parse` turns the `mandrill_events` batch into canonical events.
 * (Mandrill's unsigned HEAD check, sent when the webhook is added, is answered by the route.)
 */
import type { ProviderPlugin } from '../types.js';
import { parseMandrill } from './parse.js';
import { verifyMandrill } from './signature.js';

export const mandrill: ProviderPlugin = {
  name: 'mandrill',
  async verify(req, config) {
    await verifyMandrill(req.headers, req.body, config.secrets.MANDRILL_WEBHOOK_KEY, config.secrets.MANDRILL_WEBHOOK_URL);
  },
  parse(body) {
    return parseMandrill(body);
  },
};
