/** `rebote import` cuts a list into request bodies that each read on their own (bin/bulk.mjs). */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ES module of the command line, without type declarations
import { chunks, parseBulkArgs, recordCounter } from '../../bin/bulk.mjs';
import { parseImport } from '../../src/core/import-rows.js';

interface Chunk { body: string; rows: number; rowBase: number; headerRows: number; fileRows: number[] }

describe('rebote import: cutting a list into requests', () => {
  it("cuts the SES list the AWS CLI prints (indented, a '{' per entry on its own line) by entries", () => {
    const list = Array.from({ length: 1200 }, (_, i) => ({ EmailAddress: `u${i}@x.example`, Reason: 'BOUNCE', LastUpdateTime: '2026-01-01T00:00:00Z' }));
    const printed = JSON.stringify({ SuppressedDestinationSummaries: list }, null, 4);
    expect(printed).toMatch(/\n\s+\{/);
    const out = chunks(printed, 500) as Chunk[];
    expect(out.map((c) => [c.rows, c.rowBase])).toEqual([[500, 0], [500, 500], [200, 1000]]);
    const back = out.flatMap((c) => (JSON.parse(c.body) as { SuppressedDestinationSummaries: unknown[] }).SuppressedDestinationSummaries);
    expect(back).toEqual(list);
  });

  it('still cuts NDJSON by lines, a single line included', () => {
    const lines = Array.from({ length: 3 }, (_, i) => JSON.stringify({ email: `n${i}@x.example`, reason: 'complaint' }));
    expect((chunks(lines.join('\n'), 2) as Chunk[]).map((c) => c.body)).toEqual([lines.slice(0, 2).join('\n'), lines[2]]);
    expect((chunks(lines[0]!, 2) as Chunk[]).map((c) => c.body)).toEqual([lines[0]]);
  });

  it("knows each row's line in the file, blank lines and quoted line breaks counted", () => {
    const csv = 'email,reason\n\na@x.example,manual\n"b\nb"@x.example,manual\n,,\nc@x.example,manual\n';
    const out = chunks(csv, 2) as Chunk[];
    // The server skips a row of empty fields without counting it: so does the cut.
    expect(out.map((c) => [c.headerRows, c.fileRows])).toEqual([[1, [3, 4]], [1, [7]]]);
    const nd = chunks('{"email":"a@x.example"}\n\n{"email":"b@x.example"}\n', 5) as Chunk[];
    expect(nd.map((c) => [c.headerRows, c.fileRows])).toEqual([[0, [1, 3]]]);
  });

  it('reads records as the server does: lone CR line ends, and a quote inside a field is just a character', () => {
    const mac = `email,reason\r${Array.from({ length: 5 }, (_, i) => `m${i}@x.example,manual`).join('\r')}\r`;
    const out = chunks(mac, 2) as Chunk[];
    expect(out.map((c) => [c.rows, c.fileRows])).toEqual([[2, [2, 3]], [2, [4, 5]], [1, [6]]]);
    expect(out[0]!.body).toBe('email,reason\r\nm0@x.example,manual\r\nm1@x.example,manual');
    const stray = `email,note\na@x.example,5" floppy\n${Array.from({ length: 4 }, (_, i) => `s${i}@x.example,ok`).join('\n')}\n`;
    expect((chunks(stray, 2) as Chunk[]).map((c) => c.fileRows)).toEqual([[2, 3], [4, 5], [6]]);
    // A quoted field still keeps its line break, and the lines after it are counted.
    const quoted = 'email,note\r"q@x.example","two\rlines"\rr@x.example,x';
    expect((chunks(quoted, 5) as Chunk[]).map((c) => c.fileRows)).toEqual([[2, 4]]);
  });
});

describe('rebote import: JSON arrays and CSV separated by semicolons or tabs', () => {
  const NOW = new Date('2026-06-01T00:00:00Z');

  it("cuts a JSON array (SendGrid's API answer) by items, each piece an array the server reads with the file's item numbers", () => {
    const list = Array.from({ length: 5 }, (_, i) => ({ email: i === 3 ? 'nope' : `a${i}@x.example`, created: 1700000000 + i, reason: '550 5.1.1 no such user' }));
    const out = chunks(JSON.stringify(list, null, 2), 2) as (Chunk & { format: string })[];
    expect(out.map((c) => [c.format, c.rows, c.rowBase, c.headerRows, c.fileRows])).toEqual([
      ['json-array', 2, 0, 0, [1, 2]], ['json-array', 2, 2, 0, [3, 4]], ['json-array', 1, 4, 0, [5]],
    ]);
    expect(out.flatMap((c) => JSON.parse(c.body) as unknown[])).toEqual(list);
    const second = parseImport(out[1]!.body, 'hard_bounce', NOW);
    expect([second.format, second.rows.map((r) => r.row), second.skipped.map((r) => out[1]!.fileRows[r.row - 1])]).toEqual(['json-array', [1], [4]]);
  });

  it('reads the separator from the header, so a quoted line break after a semicolon stays in its record', () => {
    const excel = 'email;reason;note\r\na@x.example;manual;"two\r\nlines"\r\n;;\r\nb@x.example;manual;x\r\nc@x.example;manual;y\r\n';
    const out = chunks(excel, 2) as Chunk[];
    expect(out.map((c) => [c.headerRows, c.fileRows])).toEqual([[1, [2, 5]], [1, [6]]]);
    expect(parseImport(out[0]!.body, null, NOW).rows.map((r) => [r.email, r.note])).toEqual([['a@x.example', 'two\r\nlines'], ['b@x.example', 'x']]);
    // A bare list separated by tabs gets a header naming the address column, so every piece keeps the separator.
    const bare = chunks('t1@x.example\tnote\nt2@x.example\tnote\n', 1) as Chunk[];
    expect(bare.map((c) => [c.headerRows, c.body])).toEqual([[1, 'email\t-\r\nt1@x.example\tnote'], [1, 'email\t-\r\nt2@x.example\tnote']]);
  });

  it('keeps a bare list\'s separator in every piece, even one whose first row holds a comma in quotes', () => {
    const file = 'a@x.example;from CRM\r\nb@x.example;ok\r\nc@x.example;"Smith, John"\r\nd@x.example;ok\r\n';
    const out = chunks(file, 2) as Chunk[];
    const read = out.map((c) => parseImport(c.body, 'manual', NOW));
    expect(read.flatMap((r) => r.rows.map((row) => row.email))).toEqual(['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example']);
    expect(read.flatMap((r) => r.skipped)).toEqual([]);
    // Server row numbers past the added header map to the file's lines.
    expect(out.map((c) => [c.headerRows, c.fileRows])).toEqual([[1, [1, 2]], [1, [3, 4]]]);
    // A comma-separated bare list is sent as it is.
    expect((chunks('a@x.example,n\nb@x.example,n\n', 1) as Chunk[]).map((c) => c.headerRows)).toEqual([0, 0]);
  });

  it('cuts an array of plain addresses as any other, each piece read alike', () => {
    const out = chunks(JSON.stringify([{ email: 'a@x.example' }, 'b@x.example', 'c@x.example']), 1) as Chunk[];
    expect(out.map((c) => parseImport(c.body, 'manual', NOW).rows.map((r) => r.email))).toEqual([['a@x.example'], ['b@x.example'], ['c@x.example']]);
  });
});

describe('rebote import: NDJSON after a stray first line', () => {
  it('is cut by lines, so the stray line goes in one request only, with its own line number', () => {
    const lines = ['# exported by hand', ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ email: `j${i}@x.example`, reason: 'manual' }))];
    const out = chunks(lines.join('\n'), 2) as (Chunk & { format: string })[];
    expect(out.map((c) => [c.format, c.headerRows, c.fileRows])).toEqual([['ndjson', 0, [1, 2]], ['ndjson', 0, [3, 4]], ['ndjson', 0, [5, 6]]]);
    // The server, told the body is NDJSON, reads the first request as such: the stray line is one skipped row.
    const first = parseImport(out[0]!.body, null, new Date('2026-06-01T00:00:00Z'), 'ndjson');
    expect([first.rows.map((r) => r.row), first.skipped.map((r) => r.row)]).toEqual([[2], [1]]);
    // Lone CR line ends are line ends too.
    expect((chunks(lines.slice(1).join('\r'), 2) as Chunk[]).map((c) => c.fileRows)).toEqual([[1, 2], [3, 4], [5]]);
    expect(out.map((c) => c.body).join('\n')).toBe(lines.join('\n'));
  });
});

describe('rebote export: counting what was written', () => {
  it('counts CSV records, not line breaks inside quoted notes, across chunk ends', () => {
    const counter = recordCounter('csv');
    for (const piece of ['email,reason,created_at,note\r\n', 'a@x.example,manual,2026-01-01,"multi\r', '\nline"\r\nb@x.example,manual,2026-01-01,\r\n']) counter.add(piece);
    expect(counter.count - 1).toBe(2);
    const nd = recordCounter('ndjson');
    nd.add('{"email":"a@x.example","note":"say \\"hi\\""}\n{"email":"b@x.example"}\n');
    expect(nd.count).toBe(2);
  });
});

describe('rebote import/export options', () => {
  it('refuses a --url without its scheme, which fetch would fail on with a parser message', () => {
    expect(() => parseBulkArgs(['export', '--url', '127.0.0.1:8787', '--key', 'k'])).toThrow('--url must start with http:// or https://');
    expect(parseBulkArgs(['export', '--url', 'http://127.0.0.1:8787/', '--key', 'k']).url).toBe('http://127.0.0.1:8787');
  });
});
