/**
 * Reads a suppression list to import: Rebote's own CSV/NDJSON export, or the exports of Amazon
 * SES (list-suppressed-destinations JSON, export-job CSV), SendGrid (bounces, blocks, spam
 * reports, unsubscribes, invalid emails CSV, and the JSON array its API answers with) and Postmark
 * (suppressions CSV). CSV may be separated by commas, semicolons or tabs. Pure: text in, rows and
 * a per-row report of what was skipped and why out.
 */
import { normalizeAddress } from './address.js';
import { csvDelimiter, FORMULA_START, parseCsv } from './csv.js';
import { SUPPRESSION_REASONS, type SuppressionReason } from './policy.js';
import { toIso } from './time.js';

export interface ImportRow {
  email: string;
  reason: SuppressionReason;
  note: string | null;
  /** When the suppression ends, as exported (Rebote's own `expires_at`); null = never said. */
  expires_at: string | null;
  /** Where it was in the list (as SkippedRow.row). */
  row: number;
}

export interface SkippedRow {
  /**
   * Where the row is, 1-based: for CSV the record (the header is record 1; records of only empty
   * fields are not counted; a quoted line break does not start one), for NDJSON the line, for SES
   * JSON and a JSON array the item.
   */
  row: number;
  value: string;
  why: string;
}

export interface ParsedImport {
  format: 'csv' | 'ndjson' | 'ses-json' | 'json-array';
  rows: ImportRow[];
  skipped: SkippedRow[];
}

const EMAIL_COLUMNS = ['email', 'emailaddress', 'address', 'recipient', 'to'];
const REASON_COLUMNS = ['reason', 'suppressionreason', 'type'];
const NOTE_COLUMNS = ['note', 'notes', 'comment'];
const EXPIRES_COLUMNS = ['expiresat', 'expires'];

/** Provider wordings of a suppression reason, lower-cased without separators. */
const REASON_WORDS: Readonly<Record<string, SuppressionReason>> = {
  bounce: 'hard_bounce', hardbounce: 'hard_bounce', bounced: 'hard_bounce', bounces: 'hard_bounce',
  complaint: 'complaint', spamcomplaint: 'complaint', spamreport: 'complaint', spamreports: 'complaint', spam: 'complaint',
  unsubscribe: 'unsubscribed', unsubscribed: 'unsubscribed', unsubscribes: 'unsubscribed', groupunsubscribe: 'unsubscribed',
  invalid: 'invalid', invalidemail: 'invalid', invalidemails: 'invalid',
  manual: 'manual', manualsuppression: 'manual',
  softbouncelimit: 'soft_bounce_limit',
};

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export function suppressionReasonOf(value: string): SuppressionReason | null {
  const v = value.trim();
  if ((SUPPRESSION_REASONS as readonly string[]).includes(v)) return v as SuppressionReason;
  // Own keys only: a reason of "constructor" must not find Object.prototype's.
  const word = squash(v);
  return Object.hasOwn(REASON_WORDS, word) ? REASON_WORDS[word]! : null;
}

export const IMPORT_ROW_LIMIT = 1000;

/** What a list may be, for the message that refuses one that is none of them. */
export const IMPORT_FORMATS = 'CSV (separated by commas, semicolons or tabs) with a column of addresses, or one address per line; '
  + 'NDJSON, one object per line; a JSON array of such objects or of addresses; or SES list-suppressed-destinations JSON';

/**
 * The format is recognised from the text, unless the caller says it is NDJSON (a Content-Type of
 * application/x-ndjson): then a first line that is not an object is only a skipped row.
 * `defaultReason` applies to rows that carry none (SendGrid exports are one list per file, so
 * the caller says which). A row whose `expires_at` is not after `now` has ended and is skipped.
 * Throws a message when the text is not a list at all.
 */
