/**
 * Mailgun webhook signatures: hex HMAC-SHA256 of `timestamp + token` with the HTTP webhook
 * signing key (MAILGUN_WEBHOOK_SIGNING_KEY; not the API key). Only those two values are signed,
 * not the event, so the token is what makes a request unique: it is claimed for the body it came
 * with before anything is parsed or stored, and the same token with any other body is refused
 * (Mailgun's advice: never honour a token twice). The same body again is Mailgun's retry, whose
 * events are duplicates.
 */
import { hmac, toHex } from '../../crypto/hmac.js';
import { timingSafeEqual } from '../../crypto/timing-safe.js';
import { unauthorized } from '../../http/errors.js';
import type { ProviderDeps } from '../types.js';
import { isJsonObject, parseJsonBody, text } from '../shared/payload.js';
import { requireSecret, requireTimestampWithin } from '../shared/verify.js';

/**
 * How old a signature may be. Mailgun retries a failed delivery for about 8 hours (10 min,
 * 10 min, 15 min, 30 min, 1 h, 2 h, 4 h) and may repeat its first signature, so a window of
 * minutes (its docs' sample uses 15 s) would turn every retry into a lost event. Replays inside
 * the window are stopped by the token instead, which is remembered for as long as it could pass.
 */
export const MAX_AGE_SECONDS = 12 * 60 * 60;
/** How far ahead of our clock a timestamp may be (clock skew). */
export const MAX_SKEW_SECONDS = 15 * 60;
/** A token must be remembered for as long as its timestamp stays acceptable (plus a minute). */
export const REPLAY_TTL_SECONDS = MAX_AGE_SECONDS + MAX_SKEW_SECONDS + 60;

/** Mailgun's tokens are 50 characters; a bound keeps junk out of the replay table. */
const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

export interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

/** The `signature` block of a Mailgun JSON body, or a 401 when it is missing or not Mailgun's shape. */
export function signatureBlock(body: Uint8Array): MailgunSignature {
  const json = parseJsonBody(body, 'Mailgun');
  const block = isJsonObject(json) && isJsonObject(json.signature) ? json.signature : null;
  const timestamp = text(block?.timestamp);
  const token = text(block?.token);
  const signature = text(block?.signature);
  if (timestamp === null || token === null || signature === null) {
    throw unauthorized('the Mailgun signature block is missing', 'missing_signature');
  }
  if (!/^\d{1,12}$/.test(timestamp) || !TOKEN.test(token)) throw unauthorized('the Mailgun signature block is malformed', 'bad_signature');
  return { timestamp, token, signature };
}

export async function verifyMailgun(body: Uint8Array, key: string | undefined, deps: ProviderDeps): Promise<void> {
  requireSecret(key, 'MAILGUN_WEBHOOK_SIGNING_KEY');
  const sig = signatureBlock(body);
  const expected = toHex(await hmac('SHA-256', key, sig.timestamp + sig.token));
  if (!timingSafeEqual(expected, sig.signature.toLowerCase())) throw unauthorized('the Mailgun signature does not match', 'bad_signature');

  requireTimestampWithin(sig.timestamp, deps.now(), MAX_AGE_SECONDS, MAX_SKEW_SECONDS);
  // Claimed only for genuine signatures, so forged requests cost no store write.
  const digest = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', body)));
  if (!(await deps.claimOnce({ key: `mailgun:${sig.token}`, digest, ttlSeconds: REPLAY_TTL_SECONDS }))) {
    throw unauthorized('this Mailgun token was already used with another body', 'replayed');
  }
}
