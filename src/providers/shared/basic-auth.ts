/**
 * HTTP Basic (and Brevo's `Bearer user:password`) credentials against a configured
 * `user:password` secret, compared in constant time. Missing secret = refuse (fail closed).
 */
import { timingSafeEqual } from '../../crypto/timing-safe.js';
import { unauthorized } from '../../http/errors.js';
import { requireSecret } from './verify.js';

export function credentialsFrom(header: string | null, opts: { bearer?: boolean } = {}): string | null {
  if (header === null) return null;
  const basic = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (basic) {
    try {
      return new TextDecoder().decode(Uint8Array.from(atob(basic[1]!), (c) => c.charCodeAt(0)));
    } catch {
      return null;
    }
  }
  if (opts.bearer) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (bearer) return bearer[1]!;
  }
  return null;
}

/**
 * Throws 401 unless the Authorization header carries exactly `secret` (`user:password`).
 * `secretName` names the setting in the error when it is not configured.
 */
export function requireBasicAuth(headers: Headers, secret: string | undefined, secretName: string, opts: { bearer?: boolean } = {}): void {
  requireSecret(secret, secretName);
  const given = credentialsFrom(headers.get('authorization'), opts);
  if (given === null) throw unauthorized('credentials are required (HTTP Basic)', 'missing_credentials');
  if (!timingSafeEqual(given, secret)) throw unauthorized('the credentials are not valid', 'bad_credentials');
}
