/**
 * Reads a suppression list to import: Rebote's own CSV/NDJSON export, or the exports of Amazon
 * SES (list-suppressed-destinations JSON, export-job CSV), SendGrid (bounces, blocks, spam
 * reports, unsubscribes, invalid emails CSV) and Postmark (suppressions CSV). Pure: text in, rows
 * and a per-row report of what was skipped and why out.
 */
import { normalizeAddress } from './address.js';
import { parseCsv } from './csv.js';
import { SUPPRESSION_REASONS, type SuppressionReason } from './policy.js';

export interface ImportRow {
  email: string;
  reason: SuppressionReason;
  note: string | null;
}

export interface SkippedRow {
  /** 1-based line (CSV/NDJSON) or item number (JSON). */
  row: number;
  value: string;
  why: string;
}

export interface ParsedImport {
  format: 'csv' | 'ndjson' | 'ses-json';
  rows: ImportRow[];
  skipped: SkippedRow[];
}

const EMAIL_COLUMNS = ['email', 'emailaddress', 'address', 'recipient', 'to'];
const REASON_COLUMNS = ['reason', 'suppressionreason', 'type'];
const NOTE_COLUMNS = ['note', 'notes', 'comment'];

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

/**
 * `defaultReason` applies to rows that carry none (SendGrid exports are one list per file, so
 * the caller says which). Throws a message when the text is not a list at all.
 */
export function parseImport(text: string, defaultReason: SuppressionReason | null): ParsedImport {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    const ses = sesJson(trimmed, defaultReason);
    if (ses) return ses;
  }
  if (trimmed.startsWith('{')) return ndjson(body, defaultReason);
  return csv(body, defaultReason);
}

function accept(out: ParsedImport, row: number, emailRaw: unknown, reasonRaw: unknown, noteRaw: unknown, fallback: SuppressionReason | null): void {
  const value = typeof emailRaw === 'string' ? emailRaw : JSON.stringify(emailRaw ?? null);
  const email = normalizeAddress(emailRaw);
  if (email === null) {
    out.skipped.push({ row, value: value.slice(0, 320), why: 'not an email address' });
    return;
  }
  let reason = fallback;
  if (typeof reasonRaw === 'string' && reasonRaw.trim() !== '') {
    reason = suppressionReasonOf(reasonRaw);
    if (reason === null) {
      out.skipped.push({ row, value: email, why: `unknown reason "${reasonRaw.slice(0, 60)}"` });
      return;
    }
  }
  if (reason === null) {
    out.skipped.push({ row, value: email, why: 'no reason in the row and none given with ?reason=' });
    return;
  }
  out.rows.push({ email, reason, note: typeof noteRaw === 'string' && noteRaw.trim() !== '' ? noteRaw.slice(0, 1000) : null });
}

/**
 * A field as it was before csvLine's formula guard: the apostrophe it puts before a leading
 * `= + - @` (tab, CR) is taken off, so an export imports back as the same addresses and notes.
 */
const unguard = (field: string): string => (/^'[=+\-@\t\r]/.test(field) ? field.slice(1) : field);

function csv(text: string, fallback: SuppressionReason | null): ParsedImport {
  const out: ParsedImport = { format: 'csv', rows: [], skipped: [] };
  const table = parseCsv(text).map((row) => row.map(unguard));
  if (table.length === 0) return out;
  const header = table[0]!.map(squash);
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  let emailAt = col(EMAIL_COLUMNS);
  const reasonAt = col(REASON_COLUMNS);
  const noteAt = col(NOTE_COLUMNS);
  let start = 1;
  if (emailAt < 0) {
    // No header: a plain list of addresses, one per line (or first column).
    if (normalizeAddress(table[0]![0]) === null) throw new Error('no column of email addresses (email, EmailAddress, address, ...)');
    emailAt = 0;
    start = 0;
  }
  for (let i = start; i < table.length; i++) {
    const r = table[i]!;
    accept(out, i + 1, r[emailAt], reasonAt >= 0 ? r[reasonAt] : undefined, noteAt >= 0 ? r[noteAt] : undefined, fallback);
  }
  return out;
}

function pick(o: Record<string, unknown>, names: string[]): unknown {
  for (const [k, v] of Object.entries(o)) if (names.includes(squash(k))) return v;
  return undefined;
}

function ndjson(text: string, fallback: SuppressionReason | null): ParsedImport {
  const out: ParsedImport = { format: 'ndjson', rows: [], skipped: [] };
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      out.skipped.push({ row: i + 1, value: line.slice(0, 320), why: 'not a JSON object' });
      return;
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) {
      out.skipped.push({ row: i + 1, value: line.slice(0, 320), why: 'not a JSON object' });
      return;
    }
    const rec = o as Record<string, unknown>;
    accept(out, i + 1, pick(rec, EMAIL_COLUMNS), pick(rec, REASON_COLUMNS), pick(rec, NOTE_COLUMNS), fallback);
  });
  return out;
}

/** `aws sesv2 list-suppressed-destinations` output: {"SuppressedDestinationSummaries": [...]}. */
function sesJson(text: string, fallback: SuppressionReason | null): ParsedImport | null {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return null;
  }
  const list = (o as { SuppressedDestinationSummaries?: unknown } | null)?.SuppressedDestinationSummaries;
  if (!Array.isArray(list)) return null;
  const out: ParsedImport = { format: 'ses-json', rows: [], skipped: [] };
  list.forEach((item, i) => {
    const rec = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    accept(out, i + 1, rec.EmailAddress, rec.Reason, undefined, fallback);
  });
  return out;
}
