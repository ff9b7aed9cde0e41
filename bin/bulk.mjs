// `rebote import` and `rebote export`: bulk work against a running Rebote over its HTTP API.
// Plain Node (no bundle): files in, requests out, a progress bar on stderr and a summary.
import { createWriteStream, readFileSync } from 'node:fs';
import { fileProblem } from './file-problem.cjs';

export const BULK_USAGE = `rebote import <file> [--reason <reason>] [--batch <rows>] --url <worker> --key <admin key>
  Imports a suppression list: Rebote's own CSV/NDJSON export, an Amazon SES list (JSON), a
  SendGrid or Postmark suppression export (CSV), or a JSON array of objects (what SendGrid's API
  answers with) or of addresses. CSV may be separated by commas, semicolons or tabs (whichever
  splits its first line most), or hold one address per line. Rows without a reason take --reason.
rebote export [--format csv|ndjson] [--out <file>] --url <worker> --key <key>
  Writes the whole suppression list (default: CSV to standard output).
--url and --key default to the REBOTE_URL and REBOTE_KEY environment variables.`;

const MAX_BATCH = 1000;

export function parseBulkArgs(argv) {
  const [command, ...rest] = argv;
  const opts = { command, files: [], url: process.env.REBOTE_URL, key: process.env.REBOTE_KEY, batch: 500, format: 'csv' };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--url') opts.url = value();
    else if (a === '--key') opts.key = value();
    else if (a === '--reason') opts.reason = value();
    else if (a === '--batch') opts.batch = Number(value());
    else if (a === '--format') opts.format = value();
    else if (a === '--out') opts.out = value();
    else if (a === '-h' || a === '--help') return { ...opts, help: true };
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.files.push(a);
  }
  if (!opts.url) throw new Error('--url (or REBOTE_URL) is required');
  if (!opts.key) throw new Error('--key (or REBOTE_KEY) is required');
  if (!Number.isInteger(opts.batch) || opts.batch < 1 || opts.batch > MAX_BATCH) throw new Error(`--batch must be 1..${MAX_BATCH}`);
  if (!['csv', 'ndjson'].includes(opts.format)) throw new Error('--format must be csv or ndjson');
  if (command === 'import' && opts.files.length !== 1) throw new Error('import takes exactly one file');
  opts.url = opts.url.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/i.test(opts.url)) throw new Error(`--url must start with http:// or https:// (got "${opts.url}")`);
  return opts;
}

/** Whether a CSV record has only empty fields (",,"): the server skips such rows without counting them. */
const blankRecord = (text, delimiter) => text.replace(/\s/g, '').replaceAll('""', '').replaceAll(delimiter, '') === '';

/**
 * The field separator, as csvDelimiter of src/core/csv.ts reads it from the first non-blank line
 * (this file runs without the bundle): of comma, semicolon and tab, the one that splits that line
 * the most outside quotes (trailing ones left out), the first of them on a tie, else a comma.
 */
function csvDelimiter(text) {
  let first = '';
  const lineEnd = /\r\n|\r|\n/g;
  for (let start = 0; start < text.length && first === '';) {
    const end = lineEnd.exec(text);
    const line = text.slice(start, end === null ? text.length : end.index);
    if (line.trim() !== '') first = line;
    if (end === null) break;
    start = lineEnd.lastIndex;
  }
  const counts = new Map();
  let quoted = false;
  // Trimmed by a loop: /[\s,;]+$/ backtracks quadratically on a long run of blanks mid-line.
  let end = first.length;
  while (end > 0 && /[\s,;]/.test(first[end - 1])) end--;
  for (const ch of first.slice(0, end)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let most = 0;
  for (const [ch, n] of counts) if (n > most) [best, most] = [ch, n];
  return best;
}

/**
 * Records of a CSV text, as the server's parseCsv reads it: a `"` opens a quoted field only at the
 * start of a field, and a record ends at CRLF, LF or a lone CR (old Mac and Excel "CSV
 * (Macintosh)" files) outside quotes. Each is { text, line }: its text as written, and the line
 * of the file it starts on (1-based, line breaks inside quotes counted).
 */
function csvRecords(text, delimiter) {
  const records = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let quoted = false;
  let fieldEmpty = true;
  const end = (at) => {
    const record = text.slice(start, at);
    if (!blankRecord(record, delimiter)) records.push({ text: record, line: startLine });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          i++;
          fieldEmpty = false;
        } else quoted = false;
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        fieldEmpty = false;
      }
    } else if (c === '"' && fieldEmpty) {
      quoted = true;
    } else if (c === delimiter) {
      fieldEmpty = true;
    } else if (c === '\n' || c === '\r') {
      end(i);
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      start = i + 1;
      startLine = line;
      fieldEmpty = true;
    } else {
      fieldEmpty = false;
    }
  }
  end(text.length);
  return records;
}

