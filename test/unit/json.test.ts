import { describe, expect, it } from 'vitest';
import { parseJsonExact } from '../../src/core/json.js';

describe('parseJsonExact', () => {
  it('keeps integers beyond 2^53 exact, as strings, and leaves everything else as JSON.parse does', () => {
    const text = '{"ID": 19342648901234567, "small": 42, "f": 1.5e3, "s": "12345678901234567890", "esc": "a\\"1234567890123456789", "arr": [-98765432109876543210]}';
    expect(parseJsonExact(text)).toEqual({
      ID: '19342648901234567', small: 42, f: 1500, s: '12345678901234567890', esc: 'a"1234567890123456789', arr: ['-98765432109876543210'],
    });
  });
  it('reads a fraction or an exponent with its number: long fraction digits are not an integer', () => {
    // A sender's float metadata (Postmark passes Metadata back as given): 17 fraction digits.
    const text = '{"a": 0.30000000000000004, "b": -1.2345678901234567891e-5, "c": 5e12345678901234567, "d": 1E+0000000000000000001, "ID": 19342648901234567}';
    expect(parseJsonExact(text)).toEqual({ a: 0.30000000000000004, b: -1.2345678901234567891e-5, c: Infinity, d: 10, ID: '19342648901234567' });
  });
  it('still refuses what is not JSON', () => {
    expect(() => parseJsonExact('{"a": 12345678901234567')).toThrow();
  });
});

/**
 * The scanner's work, counted: a String object whose charCodeAt counts the characters read
 * (parseJsonExact reads its input through charCodeAt only). Linear means each character read a
 * bounded number of times, whatever follows it. The inputs are the ones a backtracking regular
 * expression took quadratic time on (a long run of digits before "." or an exponent, an
 * unterminated string of escaped quotes): 48 KiB of them cost seconds, a 2 MiB webhook body
 * most of an hour. The bound is on reads, not time, so it holds on any machine.
 */
class CountedText extends String {
  reads = 0;
  override charCodeAt(index: number): number {
    this.reads++;
    return super.charCodeAt(index);
  }
}

function reads(text: string): { reads: number; result: unknown } {
  const counted = new CountedText(text);
  let result: unknown;
  try {
    result = parseJsonExact(counted as unknown as string);
  } catch (err) {
    result = err;
  }
  return { reads: counted.reads, result };
}

describe('parseJsonExact reads its input in one linear pass', () => {
  const KiB = 1024;
  it.each([
    ['digits then "."', '1'.repeat(48 * KiB) + '.', 'invalid'],
    ['digits then "e"', '1'.repeat(48 * KiB) + 'e', 'invalid'],
    ['"-" then digits then "."', '[-' + '1'.repeat(48 * KiB) + '.]', 'invalid'],
    ['an unterminated string of escaped quotes', '"' + 'a\\"'.repeat(32 * KiB), 'invalid'],
    ['many big integers', '[' + Array.from({ length: 2 * KiB }, () => '12345678901234567890').join(',') + ']', 'valid'],
    ['a long string of escapes', '"' + 'a\\"'.repeat(32 * KiB) + '"', 'valid'],
  ] as const)('%s: at most 3 reads per character', (_what, text, kind) => {
    const { reads: n, result } = reads(text);
    // The count does see the scanner (it reads all but the characters after a backslash) ...
    expect(n).toBeGreaterThanOrEqual(text.length / 2);
    // ... and none more than a few times: a quadratic scan reads ~length²/2 (10⁹ here).
    expect(n).toBeLessThanOrEqual(3 * text.length);
    if (kind === 'invalid') expect(result).toBeInstanceOf(SyntaxError);
    else expect(result).not.toBeInstanceOf(Error);
  });
});
