/**
 * SparkPost signs nothing. A webhook is created with `auth_type: basic` (SparkPost sends
 * `Authorization: Basic` with the configured username and password) or, in its older form, with
 * an `auth_token` that SparkPost sends as `X-MessageSystems-Webhook-Token`. One secret,
 * SPARKPOST_WEBHOOK_AUTH = `user:password`, covers both: the token header is accepted when it
 * equals the password part or the whole value.
 */
import { timingSafeEqual } from '../../crypto/timing-safe.js';
import { unauthorized } from '../../http/errors.js';
import { requireBasicAuth } from '../shared/basic-auth.js';
import { requireSecret } from '../shared/verify.js';

export const TOKEN_HEADER = 'x-messagesystems-webhook-token';

export function verifySparkpost(headers: Headers, secret: string | undefined): void {
  requireSecret(secret, 'SPARKPOST_WEBHOOK_AUTH');
  const token = headers.get(TOKEN_HEADER);
  if (token === null || headers.has('authorization')) {
    requireBasicAuth(headers, secret, 'SPARKPOST_WEBHOOK_AUTH');
    return;
  }
  const colon = secret.indexOf(':');
  const password = colon >= 0 ? secret.slice(colon + 1) : secret;
  // Both comparisons always run, so the time does not tell which form was close.
  const whole = timingSafeEqual(token, secret);
  const part = password !== '' && timingSafeEqual(token, password);
  if (!(whole || part)) throw unauthorized('the webhook token is not valid', 'bad_credentials');
}
