/**
 * The CloudEvents 1.0 webhook "abuse protection" handshake that Event Grid performs instead of a
 * validation event when a subscription uses the CloudEvents schema: an HTTP OPTIONS request with
 * `WebHook-Request-Origin`, answered with `WebHook-Allowed-Origin` naming the same origin. The
 * secret is required here too (fail closed): an endpoint that has not been configured does not
 * consent to receive anything.
 */
import type { Config } from '../../config.js';
import { badRequest } from '../../http/errors.js';
import { requireAzureSecret } from './secret.js';

export interface OptionsAnswer {
  status: 200;
  headers: Record<string, string>;
}

/** Throws 401 without the secret and 400 without an origin; otherwise the headers to answer with. */
export function answerWebhookOptions(url: string, headers: Headers, config: Config): OptionsAnswer {
  requireAzureSecret(url, headers, config.secrets.AZURE_WEBHOOK_SECRET);
  const origin = headers.get('webhook-request-origin')?.trim();
  if (!origin) throw badRequest('WebHook-Request-Origin is required', 'missing_origin');
  return { status: 200, headers: { 'WebHook-Allowed-Origin': origin, 'WebHook-Allowed-Rate': '*', Allow: 'POST, OPTIONS' } };
}
