import { describe, expect, it } from 'vitest';
import { parseDeliveryStatus, reportInText, statusIn } from '../../../src/dsn/rfc3464.js';
import { brief, parseFixture } from './fixtures.js';

describe('parseDeliveryStatus', () => {
  it('reads per-message and per-recipient fields, prefixes and continuation lines', () => {
    const report = parseDeliveryStatus([[
      'Reporting-MTA: dns; mx.example.net',
      'Arrival-Date: Wed, 16 Oct 2013 14:15:34 +0900',
      '',
      'Final-Recipient: RFC822; <Jane@Example.org>',
      'Action: failed',
      'Status: 5.1.1 (bad destination mailbox)',
      'Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does',
      '    550 5.1.1 not exist. Please try double-checking the recipient',
      'Last-Attempt-Date: Wed, 16 Oct 2013 14:15:35 +0900',
      '',
      'Final-Recipient: rfc822;bob@example.org',
      'Action: delayed',
      'Status: 4.4.7',
    ].join('\n')]);
    expect(report.arrival).toBe('Wed, 16 Oct 2013 14:15:34 +0900');
    expect(report.notices).toMatchObject([
      {
        recipient: 'Jane@Example.org',
        action: 'failed',
        status: '5.1.1',
        // The folded reply's repeated "550 5.1.1" is dropped so the words read as one sentence.
        diagnostic: '550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient',
        date: 'Wed, 16 Oct 2013 14:15:35 +0900',
      },
      { recipient: 'bob@example.org', action: 'delayed', status: '4.4.7', diagnostic: null },
    ]);
  });

  it('cuts records at a repeated recipient field, whatever the field order', () => {
    // Postfix writes Final- before Original-Recipient; Exim puts Action first; no blank lines.
    const report = parseDeliveryStatus([[
      'Reporting-MTA: dns; mx.example.net',
      'Final-Recipient: rfc822; a@example.org',
      'Original-Recipient: rfc822; alias@example.org',
      'Action: failed',
      'Status: 5.1.1',
      'Final-Recipient: rfc822; b@example.org',
      'Original-Recipient: rfc822; b@example.org',
      'Action: failed',
      'Status: 5.2.2',
      '',
      'Action: delayed',
      'Final-Recipient: rfc822; c@example.org',
      'Status: 4.0.0',
    ].join('\n')]);
    expect(report.notices.map((n) => [n.recipient, n.action, n.status])).toEqual([
      ['a@example.org', 'failed', '5.1.1'],
      ['b@example.org', 'failed', '5.2.2'],
      ['c@example.org', 'delayed', '4.0.0'],
    ]);
  });

  it('prefers Final-Recipient over X-Actual-Recipient and skips records without an address', () => {
    const report = parseDeliveryStatus([[
      'Final-Recipient: RFC822; kijitora@example.edu',
      'X-Actual-Recipient: RFC822; |exec /usr/bin/procmail',
      'Action: failed',
      '',
      'Final-Recipient: rfc822; <>',
      'Action: failed',
    ].join('\n')]);
    expect(report.notices.map((n) => n.recipient)).toEqual(['kijitora@example.edu']);
  });

  it('finds report fields pasted into a text part only when they look like a report', () => {
    expect(reportInText('Technical report:\nReporting-MTA: dsn; x\nAction: failed\nFinal-Recipient: rfc822; a@example.org\nStatus: 5.1.1\n')?.notices)
      .toMatchObject([{ recipient: 'a@example.org', action: 'failed', status: '5.1.1' }]);
    expect(reportInText('Please write to\nFinal-Recipient: someone@example.org\n')).toBeNull();
  });

  it('normalizes enhanced codes', () => {
    expect(statusIn('5.01.001 (x)')).toBe('5.1.1');
    expect(statusIn('failed')).toBeNull();
  });
});

describe('RFC 3464 emails', () => {
  it('gives one event per recipient, failed and delayed, with class from the codes', async () => {
    const r = await parseFixture('rfc3464-35.eml');
    expect(r.format).toBe('rfc3464');
    expect(r.events.map(brief)).toEqual([
      { type: 'bounced', recipient: 'kijitora@nyaan.example.com', class: 'soft', reason: 'undefined', status: '5.0.0', reply_code: '550' },
      { type: 'deferred', recipient: 'sabatora@cat.example.net', class: 'soft', reason: 'undefined', status: '4.0.0', reply_code: null },
      // "550 user unknown" with no RCPT stage and no x.1.x status: not proof enough to suppress.
      { type: 'bounced', recipient: 'mikeneko@neko.example.or.jp', class: 'soft', reason: 'filtered', status: '5.0.0', reply_code: '550' },
    ]);
  });

  it('completes the report with the MTA text: the refused command and the remote words', async () => {
    const r = await parseFixture('lhost-postfix-11.eml');
    expect(r.format).toBe('rfc3464+postfix');
    expect(r.events.map(brief)).toEqual([
      { type: 'bounced', recipient: 'kijitora@example.jp', class: 'soft', reason: 'rejected', status: '5.1.8', reply_code: '553' },
      { type: 'bounced', recipient: 'noraneko@example.jp', class: 'soft', reason: 'rejected', status: '5.1.8', reply_code: '553' },
    ]);
    // The refused sender, quoted in the diagnostic, is never a recipient.
    expect(r.events.map((e) => e.recipient)).not.toContain('root@vagrant-centos65.vagrantup.com');
  });

  it('takes the time, the original Message-ID and a hard class from a sendmail DSN', async () => {
    const r = await parseFixture('lhost-sendmail-01.eml');
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({
      provider: 'dsn',
      type: 'bounced',
      recipient: 'userunknown@bouncehammer.jp',
      occurred_at: '2013-10-16T05:15:35.000Z',
      message_id: '<E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org>',
      bounce: { class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550', provider_class: null },
    });
    expect(r.events[0]!.id).toMatch(/^dsn:[0-9a-f]{32}$/);
  });

  it('decodes a report that a relay forwarded as an attachment', async () => {
    const r = await parseFixture('lhost-x5-01.eml');
    expect(r.format).toMatch(/^wrapped:/);
    expect(r.events.map(brief)).toEqual([
      { type: 'bounced', recipient: 'kijitora@neko.example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' },
    ]);
  });
});
