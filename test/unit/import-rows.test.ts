import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImport } from '../../src/core/import-rows.js';
import { csvDelimiter, csvLine, parseCsv } from '../../src/core/csv.js';

const NOW = new Date('2026-06-01T00:00:00.000Z');

describe('parseImport', () => {
  it('reads a Postmark suppressions export, mapping its reasons', () => {
    const out = parseImport('EmailAddress,SuppressionReason,Origin,CreatedAt\nA@x.example,HardBounce,Recipient,2026-01-01\nb@x.example,SpamComplaint,Recipient,2026-01-01\nc@x.example,ManualSuppression,Customer,2026-01-01\n', null, NOW);
    expect(out.rows.map((r) => [r.email, r.reason])).toEqual([['a@x.example', 'hard_bounce'], ['b@x.example', 'complaint'], ['c@x.example', 'manual']]);
  });

  it('needs the reason from the request for a SendGrid list that has none, and says so per row', () => {
    const text = 'created,email\n1700000000,u@x.example\n';
    expect(parseImport(text, null, NOW).skipped).toEqual([{ row: 2, value: 'u@x.example', why: 'no reason in the row and none given with ?reason=' }]);
    expect(parseImport(text, 'unsubscribed', NOW).rows).toEqual([{ email: 'u@x.example', reason: 'unsubscribed', note: null, expires_at: null, row: 2 }]);
  });

  it('reads SES list-suppressed-destinations JSON and NDJSON, and Rebote exports', () => {
    const ses = parseImport(JSON.stringify({ SuppressedDestinationSummaries: [{ EmailAddress: 's@x.example', Reason: 'BOUNCE' }] }), null, NOW);
    expect(ses).toMatchObject({ format: 'ses-json', rows: [{ email: 's@x.example', reason: 'hard_bounce' }] });
    const nd = parseImport('{"email":"n@x.example","reason":"complaint","note":"from CRM"}\nnot json\n', null, NOW);
    expect(nd.rows).toEqual([{ email: 'n@x.example', reason: 'complaint', note: 'from CRM', expires_at: null, row: 1 }]);
    expect(nd.skipped).toEqual([{ row: 2, value: 'not json', why: 'not a JSON object' }]);
    const own = parseImport(`email,reason,created_at,note\r\n${csvLine(['o@x.example', 'soft_bounce_limit', '2026-01-01', 'a, "quoted" note'])}`, null, NOW);
    expect(own.rows).toEqual([{ email: 'o@x.example', reason: 'soft_bounce_limit', note: 'a, "quoted" note', expires_at: null, row: 2 }]);
  });

  it('imports its own CSV export back as the same addresses and notes, formula guard and all', () => {
    const rows = [['-dash@x.example', 'manual', '2026-01-01', '=SUM(A1)'], ['+plus@x.example', 'complaint', '2026-01-02', '@note'], ['plain@x.example', 'manual', '2026-01-03', "'quoted"]];
    const text = `email,reason,created_at,note\r\n${rows.map((r) => csvLine(r)).join('')}`;
    expect(text).toContain("'-dash@x.example");
    expect(parseImport(text, null, NOW).rows).toEqual(rows.map(([email, reason, , note], i) => ({ email, reason, note, expires_at: null, row: i + 2 })));
  });

  it('gives back exactly what was exported for any address or note, apostrophes and formula marks included', () => {
    // Addresses whose local part starts with an apostrophe before a formula mark are valid.
    expect(parseImport(`email,reason\r\n${csvLine(["'+bob@x.example", 'manual'])}`, null, NOW).rows[0]!.email).toBe("'+bob@x.example");
    const piece = fc.constantFrom("'", '=', '+', '-', '@', '\t', 'a', ',', '"', ' ');
    const note = fc.array(piece, { minLength: 1, maxLength: 8 }).map((xs) => xs.join(''));
    fc.assert(fc.property(note, (n) => {
      const text = `email,reason,note\r\n${csvLine(['n@x.example', 'manual', n])}`;
      expect(parseImport(text, null, NOW).rows[0]!.note).toBe(n.trim() === '' ? null : n);
    }), { numRuns: 3000 });
  });

  it('accounts for every row: a repeated address is skipped, the first row that has not ended counts', () => {
    const out = parseImport('email,reason\nd1@x.example,manual\nD1@x.example,complaint\nd1@x.example,manual\n', null, NOW);
    expect(out.rows).toEqual([{ email: 'd1@x.example', reason: 'manual', note: null, expires_at: null, row: 2 }]);
    expect(out.skipped).toEqual([
      { row: 3, value: 'd1@x.example', why: 'an earlier row has the same address' },
      { row: 4, value: 'd1@x.example', why: 'an earlier row has the same address' },
    ]);
    const ended = parseImport('email,reason,expires_at\nd2@x.example,soft_bounce_limit,2026-01-01T00:00:00.000Z\nd2@x.example,hard_bounce,\n', null, NOW);
    expect(ended.rows.map((r) => [r.email, r.reason, r.row])).toEqual([['d2@x.example', 'hard_bounce', 3]]);
    expect(ended.skipped.map((r) => r.row)).toEqual([2]);
  });

  it('reads an SES list whatever its layout, and NDJSON whose first line is not an object', () => {
    const ses = '{"SuppressedDestinationSummaries": [\n{"EmailAddress":"s1@x.example","Reason":"BOUNCE"},\n{"EmailAddress":"s2@x.example","Reason":"COMPLAINT"}\n]}';
    const flat = parseImport(ses, null, NOW);
    expect([flat.format, flat.rows.map((r) => [r.email, r.reason]), flat.skipped]).toEqual(['ses-json', [['s1@x.example', 'hard_bounce'], ['s2@x.example', 'complaint']], []]);
    const nd = parseImport('garbage line\n{"email":"n1@x.example","reason":"manual"}\n{"email":"n2@x.example","reason":"manual"}\n', null, NOW);
    expect(nd.format).toBe('ndjson');
    expect(nd.rows.map((r) => [r.email, r.row])).toEqual([['n1@x.example', 2], ['n2@x.example', 3]]);
    expect(nd.skipped).toEqual([{ row: 1, value: 'garbage line', why: 'not a JSON object' }]);
    // Said to be NDJSON, an SES list is still an SES list; NDJSON with lone CR line ends is read by line.
    expect(parseImport(ses, null, NOW, 'ndjson').format).toBe('ses-json');
    const cr = parseImport('{"email":"c1@x.example","reason":"manual"}\r{"email":"c2@x.example","reason":"manual"}\r', null, NOW);
    expect(cr.rows.map((r) => [r.email, r.row])).toEqual([['c1@x.example', 1], ['c2@x.example', 2]]);
    // Text with neither a column of addresses nor mostly objects is still refused, even with a line
    // that starts with "{" (inside a quoted note of a CSV whose header is not known).
    expect(() => parseImport('garbage\nmore garbage\n', null, NOW)).toThrow(/no column of email addresses/);
    expect(() => parseImport('mail,note\na@x.example,"two\n{lines}"\nb@x.example,x\n', null, NOW)).toThrow(/no column of email addresses/);
  });

  it('keeps the end an export gives a suppression, and skips one that has ended', () => {
    const text = 'email,reason,created_at,updated_at,expires_at,note\r\n'
      + 'later@x.example,soft_bounce_limit,2026-05-01T00:00:00.000Z,2026-05-01T00:00:00.000Z,2026-06-20T00:00:00.000Z,\r\n'
      + 'ended@x.example,soft_bounce_limit,2026-04-01T00:00:00.000Z,2026-04-01T00:00:00.000Z,2026-05-01T00:00:00.000Z,\r\n'
      + 'never@x.example,manual,2026-04-01T00:00:00.000Z,2026-04-01T00:00:00.000Z,,\r\n'
      + 'odd@x.example,manual,2026-04-01T00:00:00.000Z,2026-04-01T00:00:00.000Z,next tuesday,\r\n';
    const out = parseImport(text, null, NOW);
    expect(out.rows.map((r) => [r.email, r.expires_at])).toEqual([['later@x.example', '2026-06-20T00:00:00.000Z'], ['never@x.example', null]]);
    expect(out.skipped).toEqual([
      { row: 3, value: 'ended@x.example', why: 'expired at 2026-05-01T00:00:00.000Z' },
      { row: 5, value: 'odd@x.example', why: 'expires_at "next tuesday" is not a time' },
    ]);
  });

  it("takes the request's reason for a SendGrid bounce export, whose reason column is the server's reply", () => {
    const text = 'email,reason,status,created\nu@x.example,"550 5.1.1 The email account that you tried to reach does not exist",5.1.1,1700000000\n';
    expect(parseImport(text, 'hard_bounce', NOW).rows).toEqual([
      { email: 'u@x.example', reason: 'hard_bounce', note: '550 5.1.1 The email account that you tried to reach does not exist', expires_at: null, row: 2 },
    ]);
    // Without ?reason= the row says nothing Rebote knows: skipped, as before.
    expect(parseImport(text, null, NOW).skipped).toHaveLength(1);
  });

  it('reads a JSON array of objects as NDJSON lines are read, each item a row, as SendGrid\'s API answers', () => {
    const sendgrid = JSON.stringify([
      { created: 1700000000, email: 'A@x.example', reason: '550 5.1.1 The email account that you tried to reach does not exist', status: '5.1.1' },
      'B@x.example',
      { email: 'not-an-address' },
      { EmailAddress: 'c@x.example', Reason: 'complaint', note: 'by hand' },
    ], null, 2);
    const out = parseImport(`\uFEFF${sendgrid}`, 'hard_bounce', NOW);
    expect(out.format).toBe('json-array');
    expect(out.rows).toEqual([
      { email: 'a@x.example', reason: 'hard_bounce', note: '550 5.1.1 The email account that you tried to reach does not exist', expires_at: null, row: 1 },
      // A string item is an address, as in a bare CSV list.
      { email: 'b@x.example', reason: 'hard_bounce', note: null, expires_at: null, row: 2 },
      { email: 'c@x.example', reason: 'complaint', note: 'by hand', expires_at: null, row: 4 },
    ]);
    expect(out.skipped).toEqual([
      { row: 3, value: 'not-an-address', why: 'not an email address' },
    ]);
    expect(parseImport('[7, null, ["x"]]', 'manual', NOW).skipped.map((r) => [r.row, r.why])).toEqual([[1, 'not a JSON object'], [2, 'not a JSON object'], [3, 'not a JSON object']]);
    // The same, said to be NDJSON, on one line; an empty array is an empty list.
    expect(parseImport(JSON.stringify([{ email: 'd@x.example' }]), 'manual', NOW, 'ndjson')).toMatchObject({ format: 'json-array', rows: [{ email: 'd@x.example', row: 1 }] });
    expect(parseImport('[]', null, NOW)).toEqual({ format: 'json-array', rows: [], skipped: [] });
  });

  it('reads a JSON array of plain addresses as a list of them, and says what a list may be when a "[" starts no JSON', () => {
    expect(parseImport('["a@x.example", "b@x.example", "no"]', 'manual', NOW)).toMatchObject({
      format: 'json-array', rows: [{ email: 'a@x.example', reason: 'manual', row: 1 }, { email: 'b@x.example', row: 2 }], skipped: [{ row: 3, why: 'not an email address' }],
    });
    expect(() => parseImport('[{"email": "a@x.example"},', 'manual', NOW)).toThrow(/starts with "\[" but is not valid JSON; a list may be CSV/);
    expect(parseImport('"a@x.example"\n"b@x.example"\n', 'manual', NOW, 'ndjson').skipped.map((r) => r.why)).toEqual(['not a JSON object', 'not a JSON object']);
  });

  it('reads the semicolon- or tab-separated CSV a spreadsheet writes, quoted fields included, from its header', () => {
    const excel = 'email;reason;note\r\nA@x.example;HardBounce;"says ""no""; twice"\r\nb@x.example;manual;"two\r\nlines"\r\n';
    const out = parseImport(excel, null, NOW);
    expect([out.format, out.skipped]).toEqual(['csv', []]);
    expect(out.rows).toEqual([
      { email: 'a@x.example', reason: 'hard_bounce', note: 'says "no"; twice', expires_at: null, row: 2 },
      { email: 'b@x.example', reason: 'manual', note: 'two\r\nlines', expires_at: null, row: 3 },
    ]);
    const tabs = parseImport('\nEmail Address\tReason\nt@x.example\tunsubscribe\n', null, NOW);
    expect(tabs.rows.map((r) => [r.email, r.reason])).toEqual([['t@x.example', 'unsubscribed']]);
    // A bare list with a second column, and a header with a comma, which stays comma-separated.
    expect(parseImport('s@x.example;from the CRM\n', 'manual', NOW).rows.map((r) => r.email)).toEqual(['s@x.example']);
    expect(parseImport('email,note\nc@x.example,a;b\n', 'manual', NOW).rows.map((r) => [r.email, r.note])).toEqual([['c@x.example', 'a;b']]);
  });

  it('takes a bare list of addresses, refuses text with no addresses at all', () => {
    expect(parseImport('x@x.example\ny@x.example\n', 'manual', NOW).rows.map((r) => r.email)).toEqual(['x@x.example', 'y@x.example']);
    expect(() => parseImport('hello,world\n1,2\n', 'manual', NOW)).toThrow(/no column of email addresses/);
  });
});