export function parseImport(text: string, defaultReason: SuppressionReason | null, now: Date, format?: 'ndjson'): ParsedImport {
  const out = readList(text, defaultReason, format);
  // Every row is accounted for: imported, already suppressed, or skipped with its reason. Of the
  // rows of one address that have not ended, the first counts, as it does across the requests of
  // a file cut in pieces (where an earlier request has already imported it). The reason names no
  // row number: the command line's requests number their rows apart from the file's lines.
  const dropped = new Set<ImportRow>();
  for (const r of out.rows) {
    if (r.expires_at !== null && Date.parse(r.expires_at) <= now.getTime()) {
      dropped.add(r);
      out.skipped.push({ row: r.row, value: r.email, why: `expired at ${r.expires_at}` });
    }
  }
  const seen = new Set<string>();
  for (const r of out.rows) {
    if (dropped.has(r)) continue;
    if (!seen.has(r.email)) seen.add(r.email);
    else {
      dropped.add(r);
      out.skipped.push({ row: r.row, value: r.email, why: 'an earlier row has the same address' });
    }
  }
  if (dropped.size === 0) return out;
  out.skipped.sort((a, b) => a.row - b.row);
  return { ...out, rows: out.rows.filter((r) => !dropped.has(r)) };
}

function readList(text: string, defaultReason: SuppressionReason | null, format?: 'ndjson'): ParsedImport {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  // An SES list or a JSON array is one JSON document, whatever Content-Type it came with.
  const array = trimmed.startsWith('[') ? jsonArray(trimmed, defaultReason) : null;
  if (array !== null) return array;
  if (trimmed.startsWith('{') || format === 'ndjson') return sesJson(trimmed, defaultReason) ?? ndjson(body, defaultReason);
  try {
    return csv(body, defaultReason);
  } catch (err) {
    // NDJSON whose first line is not an object (a comment, a stray line): most of its lines are.
    if (mostlyJsonObjects(body)) return ndjson(body, defaultReason);
    // A JSON array cut short (or with a trailing comma) is no CSV either: say what it looked like.
    if (trimmed.startsWith('[')) throw new Error(`the list starts with "[" but is not valid JSON; a list may be ${IMPORT_FORMATS}`);
    throw err;
  }
}

/** Whether more than half of the non-blank lines are JSON objects (NDJSON with a stray line). */
function mostlyJsonObjects(text: string): boolean {
  let lines = 0;
  let objects = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const t = line.trim();
    if (t === '') continue;
    lines++;
    if (t.startsWith('{')) {
      try {
        const o: unknown = JSON.parse(t);
        if (typeof o === 'object' && o !== null && !Array.isArray(o)) objects++;
      } catch {
        // not an object
      }
    }
  }
  return objects * 2 > lines;
}

interface RawRow {
  email: unknown;
  reason: unknown;
  note: unknown;
  expires?: unknown;
}

const filled = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function accept(out: ParsedImport, row: number, raw: RawRow, fallback: SuppressionReason | null): void {
  const value = typeof raw.email === 'string' ? raw.email : JSON.stringify(raw.email ?? null);
  const email = normalizeAddress(raw.email);
  if (email === null) {
    out.skipped.push({ row, value: value.slice(0, 320), why: 'not an email address' });
    return;
  }
  let reason = fallback;
  let note = filled(raw.note);
  const reasonText = filled(raw.reason);
  if (reasonText !== null) {
    const named = suppressionReasonOf(reasonText);
    if (named !== null) {
      reason = named;
    } else if (fallback !== null) {
      // SendGrid's bounce and block exports put the server's reply in "reason": the request says
      // what the list is, and the reply is kept as the note.
      note ??= reasonText;
    } else {
      out.skipped.push({ row, value: email, why: `unknown reason "${reasonText.slice(0, 60)}"` });
      return;
    }
  }
  if (reason === null) {
    out.skipped.push({ row, value: email, why: 'no reason in the row and none given with ?reason=' });
    return;
  }
  const expiresText = filled(raw.expires);
  const expires_at = expiresText === null ? null : toIso(expiresText.trim());
  if (expiresText !== null && expires_at === null) {
    out.skipped.push({ row, value: email, why: `expires_at "${expiresText.slice(0, 60)}" is not a time` });
    return;
  }
  out.rows.push({ email, reason, note: note === null ? null : note.slice(0, 1000), expires_at, row });
}

/**
 * A field as it was before csvLine's formula guard: the apostrophe it puts before a leading
 * `= + - @` (tab, CR), or before apostrophes that come before one, is taken off, so an export
 * imports back as the same addresses and notes.
 */
const unguard = (field: string): string => (field.startsWith("'") && FORMULA_START.test(field) ? field.slice(1) : field);

