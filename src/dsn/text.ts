/**
 * Small text helpers shared by the bounce decoders: addresses out of report lines, header-style
 * field blocks, and cutting a notification at the marker where the returned message begins.
 */

/**
 * An address token: local@domain, the local part possibly quoted. No spaces, no brackets. Domain
 * labels but the last may hold underscores, as normalizeAddress takes them (src/core/address.ts).
 */
const ADDRESS = /(?:"[^"\r\n]{1,64}"|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\u0080-\uFFFF-]{1,64})@(?:\[[0-9.:a-fA-F]+\]|(?:[A-Za-z0-9_\u0080-\uFFFF](?:[A-Za-z0-9_\u0080-\uFFFF-]{0,62}[A-Za-z0-9_\u0080-\uFFFF])?\.)*[A-Za-z0-9\u0080-\uFFFF](?:[A-Za-z0-9\u0080-\uFFFF-]{0,62}[A-Za-z0-9\u0080-\uFFFF])?)/;
const BRACKETED = new RegExp(`<\\s*(?:mailto:)?(${ADDRESS.source})\\s*>`);
const BARE = new RegExp(`(?<![\\w.+-])(${ADDRESS.source})`);
const ALL_ADDRESSES = new RegExp(`(?<![\\w.+-])${ADDRESS.source}`, 'g');

/** Trailing punctuation a sentence or a list adds after an address. */
const TRAILING = /(?<![.,;:'")\]])[.,;:'")\]]+$/; // from the start of a run only: linear
const LEADING = /^[.'"(]+/;

/** A quoted local part (`"a..b"@x`, RFC 5321) keeps its opening quote; other leading punctuation is text around the address. */
const QUOTED_LOCAL = /^"[^"\r\n]+"@/;

function tidy(address: string): string {
  const trimmed = address.replace(TRAILING, '');
  return QUOTED_LOCAL.test(trimmed) ? trimmed : trimmed.replace(LEADING, '');
}

/**
 * The address in a report value: `rfc822; <a@b>`, `"a@b"`, `Name <a@b>`, `a@b (comment)`.
 * Prefers an address in angle brackets. Returns null when there is none.
 */
export function addressIn(value: string | null | undefined): string | null {
  if (!value) return null;
  const s = value.replace(/^\s*[a-z0-9-]+\s*;\s*/i, '');
  const b = BRACKETED.exec(s);
  if (b) return tidy(b[1]!);
  const m = BARE.exec(s);
  return m ? tidy(m[1]!) : null;
}

/**
 * The address of each comma-separated entry of a header's values (X-Failed-Recipients), in
 * order; an entry without one is skipped.
 */
export function addressesOfList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => addressIn(v)).filter((a): a is string => a !== null);
}

/** Every address in a text, in order of appearance (not deduplicated). */
export function addressesIn(text: string): string[] {
  return (text.match(ALL_ADDRESSES) ?? []).map(tidy);
}

/**
 * A line that is nothing but a recipient address: `a@b`, `<a@b>`, `"a@b":`, `<a@b>:`,
 * `* a@b`, `RCPT TO: <a@b>`... Returns the address or null.
 */
// Each optional mark takes the white space after it, so no two runs of \s* meet: with them side
// by side, a long run of spaces backtracked cubically.
const ONLY_ADDRESS = new RegExp(`^\\s*(?:[*>-]+\\s*)?(?:["<]\\s*)?(${ADDRESS.source})\\s*(?:[">]\\s*)?(?::\\s*)?$`);
export function addressLine(line: string): string | null {
  const m = ONLY_ADDRESS.exec(line);
  return m ? tidy(m[1]!) : null;
}

export interface Field {
  name: string;
  value: string;
}

/**
 * Header-style fields (`Name: value` with continuation lines starting with white space), as in
 * RFC 3464 and RFC 5965 report blocks. Field names are lower-cased; a continued value keeps its
 * line breaks (a folded multi-line SMTP reply is read line by line). Lines that are not fields
 * are skipped.
 */
export function parseFields(block: string): Field[] {
  return scanFields(block, null);
}

/**
 * The fields of a block, or with `wanted` (a lower-case name) only the first field of that name:
 * the same reading either way, but values are built only for the fields kept, and the scan stops
 * once the wanted field is complete.
 */
