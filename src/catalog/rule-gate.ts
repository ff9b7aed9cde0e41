/**
 * Which text rules can match a text at all, known from a single pass over it before any rule's
 * regex runs.
 *
 * Every alternative of a rule's regex needs some run of characters in any text it matches:
 * "quota exceeded" needs "quot" (and "uota", "ota "...), "(?:does not|doesn't) exist" needs
 * " exi". For each alternative, rule-reader.ts finds one four-character piece (a "gram") every
 * match must contain, or, for a group, one piece from each of its branches; rule-grams.ts keeps
 * what it found for the rules of text-patterns.ts. A text's own four-character pieces then name
 * the alternatives worth testing: the others cannot match it, so skipping them changes no
 * answer. Alternatives with no gram the reader can tell run on every text. Testing all the rules
 * whole on a short reply that matches none costs about 4 µs, mostly regex scans; the gate's pass
 * over the text costs a fraction of that.
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
 * What the reader found in one rule: its alternatives that have grams, and the alternatives that
 * have none, joined into a source of their own (null when there are none). `source` and `flags`
 * are the rule's own: an entry is used only for the very regex it was read from.
 */
export interface RuleGrams {
  readonly source: string;
  readonly flags: string;
  readonly alternatives: readonly GatedAlternative[];
  readonly open: string | null;
}

/**
 * A top-level alternative of a rule's regex, `source.slice(at[0], at[1])`, and the grams one of
 * which every match of it contains (as text, any character outside ASCII written as \u007f);
 * `nonAscii`: or only some character outside ASCII.
 */
export interface GatedAlternative {
  readonly at: readonly [number, number];
  readonly grams: readonly string[];
  readonly nonAscii?: true;
}

/** The filter that answers "might some alternative need this gram?" before the map is asked has 2^16 slots. */
const FILTER_BITS = 16;

/**
 * The rules, each tested as its alternatives the text's grams allow, each alone, plus the
 * alternatives that have no gram. A regex matches where one of its top-level alternatives does,
 * so the answer is the whole regex's; and an alternative is compiled the first time a text needs
 * it, not with its rule: a regex is compiled (and V8 first runs it in its slow interpreter) when
 * it first runs, which for the longest rules costs milliseconds, while a text needs only a few of
 * their alternatives.
 */
export class RuleGate {
  /** What runs when the text does not allow the rule: a whole rule (no entry), its open alternatives, or nothing. */
  private readonly unallowed: (RuleTest | null)[] = [];
  /** Rule i's gated alternatives are first[i] up to first[i + 1] (none for a rule without an entry). */
  private readonly first: number[] = [0];
  /** For each gated alternative: its source and flags, and its regex once a text has needed it. */
  private readonly sources: string[] = [];
  private readonly flags: string[] = [];
  private readonly regexes: (RegExp | undefined)[] = [];
  /** The rule each alternative belongs to. */
  private readonly ruleOf: number[] = [];
  /** For each gram some alternative needs, those alternatives. */
  private readonly byGram = new Map<number, number[]>();
  /** 1 where a needed gram hashes to. */
  private readonly filter = new Uint8Array(1 << FILTER_BITS);
  /**
   * Rules and alternatives the current text allows: marks[k] === stamp (never before the first
   * read: marks start at 0). A rule is marked when one of its alternatives is.
   */
  private readonly ruleMarks: Uint32Array;
  private readonly marks: Uint32Array;
  private stamp = 1;

  /**
   * `table`: what rule-reader.ts's gramTable(rules) gives, as rule-grams.ts keeps it. An entry
   * that is not its rule's own (another source or other flags: the table is stale) is not used:
   * that rule runs whole.
   */
  constructor(rules: readonly RuleTest[], table: readonly (RuleGrams | null)[]) {
    this.ruleMarks = new Uint32Array(rules.length);
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      const entry = table[i];
      if (entry === null || entry === undefined || entry.source !== rule.source || entry.flags !== (rule.flags ?? '')) {
        this.unallowed.push(rule);
        this.first.push(this.sources.length);
        continue;
      }
      this.unallowed.push(entry.open !== null ? new RegExp(entry.open, entry.flags) : null);
      for (const alternative of entry.alternatives) {
        const k = this.sources.length;
        this.sources.push(entry.source.slice(alternative.at[0], alternative.at[1]));
        this.flags.push(entry.flags);
        this.regexes.push(undefined);
        this.ruleOf.push(i);
        for (const text of alternative.grams) this.need(gramOfText(text), k);
        if (alternative.nonAscii) this.need(NON_ASCII, k);
      }
      this.first.push(this.sources.length);
    }
    this.marks = new Uint32Array(this.sources.length);
  }

  /** Alternative k needs the gram (one of its grams). */
  private need(gram: number, k: number): void {
    const list = this.byGram.get(gram);
    if (list === undefined) this.byGram.set(gram, [k]);
    else list.push(k);
    if (gram !== NON_ASCII) this.filter[slot(gram)] = 1;
  }

  /**
   * Marks the alternatives the text's grams allow, for `test` until the next call. (Marks are
   * stamped, not cleared: one pass over the text, no allocation.)
   */
  read(text: string): void {
    if (this.stamp === 0xffffffff) {
      // The marks hold 32 bits: start them over rather than let the stamp outgrow them.
      this.marks.fill(0);
      this.ruleMarks.fill(0);
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
   * Whether rule i matches the text last read: its alternatives the text allows, then what runs
   * on any text (a rule without an entry runs whole there).
   */
  test(rule: number, text: string): boolean {
    if (this.ruleMarks[rule] === this.stamp) {
      for (let k = this.first[rule]!; k < this.first[rule + 1]!; k++) {
        if (this.marks[k] === this.stamp && this.regex(k).test(text)) return true;
      }
    }
    return this.unallowed[rule]?.test(text) ?? false;
  }

  private regex(k: number): RegExp {
    return (this.regexes[k] ??= new RegExp(this.sources[k]!, this.flags[k]));
  }

  private mark(alternatives: number[] | undefined, stamp: number): void {
    if (alternatives === undefined) return;
    for (let a = 0; a < alternatives.length; a++) {
      const k = alternatives[a]!;
      this.marks[k] = stamp;
      this.ruleMarks[this.ruleOf[k]!] = stamp;
    }
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

