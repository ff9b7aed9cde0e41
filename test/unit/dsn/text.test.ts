import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../../src/core/address.js';
import { addressIn } from '../../../src/dsn/text.js';

describe('addressIn', () => {
  it('keeps an RFC 5321 quoted local part, and strips the quotes and brackets around whole addresses', () => {
    const cases: [string, string][] = [
      ['rfc822; "neko....nyaan...."@libsisimai.org', '"neko....nyaan...."@libsisimai.org'],
      ['rfc822; <"a b"@example.com>', '"a b"@example.com'],
      ['rfc822; "jane@example.com"', 'jane@example.com'],
      ['rfc822; <jane@example.com>', 'jane@example.com'],
      ["'jane@example.com'.", 'jane@example.com'],
      ['(jane@example.com)', 'jane@example.com'],
    ];
    for (const [value, want] of cases) expect(addressIn(value), value).toBe(want);
    expect(normalizeAddress(addressIn('rfc822; "neko....nyaan...."@libsisimai.org'))).toBe('"neko....nyaan...."@libsisimai.org');
  });
});
