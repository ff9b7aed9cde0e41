/**
 * Stable event ids. Parsers are pure and synchronous, so the id is a synchronous 128-bit hash of
 * the parts that identify a provider event (its own id, or its content when it has none).
 * Redelivery of the same input gives the same id, which is what makes storing idempotent.
 */

const MASK64 = (1n << 64n) - 1n;
const FNV_PRIME = 0x100000001b3n;

function fnv1a64(text: string, basis: bigint): bigint {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h ^= BigInt(c & 0xff);
    h = (h * FNV_PRIME) & MASK64;
    h ^= BigInt(c >>> 8);
    h = (h * FNV_PRIME) & MASK64;
  }
  return h;
}

/** `<provider>:<32 hex digits>` from the identifying parts, in order. */
export function stableId(provider: string, parts: ReadonlyArray<string | number | null | undefined>): string {
  const text = parts.map((p) => (p === null || p === undefined ? '\u0000' : String(p))).join('\u001f');
  const a = fnv1a64(text, 0xcbf29ce484222325n);
  const b = fnv1a64(text, 0x84222325cbf29ce4n);
  return `${provider}:${a.toString(16).padStart(16, '0')}${b.toString(16).padStart(16, '0')}`;
}
