/**
 * Mandrill (Mailchimp Transactional) webhook signatures: `X-Mandrill-Signature` =
 * base64(HMAC-SHA1(webhook key, webhook URL + each POST field's name and value, sorted by name)).
 * The URL is the one configured in Mandrill (MANDRILL_WEBHOOK_URL), byte for byte: the URL this
 * Worker sees can differ behind a proxy or a custom domain, and would not verify.
 */
import { hmac, toBase64 } from '../../crypto/hmac.js';
import { timingSafeEqual } from '../../crypto/timing-safe.js';
import { HttpError, unauthorized } from '../../http/errors.js';
import { malformed } from '../shared/payload.js';
import { readForm } from './form.js';

export const SIGNATURE_HEADER = 'x-mandrill-signature';

/** The string Mandrill signs for these fields. */
export function signedData(url: string, fields: ReadonlyMap<string, string>): string {
  const names = [...fields.keys()].sort();
  return url + names.map((n) => n + fields.get(n)!).join('');
}

export async function mandrillSignature(key: string, url: string, fields: ReadonlyMap<string, string>): Promise<string> {
  return toBase64(await hmac('SHA-1', key, signedData(url, fields)));
}

export async function verifyMandrill(
  headers: Headers, body: Uint8Array, key: string | undefined, url: string | undefined,
): Promise<void> {
  if (!key || !url) {
    const missing = [key ? null : 'MANDRILL_WEBHOOK_KEY', url ? null : 'MANDRILL_WEBHOOK_URL'].filter((n) => n !== null);
    throw new HttpError(401, 'not_configured', `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: refusing every request`);
  }
  const given = headers.get(SIGNATURE_HEADER)?.trim();
  if (!given) throw unauthorized('the X-Mandrill-Signature header is missing', 'missing_signature');
  const fields = readForm(body);
  if (!timingSafeEqual(await mandrillSignature(key, url, fields), given)) {
    throw unauthorized('the Mandrill signature does not match', 'bad_signature');
  }
  // Signed, but not a webhook batch: nothing to store, and Mandrill would retry a 5xx forever.
  if (!fields.has('mandrill_events')) throw malformed('a Mandrill webhook body has a "mandrill_events" field');
}
