/**
 * Reads the regexes of text rules for the grams rule-gate.ts narrows them by: for each top-level
 * alternative, one four-character piece every match must contain (or one from each branch of a
 * group every match goes through). It reads conservatively: anything it does not understand,
 * and any alternative it finds no piece for, leaves that alternative to run on every text.
 *
 * Reading 30 KB of regex source takes longer than `rebote inspect` can spare at start-up, so
 * this runs when the rules change (`npm run gen:rule-grams` writes rule-grams.ts), and the
 * unit test checks that file is current. Not part of the Worker or the CLI.
 */
import { charCode, GRAM, NON_ASCII, nextGram, type GatedAlternative, type RuleTest, type RuleGrams } from './rule-gate.js';

const NON_ASCII_COST = 1000;
const NON_ASCII_NEED: ReadonlySet<number> = new Set([NON_ASCII]);

// ---------------------------------------------------------------------------------------------
// Reading a regex's source: a small parser for the syntax the rules use (no u or v flag).

/** One element of a sequence. */
type Item =
  | { kind: 'char'; code: number } // one character that stands for itself, exactly once
  | { kind: 'group'; branches: Branch[] } // a group that occurs exactly once
  | { kind: 'other' }; // anything else: a class, ".", \s or \w..., a quantified atom

/** One alternative of a disjunction, and where its source text starts and ends. */
interface Branch {
  items: Item[];
  start: number;
  end: number;
}

class Unreadable extends Error {}

class SourceReader {
  private i = 0;
  constructor(private readonly src: string) {}

  /** The top-level alternatives, each with its own source text; the whole source must be read. */
  topLevel(): Branch[] {
    const branches = this.disjunction();
    if (this.i < this.src.length) throw new Unreadable(`unmatched ")" at ${this.i}`);
    return branches;
  }

  private disjunction(): Branch[] {
    const branches: Branch[] = [];
    for (;;) {
      const start = this.i;
      const items = this.sequence();
      branches.push({ items, start, end: this.i });
      if (this.src[this.i] !== '|') return branches;
      this.i++;
    }
  }

  private sequence(): Item[] {
    const items: Item[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const item = this.term();
      if (item !== null) items.push(item);
    }
    return items;
  }

  /**
   * One term; null for an assertion (^, $, \b, a lookaround), which consumes nothing, so the
   * characters on either side of it are next to each other in the text.
   */
  private term(): Item | null {
    const s = this.src;
    const c = s[this.i]!;
    if (c === '^' || c === '$') {
      this.i++;
      return this.unquantified(null);
    }
    if (c === '(') {
      const look = /^\(\?<?[=!]/.exec(s.slice(this.i, this.i + 4));
      if (look !== null) {
        this.i += look[0].length;
        this.disjunction();
        this.expect(')');
        return this.unquantified(null);
      }
      if (s.startsWith('(?:', this.i)) this.i += 3;
      else if (s.startsWith('(?<', this.i)) this.i = s.indexOf('>', this.i) + 1;
      else if (s[this.i + 1] === '?') throw new Unreadable(`group at ${this.i}`);
      else this.i++;
      const branches = this.disjunction();
      this.expect(')');
      return this.once({ kind: 'group', branches });
    }
    if (c === '[') {
      this.skipClass();
      return this.once({ kind: 'other' });
    }
    if (c === '.') {
      this.i++;
      return this.once({ kind: 'other' });
    }
    if (c === '\\') {
      const e = s[this.i + 1];
      if (e === undefined) throw new Unreadable('trailing backslash');
      this.i += 2;
      if (e === 'b') return this.unquantified(null);
      if (e === 'u' || e === 'x') return this.once({ kind: 'char', code: this.hex(e === 'u' ? 4 : 2) });
      const control = CONTROL_ESCAPES[e];
      if (control !== undefined) return this.once({ kind: 'char', code: control });
      // A back-reference or an octal escape (\1, \012, \k<name>), a control letter (\cJ): more
      // than one character of source for one of text, or none. Not worth reading.
      if (/[0-9ck]/.test(e)) throw new Unreadable(`\\${e} at ${this.i - 2}`);
      if (/[a-zA-Z]/.test(e)) return this.once({ kind: 'other' }); // \s, \d, \w, \B...
      return this.once({ kind: 'char', code: e.charCodeAt(0) }); // escaped punctuation: itself
    }
    // (A lone "]" stands for itself.)
    if ('*+?{})|'.includes(c)) throw new Unreadable(`"${c}" at ${this.i}`);
    this.i++;
    return this.once({ kind: 'char', code: c.charCodeAt(0) });
  }

  /** The item if it is not quantified (or quantified exactly once); `other` if it is. */
  private once(item: Item): Item {
    const q = this.quantifier();
    return q === null || (q.min === 1 && q.max === 1) ? item : { kind: 'other' };
  }

  private unquantified<T>(item: T): T {
    if (this.quantifier() !== null) throw new Unreadable(`quantified assertion at ${this.i}`);
    return item;
  }

  private skipClass(): void {
    const s = this.src;
    this.i++;
    // In JavaScript the first unescaped "]" ends a class, even right after "[" or "[^".
    if (s[this.i] === '^') this.i++;
    while (s[this.i] !== ']') {
      if (this.i >= s.length) throw new Unreadable('open class');
      this.i += s[this.i] === '\\' ? 2 : 1;
    }
    this.i++;
  }

  private hex(digits: number): number {
    const text = this.src.slice(this.i, this.i + digits);
    if (!/^[0-9a-fA-F]+$/.test(text) || text.length !== digits) throw new Unreadable('hex escape');
    this.i += digits;
    return Number.parseInt(text, 16);
  }

  private quantifier(): { min: number; max: number } | null {
    const s = this.src;
    const c = s[this.i];
    let q: { min: number; max: number } | null = null;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (m === null) throw new Unreadable('brace');
      this.i += m[0].length - 1;
      q = { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]) };
    }
    if (q === null) return null;
    this.i++;
    if (s[this.i] === '?') this.i++; // lazy: the same characters may match
    return q;
  }

  private expect(c: string): void {
    if (this.src[this.i] !== c) throw new Unreadable(`expected "${c}" at ${this.i}`);
    this.i++;
  }
}