/**
 * Whether more than half of the non-blank lines are JSON objects: NDJSON whose first line is a
 * stray one (a comment), which the server reads as NDJSON too (mostlyJsonObjects of
 * src/core/import-rows.ts; this file runs without the bundle). Cut by lines, the stray line goes
 * in one request only.
 */
function mostlyJsonObjects(text) {
  let lines = 0;
  let objects = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const t = line.trim();
    if (t === '') continue;
    lines++;
    if (!t.startsWith('{')) continue;
    try {
      const o = JSON.parse(t);
      if (typeof o === 'object' && o !== null && !Array.isArray(o)) objects++;
    } catch {
      // not an object
    }
  }
  return objects * 2 > lines;
}

/** Counts the records of an export as it streams: CSV lines outside quoted fields, or NDJSON lines. */
export function recordCounter(format) {
  let quoted = false;
  let count = 0;
  return {
    add(text) {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 34 && format === 'csv') quoted = !quoted;
        else if (c === 10 && !quoted) count++;
      }
    },
    get count() {
      return count;
    },
  };
}

/**
 * Splits a list into request bodies of at most `size` rows, each readable on its own (a CSV
 * header is repeated). `rowBase`: data rows of the file before this body; `fileRows`: the file's
 * line (or, for an SES list or a JSON array, item) number of each row of the body, in order;
 * `headerRows`: the rows the server counts before them (a repeated CSV header); `format`: csv,
 * ndjson, ses-json or json-array, sent as the body's Content-Type.
 */
export function chunks(text, size) {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  // One JSON document (the AWS CLI prints it indented, one "{" per entry on its own line), or
  // NDJSON when the text as a whole is not one.
  let doc = null;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      doc = JSON.parse(trimmed);
    } catch {
      doc = null;
    }
  }
  if (Array.isArray(doc)) {
    // A JSON array (SendGrid's API): cut by items, each piece an array the server reads alike.
    const out = [];
    for (let i = 0; i < doc.length; i += size) {
      const rows = Math.min(size, doc.length - i);
      out.push({ format: 'json-array', body: JSON.stringify(doc.slice(i, i + size)), rows, rowBase: i, headerRows: 0, fileRows: Array.from({ length: rows }, (_, k) => i + k + 1) });
    }
    return out;
  }
  if (doc !== null) {
    if (Array.isArray(doc.SuppressedDestinationSummaries)) {
      const list = doc.SuppressedDestinationSummaries;
      const out = [];
      for (let i = 0; i < list.length; i += size) {
        const rows = Math.min(size, list.length - i);
        out.push({ format: 'ses-json', body: JSON.stringify({ SuppressedDestinationSummaries: list.slice(i, i + size) }), rows, rowBase: i, headerRows: 0, fileRows: Array.from({ length: rows }, (_, k) => i + k + 1) });
      }
      return out;
    }
  }
  if (trimmed.startsWith('{') || mostlyJsonObjects(body)) {
    const lines = body.split(/\r\n|\r|\n/).map((text, i) => ({ text, line: i + 1 })).filter((l) => l.text.trim() !== '');
    const out = [];
    for (let i = 0; i < lines.length; i += size) {
      const part = lines.slice(i, i + size);
      out.push({ format: 'ndjson', body: part.map((l) => l.text).join('\n'), rows: part.length, rowBase: i, headerRows: 0, fileRows: part.map((l) => l.line) });
    }
    return out;
  }
  const delimiter = csvDelimiter(body);
  const records = csvRecords(body, delimiter);
  const header = records[0] ?? '';
  // A header names its columns; a bare list of addresses has none.
  const hasHeader = !/@/.test(header.text?.split(delimiter)[0] ?? '');
  const rows = hasHeader ? records.slice(1) : records;
  // The server finds the separator again in each piece, from its first line. A bare list's later
  // pieces start with a row of their own, which may read otherwise ("a@b;Smith, John" reads as
  // commas): a header naming only the address column keeps the file's separator in every piece.
  const head = hasHeader ? header.text : delimiter !== ',' ? `email${delimiter}-` : null;
  const out = [];
  for (let i = 0; i < rows.length; i += size) {
    const part = rows.slice(i, i + size);
    out.push({
      format: 'csv',
      body: [...(head !== null ? [head] : []), ...part.map((r) => r.text)].join('\r\n'),
      rows: part.length, rowBase: i, headerRows: head !== null ? 1 : 0, fileRows: part.map((r) => r.line),
    });
  }
  return out;
}