describe('csv', () => {
  it('round-trips quotes, commas and newlines, and defuses spreadsheet formulas', () => {
    const line = csvLine(['=HYPERLINK("x")', 'a,b', 'line\nbreak', null]);
    expect(parseCsv(line)).toEqual([[`'=HYPERLINK("x")`, 'a,b', 'line\nbreak', '']]);
  });

  it('finds the separator on the first line that is not blank, and reads fields with it', () => {
    expect([csvDelimiter('a;b\n'), csvDelimiter('\r\n  \r\na\tb'), csvDelimiter('a,b;c\tc'), csvDelimiter('a@x.example\n'), csvDelimiter('')]).toEqual([';', '\t', ',', ',', ',']);
    expect(parseCsv('a;"b;c";d,e\n', ';')).toEqual([['a', 'b;c', 'd,e']]);
  });

  it('counts separators outside quotes, and none at the end of the line', () => {
    // A comma inside a quoted column name, or in a bare list's second column, is no separator.
    expect(csvDelimiter('"Email";"Name, first";"Reason"\n')).toBe(';');
    expect(csvDelimiter('jane@x.example;Smith, John\n')).toBe(';');
    expect(parseImport('"Email";"Name, first";"Reason"\njane@x.example;J;complaint\n', null, NOW).rows).toMatchObject([{ email: 'jane@x.example', reason: 'complaint' }]);
    // A stray tab or semicolon after a lone address leaves a comma-separated list as it was.
    expect([csvDelimiter('jane@x.example\t\n'), csvDelimiter('jane@x.example;\n'), csvDelimiter('a;b,c,d\n'), csvDelimiter('a\tb;c\n'), csvDelimiter('a,b;c\n')]).toEqual([',', ',', ',', '\t', ',']);
    expect(parseImport('jane@x.example\t\nbob@x.example,note\n', 'manual', NOW).rows.map((r) => r.email)).toEqual(['jane@x.example', 'bob@x.example']);
  });
});
