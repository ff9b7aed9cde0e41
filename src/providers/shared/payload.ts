/**
 * Reading untrusted provider JSON without `any`: narrow a value or say it is not there. Shared by
 * the webhook parsers, which all walk loosely typed objects and must answer 400 (never 500) when
 * the shape is wrong.
 */
import { badRequest, type HttpError } from '../../http/errors.js';
import { toIso } from '../../core/time.js';

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty string, trimmed; anything else is null. */
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

/** The 400 every parser throws for a body that is not the provider's shape. */
export const malformed = (message: string): HttpError => badRequest(message, 'malformed');

/** Decodes UTF-8 and parses JSON, or throws a 400 naming the provider. */
export function parseJsonBody(body: Uint8Array, provider: string, parse: (text: string) => unknown = JSON.parse): unknown {
  try {
    return parse(new TextDecoder().decode(body));
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