function csv(text: string, fallback: SuppressionReason | null): ParsedImport {
  const out: ParsedImport = { format: 'csv', rows: [], skipped: [] };
  const table = parseCsv(text, csvDelimiter(text)).map((row) => row.map(unguard));
  if (table.length === 0) return out;
  const header = table[0]!.map(squash);
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  let emailAt = col(EMAIL_COLUMNS);
  const reasonAt = col(REASON_COLUMNS);
  const noteAt = col(NOTE_COLUMNS);
  const expiresAt = col(EXPIRES_COLUMNS);
  let start = 1;
  if (emailAt < 0) {
    // No header: a plain list of addresses, one per line (or first column).
    if (normalizeAddress(table[0]![0]) === null) throw new Error(`no column of email addresses (email, EmailAddress, address, ...); a list may be ${IMPORT_FORMATS}`);
    emailAt = 0;
    start = 0;
  }
  for (let i = start; i < table.length; i++) {
    const r = table[i]!;
    accept(out, i + 1, {
      email: r[emailAt], reason: reasonAt >= 0 ? r[reasonAt] : undefined, note: noteAt >= 0 ? r[noteAt] : undefined,
      expires: expiresAt >= 0 ? r[expiresAt] : undefined,
    }, fallback);
  }
  return out;
}

function pick(o: Record<string, unknown>, names: string[]): unknown {
  for (const [k, v] of Object.entries(o)) if (names.includes(squash(k))) return v;
  return undefined;
}

const isRecord = (o: unknown): o is Record<string, unknown> => typeof o === 'object' && o !== null && !Array.isArray(o);

/** One object of NDJSON or of a JSON array: its fields are found by the names a CSV header may use. */
function acceptObject(out: ParsedImport, row: number, o: unknown, text: () => string, fallback: SuppressionReason | null): void {
  if (!isRecord(o)) {
    out.skipped.push({ row, value: text().slice(0, 320), why: 'not a JSON object' });
    return;
  }
  accept(out, row, {
    email: pick(o, EMAIL_COLUMNS), reason: pick(o, REASON_COLUMNS), note: pick(o, NOTE_COLUMNS), expires: pick(o, EXPIRES_COLUMNS),
  }, fallback);
}

function ndjson(text: string, fallback: SuppressionReason | null): ParsedImport {
  const out: ParsedImport = { format: 'ndjson', rows: [], skipped: [] };
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      o = undefined;
    }
    acceptObject(out, i + 1, o, () => line, fallback);
  });
  return out;
}

/** An item of a JSON array as the report shows it; an item too deep to write out is only named. */
function itemText(item: unknown): string {
  if (typeof item === 'string') return item;
  try {
    return JSON.stringify(item) ?? String(item);
  } catch {
    return Array.isArray(item) ? '[…]' : String(item);
  }
}

/**
 * A JSON array, each item a row: an object read as a line of NDJSON is (SendGrid's suppression API
 * answers with `[{"email", "created", "reason", "status"}, ...]`), a string as an address, as a
 * CSV list of bare addresses is read (so any slice of the array reads the same way); null when
 * the text is not a JSON array.
 */
function jsonArray(text: string, fallback: SuppressionReason | null): ParsedImport | null {
  const list = jsonOrUndefined(text);
  if (!Array.isArray(list)) return null;
  const out: ParsedImport = { format: 'json-array', rows: [], skipped: [] };
  list.forEach((item: unknown, i) => {
    if (typeof item === 'string') accept(out, i + 1, { email: item, reason: null, note: null }, fallback);
    else acceptObject(out, i + 1, item, () => itemText(item), fallback);
  });
  return out;
}

/** The JSON value of a text, or undefined when the text is not JSON (then another format is tried). */
function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `aws sesv2 list-suppressed-destinations` output: {"SuppressedDestinationSummaries": [...]}. */
function sesJson(text: string, fallback: SuppressionReason | null): ParsedImport | null {
  const list = (jsonOrUndefined(text) as { SuppressedDestinationSummaries?: unknown } | null)?.SuppressedDestinationSummaries;
  if (!Array.isArray(list)) return null;
  const out: ParsedImport = { format: 'ses-json', rows: [], skipped: [] };
  list.forEach((item, i) => {
    const rec = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    accept(out, i + 1, { email: rec.EmailAddress, reason: rec.Reason, note: undefined }, fallback);
  });
  return out;
}
