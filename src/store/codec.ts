/** DynamoDB attribute values to and from plain JSON-like data (strings, numbers, booleans, maps, lists, null; binary reads as base64). */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };
export type Item = Record<string, AttributeValue>;

export function toAttr(v: Plain | undefined): AttributeValue {
  if (v === null || v === undefined) return { NULL: true };
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (Array.isArray(v)) return { L: v.map(toAttr) };
  return { M: toItem(v) };
}

export function toItem(o: Record<string, Plain | undefined>): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = toAttr(v);
  return out;
}

export function fromAttr(a: AttributeValue): Plain {
  if (a.S !== undefined) return a.S;
  if (a.N !== undefined) return Number(a.N);
  if (a.BOOL !== undefined) return a.BOOL;
  if (a.L !== undefined) return a.L.map(fromAttr);
  if (a.M !== undefined) return fromItem(a.M);
  // Binary (deflated event pages) as base64, so whole items can still be compared as data.
  if (a.B !== undefined) return btoa(Array.from(a.B, (b) => String.fromCharCode(b)).join(''));
  return null;
}

export function fromItem(item: Item): { [k: string]: Plain } {
  const out: { [k: string]: Plain } = {};
  for (const [k, v] of Object.entries(item)) out[k] = fromAttr(v);
  return out;
}
