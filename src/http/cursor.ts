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
  throw invalidCursor();
}

/** 400 for a cursor that is garbled or was given out for other filters than the request's. */
export function invalidCursor(): Error {
  return badRequest('the cursor is not one this API gave out for this query: pass it back as it came, with the same query, or leave it out to start again', 'invalid_cursor');
}

