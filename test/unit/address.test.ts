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
      ['a@b@c.com', null], ['a_b@c_d.com', 'a_b@c_d.com'], ['a@_b.com', 'a@_b.com'], ['A@C_D.COM', 'a@c_d.com'],
      ['a@example.com_old', null], ['a@example._', null], ['a@__.__', null], ['A.B+Tag_x-y@Sub.Example.COM', 'a.b+tag_x-y@sub.example.com'],
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

describe('quoted local parts (RFC 5321 Quoted-string)', () => {
  it('keeps a quoted local part that is not a dot-atom, quoted and lower-cased', () => {
    const cases: Array<[string, string]> = [
      ['"neko....nyaan...."@libsisimai.org', '"neko....nyaan...."@libsisimai.org'], // lhost-postfix-32
      ['"John Doe"@Example.COM', '"john doe"@example.com'],
      ['<"Neko..Nyaan"@Libsisimai.ORG>', '"neko..nyaan"@libsisimai.org'],
      ['  "a b"@example.com ', '"a b"@example.com'],
      ['".a"@example.com', '".a"@example.com'],
      ['"a."@example.com', '"a."@example.com'],
      ['"a@b"@example.com', '"a@b"@example.com'],
      ['"a,b"@example.com', '"a,b"@example.com'],
      ['"(comment)<x>[y]:;"@example.com', '"(comment)<x>[y]:;"@example.com'],
      ['" "@example.com', '" "@example.com'],
      ['"a b"@Bücher.example', '"a b"@xn--bcher-kva.example'],
      ['"a b"@example.com.', '"a b"@example.com'],
    ];
    for (const [input, want] of cases) {
      expect(normalizeAddress(input), input).toBe(want);
      expect(normalizeAddress(want), `${want} is already canonical`).toBe(want);
    }
  });

  it('reduces quoted-pairs to the minimal form: only " and \\ stay escaped', () => {
    const cases: Array<[string, string]> = [
      ['"a\\ b"@example.com', '"a b"@example.com'],
      ['"\\a\\.\\.b"@example.com', '"a..b"@example.com'],
      ['"a\\"b"@example.com', '"a\\"b"@example.com'],
      ['"a\\\\b"@example.com', '"a\\\\b"@example.com'],
      ['"\\""@example.com', '"\\""@example.com'],
      ['"\\\\"@example.com', '"\\\\"@example.com'],
      ['"A\\"B C"@example.com', '"a\\"b c"@example.com'],
    ];
    for (const [input, want] of cases) expect(normalizeAddress(input), input).toBe(want);
  });

  it('drops the quotes when the content is a dot-atom, so both spellings are one address', () => {
    const cases: Array<[string, string]> = [
      ['"john"@example.com', 'john@example.com'],
      ['"John.Doe"@Example.COM', 'john.doe@example.com'],
      ['"\\j\\o\\h\\n"@example.com', 'john@example.com'],
      ['"a+tag"@example.com', 'a+tag@example.com'],
      ["\"!#$%&'*+/=?^_`{|}~-\"@example.com", "!#$%&'*+/=?^_`{|}~-@example.com"],
    ];
    for (const [input, want] of cases) {
      expect(normalizeAddress(input), input).toBe(want);
      expect(checkedAddress(input), input).toBe(want);
    }
  });

  it('counts the quotes and the backslashes in the 64 octets of the local part', () => {
    const dots62 = `a${'.'.repeat(60)}b`; // 62 characters, not a dot-atom
    expect(normalizeAddress(`"${dots62}"@example.com`)).toBe(`"${dots62}"@example.com`);
    expect(normalizeAddress(`"${dots62}."@example.com`)).toBeNull(); // 65 octets
    expect(normalizeAddress(`"${'x'.repeat(62)}"@example.com`)).toBe(`${'x'.repeat(62)}@example.com`);
    expect(normalizeAddress(`"${'x'.repeat(63)}"@example.com`)).toBeNull();
    expect(normalizeAddress(`"\\a${'.'.repeat(60)}"@example.com`)).toBe(`"a${'.'.repeat(60)}"@example.com`); // 64 with the escape
    expect(normalizeAddress(`"\\a${'.'.repeat(61)}"@example.com`)).toBeNull(); // 65 with the escape
  });

  it('refuses near-misses', () => {
    const bad = [
      '""@example.com', // an empty mailbox name
      '"a@example.com', 'a"@example.com', '"a"b"@example.com', // unbalanced quotes
      '"a"b@example.com', '"a".b@example.com', 'a."b"@example.com', 'a"b"@example.com', // quoted string mixed with atoms
      '"a\\"@example.com', '"a\\', '"a"', '"a"@', '"a"@example', '"a"@"b"@example.com', 'a@"b"@example.com',
      '"a"@b@example.com', '"a" @example.com', '"a"@ example.com', '" a"@ex ample.com', 'a b@example.com',
      '"a\tb"@example.com', '"a\\\tb"@example.com', '"a\r\nb"@example.com', '"a\\\r\nb"@example.com',
      '"a\0"@example.com', '"a\\\0"@example.com', '"a\x7f"@example.com', '"a\\\x7f"@example.com',
      '"a\u0085"@example.com', '"a\u00a0b"@example.com', '"a\u2028b"@example.com', '"\ud800"@example.com',
      '"a\ufffd"@example.com', '"é"@example.com', '"a😀"@example.com',
      '"x@example.com\r\nBcc: y"@example.com', '"a"@example.com\r\nBcc: y@example.com',
      '"a"@ä.com/x', '"a"@ä.com?x', '"a"@ä.com#x', '"a"@ä.com:25', '"a"@b.com\\x', '"a"@[192.0.2.1]',
    ];
    for (const input of bad) {
      expect(normalizeAddress(input), JSON.stringify(input)).toBeNull();
      expect(checkedAddress(input), JSON.stringify(input)).toBeNull();
    }
  });

  it('never gives a control character, is idempotent, and agrees with the fast path on random quoted strings', () => {
    const piece = fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom('a', 'Z', '0', '.', '..', ' ', '@', ',', '-', '+', '(', ')') },
      { weight: 4, arbitrary: fc.constantFrom('\\"', '\\\\', '\\a', '\\ ', '"', '\\') },
      { weight: 1, arbitrary: fc.constantFrom('\r', '\n', '\r\n', '\0', '\t', '\x7f', '\u0085', '\u00a0', '\ud800', '\ufffd', 'é', '\\\r', '\\\n', '\\\0') },
    );
    const content = fc.array(piece, { maxLength: 10 }).map((p) => p.join(''));
    const domain = fc.constantFrom('example.com', 'Example.COM', 'bücher.example', 'example', 'a b.com', 'example.com\r\n');
    let accepted = 0;
    fc.assert(fc.property(content, domain, fc.boolean(), (c, d, brackets) => {
      const s = brackets ? `<"${c}"@${d}>` : `"${c}"@${d}`;
      const out = normalizeAddress(s);
      expect(out, JSON.stringify(s)).toBe(checkedAddress(s));
      if (out === null) return;
      accepted++;
      expect(out, JSON.stringify(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\ufffd\u00a0\u2028]/);
      expect(normalizeAddress(out), JSON.stringify(s)).toBe(out);
      expect(out).toBe(out.toLowerCase());
    }), { numRuns: 20000, seed: 20261130 });
    expect(accepted).toBeGreaterThan(2000);
  });
});

