import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { RuleGate, type RuleTest } from '../../../src/catalog/rule-gate.js';
import { gramTable, ruleGramsModule } from '../../../src/catalog/rule-reader.js';
import { RULE_GRAMS } from '../../../src/catalog/rule-grams.js';
import { matchText, RULES, STRONG_RULES } from '../../../src/catalog/text-patterns.js';

const patterns: RuleTest[] = RULES.map((rule) => rule[1]);

/** A gate over some regexes, built the way matchText's is, and what it answers for each on a text. */
function gateOf(...regexes: RegExp[]): { gate: RuleGate; matches: (text: string) => boolean[] } {
  const gate = new RuleGate(regexes, gramTable(regexes));
  return {
    gate,
    matches: (text) => {
      gate.read(text);
      return regexes.map((_, i) => gate.test(i, text));
    },
  };
}

/** The sources of the regexes the gate runs to answer for rule 0 on a text, and its answer. */
function runs(gate: RuleGate, text: string): { answer: boolean; ran: string[] } {
  const spy = vi.spyOn(RegExp.prototype, 'test');
  try {
    gate.read(text);
    const answer = gate.test(0, text);
    return { answer, ran: spy.mock.contexts.map((re) => (re as RegExp).source) };
  } finally {
    spy.mockRestore();
  }
}

/** Whether the gate keeps the regex from running on the text, all but its alternatives with no gram (not only whether it matches). */
function narrows(regex: RegExp, text: string): boolean {
  const [entry] = gramTable([regex]);
  if (entry === null || entry === undefined) return false;
  const { answer, ran } = runs(new RuleGate([regex], [entry]), text);
  return !answer && ran.every((source) => source === entry.open);
}

describe('rule-grams.ts', () => {
  it('is what the reader finds in the rules now (run npm run gen:rule-grams after changing a rule or the reader)', () => {
    const text = readFileSync(new URL('../../../src/catalog/rule-grams.ts', import.meta.url), 'utf8');
    expect(text).toBe(ruleGramsModule(gramTable(patterns)));
  });

  it('leaves most rules gated, so a text runs only a few of them', () => {
    const gated = RULE_GRAMS.filter((entry) => entry !== null && entry.open === null).length;
    expect(gated).toBeGreaterThan(RULES.length * 0.75);
  });

  it('cuts each rule at its top-level alternatives: put back together, they are the rule', () => {
    RULE_GRAMS.forEach((entry) => {
      if (entry === null) return;
      const { source, alternatives, open } = entry;
      let at = 0;
      const kept: string[] = [];
      for (const { at: [start, end] } of alternatives) {
        // Between two gated alternatives: "|", or open alternatives joined by "|".
        if (start > at) kept.push(source.slice(at === 0 ? 0 : at + 1, start - 1));
        at = end;
      }
      if (at < source.length) kept.push(source.slice(at === 0 ? 0 : at + 1));
      expect(kept.filter((s) => s !== '').join('|')).toBe(open ?? '');
      // Each alternative is a regex of its own, and they are in order, not overlapping.
      alternatives.forEach(({ at: [start, end] }, k) => {
        expect(() => new RegExp(source.slice(start, end))).not.toThrow();
        if (k > 0) expect(start).toBeGreaterThan(alternatives[k - 1]!.at[1]);
        expect(start === 0 || source[start - 1] === '|').toBe(true);
        expect(end === source.length || source[end] === '|').toBe(true);
      });
    });
  });
});

