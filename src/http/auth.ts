/** API keys for /v1 (SPEC §4): Bearer key from API_KEYS; `read:` keys may not write. */
import type { Config, Scope } from '../config.js';
import { timingSafeEqual } from '../crypto/timing-safe.js';
import { forbidden, unauthorized } from './errors.js';

export function bearerToken(header: string | undefined | null): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/** The scope of the presented key; throws 401 without a valid key (none configured = none valid). */
export function authenticate(cfg: Config, header: string | undefined | null): Scope {
  const token = bearerToken(header);
  if (token === null) {
    throw unauthorized(header
      ? 'the Authorization header is not "Bearer <key>" (one key, no spaces in it)'
      : 'an API key is required: Authorization: Bearer <key>');
  }
  let scope: Scope | null = null;
  // Compare against every key so the time does not tell which one nearly matched.
  for (const k of cfg.apiKeys) if (timingSafeEqual(k.key, token) && scope !== 'admin') scope = k.scope;
  if (scope === null) throw unauthorized('the API key is not valid');
  return scope;
}

export function requireAdmin(scope: Scope): void {
  if (scope !== 'admin') throw forbidden('this key may only read; writes need an admin key');
}

/** POSTs that only read: a bulk check and an inspection store nothing. */
const READING_POSTS = new Set(['/v1/suppressions/check', '/v1/inspect']);

/** Whether a /v1 request changes anything (needs an admin key). */
export function isWrite(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  return !(method === 'POST' && READING_POSTS.has(path.replace(/(?<!\/)\/+$/, '')));
}
