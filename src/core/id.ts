/**
 * Stable event ids. Parsers are pure and synchronous, so the id is a synchronous 128-bit hash of
 * the parts that identify a provider event (its own id, or its content when it has none).
 * Redelivery of the same input gives the same id, which is what makes storing idempotent.
 *
 * The hash is MurmurHash3 x86_128 (Austin Appleby's public-domain design) of the text's UTF-16LE
 * code units, computed in four 32-bit lanes with Math.imul: no BigInt, and no allocation but the
 * id itself. Not cryptographic (nor need it be: ids only tell events apart, and an attacker who
 * controls a provider's payload controls its events anyway); 128 bits make an accidental
 * collision among the events of any realistic store negligible.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The code units being hashed. Ids are hashed from their parts written straight into this buffer,
 * so no joined string is built per id. Parsers are synchronous, so one buffer serves every call;
 * it grows to the longest input seen. One unit past the end is kept 0 for the tail's last word.
 */
let units = new Uint16Array(256);

function reserve(n: number): void {
  if (n < units.length) return;
  let size = units.length * 2;
  while (size <= n) size *= 2;
  const next = new Uint16Array(size);
  next.set(units);
  units = next;
}

/** Writes `text` at `at`; returns the end. */
function put(text: string, at: number): number {
  const n = text.length;
  reserve(at + n + 1);
  const u = units;
  for (let i = 0; i < n; i++) u[at + i] = text.charCodeAt(i);
  return at + n;
}

/** MurmurHash3 x86_128 of the UTF-16LE bytes of `text`, as 32 hex digits. */
export function hash128(text: string, seed = 0): string {
  return hashUnits(put(text, 0), seed);
}

/** MurmurHash3 x86_128 of the first `count` code units of the buffer (as UTF-16LE bytes). */
function hashUnits(count: number, seed: number): string {
  const u = units;
  u[count] = 0;
  let h1 = seed;
  let h2 = seed;
  let h3 = seed;
  let h4 = seed;
  const blocks = count - (count % 8); // 8 code units = 16 bytes
  let i = 0;
  for (; i < blocks; i += 8) {
    let k1 = u[i]! | (u[i + 1]! << 16);
    let k2 = u[i + 2]! | (u[i + 3]! << 16);
    let k3 = u[i + 4]! | (u[i + 5]! << 16);
    let k4 = u[i + 6]! | (u[i + 7]! << 16);

    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }

  // The tail: up to 7 code units (14 bytes), lanes filled from the first; u[count] is 0.
  const rest = count - i;
  if (rest > 6) h4 ^= Math.imul(rotl(Math.imul(u[i + 6]!, C4), 18), C1);
  if (rest > 4) h3 ^= Math.imul(rotl(Math.imul(u[i + 4]! | (u[i + 5]! << 16), C3), 17), C4);
  if (rest > 2) h2 ^= Math.imul(rotl(Math.imul(u[i + 2]! | (u[i + 3]! << 16), C2), 16), C3);
  if (rest > 0) h1 ^= Math.imul(rotl(Math.imul(u[i]! | (u[i + 1]! << 16), C1), 15), C2);

  const bytes = count * 2;
  h1 ^= bytes;
  h2 ^= bytes;
  h3 ^= bytes;
  h4 ^= bytes;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return hex32(h1, h2, h3, h4);
}

/** The four lanes as 32 hex digits, made as one string (not joined from pieces). */
const D = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
const hex32 = (a: number, b: number, c: number, d: number): string => String.fromCharCode(
  D[a >>> 28]!, D[(a >>> 24) & 15]!, D[(a >>> 20) & 15]!, D[(a >>> 16) & 15]!, D[(a >>> 12) & 15]!, D[(a >>> 8) & 15]!, D[(a >>> 4) & 15]!, D[a & 15]!,
  D[b >>> 28]!, D[(b >>> 24) & 15]!, D[(b >>> 20) & 15]!, D[(b >>> 16) & 15]!, D[(b >>> 12) & 15]!, D[(b >>> 8) & 15]!, D[(b >>> 4) & 15]!, D[b & 15]!,
  D[c >>> 28]!, D[(c >>> 24) & 15]!, D[(c >>> 20) & 15]!, D[(c >>> 16) & 15]!, D[(c >>> 12) & 15]!, D[(c >>> 8) & 15]!, D[(c >>> 4) & 15]!, D[c & 15]!,
  D[d >>> 28]!, D[(d >>> 24) & 15]!, D[(d >>> 20) & 15]!, D[(d >>> 16) & 15]!, D[(d >>> 12) & 15]!, D[(d >>> 8) & 15]!, D[(d >>> 4) & 15]!, D[d & 15]!,
);

/**
 * `<provider>:<32 hex digits>` from the identifying parts, in order: the hash of the parts joined
 * by U+001F, a missing part (null, undefined) written as U+0000. A seed other than 0 gives a
 * different id for the same parts (cheaper than one more part).
 */
export function stableId(provider: string, parts: ReadonlyArray<string | number | null | undefined>, seed = 0): string {
  let n = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i > 0) {
      reserve(n + 1);
      units[n++] = 0x1f;
    }
    if (p === null || p === undefined) {
      reserve(n + 1);
      units[n++] = 0;
    } else {
      n = put(typeof p === 'string' ? p : String(p), n);
    }
  }
  return `${provider}:${hashUnits(n, seed)}`;
}
