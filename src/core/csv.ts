/** CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) to rows, and rows to CSV. */

export function parseCsv(text: string): string[][] {
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
    else if (ch === ',') {
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
