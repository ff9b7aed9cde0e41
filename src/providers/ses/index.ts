/**
 * Amazon SES through SNS. `verify` authenticates the SNS envelope (certificate URL, signature,
 * topic); `parse` turns the SES notification inside it into canonical events and, for a
 * SubscriptionConfirmation, hands the route the URL to GET.
 */
import type { ProviderPlugin } from '../types.js';
import { parseSnsEnvelope } from './parse.js';
import { parseEnvelope, verifySnsRequest } from './sns.js';

export const ses: ProviderPlugin = {
  name: 'ses',
  async verify(req, config, deps) {
    await verifySnsRequest(req.body, req.headers, config.snsTopicArns, deps);
  },
  parse(body) {
    return parseSnsEnvelope(parseEnvelope(body));
  },
};
