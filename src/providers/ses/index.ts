/**
 * Amazon SES through SNS. `verify` authenticates the SNS envelope (certificate URL, signature,
 * topic); `parse` turns the SES notification inside it into canonical events and, for a
 * SubscriptionConfirmation, hands the route the URL to GET.
 */
import type { Config } from '../../config.js';
import type { ProviderPlugin } from '../types.js';
import { parseSesMessage, parseSnsEnvelope } from './parse.js';
import { parseEnvelope, verifySnsRequest } from './sns.js';

/**
 * A bare SES notification (what the SES docs and consoles show) rather than an SNS envelope.
 * Only /v1/inspect can hand one to `parse`: the webhook route verifies an envelope first.
 */
function bareSesMessage(body: Uint8Array): string | null {
  const text = new TextDecoder().decode(body);
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || 'Type' in value) return null;
    const eventBridge = 'source' in value && value.source === 'aws.ses' && 'detail' in value;
    return 'notificationType' in value || 'eventType' in value || eventBridge ? text : null;
  } catch {
    return null;
  }
}

export const ses = {
  name: 'ses' as const,
  async verify(req, config, deps) {
    await verifySnsRequest(req.body, req.headers, config.snsTopicArns, deps);
  },
  parse(body: Uint8Array, _config?: Config) {
    const bare = bareSesMessage(body);
    // A bare message has no SNS time; SES's own timestamps inside it are used instead.
    if (bare !== null) return parseSesMessage(bare, new Date(0).toISOString());
    return parseSnsEnvelope(parseEnvelope(body));
  },
} satisfies ProviderPlugin;
