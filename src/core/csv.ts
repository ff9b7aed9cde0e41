/** CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) to rows, and rows to CSV. */

/**
 * The field separator of a CSV text, read from its first non-blank line (the header, or the first
 * address of a bare list): a semicolon or a tab when that line has no comma but has one of them.
 * Excel writes `;` wherever the decimal mark is a comma, and "Text (Tab delimited)" writes tabs;
 * a line with a comma stays comma-separated, whatever else it holds.
 */
export function csvDelimiter(text: string): ',' | ';' | '\t' {
  const first = firstLine(text);
  if (first.includes(',')) return ',';
  if (first.includes(';')) return ';';
  return first.includes('\t') ? '\t' : ',';
}

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