describe('the reader: every match keeps its rule in play', () => {
  it.each([
    [/(?:does not|doesn't) exist/, 'it doesn\'t exist', 'it is here'],
    [/mailbox (?:is )?full/, 'mailbox full', 'inbox is over'],
    [/quota (?:usage )?(?:exceed(?:ed|s)?|full)\b/, 'quota exceeds', 'over the limit'],
    [/(?<!sender )\baddress rejected(?!:)/, 'address rejected', 'recipient refused'],
    [/exceed(?:ed|s|ing)? (?:\w+ ){0,3}quota/, 'exceeding your storage quota', 'over the limit'],
    [/x(?:abcd)*wxyz/, 'xwxyz', 'xabcd'],
    [/a{0,2}bcdef/, 'bcdef', 'aabcd'],
    [/[abcd]efgh|ij\.kl/, 'ij.kl', 'efg hij'],
    [/foo(?:barx|bazy)qux|q\u2019uvw/, 'q\u2019uvw', 'foo bar'],
    [/未开通\S{0,4}邮箱/, '未开通QQ邮箱', 'not opened'],
    [/no such (?:user|mailbox)/, 'no such mailbox', 'unknown user'],
    [/^\d{3} fatal\b/, '550 fatal', 'fine'],
    [/[\]x]yzab/, ']yzab', 'yza'],
    [/\x61bcd/, 'abcd', 'bcd'],
    [/ab\ncd/, 'ab\ncd', 'ab cd'],
    // A JavaScript class ends at its first "]": "[]" matches nothing, so the second alternative is "cdef]".
    [/a[]b|cdef]/, 'cdef]', 'abcd'],
    [/[^]abcde/, '.abcde', 'xyz'],
    // DEL (0x7f) is outside the ASCII the grams keep: it counts as "some character outside ASCII".
    [/\x7f|zzzz/, '\x7f', 'zzz'],
    // a{1,2} may be two: "qabc" is no gram of it, "bcde" is.
    [/qa{1,2}bcde/, 'qaabcde', 'qabcd e'],
  ])('%s', (regex, matching, other) => {
    expect(regex.test(matching)).toBe(true);
    expect(gateOf(regex).matches(matching)).toEqual([true]);
    expect(regex.test(other)).toBe(false);
    // The other text has none of the grams: the regex does not even run.
    expect(narrows(regex, other)).toBe(true);
  });

  it('runs only the alternatives a text allows, each on its own', () => {
    const regex = /quota exceeded|mailbox (?:is )?full|no such user/;
    const gate = new RuleGate([regex], gramTable([regex]));
    expect(runs(gate, 'the mailbox is full')).toEqual({ answer: true, ran: ['mailbox (?:is )?full'] });
    // "mailbox" is too common a word to gate by: "full" is what the second one needs.
    expect(runs(gate, 'no such mailbox')).toEqual({ answer: false, ran: ['no such user'] });
    expect(runs(gate, 'quota exceeded: mailbox full')).toEqual({ answer: true, ran: ['quota exceeded'] });
    expect(runs(gate, 'over the limit')).toEqual({ answer: false, ran: [] });
  });

  it('reads the name of a named group as no part of the text', () => {
    // Read as text, "<w>abc" would give the gram ">abc", which "abcd" does not hold.
    expect(gateOf(/(?<w>abc)d/).matches('abcd')).toEqual([true]);
  });

  it('tests a rule\'s alternatives only, never the next rule\'s', () => {
    expect(gateOf(/abcde/, /wxyz/).matches('abcd wxyz')).toEqual([false, true]);
    expect(gateOf(/abcde|fghij/, /abcd/, /vwxyz|fghi/).matches('abcd fghi')).toEqual([false, true, true]);
  });

  it('keeps the rule\'s flags for its alternatives and its open part', () => {
    expect(gateOf(/^abcd$/m, /^zz|abcd/m, /a.bcd|zzzz/s).matches('x\nabcd\ny\nzz')).toEqual([true, true, false]);
    expect(gateOf(/^abcd$/m, /^zz|abcd/m, /a.bcd|zzzz/s).matches('q\nzz a\nbcd')).toEqual([false, true, true]);
  });

  it('runs alternatives with no gram of four characters on every text', () => {
    const regex = /\bspf\b|sender policy framework/;
    const [entry] = gramTable([regex]);
    expect(entry?.open).toBe('\\bspf\\b');
    expect(gateOf(regex).matches('spf fail')).toEqual([true]);
    expect(gateOf(regex).matches('nothing here')).toEqual([false]);
  });

  it('never narrows what it cannot read: case-insensitive regexes, back-references, tests that are no regex', () => {
    // \1 and \012 (octal) stand for other text than their source; so does \cJ (a line feed).
    // i changes what the source matches; g makes a test depend on the one before (lastIndex).
    expect(gramTable([/quota/i, /abcd/g, /(abcd)x\1/, new RegExp('\\012abcd'), /\cJabcd/, { test: () => true }])).toEqual([null, null, null, null, null, null]);
    expect(gramTable([/abcd/ms])).toEqual([{ source: 'abcd', flags: 'ms', alternatives: [{ at: [0, 4], grams: ['abcd'] }], open: null }]);
    const custom: RuleTest = { test: (t) => t.includes('zz') };
    const gate = new RuleGate([custom], [{ source: 'zz', flags: '', alternatives: [{ at: [0, 2], grams: ['abcd'] }], open: null }]);
    gate.read('zz');
    expect(gate.test(0, 'zz')).toBe(true);
  });

  it('does not use an entry that is not the rule\'s own (a stale table: another source, other flags)', () => {
    const gate = new RuleGate([/mailbox full/, /QUOTA/i], [
      { source: 'mailbox fill', flags: '', alternatives: [{ at: [8, 12], grams: ['fill'] }], open: null },
      { source: 'QUOTA', flags: '', alternatives: [{ at: [0, 5], grams: ['QUOT'] }], open: null },
    ]);
    gate.read('mailbox full quota');
    expect([gate.test(0, 'mailbox full quota'), gate.test(1, 'mailbox full quota')]).toEqual([true, true]);
  });

  it('keeps its marks right past 2^32 texts', () => {
    const { gate } = gateOf(/quota exceeded/);
    // Four billion reads would take an hour: start the count near its end instead.
    (gate as unknown as { stamp: number }).stamp = 0xffffffff - 2;
    for (let i = 0; i < 5; i++) {
      gate.read('quota exceeded');
      expect(gate.test(0, 'quota exceeded')).toBe(true);
      gate.read('nothing');
      expect(gate.test(0, 'nothing')).toBe(false);
    }
  });

  it('answers as each whole rule does, on texts made to match the rules', () => {
    // fast-check makes strings that match a regex but reads no assertions: they are taken out
    // (the strings then match a wider regex; the property holds for every string all the same).
    // Anchored, so that the strings are whole matches (the alternatives with ^ and $ come up too).
    const relaxed = (source: string): RegExp => new RegExp(`^(?:${withoutAssertions(source)})$`);
    const gate = new RuleGate(patterns, RULE_GRAMS);
    RULES.forEach(([, pattern], i) => {
      if (!(pattern instanceof RegExp)) return;
      const noise = fc.string({ unit: fc.constantFrom(' ', 'a', '.', ':', '<', '>', '5', 'é'), maxLength: 6 });
      fc.assert(fc.property(noise, fc.stringMatching(relaxed(pattern.source)), noise, (before, core, after) => {
        for (const text of [core, `${before}${core}${after}`]) {
          gate.read(text);
          expect(gate.test(i, text)).toBe(pattern.test(text));
        }
      }), { numRuns: 300 });
    });
  });

  it('matchText answers as the rules tried one by one do, on every line of the test bounces', () => {
    const dir = new URL('../../fixtures/dsn/', import.meta.url);
    const texts = readdirSync(dir).filter((f) => f.endsWith('.eml'))
      .flatMap((f) => readFileSync(new URL(f, dir), 'utf8').toLowerCase().split('\n'));
    expect(texts.length).toBeGreaterThan(1000);
    for (const text of texts) {
      const i = RULES.findIndex(([, p]) => p.test(text));
      expect(matchText(text)).toEqual(i < 0 ? null : { reason: RULES[i]![0], strong: i < STRONG_RULES });
    }
  });
});

/** The source with its assertions (^, $, \b, \B, lookarounds) taken out. */
function withoutAssertions(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      if (source[i + 1] !== 'b' && source[i + 1] !== 'B') out += source.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      const end = classEnd(source, i);
      out += source.slice(i, end + 1);
      i = end;
    } else if (c === '(' && /^\(\?<?[=!]/.test(source.slice(i, i + 4))) {
      i = groupEnd(source, i);
    } else if (c !== '^' && c !== '$') {
      out += c;
    }
  }
  return out;
}

function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  while (source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i;
}

function groupEnd(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(source, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Error(`unclosed group at ${start}`);
}
