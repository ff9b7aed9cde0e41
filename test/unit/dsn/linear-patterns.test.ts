/**
 * Code written out in place of regexes that backtracked polynomially on long runs of one
 * character reads every short line as the regex did (the old regexes are spelled out here).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutTrailingComment } from '../../../src/dsn/events.js';
import { htmlToText } from '../../../src/dsn/mail-view.js';
import { sectionTitle } from '../../../src/dsn/mta/sendmail.js';
import { addressLine } from '../../../src/dsn/text.js';

const line = (chars: string[], maxLength = 14) => fc.string({ unit: fc.constantFrom(...chars), maxLength });

describe('linear replacements of backtracking regexes', () => {
  it("sendmail's section title: the same sections as /^[ \\t]*-{2,} ?(.+?) ?-{2,}[ \\t]*$/", () => {
    const SECTION = /^[ \t]*-{2,} ?(.+?) ?-{2,}[ \t]*$/;
    fc.assert(fc.property(line(['-', '-', ' ', '\t', 'a', 'b']), (s) => {
      const old = SECTION.exec(s)?.[1] ?? null;
      const now = sectionTitle(s);
      // Dashes and spaces alone make a section either way; its one-character title is not read.
      if (old !== null && /^[- \t]$/.test(old) && now === '-') return;
      expect(now).toBe(old);
    }), { numRuns: 20000 });
  });

  it('addressLine: the same address as the regex with adjacent white-space runs', () => {
    const ADDRESS = /(?:"[^"\r\n]{1,64}"|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*/;
    const OLD = new RegExp(`^\\s*(?:[*>-]+\\s*)?["<]?\\s*(${ADDRESS.source})\\s*[">]?\\s*:?\\s*$`);
    fc.assert(fc.property(line([' ', '\t', '"', '<', '>', ':', '*', '-', 'a@b.c', 'x']), (s) => {
      const old = OLD.exec(s)?.[1]?.replace(/[.,;:'")\]]+$/, '').replace(/^[.'"(]+/, '') ?? null;
      expect(addressLine(s)).toBe(old);
    }), { numRuns: 20000 });
  });

  it('htmlToText: the same text as one pass of the old tag regex, unless a tag holds a "<"', () => {
    const OLD = /<(?:script|style)[\s\S]*?<\/(?:script|style)>|<br\s*\/?>|<\/(?:p|div|tr|li|h\d|table)>|<[^>]*>/gi;
    const parts = ['<style>', '</style>', '<script>', '</script>', '<br>', '</p>', '<b>', 'x', '>', '<', '</script', 'a', '\n'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 8 }), (p) => {
      const html = p.join('');
      if (/<[^>]*</.test(html)) return;
      // The old regex's line-breaking tags become a plain <br>, every other "<" and ">" text.
      const stripped = html.replace(OLD, (m) => (/^<(?:br\b|\/(?:p|div|tr|li|h\d|table|pre)\s*>)/i.test(m) ? '\u0001' : ''));
      // Without a line-breaking tag the HTML is read as text (its lines kept): not this property.
      if (!/<br>|<\/p>/.test(html) || !stripped.includes('\u0001')) return;
      const viaOld = htmlToText(stripped.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u0001/g, '<br>'));
      expect(htmlToText(html)).toBe(viaOld);
    }), { numRuns: 20000 });
  });

  it('a date loses its trailing comment as /\\s*\\([^)]*\\)\\s*$/ takes it', () => {
    fc.assert(fc.property(line(['(', ')', ' ', 'a', '\t'], 12), (s) => {
      expect(withoutTrailingComment(s)).toBe(s.replace(/\s*\([^)]*\)\s*$/, ''));
    }), { numRuns: 20000 });
  });
});
