/** CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) to rows, and rows to CSV. */

/**
 * The field separator of a CSV text, read from its first non-blank line (the header, or the first
 * address of a bare list): of comma, semicolon and tab, the one that splits that line the most
 * outside quotes; on a tie, the one that comes first (`a@b.example;Smith, John`); a comma when
 * there is none. Excel writes `;` wherever the decimal mark is a comma, and "Text (Tab
 * delimited)" writes tabs. Separators at the end of the line split nothing (a stray `;` or tab
 * after a lone address), and a comma inside quotes (`"Name, first"`) is no separator.
 */
export function csvDelimiter(text: string): ',' | ';' | '\t' {
  const counts = new Map<',' | ';' | '\t', number>();
  let quoted = false;
  const first = firstLine(text);
  // Trimmed by a loop: /[\s,;]+$/ backtracks quadratically on a long run of blanks mid-line.
  let end = first.length;
  while (end > 0 && TRAILING.test(first[end - 1]!)) end--;
  for (const ch of first.slice(0, end)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  // A Map keeps the order of first appearance, so the first of the most frequent wins.
  let best: ',' | ';' | '\t' = ',';
  let most = 0;
  for (const [ch, n] of counts) if (n > most) [best, most] = [ch, n];
  return best;
}

const TRAILING = /[\s,;]/;

/** The first line with something other than blanks on it, found without splitting the whole text. */
function firstLine(text: string): string {
  const lineEnd = /\r\n|\r|\n/g;
  let start = 0;
  while (start < text.length) {
    const end = lineEnd.exec(text);
    const line = text.slice(start, end === null ? text.length : end.index);
    if (line.trim() !== '') return line;
    if (end === null) break;
    start = lineEnd.lastIndex;
  }
  return '';
}

export function parseCsv(text: string, delimiter: ',' | ';' | '\t' = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** What csvLine guards, and the import's `unguard` undoes: one apostrophe is added or taken off. */
export const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * One CSV line. A value a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe: addresses and notes come from outside. So does a value that already starts with
 * an apostrophe before one of those (`'+bob@example.com` is an address): the import takes one
 * apostrophe off such a value, and must get back exactly what was exported.
 */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return values.map((v) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (FORMULA_START.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  }).join(',') + '\r\n';
}
