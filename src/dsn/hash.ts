/**
 * A quick content key for emails without a Message-ID: a 64-bit hash of the bytes, in hex, with
 * their length. Not cryptographic: it only has to tell redeliveries of the same email apart from
 * other emails, and it must be fast on large messages, also before V8 has optimized it (a short
 * `rebote inspect` run hashes in the interpreter): two lanes each take one 32-bit word per step
 * (xor, multiply, shift back down), so a step covers 8 bytes. Words are read in the platform's
 * byte order, little-endian wherever Node and Workers run.
 */
export function contentKey(bytes: Uint8Array): string {
  const n = bytes.length;
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  const w = new Uint32Array(aligned.buffer, aligned.byteOffset, n >>> 2);
  let a = 0x811c9dc5;
  let b = 0x5bd1e995 ^ n;
  let i = 0;
  for (; i + 1 < w.length; i += 2) {
    a = Math.imul(a ^ w[i]!, 0x01000193);
    a ^= a >>> 15;
    b = Math.imul(b ^ w[i + 1]!, 0x5bd1e995);
    b ^= b >>> 13;
  }
  if (i < w.length) {
    a = Math.imul(a ^ w[i]!, 0x01000193);
    a ^= a >>> 15;
  }
  for (let j = n & ~3; j < n; j++) {
    b = Math.imul(b ^ bytes[j]!, 0x5bd1e995);
    b ^= b >>> 13;
  }
  // Each lane's last steps reach all of its bits, and each lane the other's.
  a = Math.imul(a ^ (b >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (a >>> 13), 0xc2b2ae35);
  a ^= b >>> 16;
  return `w64:${hex(a)}${hex(b)}:${n}`;
}

const hex = (x: number): string => (x >>> 0).toString(16).padStart(8, '0');
