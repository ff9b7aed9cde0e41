import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkedAddress, normalizeAddress } from '../../src/core/address.js';

describe('normalizeAddress', () => {
  it('trims, strips angle brackets and lower-cases', () => {
    expect(normalizeAddress('  <Jane.Doe@Example.COM> ')).toBe('jane.doe@example.com');
  });
  it('gives one form for the Unicode and punycode spellings of a domain', () => {
    expect(normalizeAddress('info@Bücher.example')).toBe('info@xn--bcher-kva.example');
    expect(normalizeAddress('info@xn--bcher-kva.example')).toBe('info@xn--bcher-kva.example');
  });
  it('refuses what is not an address', () => {
    for (const bad of ['', 'nobody', '@example.com', 'a@', 'a b@example.com', 'a@example', 'a@-x.com',
      'x@example.com\r\nBcc: y@example.com', 42, null]) {
      expect(normalizeAddress(bad)).toBeNull();
    }
  });
});

describe('normalizeAddress refuses what only looks like an address', () => {
  it('C1 controls, lone surrogates and URL syntax after a Unicode domain', () => {
    for (const bad of ['a\u0085@a.example', 'a\ud800@a.example', 'a@\udc00.example', 'a@ä.com/x', 'a@ä.com?x', 'a@ä.com#x', 'a@ä.com:25', 'a@b.com\\x']) {
      expect(normalizeAddress(bad)).toBeNull();
    }
    expect(normalizeAddress('a😀@ä.example')).toBe('a😀@xn--4ca.example');
  });
});

describe('the one-pass path for plain addresses', () => {
  it('accepts and refuses at the edges exactly as the full rules do', () => {
    const cases: Array<[string, string | null]> = [
      ['a.b@c.com', 'a.b@c.com'], ['.a@c.com', null], ['a.@c.com', null], ['a..b@c.com', null], ['@c.com', null],
      ['a@', null], ['a@b', null], ['a@b..com', null], ['a@-b.com', null], ['a@b-.com', null], ['a@b.com.', 'a@b.com'],
      ['a@b@c.com', null], ['a_b@c_d.com', null], ['A.B+Tag_x-y@Sub.Example.COM', 'a.b+tag_x-y@sub.example.com'],
      [`${'x'.repeat(64)}@c.com`, `${'x'.repeat(64)}@c.com`], [`${'x'.repeat(65)}@c.com`, null],
      [`a@${'x'.repeat(63)}.com`, `a@${'x'.repeat(63)}.com`], [`a@${'x'.repeat(64)}.com`, null],
      ['a@1.2', 'a@1.2'], ['a-@-.com', null], ['-a@b.com', '-a@b.com'], ['a@B.COM', 'a@b.com'],
    ];
    for (const [input, want] of cases) {
      expect(normalizeAddress(input), input).toBe(want);
      expect(checkedAddress(input), input).toBe(want);
    }
  });

  it('agrees with the full rules on random near-addresses', () => {
    // Mostly plain characters, so that many of them are addresses; now and then one of the others.
    const plain = fc.constantFrom('a', 'Z', '0', 'x', 'com', 'Ex', '.', '-', '_', '+');
    const other = fc.constantFrom('@', ' ', '<', '>', '\u00e9', '..', '\t', '"', '!', '\u0085', '\ud800');
    const part = fc.array(fc.oneof({ arbitrary: plain, weight: 30 }, { arbitrary: other, weight: 1 }), { minLength: 1, maxLength: 6 })
      .map((p) => p.join(''));
    let accepted = 0;
    fc.assert(fc.property(part, part, part, (local, host, tld) => {
      const s = `${local}@${host}.${tld}`;
      const want = checkedAddress(s);
      if (want !== null) accepted++;
      expect(normalizeAddress(s)).toBe(want);
    }), { numRuns: 20000, seed: 20261129 });
    expect(accepted).toBeGreaterThan(1000);
  });
});
