/** `rebote import` cuts a list into request bodies that each read on their own (bin/bulk.mjs). */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ES module of the command line, without type declarations
import { chunks } from '../../bin/bulk.mjs';

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
});