function progress(done, total, label) {
  const width = 30;
  const share = total === 0 ? 1 : done / total;
  const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '-');
  const line = `${label} [${bar}] ${done}/${total} (${Math.round(share * 100)}%)`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  else if (done === total || done % 5000 < 1000) process.stderr.write(`${line}\n`);
}

async function call(url, init, attempt = 0) {
  let res;
  try {
    res = await fetch(url, init);
  } catch (err) {
    if (attempt < 4) return retry(url, init, attempt);
    // fetch says only "fetch failed"; its cause says why (connection refused, no such host).
    const cause = err.cause instanceof Error ? ` (${err.cause.code ?? err.cause.message})` : '';
    throw new Error(`cannot reach ${url}: ${err.message}${cause}`);
  }
  if ((res.status === 503 || res.status === 429) && attempt < 4) return retry(url, init, attempt);
  return res;
}

async function retry(url, init, attempt) {
  await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
  return call(url, init, attempt + 1);
}

async function errorText(res) {
  const text = await res.text();
  try {
    return JSON.parse(text).error?.message ?? text;
  } catch {
    return text.slice(0, 300);
  }
}

/** What each request body is, said to the server (which reads an NDJSON body as NDJSON whatever its first line). */
const CONTENT_TYPES = { 'ses-json': 'application/json', 'json-array': 'application/json', ndjson: 'application/x-ndjson', csv: 'text/csv' };

/** The file to import, or an error that names it and says in plain words what is wrong. */
function readList(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err.code === 'EISDIR') throw new Error(`${path} is a directory; import takes a file`);
    throw new Error(`${path}: ${fileProblem(err)}`);
  }
}

