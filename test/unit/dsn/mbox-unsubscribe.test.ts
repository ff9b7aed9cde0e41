import { describe, expect, it } from 'vitest';
import { parseBounceEmail } from '../../../src/dsn/index.js';
import { splitMbox } from '../../../src/dsn/mbox.js';
import { email } from './fixtures.js';

/** A Postfix bounce for one recipient, as lines (no mbox postmark). */
const postfixBounce = (id: string, recipient: string, reply: string) => [
  'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
  'To: sender@example.net',
  'Subject: Undelivered Mail Returned to Sender',
  `Message-Id: <${id}@mx.example.net>`,
  '',
  'This is the mail system at host mx.example.net.',
  '',
  "I'm sorry to have to inform you that your message could not",
  'be delivered to one or more recipients.',
  '',
  '                   The mail system',
  '',
  `<${recipient}>: host mx.example.org[192.0.2.1] said: ${reply} (in reply to RCPT TO command)`,
  '',
];

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('mailbox files', () => {
  it('reads every message of an mbox file, each with its own events', async () => {
    const r = await parseBounceEmail(email(
      'From MAILER-DAEMON  Thu Jul  2 12:05:05 2020',
      ...postfixBounce('one', 'ann@example.org', '550 5.1.1 User unknown'),
      'From MAILER-DAEMON  Thu Jul  2 12:06:10 2020',
      ...postfixBounce('two', 'bob@example.org', '552 5.2.2 Mailbox full'),
    ));
    expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([
      ['ann@example.org', 'hard', 'userunknown'],
      ['bob@example.org', 'soft', 'mailboxfull'],
    ]);
    expect(r.format).toBe('postfix');
  });

  it('gives the events of a message saved twice once', async () => {
    const message = ['From MAILER-DAEMON  Thu Jul  2 12:05:05 2020', ...postfixBounce('same', 'ann@example.org', '550 5.1.1 User unknown')];
    const r = await parseBounceEmail(email(...message, ...message));
    expect(r.events).toHaveLength(1);
  });

  it('splits only at full postmarks after an empty line, with any line ending', () => {
    const text = [
      'From a@example.net Mon Jan  5 01:02:03 2015',
      'Subject: one',
      '',
      'From here on the body talks.',
      '',
      'From the desk of Jane, Mon Jan 5',
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
      expect(parts[0]).toContain('Subject: one');
      expect(parts[0]).toContain('From the desk of Jane');
      expect(parts[1]!.startsWith('From b@example.net')).toBe(true);
    }
    // A postmark line not after an empty line belongs to the message above it.
    expect(splitMbox(new TextEncoder().encode('From a@x Mon Jan  5 01:02:03 2015\nX: 1\nFrom b@x Tue Feb 10 11:12:13 2015\n'))).toHaveLength(1);
  });

  it('leaves an email that is not a mailbox file whole', () => {
    const bytes = email(...postfixBounce('one', 'ann@example.org', '550 5.1.1 User unknown'), '', 'From b@example.net Tue Feb 10 11:12:13 2015', 'X: 1');
    expect(splitMbox(bytes)).toEqual([bytes]);
  });
});

describe('unsubscribe requests by email', () => {
  const request = (...extra: string[]) => email(
    'From: Jane Doe <Jane@Example.org>',
    'To: unsubscribe-123@lists.example.net',
    'Subject: unsubscribe',
    'Auto-Submitted: auto-replied',
    ...extra,
    '',
    'Apple Mail sent this email to unsubscribe from the message "Weekly news".',
  );

  it("makes Apple Mail's marked request an unsubscribe of its sender", async () => {
    const r = await parseBounceEmail(request('X-Apple-Unsubscribe: true'));
    expect(r.format).toBe('unsubscribe');
    expect(r.events.map((e) => [e.type, e.recipient, e.bounce])).toEqual([['unsubscribed', 'jane@example.org', undefined]]);
  });

  it('reads nothing into a message that only says unsubscribe, or whose mark is not "true"', async () => {
    expect(await parseBounceEmail(request())).toMatchObject({ events: [], ignored: 1 });
    expect(await parseBounceEmail(request('X-Apple-Unsubscribe: false'))).toMatchObject({ events: [], ignored: 1 });
  });
});