describe('non-ASCII local parts', () => {
  it('give one address for the composed and decomposed spellings (NFC)', () => {
    expect(normalizeAddress('jos\u0065\u0301@example.com')).toBe('jos\u00e9@example.com');
    expect(normalizeAddress('JOS\u00c9@example.com')).toBe('jos\u00e9@example.com');
    expect(normalizeAddress('JOSE\u0301@example.com')).toBe('jos\u00e9@example.com');
    expect(normalizeAddress('\u1100\u1161@example.com')).toBe('\uac00@example.com'); // Hangul jamo
  });

  it('agree for any canonically equivalent spellings, and are stable', () => {
    const piece = fc.constantFrom('a', 'E', 'e', '\u0301', '\u0300', '\u00e9', '\u00c9', 'o', '\u0308', '\u00f6', '\u1100', '\u1161', '\uac00', '.', '-');
    const local = fc.array(piece, { minLength: 1, maxLength: 12 }).map((xs) => xs.join(''));
    fc.assert(fc.property(local, (l) => {
      const composed = normalizeAddress(`${l.normalize('NFC')}@example.com`);
      expect(normalizeAddress(`${l.normalize('NFD')}@example.com`)).toBe(composed);
      expect(normalizeAddress(`${l}@example.com`)).toBe(composed);
      if (composed !== null) expect(normalizeAddress(composed)).toBe(composed);
    }), { numRuns: 2000 });
  });

  it('are held to the limits in their stored form, so a stored address normalizes to itself', () => {
    // "İ" lower-cases to two characters: 33 of them make a 66-character local part.
    expect(normalizeAddress(`${'\u0130'.repeat(33)}@example.com`)).toBeNull();
    expect(normalizeAddress(`${'\u0130'.repeat(32)}@example.com`)).toBe(`${'i\u0307'.repeat(32)}@example.com`);
    const piece = fc.constantFrom('a', 'I', '\u0130', '\u0131', '\u00df', '\u1e9e', '\u2126', 'K', '\u212a', '\u0301', '.');
    const local = fc.array(piece, { minLength: 1, maxLength: 40 }).map((xs) => xs.join(''));
    fc.assert(fc.property(local, (l) => {
      const once = normalizeAddress(`${l}@example.com`);
      if (once !== null) expect(normalizeAddress(once)).toBe(once);
    }), { numRuns: 3000 });
  });
});

describe('internationalized domains', () => {
  it('are held to 253 characters in their punycode form, which both spellings then share', () => {
    const label = '\u65e5\u672c\u8a9e\u4e2d\u6587\u5b57\u6f22\u4f53\u9a13\u96fb\u5b50\u90f5\u4fbf\u9001\u4fe1\u53d7';
    const unicode = `x@${Array(5).fill(label).join('.')}.jp`;
    expect(unicode.length).toBeLessThan(100);
    expect(normalizeAddress(unicode)).toBeNull();
    const fits = `x@${Array(3).fill(label).join('.')}.jp`;
    const stored = normalizeAddress(fits);
    expect(stored).toMatch(/^x@xn--/);
    expect(normalizeAddress(stored)).toBe(stored);
  });
});
