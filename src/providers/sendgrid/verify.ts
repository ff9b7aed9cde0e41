/**
 * SendGrid's Signed Event Webhook: ECDSA P-256 with SHA-256 over the timestamp header followed by
 * the raw body bytes, checked with the verification key from the SendGrid dashboard
 * (SENDGRID_WEBHOOK_PUBLIC_KEY, base64 DER SubjectPublicKeyInfo; a PEM block is accepted too).
 */
import { base64ToBytes } from '../../crypto/base64.js';
import { pemToDer } from '../../crypto/der.js';
import { HttpError, unauthorized } from '../../http/errors.js';
import { requireSecret, requireTimestampWithin } from '../shared/verify.js';
import { derSignatureToP1363 } from './ecdsa.js';

export const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/**
 * How old a signature may be. SendGrid documents no tolerance and retries a failed batch for up
 * to 24 hours; refusing a late retry (should SendGrid keep its first signature) would lose the
 * batch for good, while replaying a genuine batch changes nothing (event ids make storing
 * idempotent). So: a day, plus a margin for SendGrid's queueing.
 */
export const MAX_AGE_SECONDS = 25 * 60 * 60;
/** How far ahead of our clock a timestamp may be (clock skew). */
export const MAX_SKEW_SECONDS = 5 * 60;

const encoder = new TextEncoder();

function keyBytes(secret: string): Uint8Array {
  return secret.includes('-----BEGIN') ? pemToDer(secret, 'PUBLIC KEY') : base64ToBytes(secret);
}

/**
 * The last imported key, by the secret it came from: an isolate serves many requests with the
 * same secret, and importing costs about as much CPU as verifying. A changed secret (a new
 * deployment, or a test with another key) is imported afresh; a failed import is not kept.
 */
let imported: { secret: string; key: CryptoKey } | null = null;

async function importKey(secret: string): Promise<CryptoKey> {
  if (imported !== null && imported.secret === secret) return imported.key;
  try {
    const key = await crypto.subtle.importKey('spki', keyBytes(secret), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    imported = { secret, key };
    return key;
  } catch {
    // Fail closed, and say why: the operator pasted something that is not the verification key.
    throw new HttpError(401, 'not_configured', 'SENDGRID_WEBHOOK_PUBLIC_KEY is not a base64 DER P-256 public key: refusing every request');
  }
}

/**
 * Where timestamp + body are put together for the check, kept for the next request: a fresh
 * buffer the size of a batch (hundreds of KiB) cost more CPU than the copy into it. Safe to
 * reuse because WebCrypto copies its input before `verify` returns its promise (WebCrypto
 * §14.3.4, "getting a copy of the bytes"). Bodies above REUSE_LIMIT get a buffer of their own,
 * so an isolate never holds on to more than that.
 */
let scratch = new Uint8Array(0);
const REUSE_LIMIT = 1024 * 1024;

function signedBytes(timestamp: string, body: Uint8Array): Uint8Array {
  const stamp = encoder.encode(timestamp);
  const size = stamp.length + body.length;
  let out: Uint8Array;
  if (size > REUSE_LIMIT) {
    out = new Uint8Array(size);
  } else {
    if (scratch.length < size) scratch = new Uint8Array(Math.min(REUSE_LIMIT, Math.max(size, scratch.length * 2)));
    out = scratch.subarray(0, size);
  }
  out.set(stamp, 0);
  out.set(body, stamp.length);
  return out;
}

function signatureBytes(header: string): Uint8Array {
  try {
    return derSignatureToP1363(base64ToBytes(header.trim()));
  } catch {
    throw unauthorized('the signature is not a base64 DER ECDSA signature', 'bad_signature');
  }
}

export async function verifySendgrid(headers: Headers, body: Uint8Array, secret: string | undefined, now: Date): Promise<void> {
  requireSecret(secret, 'SENDGRID_WEBHOOK_PUBLIC_KEY');
  const signature = headers.get(SIGNATURE_HEADER);
  const timestamp = headers.get(TIMESTAMP_HEADER)?.trim() ?? null;
  if (!signature || !timestamp) throw unauthorized('the SendGrid signature headers are missing', 'missing_signature');
  if (!/^\d{1,12}$/.test(timestamp)) throw unauthorized('the signature timestamp is not a unix time', 'bad_signature');

  const key = await importKey(secret);
  const p1363 = signatureBytes(signature);
  const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, p1363, signedBytes(timestamp, body));
  if (!ok) throw unauthorized('the SendGrid signature does not match', 'bad_signature');

  // Checked after the signature, so that a genuine but late request is reported as such.
  requireTimestampWithin(timestamp, now, MAX_AGE_SECONDS, MAX_SKEW_SECONDS);
}