const CONTROL_ESCAPES: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, f: 12, v: 11 };

// ---------------------------------------------------------------------------------------------
// What a sequence needs: a set of grams, one of which every match contains.

type Need = ReadonlySet<number>;

/**
 * How common a character is in bounce texts, roughly (English letter frequencies, a space and
 * the usual punctuation as common as "e"): a gram of rarer characters narrows more.
 */
const COMMONNESS = new Uint8Array(128).fill(5);
' etaoinsrhldcumfpgwybvkxjqz'.split('').forEach((c, rank) => (COMMONNESS[c.charCodeAt(0)] = 27 - rank));
for (const c of '.,:;\'"()<>@-/') COMMONNESS[c.charCodeAt(0)] = 27;

/** Words most bounce texts have: a gram inside one of them narrows little. */
const COMMON_WORDS = ' the mail mailbox e-mail email address account recipient user unknown message delivery ' +
  'delivered server domain sender rejected error smtp from your this that with have been please not does exist ' +
  'found invalid reply permanent temporary failure failed host could returned following was and for you ';
let commonGrams: Set<number> | null = null;

function isCommon(gram: number): boolean {
  if (commonGrams === null) {
    commonGrams = new Set();
    let g = 0;
    for (let i = 0; i < COMMON_WORDS.length; i++) {
      g = nextGram(g, COMMON_WORDS.charCodeAt(i));
      if (i >= GRAM - 1) commonGrams.add(g);
    }
  }
  return commonGrams.has(gram);
}

interface Scored {
  need: Need;
  /** Lower is better: fewer grams, rarer characters. */
  cost: number;
}

/** The best need of a sequence, or null when it has none. */
function bestNeed(items: readonly Item[]): Scored | null {
  let best: Scored | null = null;
  const consider = (need: Need, cost: number): void => {
    if (best === null || cost < best.cost) best = { need, cost };
  };
  // The grams of each run of characters, rolled: the last GRAM characters and their commonness.
  let gram = 0;
  let length = 0;
  let cost = 0;
  const recent = [0, 0, 0, 0];
  for (const item of items) {
    if (item.kind === 'char') {
      const c = charCode(item.code);
      gram = nextGram(gram, c);
      cost += COMMONNESS[c]! - recent[length % GRAM]!;
      recent[length % GRAM] = COMMONNESS[c]!;
      length++;
      if (c === 127) consider(NON_ASCII_NEED, NON_ASCII_COST);
      if (length >= GRAM) consider(new Set([gram]), isCommon(gram) ? cost + 200 : cost);
      continue;
    }
    gram = length = cost = 0;
    recent.fill(0);
    if (item.kind !== 'group') continue;
    // A group every match goes through: one need from each branch, if each has one.
    const branches = item.branches.map((b) => bestNeed(b.items));
    if (branches.every((b) => b !== null)) {
      consider(new Set(branches.flatMap((b) => [...b!.need])), branches.reduce((sum, b) => sum + b!.cost, 0));
    }
  }
  return best;
}