export async function runImport(opts) {
  const parts = chunks(readList(opts.files[0]), opts.batch);
  const total = parts.reduce((n, p) => n + p.rows, 0);
  const summary = { rows: total, imported: 0, already_suppressed: 0, skipped_count: 0, skipped: [] };
  let done = 0;
  progress(0, total, 'importing');
  for (const part of parts) {
    const query = opts.reason ? `?reason=${encodeURIComponent(opts.reason)}` : '';
    const res = await call(`${opts.url}/v1/suppressions/import${query}`, {
      method: 'POST', body: part.body,
      headers: { authorization: `Bearer ${opts.key}`, 'content-type': CONTENT_TYPES[part.format] },
    });
    if (!res.ok) {
      if (process.stderr.isTTY) process.stderr.write('\n');
      throw new Error(`import stopped after ${done} of ${total} rows: ${res.status} ${await errorText(res)}`);
    }
    const r = await res.json();
    summary.imported += r.imported;
    summary.already_suppressed += r.already_suppressed;
    summary.skipped_count += r.skipped_count ?? r.skipped.length;
    // Row numbers in the answer count within the request, header included: each is mapped back
    // to the file's own line (blank lines, which the request leaves out, included).
    // The server names its query parameter; here the same thing is the --reason option.
    for (const s of r.skipped) {
      summary.skipped.push({ ...s, why: s.why.replace('?reason=', '--reason'), row: part.fileRows[s.row - 1 - part.headerRows] ?? s.row + part.rowBase });
    }
    done += part.rows;
    progress(done, total, 'importing');
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  return summary;
}

export async function runExport(opts) {
  const res = await call(`${opts.url}/v1/suppressions/export?format=${opts.format}`, { headers: { authorization: `Bearer ${opts.key}` } });
  if (!res.ok) throw new Error(`export failed: ${res.status} ${await errorText(res)}`);
  const out = opts.out ? await openOut(opts.out) : process.stdout;
  const records = recordCounter(opts.format);
  let bytes = 0;
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    bytes += chunk.byteLength;
    records.add(decoder.decode(chunk, { stream: true }));
    await writeTo(out, chunk, opts.out ?? 'standard output');
    if (process.stderr.isTTY) process.stderr.write(`\rexporting: ${records.count} records, ${(bytes / 1024).toFixed(0)} KiB`);
  }
  if (opts.out) {
    // end()'s callback is also called, with the error, when the last write fails.
    await new Promise((resolve, reject) => {
      out.end((err) => (err ? reject(new Error(`writing ${opts.out} failed: ${fileProblem(err)}`)) : resolve()));
    });
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  // A CSV export's first record is its header.
  return { rows: opts.format === 'csv' ? Math.max(0, records.count - 1) : records.count, bytes };
}

/** A file stream once it is open, or a plain error saying why it cannot be written. */
async function openOut(path) {
  const out = createWriteStream(path);
  await new Promise((resolve, reject) => {
    out.once('open', resolve);
    out.once('error', (err) => reject(new Error(`cannot write ${path}: ${fileProblem(err, true)}`)));
  });
  // Later errors are reported by the write or end that meets them (writeTo, runExport), never
  // thrown as an unhandled 'error' event.
  out.on('error', () => {});
  return out;
}

/** Writes a chunk, waiting when the stream asks to; a write error (a full disk) rejects. */
function writeTo(out, chunk, label) {
  return new Promise((resolve, reject) => {
    const failed = (err) => reject(new Error(`writing ${label} failed: ${fileProblem(err)}`));
    out.once('error', failed);
    const done = () => {
      out.off('error', failed);
      resolve();
    };
    if (out.write(chunk)) process.nextTick(done);
    else out.once('drain', done);
  });
}

/** Runs `import` or `export`; returns the process exit code. */
export async function bulkMain(argv) {
  let opts;
  try {
    opts = parseBulkArgs(argv);
  } catch (err) {
    process.stderr.write(`rebote: ${err.message}\n\n${BULK_USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${BULK_USAGE}\n`);
    return 0;
  }
  try {
    if (opts.command === 'import') {
      const s = await runImport(opts);
      process.stderr.write(`rebote: ${s.rows} row(s): ${s.imported} imported, ${s.already_suppressed} already suppressed, ${s.skipped_count} skipped\n`);
      for (const k of s.skipped.slice(0, 20)) process.stderr.write(`  row ${k.row}: ${k.value}: ${k.why}\n`);
      if (s.skipped_count > 20) process.stderr.write(`  … and ${s.skipped_count - 20} more\n`);
      return 0;
    }
    const s = await runExport(opts);
    process.stderr.write(`rebote: exported ${s.rows} suppression(s), ${(s.bytes / 1024).toFixed(1)} KiB${opts.out ? ` to ${opts.out}` : ''}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`rebote: ${err.message}\n`);
    return 1;
  }
}
