import { describe, expect, it } from 'vitest';
import { hash128, stableId } from '../../src/core/id.js';

/**
 * MurmurHash3 x86_128 over bytes, written the plain way (byte-wise tail, fall-through), as the
 * reference the code-unit version in src/core/id.ts must agree with. Returns the four lanes.
 */
function murmur3x86_128(key: Uint8Array, seed: number): [number, number, number, number] {
  const c1 = 0x239b961b, c2 = 0xab0e9789, c3 = 0x38b34ae5, c4 = 0xa1e38b93;
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  const fmix = (h: number) => {
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); return h ^ (h >>> 16);
  };
  const u32 = (i: number) => key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24);
  let h1 = seed, h2 = seed, h3 = seed, h4 = seed;
  const nblocks = Math.floor(key.length / 16);
  for (let b = 0; b < nblocks; b++) {
    let k1 = u32(b * 16), k2 = u32(b * 16 + 4), k3 = u32(b * 16 + 8), k4 = u32(b * 16 + 12);
    k1 = Math.imul(k1, c1); k1 = rotl(k1, 15); k1 = Math.imul(k1, c2); h1 ^= k1;
    h1 = rotl(h1, 19); h1 = (h1 + h2) | 0; h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(k2, c2); k2 = rotl(k2, 16); k2 = Math.imul(k2, c3); h2 ^= k2;
    h2 = rotl(h2, 17); h2 = (h2 + h3) | 0; h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(k3, c3); k3 = rotl(k3, 17); k3 = Math.imul(k3, c4); h3 ^= k3;
    h3 = rotl(h3, 15); h3 = (h3 + h4) | 0; h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(k4, c4); k4 = rotl(k4, 18); k4 = Math.imul(k4, c1); h4 ^= k4;
    h4 = rotl(h4, 13); h4 = (h4 + h1) | 0; h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  const t = nblocks * 16;
  let k1 = 0, k2 = 0, k3 = 0, k4 = 0;
  switch (key.length & 15) {
    case 15: k4 ^= key[t + 14]! << 16; // falls through
    case 14: k4 ^= key[t + 13]! << 8; // falls through
    case 13: k4 ^= key[t + 12]!; k4 = Math.imul(k4, c4); k4 = rotl(k4, 18); k4 = Math.imul(k4, c1); h4 ^= k4; // falls through
    case 12: k3 ^= key[t + 11]! << 24; // falls through
    case 11: k3 ^= key[t + 10]! << 16; // falls through
    case 10: k3 ^= key[t + 9]! << 8; // falls through
    case 9: k3 ^= key[t + 8]!; k3 = Math.imul(k3, c3); k3 = rotl(k3, 17); k3 = Math.imul(k3, c4); h3 ^= k3; // falls through
    case 8: k2 ^= key[t + 7]! << 24; // falls through
    case 7: k2 ^= key[t + 6]! << 16; // falls through
    case 6: k2 ^= key[t + 5]! << 8; // falls through
    case 5: k2 ^= key[t + 4]!; k2 = Math.imul(k2, c2); k2 = rotl(k2, 16); k2 = Math.imul(k2, c3); h2 ^= k2; // falls through
    case 4: k1 ^= key[t + 3]! << 24; // falls through
    case 3: k1 ^= key[t + 2]! << 16; // falls through
    case 2: k1 ^= key[t + 1]! << 8; // falls through
    case 1: k1 ^= key[t]!; k1 = Math.imul(k1, c1); k1 = rotl(k1, 15); k1 = Math.imul(k1, c2); h1 ^= k1;
  }
  h1 ^= key.length; h2 ^= key.length; h3 ^= key.length; h4 ^= key.length;
  h1 = (h1 + h2 + h3 + h4) | 0; h2 = (h2 + h1) | 0; h3 = (h3 + h1) | 0; h4 = (h4 + h1) | 0;
  h1 = fmix(h1); h2 = fmix(h2); h3 = fmix(h3); h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0; h2 = (h2 + h1) | 0; h3 = (h3 + h1) | 0; h4 = (h4 + h1) | 0;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hexOf = (lanes: number[]) => lanes.map((h) => h.toString(16).padStart(8, '0')).join('');
const utf16le = (s: string) => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) { out[2 * i] = s.charCodeAt(i) & 0xff; out[2 * i + 1] = s.charCodeAt(i) >>> 8; }
  return out;
};

