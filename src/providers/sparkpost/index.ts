/**
 * SparkPost event webhooks: `verify` checks HTTP Basic credentials or the webhook token header,
 * `parse` turns the batch of `msys` events into canonical events.
 */
import type { ProviderPlugin } from '../types.js';
import { verifySparkpost } from './auth.js';
import { parseSparkpost } from './parse.js';

export const sparkpost: ProviderPlugin = {
  name: 'sparkpost',
  async verify(req, config) {
    verifySparkpost(req.headers, config.secrets.SPARKPOST_WEBHOOK_AUTH);
  },
  parse(body) {
    return parseSparkpost(body);
  },
};
