/**
 * Reading untrusted provider JSON without `any`: decode and parse the body, narrow a value or say
 * it is not there. Shared by the webhook parsers, which all walk loosely typed objects and must
 * answer 400 (never 500) when the body or its shape is wrong; the message names the provider.
 */
import { parseJsonExact } from '../../core/json.js';
import { eventIso } from '../../core/time.js';
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
  if (!opts.exact && body.length > 2 * PIECE_BYTES) {
    const elements = arrayInPieces(body);
    if (elements !== null) return elements;
  }
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

/** About how many bytes of a large JSON array are decoded and parsed at a time. */
const PIECE_BYTES = 32 * 1024;

const isJsonSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * A large JSON array (a batch of events), decoded and parsed a piece at a time, or null when it
 * cannot be: the caller then reads the body whole, and reports any error exactly as it would
 * have. Why: one string of hundreds of KiB goes to V8's large-object space, and making it costs
 * several times what decoding the bytes does; pieces of 32 KiB stay in the ordinary heap.
 *
 * The result is what JSON.parse of the whole would give, with the same strict UTF-8 check:
 * - pieces are cut only at ASCII bytes (after an element's `}`, at the `,` before the next `{`),
 *   which never fall inside a UTF-8 sequence, so the pieces are valid UTF-8 exactly when the
 *   whole is, and decode to the same text;
 * - when `[` + piece + `]` is a JSON array with at least one element for every piece, the whole
 *   body is the array of all their elements, in order (JSON's grammar allows one reading only).
 *   A cut that fell inside a string or a nested array leaves a piece that is not such an
 *   array, and the body is read whole instead.
 */
function arrayInPieces(body: Uint8Array): unknown[] | null {
  let start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0; // the BOM the decoder drops
  while (isJsonSpace(body[start])) start++;
  let end = body.length;
  while (end > start && isJsonSpace(body[end - 1])) end--;
  if (body[start] !== 0x5b || body[end - 1] !== 0x5d || end - start < 2) return null;
  const close = end - 1;
  const elements: unknown[] = [];
  let from = start + 1;
  while (from < close) {
    const cut = close - from > PIECE_BYTES + PIECE_BYTES / 2 ? nextCut(body, from + PIECE_BYTES, close) : close;
    let piece: unknown;
    try {
      piece = JSON.parse(`[${utf8.decode(body.subarray(from, cut))}]`);
    } catch {
      return null;
    }
    if (!Array.isArray(piece) || piece.length === 0) return null;
    for (let i = 0; i < piece.length; i++) elements.push(piece[i]);
    from = cut + 1;
  }
  return elements;
}

/** The index of the next `,` at or after `from` that has `}` before it and `{` after it (JSON space aside), else `limit`. */
function nextCut(body: Uint8Array, from: number, limit: number): number {
  for (let i = body.indexOf(0x7d, from); i >= 0 && i < limit; i = body.indexOf(0x7d, i + 1)) {
    let comma = i + 1;
    while (comma < limit && isJsonSpace(body[comma])) comma++;
    if (body[comma] !== 0x2c) continue;
    let next = comma + 1;
    while (next < limit && isJsonSpace(body[next])) next++;
    if (body[next] === 0x7b) return comma;
  }
  return limit;
}

/**
 * The provider's time of an event as ISO 8601, or a 400. Strict because `occurred_at` is part of
 * the stored event's key: a guessed time would make a redelivery look like a new event.
 */
export function eventTime(v: unknown, what: string): string {
  const iso = eventIso(v);
  if (iso === null) throw malformed(`${what} is missing or not a time between 1970 and 9999`);
  return iso;
}
