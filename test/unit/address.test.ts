import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/core/address.js';

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
