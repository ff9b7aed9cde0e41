/**
 * Event Grid signs nothing it delivers to a webhook. Rebote's protection is a shared secret
 * (AZURE_WEBHOOK_SECRET) that the subscription's endpoint URL carries as `?key=`, or that the
 * subscription sends as a static `X-Webhook-Secret` delivery header. Compared in constant time;
 * unset = every request refused.
 */
import { timingSafeEqual } from '../../crypto/timing-safe.js';
import { unauthorized } from '../../http/errors.js';
import { requireSecret } from '../shared/verify.js';

export const AZURE_SECRET = 'AZURE_WEBHOOK_SECRET';

function queryKey(url: string): string | null {
  try {
    return new URL(url).searchParams.get('key');
  } catch {
    return null;
  }
}

export function requireAzureSecret(url: string, headers: Headers, secret: string | undefined): void {
  requireSecret(secret, AZURE_SECRET);
  const given = [queryKey(url), headers.get('x-webhook-secret')].filter((v): v is string => v !== null && v !== '');
  if (given.length === 0) throw unauthorized('the key query parameter or the X-Webhook-Secret header is required', 'missing_credentials');
  // Every candidate is compared, so the time does not tell which one was right.
  let ok = false;
  for (const candidate of given) if (timingSafeEqual(candidate, secret)) ok = true;
  if (!ok) throw unauthorized('the webhook secret is not valid', 'bad_credentials');
}
