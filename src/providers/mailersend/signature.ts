/**
 * MailerSend's webhook signature: header `Signature` = lowercase hex HMAC-SHA256 of the raw body,
 * keyed with the webhook's signing secret. There is no timestamp, so nothing bounds a replay;
 * replays are harmless because every event id is stable (a replay is a duplicate).
 *
 * When a webhook is saved, MailerSend checks the URL with a `webhook.test` ping signed with a
 * fixed secret that it publishes, not the webhook's own: that secret is accepted for the ping and
 * for nothing else, since anyone can sign with it.
 */
import { hmac, toHex } from '../../crypto/hmac.js';
import { timingSafeEqual } from '../../crypto/timing-safe.js';
import { unauthorized } from '../../http/errors.js';
import { requireSecret } from '../shared/verify.js';

/** MailerSend's published secret for the `webhook.test` ping (its docs; Symfony's TEST_SECRET). */
export const MAILERSEND_PING_SECRET = 'test_Am3L1GuOIc4blLUuHqAPxxwkZaJyEk8G';

export async function mailerSendSignature(secret: string, body: Uint8Array): Promise<string> {
  return toHex(await hmac('SHA-256', secret, body));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * True only for a body whose event type is `webhook.test` and that the parser reads as such: read
 * as strictly as parseJsonBody reads it, so that a body the parser would refuse (and keep as a
 * dead letter) can never pass with the published secret.
 */
function isPing(body: Uint8Array): boolean {
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(body));
    return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { type?: unknown }).type === 'webhook.test';
  } catch {
    return false;
  }
}

export async function verifyMailerSend(headers: Headers, body: Uint8Array, secret: string | undefined, secretName: string): Promise<void> {
  requireSecret(secret, secretName);
  const given = headers.get('signature')?.trim().toLowerCase() ?? '';
  if (given === '') throw unauthorized('the Signature header is required', 'missing_signature');
  if (timingSafeEqual(given, await mailerSendSignature(secret, body))) return;
  if (timingSafeEqual(given, await mailerSendSignature(MAILERSEND_PING_SECRET, body)) && isPing(body)) return;
  throw unauthorized('the Signature header does not match the body', 'bad_signature');
}
