/**
 * Stable event ids. Parsers are pure and synchronous, so the id is a synchronous 128-bit hash of
 * the parts that identify a provider event (its own id, or its content when it has none).
 * Redelivery of the same input gives the same id, which is what makes storing idempotent.
 *
 * The hash is MurmurHash3 x86_128 (Austin Appleby's public-domain design) of the text's UTF-16LE
 * code units, computed in four 32-bit lanes with Math.imul: no BigInt, no allocation but the
 * joined text. Not cryptographic (nor need it be: ids only tell events apart, and an attacker who
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

/** Two UTF-16 code units of `text` from `i` as a little-endian 32-bit word (a missing one is 0). */
const word = (text: string, i: number): number => (text.charCodeAt(i) | 0) | ((text.charCodeAt(i + 1) | 0) << 16);

/** MurmurHash3 x86_128 of the UTF-16LE bytes of `text`, as 32 hex digits. */
export function hash128(text: string, seed = 0): string {
  const units = text.length;
  let h1 = seed;
  let h2 = seed;
  let h3 = seed;
  let h4 = seed;
  const blocks = units - (units % 8); // 8 code units = 16 bytes
  let i = 0;
  for (; i < blocks; i += 8) {
    let k1 = word(text, i);
    let k2 = word(text, i + 2);
    let k3 = word(text, i + 4);
    let k4 = word(text, i + 6);

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

  // The tail: up to 7 code units (14 bytes), lanes filled from the first.
  const rest = units - i;
  if (rest > 6) h4 ^= Math.imul(rotl(Math.imul(word(text, i + 6) & 0xffff, C4), 18), C1);
  if (rest > 4) h3 ^= Math.imul(rotl(Math.imul(rest > 5 ? word(text, i + 4) : word(text, i + 4) & 0xffff, C3), 17), C4);
  if (rest > 2) h2 ^= Math.imul(rotl(Math.imul(rest > 3 ? word(text, i + 2) : word(text, i + 2) & 0xffff, C2), 16), C3);
  if (rest > 0) h1 ^= Math.imul(rotl(Math.imul(rest > 1 ? word(text, i) : word(text, i) & 0xffff, C1), 15), C2);

  const bytes = units * 2;
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
  return hex8(h1) + hex8(h2) + hex8(h3) + hex8(h4);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (h: number): string => HEX[h >>> 24]! + HEX[(h >>> 16) & 0xff]! + HEX[(h >>> 8) & 0xff]! + HEX[h & 0xff]!;

/** `<provider>:<32 hex digits>` from the identifying parts, in order. */
export function stableId(provider: string, parts: ReadonlyArray<string | number | null | undefined>): string {
  let text = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i > 0) text += '\u001f';
    text += p === null || p === undefined ? '\u0000' : String(p);
  }
  return `${provider}:${hash128(text)}`;
}
