import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../../src/core/address.js';
import { addressIn, firstParagraph, headerIn, parseFields, unfold, type Field } from '../../../src/dsn/text.js';

describe('addressIn', () => {
  it('keeps an RFC 5321 quoted local part, and strips the quotes and brackets around whole addresses', () => {
    const cases: [string, string][] = [
      ['rfc822; "neko....nyaan...."@libsisimai.org', '"neko....nyaan...."@libsisimai.org'],
      ['rfc822; <"a b"@example.com>', '"a b"@example.com'],
      ['rfc822; "jane@example.com"', 'jane@example.com'],
      ['rfc822; <jane@example.com>', 'jane@example.com'],
      ["'jane@example.com'.", 'jane@example.com'],
      ['(jane@example.com)', 'jane@example.com'],
      // Underscores in a domain's labels but not in its last one: an address run into a word ends before it.
      ['rfc822; jane@dgh_office.example', 'jane@dgh_office.example'],
      ['Mail to jane@example.com_old failed', 'jane@example.com'],
    ];
    for (const [value, want] of cases) expect(addressIn(value), value).toBe(want);
    expect(normalizeAddress(addressIn('rfc822; "neko....nyaan...."@libsisimai.org'))).toBe('"neko....nyaan...."@libsisimai.org');
  });
});

/**
 * parseFields and headerIn, read line by line in place, against the straightforward reading
 * (split at LF, trim, lower-case, a name pattern): the same fields for any block.
 */
function referenceFields(block: string): Field[] {
  const out: Field[] = [];
  let current: Field | null = null;
  for (const line of block.split('\n')) {
    if (line.length === 0) {
      current = null;
      continue;
    }
    const first = line.charCodeAt(0);
    if ((first === 32 || first === 9) && current !== null) {
      current.value = `${current.value}\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      current = null;
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      current = null;
      continue;
    }
    current = { name, value: line.slice(colon + 1).trim() };
    out.push(current);
  }
  return out;
}

function referenceHeaderIn(block: string, name: string): string | null {
  const f = referenceFields(block).find((x) => x.name === name.toLowerCase());
  return f ? f.value.replace(/\s*\n\s*/g, ' ') : null;
}

describe('parseFields and headerIn', () => {
  const pieces = ['Status', 'status', 'Message-ID', 'message-id', 'X-Id', '-x', '4xx', 'a b', ':', ': ', ' ', '\t', '\n', '\n', '\r\n',
    '\n ', '\n\t', '\u00a0', '\u2028', '5.1.1', '<a@b>', 'smtp; 550', '\u00e9', '\u212a'];
  const block = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((xs) => xs.join(''));

  it('read any block as the straightforward reading does', () => {
    fc.assert(fc.property(block, fc.constantFrom('status', 'Message-ID', 'x-id', '4xx'), (b, name) => {
      expect(parseFields(b)).toEqual(referenceFields(b));
      expect(headerIn(b, name)).toBe(referenceHeaderIn(b, name));
    }), { numRuns: 5000 });
  });

  it('read a report block: folded values keep their line breaks, headerIn unfolds them', () => {
    const b = 'Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550-5.1.1 one\n 550 5.1.1 two\nnot a field\n  : nor this\nX-Empty:\n';
    expect(parseFields(b)).toEqual([
      { name: 'final-recipient', value: 'rfc822; a@example.com' },
      { name: 'action', value: 'failed' },
      { name: 'status', value: '5.1.1' },
      { name: 'diagnostic-code', value: 'smtp; 550-5.1.1 one\n550 5.1.1 two' },
      { name: 'x-empty', value: '' },
    ]);
    expect(headerIn(b, 'Diagnostic-Code')).toBe('smtp; 550-5.1.1 one 550 5.1.1 two');
    expect(headerIn(b, 'x-missing')).toBeNull();
  });

  it('give a colon found further on to its own line only', () => {
    // The colon search is kept across lines: the lines before it are no fields.
    const b = `${'no colon on this line\n'.repeat(1000)}Status: 5.1.1\nnor here\n`;
    expect(parseFields(b)).toEqual([{ name: 'status', value: '5.1.1' }]);
    expect(headerIn(b, 'status')).toBe('5.1.1');
    expect(parseFields('x\n'.repeat(1000))).toEqual([]);
  });
});

describe('unfold', () => {
  it('makes each run of white space holding a line break one space, as the regex reading does', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', '\n', '\r', '\u00a0', '\u2028'), maxLength: 40 });
    fc.assert(fc.property(text, (v) => {
      expect(unfold(v)).toBe(v.replace(/\s*\n\s*/g, ' '));
    }), { numRuns: 5000 });
  });
});

describe('firstParagraph', () => {
  it('skips leading empty lines and stops at the first empty line after text', () => {
    expect(firstParagraph('\n  \nfirst line\n  second\n\nnext paragraph\n')).toEqual(['first line', '  second']);
    expect(firstParagraph('only line')).toEqual(['only line']);
    expect(firstParagraph('\n \n')).toEqual([]);
  });
});
