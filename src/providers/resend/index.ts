/**
 * Resend, which delivers its webhooks through Svix. `verify` checks the Svix signature and its
 * timestamp; `parse` turns the event into canonical events, one per recipient.
 */
import type { ProviderPlugin } from '../types.js';
import { parseResend } from './parse.js';
import { verifySvix } from './svix.js';

export const RESEND_SECRET = 'RESEND_WEBHOOK_SECRET';

export const resend: ProviderPlugin = {
  name: 'resend',
  async verify(req, config, deps) {
    await verifySvix(req.headers, req.body, config.secrets[RESEND_SECRET], deps.now(), RESEND_SECRET);
  },
  parse: (body) => parseResend(body),
};
