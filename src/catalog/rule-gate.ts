/**
 * Which text rules can match a text at all, known from a single pass over it before any rule's
 * regex runs.
 *
 * Every alternative of a rule's regex needs some run of characters in any text it matches:
 * "quota exceeded" needs "quot" (and "uota", "ota "...), "(?:does not|doesn't) exist" needs
 * " exi". For each alternative, rule-reader.ts finds one four-character piece (a "gram") every
 * match must contain, or, for a group, one piece from each of its branches; rule-grams.ts keeps
 * what it found for the rules of text-patterns.ts. A text's own four-character pieces then name
 * the rules worth testing: the others cannot match it, so skipping them changes no answer.
 * Alternatives with no gram the reader can tell run on every text. Testing all the rules on a
 * short reply that matches none costs about 4 µs, mostly regex scans; the gate's pass over the
 * text costs a fraction of that.
 *
 * Characters outside ASCII all count as one (so a piece with one stands for any such text).
 * Pure, no I/O.
 */

/** Characters in a gram. */
export const GRAM = 4;
/** 7 bits a character: ASCII as is, anything else 127. */
export const charCode = (c: number): number => (c < 127 ? c : 127);
const GRAM_MASK = (1 << (7 * GRAM)) - 1;
/** The gram that ends with the character after the last GRAM - 1 characters of `gram`. */
export const nextGram = (gram: number, c: number): number => ((gram << 7) | charCode(c)) & GRAM_MASK;
/**
 * The need of "some character outside ASCII": what an alternative written in Chinese or Japanese
 * needs when it has no four characters in a row (all such characters are one to the grams).
 */
export const NON_ASCII = -1;

/** A rule's test: a regex, or a check written out (then without source and flags). */
export interface RuleTest {
  test(text: string): boolean;
  readonly source?: string;
  readonly flags?: string;
}

/**
 * What the reader found in one rule: the grams of its alternatives that have one (as text, any
 * character outside ASCII written as \u007f), whether one of them needs only a character outside
 * ASCII, and the alternatives that have none, joined into a source of their own (null when there
 * are none). `source` and `flags` are the rule's own: an entry is used only for the very regex it
 * was read from.
 */
export interface RuleGrams {
  readonly source: string;
  readonly flags: string;
  readonly grams: readonly string[];
  readonly nonAscii?: true;
  readonly open: string | null;
}

/** The filter that answers "might some rule need this gram?" before the map is asked has 2^16 slots. */
const FILTER_BITS = 16;

/**
 * The rules, each run whole when the text has one of its grams, and otherwise only its
 * alternatives that have no gram (if any). Either way the answer is the whole regex's.
 */
export class RuleGate {
  /** What runs when the text does not allow the rule: a whole rule (no entry), its open alternatives, or nothing. */
  private readonly unallowed: (RuleTest | null)[] = [];
  /** For each gram some rule needs, those rules. */
  private readonly byGram = new Map<number, number[]>();
  /** 1 where a needed gram hashes to. */
  private readonly filter = new Uint8Array(1 << FILTER_BITS);
  /** Rules the current text allows: marks[i] === stamp (never before the first read: marks start at 0). */
  private readonly marks: Uint32Array;
  private stamp = 1;

  /**
   * `table`: what rule-reader.ts's gramTable(rules) gives, as rule-grams.ts keeps it. An entry
   * that is not its rule's own (another source or other flags: the table is stale) is not used:
   * that rule runs whole.
   */
  constructor(private readonly rules: readonly RuleTest[], table: readonly (RuleGrams | null)[]) {
    this.marks = new Uint32Array(rules.length);
    rules.forEach((rule, i) => {
      const entry = table[i];
      if (entry === null || entry === undefined || entry.source !== rule.source || entry.flags !== (rule.flags ?? '')) {
        this.unallowed.push(rule);
        return;
      }
      this.unallowed.push(entry.open !== null ? new RegExp(entry.open, rule.flags) : null);
      const grams = entry.grams.map(gramOfText);
      if (entry.nonAscii) grams.push(NON_ASCII);
      for (const g of grams) {
        const list = this.byGram.get(g);
        if (list === undefined) this.byGram.set(g, [i]);
        else list.push(i);
        if (g !== NON_ASCII) this.filter[slot(g)] = 1;
      }
    });
  }

  /**
   * Marks the rules the text's grams allow, for `test` until the next call. (Marks are stamped,
   * not cleared: one pass over the text, no allocation.)
   */
  read(text: string): void {
    if (this.stamp === 0xffffffff) {
      // The marks hold 32 bits: start them over rather than let the stamp outgrow them.
      this.marks.fill(0);
      this.stamp = 1;
    }
    const stamp = ++this.stamp;
    const { filter, byGram } = this;
    let gram = 0;
    let nonAscii = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 127) nonAscii = true;
      gram = nextGram(gram, c);
      if (i >= GRAM - 1 && filter[slot(gram)] === 1) this.mark(byGram.get(gram), stamp);
    }
    if (nonAscii) this.mark(byGram.get(NON_ASCII), stamp);
  }

  /**
   * Whether rule i matches the text last read: the whole rule if the text allows it (only a rule
   * with an entry is ever marked), else what runs on any text.
   */
  test(rule: number, text: string): boolean {
    if (this.marks[rule] === this.stamp) return this.rules[rule]!.test(text);
    return this.unallowed[rule]?.test(text) ?? false;
  }

  private mark(rules: number[] | undefined, stamp: number): void {
    if (rules !== undefined) for (let r = 0; r < rules.length; r++) this.marks[rules[r]!] = stamp;
  }
}

function gramOfText(text: string): number {
  let gram = 0;
  for (let i = 0; i < text.length; i++) gram = nextGram(gram, text.charCodeAt(i));
  return gram;
}

function slot(gram: number): number {
  return Math.imul(gram, 0x9e3779b1) >>> (32 - FILTER_BITS);
}