describe('hash128 (MurmurHash3 x86_128)', () => {
  it('the byte-wise reference passes SMHasher\'s verification value (0xB3ECE62A)', () => {
    const key = new Uint8Array(256);
    const hashes = new Uint8Array(256 * 16);
    for (let i = 0; i < 256; i++) {
      key[i] = i;
      const lanes = murmur3x86_128(key.subarray(0, i), 256 - i);
      lanes.forEach((h, l) => { for (let b = 0; b < 4; b++) hashes[i * 16 + l * 4 + b] = (h >>> (8 * b)) & 0xff; });
    }
    const final = murmur3x86_128(hashes, 0);
    expect(final[0]).toBe(0xb3ece62a);
  });

  it('is the reference over the text\'s UTF-16LE bytes, for every tail length and non-ASCII text', () => {
    const samples = ['', 'a', 'ab', 'abc', 'abcdefg', 'abcdefgh', 'abcdefghi', 'abcdefghijklmno', 'abcdefghijklmnop',
      'dsn:<id@x>\u001fjane@example.com\u001fbounced\u001f5.1.1', 'メールエラー通知', '\u0000\u001f\uffff\ud83d\ude00'];
    for (let n = 0; n < 40; n++) samples.push('x'.repeat(n) + String.fromCharCode(0x100 + n));
    for (const s of samples) {
      for (const seed of [0, 1, 0x9747b28c]) expect(hash128(s, seed)).toBe(hexOf(murmur3x86_128(utf16le(s), seed)));
    }
  });
});

describe('hash128 over its reused buffer', () => {
  it('gives each text its own hash, whatever was hashed before it (longer, shorter, non-ASCII)', () => {
    const texts = ['x'.repeat(1000) + '\u00e9', 'ab', '', 'a'.repeat(257), 'abcdefg', '\u3042'.repeat(9), 'abc'];
    const reference = texts.map((t) => hexOf(murmur3x86_128(utf16le(t), 0)));
    for (let round = 0; round < 2; round++) {
      texts.forEach((t, i) => expect(hash128(t), `${round}:${t.slice(0, 10)}`).toBe(reference[i]));
      texts.reverse();
      reference.reverse();
    }
    // Pinned: the 1001-unit text is longer than the buffer starts out.
    expect(hash128('x'.repeat(1000) + '\u00e9')).toBe('fbb2a1ce605965e819d7543c4e2a7b2a');
  });
});

describe('stableId', () => {
  it('is the hash of the parts joined by U+001F, a missing part as U+0000, numbers as their decimal text', () => {
    const cases: Array<Array<string | number | null | undefined>> = [
      [], [''], [null], ['a', null, 'b'], [undefined, 1.5, -0, 1e21], ['evt-1', 'delivered', 'user@example.com'],
      ['\u00e9\ud83d\ude00', 'x'.repeat(600), 'y'], [0, '', null, ''],
    ];
    for (const parts of cases) {
      const joined = parts.map((p) => (p === null || p === undefined ? '\u0000' : String(p))).join('\u001f');
      expect(stableId('p', parts), JSON.stringify(parts)).toBe(`p:${hexOf(murmur3x86_128(utf16le(joined), 0))}`);
      // The seed is MurmurHash3's own.
      expect(stableId('p', parts, 5), JSON.stringify(parts)).toBe(`p:${hexOf(murmur3x86_128(utf16le(joined), 5))}`);
    }
    // Pinned: SendGrid's ids, as stored before ids were hashed from their parts.
    expect(stableId('sendgrid', ['evt-1', 'delivered', 'user@example.com'])).toBe('sendgrid:931736b212b8b389dd635c0be9a45fe7');
  });


  it('is `<provider>:<32 hex digits>` and deterministic', () => {
    const id = stableId('dsn', ['<abc@example.com>', 'jane@example.com', 'bounced', '5.1.1']);
    expect(id).toMatch(/^dsn:[0-9a-f]{32}$/);
    expect(stableId('dsn', ['<abc@example.com>', 'jane@example.com', 'bounced', '5.1.1'])).toBe(id);
    // Pinned: a change here changes every stored event id (idempotent storing depends on it).
    expect(id).toBe(`dsn:${hash128('<abc@example.com>\u001fjane@example.com\u001fbounced\u001f5.1.1')}`);
  });

  it('tells apart missing, empty and literal parts, and where the parts split', () => {
    const ids = new Set([
      stableId('p', [null]), stableId('p', [undefined]), stableId('p', ['']), stableId('p', ['null']),
      stableId('p', ['a', 'b']), stableId('p', ['ab']), stableId('p', ['a', '', 'b']), stableId('p', [1]), stableId('p', ['1', null]),
    ]);
    expect(ids.size).toBe(8); // null and undefined are the same missing part
    expect(stableId('a', ['x'])).not.toBe(stableId('b', ['x']));
  });

  it('has no collision over 200k near-identical inputs, and one changed character flips about half the bits', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(stableId('dsn', ['<m@x>', `user${i}@example.com`, 'bounced', '5.1.1']));
    expect(seen.size).toBe(200_000);

    let flipped = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const a = BigInt(`0x${hash128(`message-${i}@example.com`)}`);
      const b = BigInt(`0x${hash128(`message-${i}@example.con`)}`);
      flipped += (a ^ b).toString(2).split('').filter((c) => c === '1').length;
    }
    const mean = flipped / trials;
    expect(mean).toBeGreaterThan(62);
    expect(mean).toBeLessThan(66);
  });
});
