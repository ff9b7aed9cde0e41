/**
 * A quick content key for emails without a Message-ID: two 32-bit FNV-1a hashes of the bytes
 * (different offsets), 64 bits in hex. Not cryptographic: it only has to tell redeliveries of the
 * same email apart from other emails, and it must be fast on large messages.
 */
export function contentKey(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return `fnv:${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}:${bytes.length}`;
}
