import { describe, expect, it } from 'vitest';
import { parseBounceEmail, parseEmailFile } from '../../../src/dsn/index.js';
import { splitMbox } from '../../../src/dsn/mbox.js';
import { email } from './fixtures.js';

/** An RFC 3464 report for one recipient, as lines (no mbox postmark). */
const report = (id: string, recipient: string, status: string, diagnostic: string) => [
  'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
  'To: sender@example.net',
  'Subject: Undelivered Mail Returned to Sender',
  `Message-Id: <${id}@mx.example.net>`,
  'MIME-Version: 1.0',
  `Content-Type: multipart/report; report-type=delivery-status; boundary="b-${id}"`,
  '',
  `--b-${id}`,
  'Content-Type: text/plain',
  '',
  'Delivery failed.',
  '',
  `--b-${id}`,
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.example.net',
  '',
  `Final-Recipient: rfc822; ${recipient}`,
  'Action: failed',
  `Status: ${status}`,
  `Diagnostic-Code: smtp; ${diagnostic}`,
  '',
  `--b-${id}--`,
  '',
];

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const postmark = (time: string) => `From MAILER-DAEMON  Thu Jul  2 ${time} 2020`;

describe('mailbox files', () => {
  const ann = report('one', 'ann@example.org', '5.1.1', '550 5.1.1 User unknown');
  const bob = report('two', 'bob@example.org', '5.2.2', '552 5.2.2 Mailbox full');

  it('reads every message of an mbox file, each with its own events, a message saved twice once', async () => {
    const file = email(postmark('12:05:05'), ...ann, postmark('12:05:06'), ...ann, postmark('12:06:10'), ...bob);
    const r = await parseEmailFile(file);
    expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([
      ['ann@example.org', 'hard', 'userunknown'],
      ['bob@example.org', 'soft', 'mailboxfull'],
    ]);
    // Each event is the one its message gives alone.
    expect(r.events[1]!.id).toBe((await parseBounceEmail(email(...bob))).events[0]!.id);
    expect(r.format).toBe('rfc3464');
    expect(r.messages).toBe(3);
    // Each event carries the format of its own message, not of the file.
    const auto = ['From: Jane <jane@example.org>', 'To: sender@example.net', 'Subject: unsubscribe', 'X-Apple-Unsubscribe: true', '', 'Apple Mail sent this email to unsubscribe.', ''];
    const mixed = await parseEmailFile(email(postmark('12:05:05'), ...ann, postmark('12:06:10'), ...auto));
    expect(mixed.format).toBe('rfc3464,unsubscribe');
    expect(mixed.events.map((e, i) => [e.recipient, mixed.eventFormats[i]])).toEqual([['ann@example.org', 'rfc3464'], ['jane@example.org', 'unsubscribe']]);
    // One request to the Worker is one email: its first report only.
    expect((await parseBounceEmail(file)).events.map((e) => e.recipient)).toEqual(['ann@example.org']);
  });

  it('splits only at full postmarks after an empty line and before a header field, with any line ending', () => {
    const text = [
      'From a@example.net Mon Jan  5 01:02:03 2015',
      'Subject: one',
      '',
      'From here on the body talks.',
      '',
      'From the desk of Jane, Mon Jan 5',
      '',
      'From c@example.net Wed Mar  4 05:06:07 2015',
      'is a line a person pasted, with no header after it.',
      '',
      'From b@example.net Tue Feb 10 11:12:13 2015',
      'Subject: two',
      '',
      'body',
      '',
    ].join('\n');
    for (const eol of ['\n', '\r\n', '\r']) {
      const parts = splitMbox(new TextEncoder().encode(text.replace(/\n/g, eol))).map(decode);
      expect(parts).toHaveLength(2);
      expect(parts[0]).toContain('From the desk of Jane');
      expect(parts[0]).toContain('is a line a person pasted');
      expect(parts[1]!.startsWith('From b@example.net')).toBe(true);
    }
    // A postmark line not after an empty line belongs to the message above it.
    expect(splitMbox(new TextEncoder().encode('From a@x Mon Jan  5 01:02:03 2015\nX: 1\nFrom b@x Tue Feb 10 11:12:13 2015\nY: 2\n'))).toHaveLength(1);
  });

  it('leaves an email that does not start with a postmark whole', () => {
    const bytes = email(...ann, 'From b@example.net Tue Feb 10 11:12:13 2015', 'X: 1');
    expect(splitMbox(bytes)).toEqual([bytes]);
  });
});

describe('unsubscribe requests by email', () => {
  const request = (from: string, ...extra: string[]) => email(
    `From: ${from}`,
    'To: unsubscribe-123@lists.example.net',
    'Subject: unsubscribe',
    ...extra,
    '',
    'Apple Mail sent this email to unsubscribe from the message "Weekly news".',
  );

  it("makes Apple Mail's marked request an unsubscribe of its sender", async () => {
    const r = await parseBounceEmail(request('Jane Doe <Jane@Example.org>', 'X-Apple-Unsubscribe: true'));
    expect(r.format).toBe('unsubscribe');
    expect(r.events.map((e) => [e.type, e.recipient, e.bounce])).toEqual([['unsubscribed', 'jane@example.org', undefined]]);
  });

  it('reads nothing into a message that only says unsubscribe, or whose mark is not "true"', async () => {
    expect(await parseBounceEmail(request('jane@example.org'))).toMatchObject({ events: [], ignored: 1, format: 'none' });
    expect(await parseBounceEmail(request('jane@example.org', 'X-Apple-Unsubscribe: false'))).toMatchObject({ events: [], ignored: 1 });
  });

  it('unsubscribes nobody for a mail system, several senders, or none', async () => {
    for (const from of ['postmaster@example.org', 'MAILER-DAEMON@example.org', 'ann@example.org, bob@example.org', 'undisclosed']) {
      expect(await parseBounceEmail(request(from, 'X-Apple-Unsubscribe: true'))).toMatchObject({ events: [], ignored: 1 });
    }
  });

  it('reads a delivery report that carries the mark as the report it is', async () => {
    const r = await parseBounceEmail(email('From: Mail Delivery <mailer@mx.example.net>', 'To: sender@example.net', 'Subject: Delivery failure',
      'X-Apple-Unsubscribe: true', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
      '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.net', '',
      'Final-Recipient: rfc822; gone@example.org', 'Action: failed', 'Status: 5.1.1', '', '--b--', ''));
    expect(r.events.map((e) => [e.type, e.recipient, e.bounce?.class])).toEqual([['bounced', 'gone@example.org', 'hard']]);
  });
});
