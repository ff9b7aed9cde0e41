/**
 * The `application/x-www-form-urlencoded` body Mandrill posts. Strict about repeated names:
 * Mandrill sends each field once, and a repeated one would leave open which value was signed.
 */
import { malformed } from '../shared/payload.js';

export function readForm(body: Uint8Array): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(new TextDecoder().decode(body))) {
    if (fields.has(name)) throw malformed(`the form field "${name}" is repeated`);
    fields.set(name, value);
  }
  return fields;
}