function scanFields(block: string, wanted: string | null): Field[] {
  const out: Field[] = [];
  const fieldColon = fieldColons(block);
  let inField = false; // whether the last line began a field (so indented lines continue it)
  let kept: Field | null = null; // that field, when it is kept
  for (let start = 0; start <= block.length; ) {
    const end = lineEnd(block, start);
    const next = end + 1;
    if (end > start && inField) {
      const first = block.charCodeAt(start);
      if (first === 32 || first === 9) {
        if (kept !== null) kept.value = `${kept.value}\n${block.slice(start, end).trim()}`;
        start = next;
        continue;
      }
    }
    if (wanted !== null && kept !== null) break;
    const colon = fieldColon(start, end);
    inField = colon >= 0;
    kept = null;
    if (inField) {
      const name = block.slice(start, colon).trim().toLowerCase();
      if (wanted === null || name === wanted) {
        kept = { name, value: block.slice(colon + 1, end).trim() };
        out.push(kept);
      }
    }
    start = next;
  }
  return out;
}

const lineEnd = (block: string, start: number): number => {
  const nl = block.indexOf('\n', start);
  return nl < 0 ? block.length : nl;
};

/** A field name, trimmed; lower-cased it must be letters, digits and dashes (the Kelvin sign lower-cases to "k"). */
const FIELD_NAME = /^[a-z0-9\u212a][a-z0-9\u212a-]*$/i;

/**
 * A function giving, for each line of `block` in turn (from `start` to `end`), where the colon of
 * the field on it is, or -1 when the line is no field: the text before its first colon, trimmed,
 * must be a name of letters, digits and dashes that does not start with a dash. A colon found
 * past the line is kept for the next lines, so a block of lines without colons is searched once.
 */
function fieldColons(block: string): (start: number, end: number) => number {
  let colon = -1;
  return (start, end) => {
    if (colon < start) {
      colon = block.indexOf(':', start);
      if (colon < 0) colon = block.length; // none left: past every line, never searched again
    }
    if (colon <= start || colon >= end) return -1;
    return FIELD_NAME.test(block.slice(start, colon).trim()) ? colon : -1;
  };
}

/** The text before the first line that starts with one of `markers` (case-insensitive). */
export function before(text: string, markers: RegExp): { head: string; tail: string | null } {
  const m = markers.exec(text);
  if (!m) return { head: text, tail: null };
  return { head: text.slice(0, m.index), tail: text.slice(m.index + m[0].length) };
}

/** The lines of the first paragraph of a text: leading empty lines skipped, up to the next empty line. */
export function firstParagraph(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at <= text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    if (line.trim() !== '') out.push(line);
    else if (out.length > 0) break;
    at = end + 1;
  }
  return out;
}

/** Joins diagnostic lines into one line, collapsing white space. */
export function joinLines(parts: readonly string[]): string {
  return parts.map((p) => p.trim()).filter((p) => p !== '').join(' ').replace(/\s+/g, ' ').trim();
}

/** The header block at the start of a returned message (up to the first empty line). */
export function headerBlock(message: string): string {
  const s = message.replace(/^\n+/, '');
  const end = s.indexOf('\n\n');
  return end === -1 ? s : s.slice(0, end);
}

/** The first value of a header in a raw header block, unfolded; null when absent. */
export function headerIn(block: string, name: string): string | null {
  const field = scanFields(block, name.toLowerCase())[0];
  return field === undefined ? null : unfold(field.value);
}

/**
 * A field value on one line: each run of white space that holds a line break becomes one space,
 * as replacing every match of the regex \s*\n\s* would do, without that regex's backtracking
 * over long runs of spaces.
 */
export function unfold(value: string): string {
  if (!value.includes('\n')) return value;
  const parts = value.split('\n');
  let out = parts[0]!.trimEnd();
  let space = false;
  for (let i = 1; i < parts.length; i++) {
    space = true;
    const start = parts[i]!.trimStart();
    // White space at the end of the last line has no line break after it: it stays.
    const part = i < parts.length - 1 ? start.trimEnd() : start;
    if (part === '') continue;
    out += ` ${part}`;
    space = false;
  }
  return space ? `${out} ` : out;
}

const LEADING_REPLY = /^\s*([245][0-5]\d)(?:[ -]|$)/;

/**
 * The first reply code that starts a line ("550 5.1.1 ...", "550-..."): where a format keeps the
 * remote's reply on its own line, this finds the code even when the joined text would hide it
 * behind "SIZE=1024:" or a host name.
 */
export function leadingReply(lines: readonly string[]): string | null {
  for (const line of lines) {
    const m = LEADING_REPLY.exec(line);
    if (m) return m[1]!;
  }
  return null;
}
