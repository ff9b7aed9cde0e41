import { describe, expect, it } from 'vitest';
import { parseImport } from '../../src/core/import-rows.js';
import { csvLine, parseCsv } from '../../src/core/csv.js';

describe('parseImport', () => {
  it('reads a Postmark suppressions export, mapping its reasons', () => {
    const out = parseImport('EmailAddress,SuppressionReason,Origin,CreatedAt\nA@x.example,HardBounce,Recipient,2026-01-01\nb@x.example,SpamComplaint,Recipient,2026-01-01\nc@x.example,ManualSuppression,Customer,2026-01-01\n', null);
    expect(out.rows.map((r) => [r.email, r.reason])).toEqual([['a@x.example', 'hard_bounce'], ['b@x.example', 'complaint'], ['c@x.example', 'manual']]);
  });

  it('needs the reason from the request for a SendGrid list that has none, and says so per row', () => {
    const text = 'created,email\n1700000000,u@x.example\n';
    expect(parseImport(text, null).skipped).toEqual([{ row: 2, value: 'u@x.example', why: 'no reason in the row and none given with ?reason=' }]);
    expect(parseImport(text, 'unsubscribed').rows).toEqual([{ email: 'u@x.example', reason: 'unsubscribed', note: null }]);
  });

  it('reads SES list-suppressed-destinations JSON and NDJSON, and Rebote exports', () => {
    const ses = parseImport(JSON.stringify({ SuppressedDestinationSummaries: [{ EmailAddress: 's@x.example', Reason: 'BOUNCE' }] }), null);
    expect(ses).toMatchObject({ format: 'ses-json', rows: [{ email: 's@x.example', reason: 'hard_bounce' }] });
    const nd = parseImport('{"email":"n@x.example","reason":"complaint","note":"from CRM"}\nnot json\n', null);
    expect(nd.rows).toEqual([{ email: 'n@x.example', reason: 'complaint', note: 'from CRM' }]);
    expect(nd.skipped).toEqual([{ row: 2, value: 'not json', why: 'not a JSON object' }]);
    const own = parseImport(`email,reason,created_at,note\r\n${csvLine(['o@x.example', 'soft_bounce_limit', '2026-01-01', 'a, "quoted" note'])}`, null);
    expect(own.rows).toEqual([{ email: 'o@x.example', reason: 'soft_bounce_limit', note: 'a, "quoted" note' }]);
  });

  it('imports its own CSV export back as the same addresses and notes, formula guard and all', () => {
    const rows = [['-dash@x.example', 'manual', '2026-01-01', '=SUM(A1)'], ['+plus@x.example', 'complaint', '2026-01-02', '@note'], ['plain@x.example', 'manual', '2026-01-03', "'quoted"]];
    const text = `email,reason,created_at,note\r\n${rows.map((r) => csvLine(r)).join('')}`;
    expect(text).toContain("'-dash@x.example");
    expect(parseImport(text, null).rows).toEqual(rows.map(([email, reason, , note]) => ({ email, reason, note })));
  });

  it('takes a bare list of addresses, refuses text with no addresses at all', () => {
    expect(parseImport('x@x.example\ny@x.example\n', 'manual').rows.map((r) => r.email)).toEqual(['x@x.example', 'y@x.example']);
    expect(() => parseImport('hello,world\n1,2\n', 'manual')).toThrow(/no column of email addresses/);
  });
});

describe('csv', () => {
  it('round-trips quotes, commas and newlines, and defuses spreadsheet formulas', () => {
    const line = csvLine(['=HYPERLINK("x")', 'a,b', 'line\nbreak', null]);
    expect(parseCsv(line)).toEqual([[`'=HYPERLINK("x")`, 'a,b', 'line\nbreak', '']]);
  });
});
