import { describe, expect, it } from 'vitest';
import { parseJsonExact } from '../../src/core/json.js';

describe('parseJsonExact', () => {
  it('keeps integers beyond 2^53 exact, as strings, and leaves everything else as JSON.parse does', () => {
    const text = '{"ID": 19342648901234567, "small": 42, "f": 1.5e3, "s": "12345678901234567890", "esc": "a\\"1234567890123456789", "arr": [-98765432109876543210]}';
    expect(parseJsonExact(text)).toEqual({
      ID: '19342648901234567', small: 42, f: 1500, s: '12345678901234567890', esc: 'a"1234567890123456789', arr: ['-98765432109876543210'],
    });
  });
  it('still refuses what is not JSON', () => {
    expect(() => parseJsonExact('{"a": 12345678901234567')).toThrow();
  });
});
