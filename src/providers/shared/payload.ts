/**
 * Reading untrusted provider JSON without `any`: decode and parse the body, narrow a value or say
 * it is not there. Shared by the webhook parsers, which all walk loosely typed objects and must
 * answer 400 (never 500) when the body or its shape is wrong; the message names the provider.
 */
import { parseJsonExact } from '../../core/json.js';
import { toIso } from '../../core/time.js';
import { badRequest, type HttpError } from '../../http/errors.js';

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty string, trimmed; anything else is null (providers send "" and null alike for "absent"). */
export function text(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** A string or a finite number as a string (providers send codes and ids both ways). */
export function scalar(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return text(v);
}

/**
 * `table[key]` for a key that came from a payload, or null. Own properties only: a provider value
 * such as "constructor" must not find Object.prototype's.
 */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string | null | undefined): T | null {
  return key !== null && key !== undefined && Object.hasOwn(table, key) ? table[key]! : null;
}

/** The 400 every parser throws for a body that is not the provider's shape. */
export const malformed = (message: string): HttpError => badRequest(message, 'malformed');

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes UTF-8 and parses JSON, or throws a 400 naming the provider: 'malformed' for bytes that
 * are not UTF-8, 'malformed_json' for text that is not JSON. `exact` keeps integers beyond 2^53
 * as strings (Postmark's ID, Mailjet's MessageID), so an id never collapses onto its neighbour.
 */
export function parseJsonBody(body: Uint8Array, provider: string, opts: { exact?: boolean } = {}): unknown {
  let source: string;
  try {
    source = utf8.decode(body);
  } catch {
    throw malformed(`the ${provider} body is not UTF-8`);
  }
  try {
    return opts.exact ? parseJsonExact(source) : JSON.parse(source);
  } catch {
    throw badRequest(`the ${provider} body is not valid JSON`, 'malformed_json');
  }
}

/**
 * The provider's time of an event as ISO 8601, or a 400. Strict because `occurred_at` is part of
 * the stored event's key: a guessed time would make a redelivery look like a new event.
 */
export function eventTime(v: unknown, what: string): string {
  const iso = toIso(v);
  if (iso === null) throw malformed(`${what} is missing or not a time`);
  return iso;
}
