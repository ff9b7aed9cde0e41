/**
 * Reading a webhook body as JSON for the plugins whose providers post JSON. Anything that is not
 * UTF-8 JSON is the sender's fault, so it is a 400 (never a 500), and the message says which
 * provider's body it was.
 */
import { parseJsonExact } from '../../core/json.js';
import { badRequest } from '../../http/errors.js';

export type JsonRecord = Record<string, unknown>;

export const isRecord = (v: unknown): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty string, else null: providers send "" and null interchangeably for "absent". */
export const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

export const malformed = (message: string) => badRequest(message, 'malformed');

/**
 * Parses the body. `exact` keeps integers beyond 2^53 as strings (Mailjet's MessageID), so an id
 * never collapses onto its neighbour.
 */
export function parseJsonBody(body: Uint8Array, provider: string, opts: { exact?: boolean } = {}): unknown {
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw malformed(`the ${provider} body is not UTF-8`);
  }
  try {
    return opts.exact ? parseJsonExact(source) : JSON.parse(source);
  } catch {
    throw malformed(`the ${provider} body is not valid JSON`);
  }
}
