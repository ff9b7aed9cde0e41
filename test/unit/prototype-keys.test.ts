/**
 * Untrusted words outside the provider parsers (a DSN's Action field, an imported list's reason
 * column, a status class) that are also names on Object.prototype must not find anything in the
 * lookup tables they are read through. The provider parsers are covered in
 * providers/prototype-keys.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { lookupCode } from '../../src/catalog/lookup.js';
import { classInfo } from '../../src/catalog/enhanced-codes.js';
import { parseImport, suppressionReasonOf } from '../../src/core/import-rows.js';
import { parseBounceEmail } from '../../src/dsn/index.js';
import { actionIn, parseDeliveryStatus } from '../../src/dsn/rfc3464.js';

const NOW = new Date('2026-06-01T00:00:00.000Z');

const KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'] as const;

const dsn = (action: string) => new TextEncoder().encode([
  'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
  'To: sender@example.com',
  'Subject: Undelivered Mail Returned to Sender',
  'Date: Tue, 14 Nov 2023 22:13:20 +0000',
  'Message-ID: <dsn-1@mx.example.net>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain',
  '',
  'Your message could not be delivered.',
  '',
  '--b1',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.example.net',
  '',
  'Final-Recipient: rfc822; jane@example.org',
  `Action: ${action}`,
  'Status: 5.1.1',
  'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
  '',
  '--b1--',
  '',
].join('\n'));

describe.each(KEYS)('untrusted word %j', (key) => {
  it('DSN Action: no action, and the report is still read as a bounce', async () => {
    expect(actionIn(key)).toBeNull();
    expect(actionIn(`${key} (permanent)`)).toBeNull();
    const report = parseDeliveryStatus([`Final-Recipient: rfc822; jane@example.org\nAction: ${key}\nStatus: 5.1.1`]);
    expect(report.notices).toHaveLength(1);
    expect(report.notices[0]!.action).toBeNull();

    const parsed = await parseBounceEmail(dsn(key));
    expect(parsed.events).toHaveLength(1);
    const e = parsed.events[0]!;
    expect(e).toMatchObject({ type: 'bounced', recipient: 'jane@example.org', bounce: { class: 'hard', reason: 'userunknown' } });
    expect(JSON.parse(JSON.stringify(e))).toStrictEqual(e);
  });

  it('import reason: unknown, so the row is skipped with a message', () => {
    expect(suppressionReasonOf(key)).toBeNull();
    expect(suppressionReasonOf(` ${key.toUpperCase()} `)).toBeNull();
    const csv = parseImport(`email,reason\njane@example.org,${key}\n`, null, NOW);
    expect(csv.rows).toEqual([]);
    expect(csv.skipped).toEqual([{ row: 2, value: 'jane@example.org', why: `unknown reason "${key}"` }]);
    // With ?reason= the request's reason stands, and the unknown word is only a note.
    const nd = parseImport(`${JSON.stringify({ email: 'jane@example.org', reason: key })}\n`, 'manual', NOW);
    expect(nd.rows).toEqual([{ email: 'jane@example.org', reason: 'manual', note: key, expires_at: null, row: 1 }]);
    const ses = parseImport(JSON.stringify({ SuppressedDestinationSummaries: [{ EmailAddress: 'jane@example.org', Reason: key }] }), null, NOW);
    expect(ses.rows).toEqual([]);
    expect(ses.skipped).toHaveLength(1);
    // Real words still work.
    expect(parseImport('email,reason\njane@example.org,Hard Bounce\n', null, NOW).rows).toEqual([{ email: 'jane@example.org', reason: 'hard_bounce', note: null, expires_at: null, row: 2 }]);
  });

  it('status class: unknown', () => {
    expect(classInfo(key)).toBeUndefined();
    expect(classInfo('5')?.permanence).toBe('permanent');
  });

  it('code lookup of the word: nothing known, no crash', () => {
    expect(lookupCode(key)).toBeNull();
  });
});
