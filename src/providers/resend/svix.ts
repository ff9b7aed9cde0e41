/**
 * Svix (Standard Webhooks) signatures, as Resend sends them: `svix-id`, `svix-timestamp` and
 * `svix-signature` headers; the signature is base64 HMAC-SHA256 over `id.timestamp.body` keyed
 * with the base64-decoded secret after `whsec_`. The header lists one or more `v1,<sig>` entries
 * separated by spaces (several while a secret is being rotated): any one that matches is enough.
 */
import { base64ToBytes } from '../../crypto/base64.js';
import { hmac, toBase64 } from '../../crypto/hmac.js';
import { timingSafeEqual } from '../../crypto/timing-safe.js';
import { HttpError, unauthorized } from '../../http/errors.js';
import { requireSecret } from '../shared/verify.js';

/** Svix's own libraries refuse a timestamp more than five minutes away, in either direction. */
export const SVIX_TOLERANCE_SECONDS = 300;

const PREFIX = 'whsec_';

/** The HMAC key of a `whsec_...` secret, or null when the secret is not base64. */
export function svixKey(secret: string): Uint8Array | null {
  try {
    // Svix's libraries also take the bare base64 part, so the prefix is optional here too.
    const key = base64ToBytes(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret);
    return key.length > 0 ? key : null;
  } catch {
    return null;
  }
}

/** The `v1,<base64>` value for `body` (what Svix puts in svix-signature). */
export async function svixSignature(key: Uint8Array, id: string, timestamp: string, body: Uint8Array): Promise<string> {
  // The raw bytes are signed: the body is appended as bytes, never decoded and re-encoded.
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix, 0);
  signed.set(body, prefix.length);
  return `v1,${toBase64(await hmac('SHA-256', key, signed))}`;
}

/** Header by its Svix name, or by the Standard Webhooks name that Svix also documents. */
function header(headers: Headers, name: 'id' | 'timestamp' | 'signature'): string | null {
  const v = headers.get(`svix-${name}`) ?? headers.get(`webhook-${name}`);
  return v === null || v.trim() === '' ? null : v.trim();
}

/**
 * Throws 401 unless `body` carries a valid Svix signature made with `secret` within the
 * tolerance of `now`. Fails closed when the secret is unset or unusable.
 */
export async function verifySvix(headers: Headers, body: Uint8Array, secret: string | undefined, now: Date, secretName: string): Promise<void> {
  requireSecret(secret, secretName);
  const key = svixKey(secret);
  if (key === null) throw new HttpError(401, 'not_configured', `${secretName} is not a Svix signing secret (whsec_ followed by base64): refusing every request`);

  const id = header(headers, 'id');
  const timestamp = header(headers, 'timestamp');
  const signatures = header(headers, 'signature');
  if (id === null || timestamp === null || signatures === null) {
    throw unauthorized('svix-id, svix-timestamp and svix-signature are required', 'missing_signature');
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw unauthorized('svix-timestamp is not a Unix time in seconds', 'bad_timestamp');
  // Checked before the signature: an old but genuine request is a replay and is refused the same way.
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SVIX_TOLERANCE_SECONDS) {
    throw unauthorized(`svix-timestamp is more than ${SVIX_TOLERANCE_SECONDS} s away from now`, 'stale_timestamp');
  }

  const expected = await svixSignature(key, id, timestamp, body);
  let ok = false;
  for (const candidate of signatures.split(' ')) {
    // Only v1 (HMAC) entries can match; v1a (Ed25519) ones are for asymmetric keys, not whsec_.
    if (candidate.startsWith('v1,') && timingSafeEqual(candidate, expected)) ok = true;
  }
  if (!ok) throw unauthorized('no svix-signature entry matches the body', 'bad_signature');
}
