/** Opaque pagination cursors: base64url JSON, checked on the way back in. */
import { badRequest } from './errors.js';

export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeCursor<T>(cursor: string, isValid: (v: unknown) => v is T): T {
  try {
    const b64 = cursor.replaceAll('-', '+').replaceAll('_', '/');
    const value: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
    if (isValid(value)) return value;
  } catch {
    // fall through
  }
  throw badRequest('the cursor is not one this API gave out', 'invalid_cursor');
}