/** A top-level alternative of a regex: where its source is, and the grams one of which its matches contain (null: none known). */
interface Alternative {
  start: number;
  end: number;
  grams: ReadonlySet<number> | null;
}

/**
 * A regex's top-level alternatives, or null when its source cannot be read (a back-reference,
 * whose number would change if the alternatives were taken apart, is one thing it does not read).
 */
function alternativesOf(source: string): Alternative[] | null {
  try {
    const reader = new SourceReader(source);
    return reader.topLevel().map(({ items, start, end }) => ({ start, end, grams: bestNeed(items)?.need ?? null }));
  } catch (e) {
    if (e instanceof Unreadable) return null;
    throw e;
  }
}

/**
 * Each rule's grams, or null for a rule that always runs whole (a test that is no regex, a
 * source the reader cannot take apart, no alternative with a gram).
 */
export function gramTable(rules: readonly RuleTest[]): (RuleGrams | null)[] {
  return rules.map((rule) => {
    // Flags other than these change what the source matches (i, u, v) or make a test depend on
    // the one before it (g, y: a skipped test would not move lastIndex).
    if (rule.source === undefined || !/^[dms]*$/.test(rule.flags ?? '')) return null;
    const source = rule.source;
    const alternatives = alternativesOf(source);
    if (alternatives === null || alternatives.every((a) => a.grams === null)) return null;
    const open = alternatives.filter((a) => a.grams === null).map((a) => source.slice(a.start, a.end));
    const entry: RuleGrams = {
      source,
      flags: rule.flags ?? '',
      alternatives: alternatives.filter((a) => a.grams !== null).map((a) => gated(a.start, a.end, a.grams!)),
      open: open.length > 0 ? open.join('|') : null,
    };
    return entry;
  });
}

function gated(start: number, end: number, need: ReadonlySet<number>): GatedAlternative {
  const nonAscii = need.has(NON_ASCII);
  // With "any character outside ASCII" among the needs, a gram that holds one says nothing more.
  const grams = [...need].filter((g) => g !== NON_ASCII).map(gramText).filter((g) => !nonAscii || !g.includes('\x7f')).sort();
  return { at: [start, end], grams, ...(nonAscii ? { nonAscii: true as const } : {}) };
}

function gramText(gram: number): string {
  let text = '';
  for (let k = GRAM - 1; k >= 0; k--) text += String.fromCharCode((gram >>> (7 * k)) & 127);
  return text;
}

/** The text of rule-grams.ts for a table (scripts/gen-rule-grams.mjs writes it; the test compares it). */
export function ruleGramsModule(table: readonly (RuleGrams | null)[]): string {
  const quoted = (g: string): string => JSON.stringify(g).replaceAll('\x7f', '\\u007f');
  const alternative = (a: GatedAlternative): string =>
    `      { at: [${a.at[0]}, ${a.at[1]}], grams: [${a.grams.map(quoted).join(', ')}]${a.nonAscii ? ', nonAscii: true' : ''} },`;
  const entries = table.map((e) => e === null
    ? '  null,'
    : [
      `  { source: ${JSON.stringify(e.source)}, flags: ${JSON.stringify(e.flags)},`,
      '    alternatives: [',
      ...e.alternatives.map(alternative),
      `    ], open: ${e.open === null ? 'null' : JSON.stringify(e.open)} },`,
    ].join('\n'));
  return [
    '// Generated by `npm run gen:rule-grams` (scripts/gen-rule-grams.mjs) from the rules of text-patterns.ts, in their',
    "// order; rule-gate.ts says what the grams are. Do not edit: the unit test fails when it is stale.",
    "import type { RuleGrams } from './rule-gate.js';",
    '',
    'export const RULE_GRAMS: readonly (RuleGrams | null)[] = [',
    ...entries,
    '];',
    '',
  ].join('\n');
}
