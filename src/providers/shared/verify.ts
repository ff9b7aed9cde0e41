/**
 * Checks every plugin's `verify` shares: a provider secret must be configured (fail closed), and
 * a signed timestamp must lie inside the plugin's window.
 */
import { HttpError, unauthorized } from '../../http/errors.js';

/** Throws 401 'not_configured' when the setting `name` is unset or empty: refuse every request. */
export function requireSecret(secret: string | undefined, name: string): asserts secret is string {
  if (!secret) throw new HttpError(401, 'not_configured', `${name} is not set: refusing every request`);
}

/**
 * Throws 401 'stale_signature' unless the signed Unix time `timestamp` (seconds) is at most
 * `maxAgeSeconds` old and at most `maxSkewSeconds` ahead of `now` (clock skew).
 */
export function requireTimestampWithin(timestamp: string, now: Date, maxAgeSeconds: number, maxSkewSeconds: number): void {
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (age > maxAgeSeconds || age < -maxSkewSeconds) {
    throw unauthorized('the signature timestamp is outside the accepted window', 'stale_signature');
  }
}
