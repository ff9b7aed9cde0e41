import { describe, expect, it } from 'vitest';
import { parseBounceEmail } from '../../../src/dsn/index.js';
import { parseDeliveryStatus, powerMtaCategory, reportInText, statusIn } from '../../../src/dsn/rfc3464.js';
import { brief, email, parseFixture } from './fixtures.js';

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

  it('reads the reply Exchange puts in X-Supplementary-Info when there is no Diagnostic-Code', () => {
    const report = parseDeliveryStatus([[
      'Reporting-MTA: dns;EXCH01.corp.example', '',
      'Final-recipient: RFC822; jane@example.org', 'Action: failed', 'Status: 5.0.0', 'Remote-MTA: dns; mx.example.org',
      'X-Supplementary-Info: <mx.example.org #5.0.0 smtp;', ' 550 5.4.1 [jane@example.org]: Recipient address rejected: Access', ' denied>', '',
      'Final-recipient: RFC822; bob@example.org', 'Action: failed', 'Status: 5.0.0',
      'Diagnostic-Code: smtp; 550 5.1.1 No such user', 'X-Supplementary-Info: <mx.example.org #5.0.0 smtp; 554 something else>', '',
      'Final-recipient: RFC822; eve@example.org', 'Action: delayed', 'Status: 4.4.7', 'X-Supplementary-Info: <mx.example.org #4.4.7>',
    ].join('\n')]);
    expect(report.notices.map((n) => [n.recipient, n.diagnostic])).toEqual([
      ['jane@example.org', '550 5.4.1 [jane@example.org]: Recipient address rejected: Access denied'],
      // A Diagnostic-Code, when there is one, is the reply.
      ['bob@example.org', '550 5.1.1 No such user'],
      ['eve@example.org', null],
    ]);
  });

  it('reads the address of a recipient field, not one in a comment; decodes RFC 6533 utf-8 addresses', () => {
    const recipients = (...fields: string[]) =>
      parseDeliveryStatus([fields.flatMap((f) => [f, 'Action: failed', 'Status: 5.1.1', '']).join('\n')]).notices.map((n) => n.recipient);
    expect(recipients(
      'Final-Recipient: rfc822; bad@example.org (expanded from <list@example.org>)',
      'Final-Recipient: rfc822; (fwd good@example.org) bad2@example.org',
      'Final-Recipient: rfc822; "a (b)"@example.org',
      'Final-Recipient: rfc822; <c@example.org> (nested (comment) d@example.org)',
    )).toEqual(['bad@example.org', 'bad2@example.org', '"a (b)"@example.org', 'c@example.org']);
    expect(recipients(
      'Final-Recipient: utf-8; b\\x{E4}d@example.org',
      'Final-Recipient: utf-8; user\\x{2B}tag@example.org',
      'Final-Recipient: utf-8; 用户@例子.example',
    )).toEqual(['bäd@example.org', 'user+tag@example.org', '用户@例子.example']);
    // Only what RFC 6533 escapes is decoded: an escaped "(" or "@" is not an address's.
    const odd = recipients('Final-Recipient: utf-8; a\\x{28}b\\x{29}c@example.org', 'Final-Recipient: utf-8; x\\x{40}evil.example@example.org');
    expect(odd).not.toContain('c@example.org');
    expect(odd).not.toContain('x@evil.example');
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

  it('keeps the fields a report writes before each address with that address', () => {
    // Action (and Status) before Final-Recipient, several recipients in one block.
    const before = parseDeliveryStatus([[
      'Reporting-MTA: dns; gw.example.net',
      'Action: failed',
      'Status: 5.1.1',
      'Final-Recipient: rfc822; a@example.org',
      'Diagnostic-Code: smtp; 550 5.1.1 unknown',
      'Action: delayed',
      'Status: 4.2.2',
      'Final-Recipient: rfc822; b@example.org',
      'Diagnostic-Code: smtp; 452 4.2.2 full',
    ].join('\n')]);
    expect(before.notices.map((n) => [n.recipient, n.action, n.status, n.diagnostic])).toEqual([
      ['a@example.org', 'failed', '5.1.1', '550 5.1.1 unknown'],
      ['b@example.org', 'delayed', '4.2.2', '452 4.2.2 full'],
    ]);
    // A field repeated for one recipient, or one recipient without the first field, does not
    // move fields to another recipient.
    const irregular = parseDeliveryStatus([[
      'Action: failed',
      'Final-Recipient: rfc822; a@example.org',
      'Status: 5.1.1',
      'Final-Recipient: rfc822; b@example.org',
      'Action: failed',
      'Status: 5.2.2',
    ].join('\n')]);
    expect(irregular.notices.map((n) => [n.recipient, n.status])).toEqual([
      ['a@example.org', '5.1.1'],
      ['b@example.org', '5.2.2'],
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

  it('takes the Original-Recipient when the Final-Recipient is a mail store\'s internal name', () => {
    // Sun's message store reports "user@sims-ms-daemon"; the sender wrote to the original address.
    const report = parseDeliveryStatus([[
      'Action: failed',
      'Status: 5.0.0 (recipient reached disk quota)',
      'Original-recipient: rfc822;jane@example.com',
      'Final-recipient: rfc822;jane@sims-ms-daemon',
      '',
      'Original-Recipient: rfc822;alias@example.com',
      'Final-Recipient: rfc822;jane@example.org',
      'Action: failed',
      'Status: 5.1.1',
    ].join('\n')]);
    expect(report.notices.map((n) => [n.recipient, n.standIn, n.statusComment])).toEqual([
      ['jane@example.com', true, 'recipient reached disk quota'],
      ['jane@example.org', false, null],
    ]);
  });

  it('gives a stand-in Original-Recipient no class, and reads a Status comment only when the text says nothing', async () => {
    /** A multipart/report: the text part when given, then the delivery-status records. */
    const report = (text: string[] | null, ...records: string[][]) => parseBounceEmail(email(
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>', 'To: sender@example.net', 'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
      ...(text === null ? [] : ['--b', 'Content-Type: text/plain', '', ...text, '']),
      '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.net', '',
      ...records.flatMap((r) => [...r, '']),
      '--b--'));
    const member = (final: string, status: string) =>
      ['Original-Recipient: rfc822;team@example.com', `Final-Recipient: ${final}`, 'Action: failed', `Status: ${status}`];

    // A list member's failure: reported for the address the sender used, never suppressing it.
    const listMember = await report(['Your message could not be delivered.'], member('rfc822;bob@localhost', '5.1.1 (bad destination mailbox address)'));
    expect(listMember.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason, e.bounce?.diagnostic])).toEqual([
      ['team@example.com', 'undetermined', 'userunknown', 'bad destination mailbox address'],
    ]);
    // A Final-Recipient that is no address (X.400), an address literal or under .localdomain: the same.
    for (const final of ['x400; c=US;a= ;p=Org;o=Site;s=Doe;g=Jane;', 'rfc822; jane@[192.0.2.1]', 'rfc822; bob@mx1.localdomain']) {
      const r = await report(null, member(final, '5.1.1'));
      expect(r.events.map((e) => [e.recipient, e.bounce?.class])).toEqual([['team@example.com', 'undetermined']]);
    }
    // A record that names the list itself wins over the member's stand-in record, whatever the order.
    const own = ['Final-Recipient: rfc822;team@example.com', 'Action: failed', 'Status: 5.2.2', 'Diagnostic-Code: smtp; 552 5.2.2 mailbox full'];
    for (const records of [[member('rfc822;bob@localhost', '5.1.1'), own], [own, member('rfc822;bob@localhost', '5.1.1')]]) {
      const r = await report(null, ...records);
      expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['team@example.com', 'soft', 'mailboxfull']]);
    }
    // Exim's report names the alias; its text says the failed mailbox behind it is undisclosed.
    const exim = await report([
      'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:', '',
      '  an undisclosed address', '    (generated from team@example.com)',
    ], ['Action: failed', 'Final-Recipient: rfc822;team@example.com', 'Status: 5.0.0', 'Diagnostic-Code: smtp; 550 5.1.1 User unknown']);
    expect(exim.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['team@example.com', 'undetermined', 'userunknown']]);
    // The text part's words (Postfix's) come before the Status comment.
    const blocked = await report([
      'This is the mail system at host mx.example.net.', '',
      '<team@example.com>: host mx.example.com[192.0.2.1] said: 554 5.7.1 Service unavailable; Client host',
      '    [192.0.2.9] blocked using zen.spamhaus.org (in reply to RCPT TO command)',
    ], member('rfc822;bob@localhost', '5.1.1 (bad destination mailbox address)'));
    expect(blocked.events.map((e) => e.bounce?.reason)).toEqual(['blocked']);
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
  it('gives one event per recipient, failed and delayed, with the codes of each and none of them hard', async () => {
    const r = await parseFixture('rfc3464-35.eml');
    expect(r.format).toBe('rfc3464');
    // RFC 3464 §2.3: one per-recipient block each; Final-Recipient (§2.3.2) is the recipient,
    // Action (§2.3.3) failed is a bounce and delayed a deferral, Status (§2.3.4) is the status
    // without its comment, and a Diagnostic-Code of type "smtp" (§2.3.6) carries the SMTP reply:
    // 550 for the two failed ones, none for the delayed one.
    expect(r.events.map(({ type, recipient, bounce }) => ({ type, recipient, status: bounce?.status, reply_code: bounce?.reply_code }))).toEqual([
      { type: 'bounced', recipient: 'kijitora@nyaan.example.com', status: '5.0.0', reply_code: '550' },
      { type: 'deferred', recipient: 'sabatora@cat.example.net', status: '4.0.0', reply_code: null },
      { type: 'bounced', recipient: 'mikeneko@neko.example.or.jp', status: '5.0.0', reply_code: '550' },
    ]);
    // RFC 3463 §3.1: X.0.0 is "other undefined status": the class tells permanent from transient
    // and nothing else; only an addressing status (X.1.X, §3.2) says the address is bad, and a
    // delayed action is no final verdict at all. So none of them is hard (nothing suppresses at
    // once), as the corpus says too (hardbounce false for all three). Their reasons are not
    // asserted: RFC 3463 gives X.0.0 none, and the corpus marks this email ambiguous (its
    // labels, rejected / expired / filtered, changed between Sisimai versions).
    for (const e of r.events) expect(['soft', 'undetermined'], e.recipient).toContain(e.bounce?.class);
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

  /** A PowerMTA report whose remote said "User Unknown" with a mailbox-status code, after an unknown command. */
  const powerMta = (category: string) => email(
    'From: postmaster@mta.example.net',
    'To: bounces@mta.example.net',
    'Subject: Delivery report',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Hello, this is the mail server on mta.example.net.',
    '',
    '--b',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns;mta.example.net',
    '',
    'Final-Recipient: rfc822;jane@example.org',
    'Action: failed',
    'Status: 5.2.1 (mailbox disabled, not accepting messages)',
    'Diagnostic-Code: smtp;550 5.2.1 <jane@example.org>... User Unknown',
    `X-PowerMTA-BounceCategory: ${category}`,
    '',
    '--b--',
  );

  it('takes PowerMTA\'s bounce category as the format\'s verdict', async () => {
    // bad-mailbox confirms the "User Unknown" that the reply alone does not prove.
    const confirmed = await parseBounceEmail(powerMta('bad-mailbox'));
    expect(confirmed.events.map(brief)).toEqual([
      { type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.2.1', reply_code: '550' },
    ]);
    // Without it (or with a category that names no reason), the same words stay unconfirmed.
    for (const category of ['other', 'routing-errors', 'constructor']) {
      const r = await parseBounceEmail(powerMta(category));
      expect(r.events[0]!.bounce).toMatchObject({ class: 'soft', reason: 'filtered' });
    }
    expect(powerMtaCategory(' Quota-Issues ')).toBe('mailboxfull');
    expect(powerMtaCategory('__proto__')).toBeNull();
  });

  it('reads a failed delivery to a program (X-Unix; |prog) with only an exit status as a mailer error', async () => {
    const report = (actual: string) => email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'To: sender@example.net',
      'Subject: Warning: could not send message for past 4 hours', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '', '--b', 'Content-Type: text/plain', '',
      '   **********************************************', '   **      THIS IS A WARNING MESSAGE ONLY      **', '', '--b',
      'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.net', '', 'Final-Recipient: RFC822; jane@example.net',
      actual, 'Action: delayed', 'Status: 4.5.0', 'Diagnostic-Code: X-Unix; 71', '', '--b--', '');
    const program = await parseBounceEmail(report('X-Actual-Recipient: X-Unix; |/usr/local/bin/filter'));
    expect(program.events[0]!.bounce).toMatchObject({ class: 'soft', reason: 'mailererror', status: '4.5.0' });
    // A mailbox's own exit status says nothing of the kind.
    const mailbox = await parseBounceEmail(report('X-Actual-Recipient: RFC822; jane@mail.example.net'));
    expect(mailbox.events[0]!.bounce!.reason).not.toBe('mailererror');
  });

  it('takes a local diagnostic (X-Local, X-Unix, X-Notes) with no remote server as the reporting host\'s own verdict', async () => {
    // The shape of MimeKit's multipart-report test message: the mail store's own "no such user".
    const report = (...fields: string[]) => email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'To: sender@example.net',
      'Subject: Returned mail: User unknown', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '', '--b', 'Content-Type: text/plain', '',
      'error: err.nosuchuser: jane@example.net', '', '--b', 'Content-Type: message/delivery-status', '',
      'Reporting-MTA: dns; mx.example.net', '', 'Final-Recipient: RFC822; jane@example.net', 'Action: failed', 'Status: 5.0.0',
      ...fields, '', '--b--', '');
    for (const type of ['X-LOCAL', 'X-Unix', 'x-notes']) {
      const local = await parseBounceEmail(report(`Diagnostic-Code: ${type}; 500 (err.nosuchuser)`));
      expect(local.events[0]!.bounce, type).toMatchObject({ class: 'hard', reason: 'userunknown' });
    }
    // The same words from a remote server (an smtp diagnostic, a Remote-MTA, or a quoted reply) stay unconfirmed.
    for (const fields of [['Diagnostic-Code: smtp; 500 (err.nosuchuser)'],
      ['Remote-MTA: dns; mx.example.org', 'Diagnostic-Code: X-Local; 500 (err.nosuchuser)'],
      ['Diagnostic-Code: X-Local; host mx.example.org said: 500 (err.nosuchuser)'],
      // Domino quotes a remote reply in its own words, with no Remote-MTA.
      ['Diagnostic-Code: X-Notes; Error transferring to mx.example.org; SMTP Protocol Returned a Permanent Error 550 Requested action not taken: mailbox unavailable'],
      ['Diagnostic-Code: X-Local; 550 5.2.0 no such user here']]) {
      const remote = await parseBounceEmail(report(...fields));
      expect(remote.events[0]!.bounce, fields.join(' ')).toMatchObject({ class: 'soft', reason: 'filtered' });
    }
  });

  /** A DSN whose delivery-status part has no per-recipient block (Postfix: "Delivery report unavailable"). */
  const unnamed = (returnedHeaders: string[], subject = 'Undelivered Mail Returned to Sender') => email(
    'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
    'To: sender@example.net',
    `Subject: ${subject}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'I\'m sorry to have to inform you that your message could not',
    'be delivered to one or more recipients. It\'s attached below.',
    '',
    '\t--- Delivery report unavailable ---',
    '',
    '--b',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    'X-Postfix-Sender: rfc822; sender@example.net',
    'Arrival-Date: Mon, 16 Dec 2019 14:12:15 +0100 (CET)',
    '',
    '--b',
    'Content-Type: message/rfc822',
    '',
    'From: <sender@example.net>',
    ...returnedHeaders,
    'Subject: hello',
    '',
    'Hello',
    '',
    '--b--',
  );

  it('reports the one mailbox the returned message was for when the report names nobody', async () => {
    const r = await parseBounceEmail(unnamed(['To: Jane <Jane@Example.org>', 'Reply-To: other@example.net']));
    expect(r.format).toBe('rfc3464-returned-to');
    expect(r.events.map(brief)).toEqual([
      // Nothing says why: no class, so no suppression on its own.
      { type: 'bounced', recipient: 'jane@example.org', class: 'undetermined', reason: 'undefined', status: null, reply_code: null },
    ]);
    const delayed = await parseBounceEmail(unnamed(['To: jane@example.org'], 'Delayed Mail (still being retried)'));
    expect(delayed.events.map((e) => e.type)).toEqual(['deferred']);
  });

  it('reports nobody when the returned message had several recipients, or none, or was itself a report', async () => {
    for (const headers of [
      ['To: jane@example.org, joe@example.org'],
      ['To: jane@example.org', 'Cc: joe@example.org'],
      ['To: undisclosed-recipients:;'],
      ['To: sender@example.net'],
      ['To: jane@example.org', 'Content-Type: multipart/report; report-type=delivery-status; boundary="c"'],
    ]) {
      const r = await parseBounceEmail(unnamed(headers));
      expect(r.events, headers.join(' / ')).toEqual([]);
    }
    // The same To, once spelled twice, is still one mailbox.
    const twice = await parseBounceEmail(unnamed(['To: jane@example.org', 'To: Jane <jane@example.org>']));
    expect(twice.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
  });
});
