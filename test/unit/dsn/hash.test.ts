import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentKey } from '../../../src/dsn/hash.js';

describe('contentKey (the identity of an email without a Message-ID)', () => {
  it('is the same for the same bytes, wherever they sit in memory', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 7 }), (bytes, shift) => {
      const buffer = new Uint8Array(bytes.length + shift);
      buffer.set(bytes, shift);
      expect(contentKey(buffer.subarray(shift))).toBe(contentKey(bytes));
    }), { numRuns: 500 });
  });

  it('changes when any one byte changes, in the words and in the tail', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, delta) => {
      const i = at % bytes.length;
      const other = Uint8Array.from(bytes);
      other[i] = (other[i]! + delta) & 0xff;
      expect(contentKey(other)).not.toBe(contentKey(bytes));
    }), { numRuns: 2000 });
  });

  it('tells apart emails that differ only in length (trailing zero bytes)', () => {
    const keys = new Set(Array.from({ length: 40 }, (_, n) => contentKey(new Uint8Array(n))));
    expect(keys.size).toBe(40);
  });

  it('has the form w64:<16 hex digits>:<length>', () => {
    expect(contentKey(new TextEncoder().encode('Subject: x\n\nbody\n'))).toMatch(/^w64:[0-9a-f]{16}:17$/);
  });
});
