import { describe, expect, it } from 'vitest';
import { parseBounceEmail } from '../../../src/dsn/index.js';
import { brief, email, parseFixture } from './fixtures.js';

describe('non-standard MTA formats', () => {
  it.each([
    ['lhost-qmail-16.eml', 'qmail', { type: 'bounced', recipient: 'userunknown@libsisimai.net', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }],
    ['lhost-exim-53.eml', 'exim', { type: 'bounced', recipient: 'kijitora@example.com', class: 'soft', reason: 'mailererror', status: null, reply_code: null }],
    ['lhost-postfix-34.eml', 'postfix', { type: 'bounced', recipient: 'kijitora@example.com', class: 'soft', reason: 'networkerror', status: null, reply_code: null }],
    ['lhost-exchange2003-01.eml', 'exchange', { type: 'bounced', recipient: 'kijitora@example.jp', class: 'hard', reason: 'userunknown', status: null, reply_code: null }],
    ['lhost-office365-01.eml', 'exchange', { type: 'bounced', recipient: 'kijitora@example.com', class: 'hard', reason: 'userunknown', status: '5.1.10', reply_code: '550' }],
    ['lhost-gmail-01.eml', 'gmail', { type: 'bounced', recipient: 'userunknown@example.jp', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }],
    ['lhost-v5sendmail-06.eml', 'sendmail', { type: 'bounced', recipient: 'kijitora@example.edu', class: 'soft', reason: 'norelaying', status: null, reply_code: '550' }],
  ])('%s is read by the %s decoder', async (file, format, expected) => {
    const r = await parseFixture(file);
    expect(r.format).toBe(format);
    expect(r.events.map(brief)).toEqual([expected]);
  });

  it('reads every recipient of an Exim list (Mail.Ru) with its own diagnostic', async () => {
    const r = await parseFixture('lhost-mailru-03.eml');
    expect(r.events.map(brief)).toEqual([
      { type: 'bounced', recipient: 'mikeneko@example.jp', class: 'soft', reason: 'mailboxfull', status: '5.2.2', reply_code: '550' },
      { type: 'bounced', recipient: 'sabineko@example.jp', class: 'hard', reason: 'userunknown', status: '5.2.1', reply_code: '550' },
    ]);
  });

  it('makes delay warnings deferrals, never hard bounces', async () => {
    for (const file of ['lhost-exim-38.eml', 'lhost-gmail-09.eml']) {
      const r = await parseFixture(file);
      expect(r.events.length).toBe(1);
      expect(r.events[0]).toMatchObject({ type: 'deferred', bounce: { class: 'soft' } });
    }
  });

  it('reads the reply code Exim puts on its own line after "SIZE=...:"', async () => {
    const r = await parseFixture('lhost-exim-38.eml');
    expect(r.events[0]!.bounce).toMatchObject({ reply_code: '450', reason: 'requireptr' });
  });

  it('never reports the sender, whose address the refusal quotes', async () => {
    const cases: [string, string, string][] = [
      // qmail: "Connected to ... but sender was rejected. Remote host said: 550 5.7.1 <root@nijo...>"
      ['lhost-qmail-03.eml', 'kijitora@example.org', 'root@nijo.example.jp'],
      // Exim: "SMTP error from remote mail server after MAIL FROM:<shironeko@example.jp>"
      ['lhost-exim-01.eml', 'kijitora@example.ed.jp', 'shironeko@example.jp'],
      // sendmail transcript: ">>> MAIL From:<shironeko@example.jp>" then "554 <kijitora@example.edu>..."
      ['lhost-v5sendmail-06.eml', 'kijitora@example.edu', 'shironeko@example.jp'],
    ];
    for (const [file, recipient, sender] of cases) {
      const r = await parseFixture(file);
      const recipients = r.events.map((e) => e.recipient);
      expect(recipients).toEqual([recipient]);
      expect(recipients).not.toContain(sender);
      // A refusal of the sender never suppresses the recipient.
      expect(r.events[0]!.bounce!.class).not.toBe('hard');
    }
  });

  it('never takes an address from the returned message or from deeper diagnostic lines', async () => {
    const r = await parseBounceEmail(email(
      'From: Mail Delivery System <Mailer-Daemon@mx.example.net>',
      'To: sender@example.net',
      'Subject: Mail delivery failed: returning message to sender',
      'Auto-Submitted: auto-replied',
      '',
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  jane@example.org',
      '    SMTP error from remote mail server after RCPT TO:<jane@example.org>:',
      '    host mx.example.org [192.0.2.1]: 550 5.1.1 mailbox unavailable, ask',
      '    postmaster@example.org',
      '',
      '------ This is a copy of the message, including all the headers. ------',
      '',
      'From: sender@example.net',
      'To: jane@example.org, bystander@example.org',
      '',
      '  bystander@example.org',
      '<quoted@example.org>:',
    ));
    expect(r.format).toBe('exim');
    expect(r.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    expect(r.events[0]!.bounce).toMatchObject({ class: 'hard', reason: 'userunknown', status: '5.1.1' });
  });

  // Older layouts, written here in the shape of Mailman's (flufl.bounce) test bounces.
  it('reads the older Postfix intro, also under a site\'s own program name', async () => {
    for (const program of ['Postfix', 'Examplemail', 'Postfix on Linux 6.4 (i386)']) {
      const r = await parseBounceEmail(email(
        'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
        'To: sender@example.net',
        'Subject: Undelivered Mail Returned to Sender',
        '',
        `This is the ${program} program at host mx.example.net.`,
        '',
        "I'm sorry to have to inform you that the message returned",
        'below could not be delivered to one or more destinations.',
        '',
        `\t\t\tThe ${program} program`,
        '',
        '<jane@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 <jane@example.org>:',
        '    Recipient address rejected: User unknown (in reply to RCPT TO command)',
        '',
      ));
      expect(r.format).toBe('postfix');
      expect(r.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
    }
  });

  it('reads Exim 3\'s reply paragraph under the address, its delay list and an undisclosed alias', async () => {
    const intro = ['From: Mail Delivery System <Mailer-Daemon@mx.example.net>', 'To: sender@example.net', 'Subject: Mail delivery failed', '',
      'This message was created automatically by mail delivery software.', ''];
    const detached = await parseBounceEmail(email(...intro,
      'A message that you sent could not be delivered to one or more of',
      'its recipients. The following addresses failed:',
      '',
      '  <jane@example.org>',
      '',
      'SMTP error from remote server after RCPT command:',
      'host mx.example.org[192.0.2.1]:',
      '550 user unknown',
      '',
      '--- The header of the original message is following. ---',
    ));
    expect(detached.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: null, reply_code: '550' }]);

    const delayed = await parseBounceEmail(email(...intro,
      'A message that you sent has not yet been delivered to one or more of',
      'its recipients after 2 days.',
      '',
      'The message has not yet been delivered to the following addresses:',
      '',
      '  <jane@example.org>',
      '',
      'host mx.example.org[192.0.2.1]:',
      'connection to mail exchanger failed',
      '',
      'No action is required on your part.',
    ));
    expect(delayed.events.map((e) => [e.type, e.recipient, e.bounce?.diagnostic])).toEqual([
      ['deferred', 'jane@example.org', 'host mx.example.org[192.0.2.1]: connection to mail exchanger failed'],
    ]);

    const hidden = await parseBounceEmail(email(...intro,
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  an undisclosed address',
      '    (generated from jane@example.org)',
      '',
      '------ This is a copy of the message, including all the headers. ------',
    ));
    // The alias the sender used stands in for a member Exim does not name: no class.
    expect(hidden.events.map((e) => [e.recipient, e.bounce?.class])).toEqual([['jane@example.org', 'undetermined']]);

    // Exim lists failed addresses without empty lines between them: the hidden one is its own entry.
    const consecutive = await parseBounceEmail(email(...intro,
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  jane@example.org',
      '    retry timeout exceeded',
      '  an undisclosed address',
      '    (generated from team@example.org)',
      '    host mx.example.org [192.0.2.1]: 550 5.1.1 User unknown',
      '',
      '------ This is a copy of the message, including all the headers. ------',
    ));
    expect(consecutive.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([
      ['jane@example.org', 'soft', 'expired'],
      ['team@example.org', 'undetermined', 'userunknown'],
    ]);

    // A reply paragraph under two addresses belongs to neither for sure.
    const twoThenReply = await parseBounceEmail(email(...intro,
      'A message that you sent could not be delivered to one or more of',
      'its recipients. The following addresses failed:',
      '',
      '  <jane@example.org>',
      '  <joe@example.org>',
      '',
      'SMTP error from remote server after RCPT command:',
      'host mx.example.org[192.0.2.1]:',
      '550 5.1.1 <jane@example.org> user unknown',
      '',
    ));
    expect(twoThenReply.events.map((e) => [e.recipient, e.bounce?.class])).toEqual([['jane@example.org', 'undetermined'], ['joe@example.org', 'undetermined']]);
  });

  it('reads Exim\'s malformed-recipient notice as a syntax error (sender-caused) of the address written', async () => {
    const r = await parseBounceEmail(email(
      'From: Mail Delivery System <mailer-daemon@mx.example.net>', 'To: sender@example.net', 'Subject: Mail failure - malformed recipient address',
      'Auto-Submitted: auto-replied', '',
      'A message that you sent contained one or more recipient addresses that were',
      'incorrectly constructed:', '',
      '  jane@example.org <joe@example.org>: malformed address: <joe@example.org> may not follow jane@example.org', '',
      'This address has been ignored. The other addresses in the message were',
      'syntactically valid and have been passed on for an attempt at delivery.', '',
      '------ This is a copy of your message, including all the headers. ------', '',
      'To: jane@example.org <joe@example.org>', 'Subject: hello', '', 'hello', ''));
    expect(r.format).toBe('exim');
    expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['joe@example.org', 'soft', 'syntaxerror']]);

    // Such a notice quoted in the returned message of another bounce is not this bounce's.
    const quoted = await parseBounceEmail(email(
      'From: Mail Delivery System <Mailer-Daemon@mx.example.net>', 'To: sender@example.net', 'Subject: Mail delivery failed: returning message to sender', '',
      'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:', '',
      '  bob@example.org', '    host mx.example.org [192.0.2.1]', '    SMTP error from remote mail server after RCPT TO:<bob@example.org>:', '    550 5.1.1 User unknown', '',
      '------ This is a copy of the message, including all the headers. ------', '',
      'Subject: Fwd: Mail failure', '',
      'A message that you sent contained one or more recipient addresses that were',
      'incorrectly constructed:', '',
      '  jane@example.org <joe@example.org>: malformed address: <joe@example.org> may not follow jane@example.org', ''));
    expect(quoted.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['bob@example.org', 'hard', 'userunknown']]);
  });

  it('gives no class to the alias an Exim report names when its text names the member that failed', async () => {
    // Exim 4.94 with a report part: Final-Recipient is the alias the sender used, the text the
    // member it was generated from. One failed member never suppresses a list.
    const report = (finalRecipient: string) => parseBounceEmail(email(
      'From: Mail Delivery System <Mailer-Daemon@mx.example.net>', 'To: sender@example.net', 'Subject: Mail delivery failed: returning message to sender',
      'X-Failed-Recipients: jane@example.org', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain; charset=us-ascii', '',
      'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:', '',
      '  jane@example.org', '    (generated from team@example.org)', '    Unrouteable address', '',
      '--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.net', '',
      'Action: failed', `Final-Recipient: rfc822;${finalRecipient}`, 'Status: 5.0.0', '', '--b1--', ''));
    const alias = await report('team@example.org');
    expect(alias.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason, e.bounce?.rule])).toEqual([['team@example.org', 'undetermined', 'hostunknown', 'text:hostunknown+stand-in']]);
    // When the report names the member itself, it is that member's bounce.
    const member = await report('jane@example.org');
    expect(member.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'hard', 'hostunknown']]);
  });

  it('reads the X.400 recipient line of Exchange 5.5', async () => {
    const r = await parseBounceEmail(email(
      'From: System Administrator <postmaster@example.com>',
      'To: sender@example.net',
      'Subject: Undeliverable: hello',
      '',
      'Your message',
      '',
      '  To:      jane@example.com',
      '  Subject: hello',
      '',
      'did not reach the following recipient(s):',
      '',
      'c=US;a= ;p=Example;o=Site;dda:SMTP=jane@example.com; on Fri, 4 Oct 2002',
      '17:12:28 -0400',
      '    The recipient name is not recognized',
      '    MSEXCH:IMS:Example:Site:MAIL-01 0 (000C05A6) Unknown Recipient',
      '',
    ));
    expect(r.format).toBe('exchange');
    expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.com', 'hard', 'userunknown']]);
  });

  it('reads Google\'s headline layout when its report has no Diagnostic-Code', async () => {
    const google = (...text: string[]) => parseBounceEmail(email('From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'To: sender@example.net',
      'Subject: Delivery Status Notification (Failure)', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
      '--b', 'Content-Type: text/plain; charset=UTF-8', '', ...text, '',
      '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; googlemail.com', '',
      'Final-Recipient: rfc822; jane@example.org', 'Action: failed', 'Status: 5.0.0', '', '--b--', ''));
    const sentence = await google('** Address not found **', '',
      "Your message wasn't delivered to jane@example.org because the address couldn't be found. Check for typos or unnecessary spaces and try again.");
    expect(sentence.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'hard', 'userunknown']]);
    const response = await google('** Message not delivered **', '', 'There was a problem delivering your message to jane@example.org. See the technical details below.', '',
      'The response was:', '', '552 5.2.2 The recipient\'s inbox is out of storage space.');
    expect(response.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'soft', reason: 'mailboxfull', status: '5.2.2', reply_code: '552' }]);
    // Google's uncertain wording decides no hard bounce on its own.
    const unsure = await google('** Address not found **', '', "Your message wasn't delivered to jane@example.org because the address couldn't be found, or is unable to receive mail.");
    expect(unsure.events.map((e) => e.bounce?.class)).not.toContain('hard');
    // "** Message blocked **": the remote's refusal of the recipient is the recipient's; Google's own block of the message is the sender's.
    const blocked = await google('** Message blocked **', '', 'Your message to jane@example.org has been blocked. See technical details below for more information.', '',
      'The response was:', '', '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6NAM12FT011.eop-nam12.prod.protection.outlook.com]');
    expect(blocked.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'hard', 'userunknown']]);
    // Without a report to lean on, the sentence names the whole address (its domain has dots).
    const noReport = await parseBounceEmail(email('From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'To: sender@example.net',
      'Subject: Delivery Status Notification (Failure)', '', '** Message blocked **', '', 'Your message to jane@mail.example.org has been blocked. See technical details below.', '',
      'The response was:', '', '550 5.1.1 <jane@mail.example.org>: Recipient address rejected: User unknown in virtual mailbox table', ''));
    expect(noReport.events.map((e) => [e.recipient, e.bounce?.class])).toEqual([['jane@mail.example.org', 'hard']]);
    const comma = await parseBounceEmail(email('From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'To: sender@example.net',
      'Subject: Delivery Status Notification (Failure)', '', '** Address not found **', '',
      "Your message wasn't delivered to jane@mail.example.org, because the address couldn't be found. Check for typos or unnecessary spaces and try again.", ''));
    expect(comma.events.map((e) => e.recipient)).toEqual(['jane@mail.example.org']);
    const own = await google('** Message blocked **', '', 'Your message to jane@example.org has been blocked. See technical details below for more information.', '',
      'The response was:', '', 'Message rejected. For more information, go to', 'https://support.google.com/mail/answer/69585');
    expect(own.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'soft', 'rejected']]);
    // Postfix's "Recipient address rejected:" answers RCPT TO, though the relay quoting it names no command.
    const tuta = await google('** Address not found **', '', "Your message wasn't delivered to jane@example.org because the address couldn't be found, or is unable to receive mail.", '',
      'The response was:', '', '550 5.7.1 <jane@example.org>: Recipient address rejected: Recipient not found');
    expect(tuta.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'hard', 'userunknown']]);

    // A person's forward of Google's notice (no report part) names no recipient.
    const forward = await parseBounceEmail(email('From: Jane <jane@customer.example>', 'To: support@example.net', 'Subject: Fwd: Delivery Status Notification (Failure)', '',
      '---------- Forwarded message ---------', '** Address not found **', '',
      "Your message wasn't delivered to sales@example.net because the address couldn't be found. Check for typos or unnecessary spaces and try again.", ''));
    expect(forward.events).toEqual([]);
  });

  it('reads the response of Google\'s sender-side notice, whose sentence names no recipient, for X-Failed-Recipients', async () => {
    const notice = (...text: string[]) => parseBounceEmail(email('From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'To: sender@example.net',
      'Subject: Delivery Status Notification (Failure)', 'X-Failed-Recipients: jane@example.org', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
      '--b', 'Content-Type: text/plain; charset=UTF-8', '', '** Message not delivered **', '',
      "You're sending this from a different address or alias using the 'Send mail as' feature. The settings for your 'Send mail as' account are misconfigured or out of date.", '',
      ...text, '--b', 'Content-Type: message/delivery-status', '', '', '--b--', ''));
    const r = await notice('The response was:', '', 'Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise AUTH capability', '');
    expect(r.format).toBe('gmail');
    expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason, e.bounce?.diagnostic])).toEqual([
      ['jane@example.org', 'soft', 'securityerror', 'Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise AUTH capability']]);
    // The sender's own server refusing the sender's address is never the recipient's hard bounce.
    for (const response of ['553 5.1.8 <me@mydomain.example> is not an active address at this host', '550 5.1.1 <me@mydomain.example>: Mailbox unavailable']) {
      const own = await notice('The response was:', '', response, '');
      expect(own.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'soft', 'rejected']]);
    }
    // Without a quoted response there is nothing of Google's to read: the header alone names the recipient.
    const bare = await notice();
    expect(bare.format).toBe('x-failed-recipients');
    expect(bare.events.map((e) => [e.recipient, e.bounce?.diagnostic])).toEqual([['jane@example.org', null]]);
  });

  it('reads Google\'s "Delivery incomplete" headline as a deferral', async () => {
    for (const words of ['a temporary problem delivering', 'a temporary problem while delivering']) {
      const r = await parseBounceEmail(email('From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'To: sender@example.net',
        'Subject: Delivery Status Notification (Delay)', 'X-Failed-Recipients: jane@example.org', '', '** Delivery incomplete **', '',
        `There was ${words} your message to jane@example.org. Gmail will retry for 47 more hours.`, '',
        'The response was:', '', '421 4.7.0 Try again later, closing connection.', ''));
      expect(r.events.map((e) => [e.type, e.recipient, e.bounce?.class]), words).toEqual([['deferred', 'jane@example.org', 'soft']]);
    }
  });

  it('reads Domino\'s "not in the directory" verdict, also in Japanese, with its report', async () => {
    for (const because of ['User Jane (jane@example.org) not listed in Domino Directory', 'ユーザー Jane (jane@example.org) は Domino ディレクトリには見つかりません。']) {
      const r = await parseBounceEmail(email('From: Postmaster <postmaster@mx.example.org>', 'To: sender@example.net', 'Subject: DELIVERY FAILURE: User not found',
        'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
        '--b', 'Content-Type: text/plain; charset=UTF-8', '', 'Your message', '', '  Subject: hello', '', 'was not delivered to:', '', '  jane@example.org', '',
        'because:', '', `  ${because}`, '',
        '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns;mx.example.org', '',
        'Final-Recipient: rfc822;jane@example.org', 'Action: failed', 'Status: 5.0.0', `Diagnostic-Code: X-Notes; ${because}`, '', '--b--', ''));
      expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'hard', 'userunknown']]);
    }
  });

  it('reads OpenSMTPD\'s older delay warning, whose sentence breaks before "list of recipients"', async () => {
    const r = await parseBounceEmail(email('From: MAILER-DAEMON@mx.example.net', 'To: sender@example.net', 'Subject: Delivery status notification: delayed', '',
      '    Hi!', '', '    This is the MAILER-DAEMON, please DO NOT REPLY to this email.', '',
      '    A message is delayed for more than 4 hours for the following', '    list of recipients:', '',
      'jane@example.org: 421 4.2.2 Mailbox full, try again later', '',
      '    Please note that this is only a temporary failure report.', '', '    Below is a copy of the original message:', ''));
    expect(r.events.map(brief)).toEqual([{ type: 'deferred', recipient: 'jane@example.org', class: 'soft', reason: 'mailboxfull', status: '4.2.2', reply_code: '421' }]);
  });

  it('reads dma\'s "host not found" as an unknown domain only when the host is the recipient\'s domain', async () => {
    const dma = (host: string) => parseBounceEmail(email('From: MAILER-DAEMON@mx.example.net', 'To: sender@example.net', 'Subject: Mail delivery failed', '',
      'This is the DragonFly Mail Agent v0.13 at mx.example.net.', '', 'There was an error delivering your mail to <jane@example.org>.', '',
      `DNS lookup failure: host ${host} not found`, '', 'Original message follows.', ''));
    expect((await dma('example.org')).events.map((e) => [e.bounce?.class, e.bounce?.reason])).toEqual([['hard', 'hostunknown']]);
    // Its own smarthost that does not resolve says nothing about the recipient.
    expect((await dma('smarthost.example.net')).events.map((e) => [e.bounce?.class, e.bounce?.reason])).toEqual([['soft', 'networkerror']]);
  });

  it("reads Exim's own verdict on an address as proof, and a remote's words after DATA as a filter's", async () => {
    const exim = (...reason: string[]) => parseBounceEmail(email('From: Mail Delivery System <Mailer-Daemon@mx.example.net>',
      'To: sender@example.net', 'Subject: Mail delivery failed: returning message to sender', 'Auto-Submitted: auto-replied', '',
      'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:', '',
      '  jane@example.org', ...reason.map((l) => `    ${l}`), '',
      '------ This is a copy of the message, including all the headers. ------', 'Subject: hello', ''));
    const verdict = async (...reason: string[]) => (await exim(...reason)).events.map((e) => [e.bounce?.class, e.bounce?.reason]);
    // A router's or a redirect's ":fail: Unknown user": no remote server, no content filter.
    expect(await verdict('Unknown user')).toEqual([['hard', 'userunknown']]);
    // The same words from a remote server after the message was sent: a filter's refusal.
    expect(await verdict('SMTP error from remote mail server after end of data:', '550 Unknown user')).toEqual([['soft', 'filtered']]);
    expect(await verdict('host mx.example.org [192.0.2.1]', 'SMTP error from remote mail server after end of data:', '550 Unknown user')).toEqual([['soft', 'filtered']]);
    // 1&1's and GMX's copy of the layout: the paragraph "For the following reason:" is another
    // server's reply with its code taken off, not this MTA's verdict.
    const quoted = await parseBounceEmail(email('From: "Mail Delivery System" <mailer-daemon@kundenserver.example.de>',
      'To: sender@example.net', 'Subject: Mail delivery failed: returning message to sender', '',
      'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of', 'its recipients. This is a permanent error.', '',
      'The following address failed:', '', 'jane@example.org', '', 'For the following reason:', '',
      'Requested action not taken: mailbox unavailable', '',
      '--- The header of the original message is following. ---', 'Subject: hello', ''));
    expect(quoted.events.map((e) => [e.bounce?.class, e.bounce?.reason])).toEqual([['soft', 'filtered']]);
    // Each address with its own reason, the label in the address's paragraph or its own, the
    // reason right under it or a paragraph below.
    const oneAndOne = (...body: string[]) => parseBounceEmail(email('From: "Mail Delivery System" <mailer-daemon@kundenserver.example.de>',
      'To: sender@example.net', 'Subject: Mail delivery failed: returning message to sender', '',
      'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of', 'its recipients. This is a permanent error.', '',
      'The following addresses failed:', '', ...body, '',
      '--- The header of the original message is following. ---', 'Subject: hello', ''));
    const each = async (...body: string[]) => (await oneAndOne(...body)).events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason]);
    expect(await each('jane@example.org', '', 'For the following reason:', '', 'Requested action not taken: mailbox unavailable', '',
      'bob@example.org', '', 'For the following reason:', '', 'Mailbox is full')).toEqual([
      ['jane@example.org', 'soft', 'filtered'], ['bob@example.org', 'soft', 'mailboxfull'],
    ]);
    expect(await each('jane@example.org', 'For the following reason:', 'Requested action not taken: mailbox unavailable')).toEqual([
      ['jane@example.org', 'soft', 'filtered'],
    ]);
    expect(await each('jane@example.org', '', 'For the following reason:', '   Mailbox is full')).toEqual([['jane@example.org', 'soft', 'mailboxfull']]);
    // Several addresses in one paragraph, each with its label and reason.
    expect(await each('jane@example.org', 'For the following reason:', 'Delivery not possible',
      'bob@example.org', 'For the following reason:', 'Mailbox is full')).toEqual([
      ['jane@example.org', 'undetermined', 'undefined'], ['bob@example.org', 'soft', 'mailboxfull'],
    ]);
    // A reason over several paragraphs, up to the next address's; the last address's reason is
    // one paragraph, so that the notice's closing remarks never become part of it.
    expect(await each('jane@example.org', '', 'For the following reason:', '', 'Requested action not taken:', '', 'mailbox unavailable', '',
      'bob@example.org', '', 'For the following reason:', '', 'Mailbox is full')).toEqual([
      ['jane@example.org', 'soft', 'filtered'], ['bob@example.org', 'soft', 'mailboxfull'],
    ]);
    expect(await each('jane@example.org', '', 'For the following reason:', '', 'retry timeout exceeded', '',
      'If the recipient does not exist, remove the address from your list; it may have been blocked as spam.')).toEqual([
      ['jane@example.org', 'soft', 'expired'],
    ]);
    // An address in the closing remarks, at another indentation than the list's, is no next entry.
    expect(await each('jane@example.org', '', 'For the following reason:', '', 'retry timeout exceeded', '',
      'Your message may have been blocked as spam. For help, write to', '', '    postmaster@kundenserver.example.de')).toEqual([
      ['jane@example.org', 'soft', 'expired'],
    ]);
  });

  it("reads Google's notice for a recipient whose domain has an underscore, not as a refusal of the sender", async () => {
    const r = await parseBounceEmail(email('From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'To: sender@example.net',
      'Subject: Delivery Status Notification (Failure)', 'X-Failed-Recipients: jane@dgh_office.example', '',
      '** Address not found **', '',
      "Your message wasn't delivered to jane@dgh_office.example because the address couldn't be found, or is unable to receive mail.", '',
      'The response from the remote server was:',
      "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address.", ''));
    expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@dgh_office.example', 'hard', 'userunknown']]);
  });

  it('reads a recipient whose domain has an underscore (a DNS name, not a host name), as mail was sent to it', async () => {
    const r = await parseBounceEmail(email('From: Mail Delivery System <MAILER-DAEMON@mx.example.net>', 'To: sender@example.net',
      'Subject: Undelivered Mail Returned to Sender', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
      '--b', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
      '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.net', '',
      'Original-Recipient: jane@dgh_office.example', 'Final-Recipient: rfc822;jane@dgh_office.example', 'Action: failed', 'Status: 5.4.4',
      'Diagnostic-Code: DNS; Host not found', '', '--b--', ''));
    expect(r.rejected).toBe(0);
    expect(r.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@dgh_office.example', class: 'hard', reason: 'hostunknown', status: '5.4.4', reply_code: null }]);
  });

  it('keeps a V5 sendmail reply to DATA with its own host\'s recipients, not those of hosts listed after it', async () => {
    const r = await parseBounceEmail(email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'To: sender@example.net',
      'Subject: Returned mail: Host unknown', '',
      '   ----- Transcript of session follows -----',
      'While talking to example.edu:', '>>> DATA', '<<< 554 Message refused by content policy',
      '554 <ann@example.edu>... Service unavailable',
      '550 example.or.jp (smtp)... 550 Host unknown',
      '554 <bob@example.or.jp>... 550 Host unknown (Authoritative answer from name server)',
      '', '   ----- Unsent message follows -----', 'Subject: hello', ''));
    expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([
      ['ann@example.edu', 'soft', 'policyviolation'],
      ['bob@example.or.jp', 'hard', 'hostunknown'],
    ]);
  });

  it('takes neither the sender of a refused MAIL FROM nor a delivered address from a sendmail transcript as a failed recipient', async () => {
    const returned = (...transcript: string[]) => parseBounceEmail(email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>',
      'To: news@example.net', 'Subject: Returned mail: see transcript for details', '',
      '   ----- The following addresses had permanent fatal errors -----', '<jane@example.org>', '',
      '   ----- Transcript of session follows -----', ...transcript, '', '   ----- Original message follows -----', 'From: news@example.net', ''));
    const verdicts = (r: Awaited<ReturnType<typeof returned>>) => r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason]);
    // The refusal of the envelope sender is the failure of every recipient, and about the sender.
    expect(verdicts(await returned('... while talking to mx.example.org.:', '>>> MAIL From:<News@example.net> SIZE=1500',
      '<<< 553 5.1.8 <news@example.net>... Domain of sender address news@example.net does not exist',
      '553 5.1.8 <news@example.net>... Domain of sender address news@example.net does not exist', '501 5.6.0 Data format error')))
      .toEqual([['jane@example.org', 'soft', 'rejected']]);
    // "... Sent" reports a delivery that was made, here the copy of the error report.
    expect(verdicts(await returned('... while talking to mx.example.org.:', '>>> RCPT To:<jane@example.org>', '<<< 550 5.1.1 <jane@example.org>... User unknown',
      '550 5.1.1 <jane@example.org>... User unknown', '<postmaster@example.org>... Sent (copy of error report)')))
      .toEqual([['jane@example.org', 'hard', 'userunknown']]);
  });

  it("reads a local mailer's own words above sendmail's summary line as that recipient's failure", async () => {
    const returned = (listed: string[], ...transcript: string[]) => parseBounceEmail(email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>',
      'To: sender@example.net', 'Subject: Returned mail: see transcript for details', '',
      '   ----- The following addresses had permanent fatal errors -----', ...listed.map((a) => `<${a}>`), '',
      '   ----- Transcript of session follows -----', ...transcript, '', '   ----- Unsent message follows -----', 'Subject: hello', ''));
    const verdicts = (r: Awaited<ReturnType<typeof returned>>) => r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason, e.bounce?.diagnostic]);
    // mail.local's verdict on this recipient, which sendmail maps to "Service unavailable" from its exit status.
    const unknown = await returned(['jane@example.net'], 'mail.local: unknown user: jane', '554 <jane@example.net>... Service unavailable');
    expect(unknown.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.net', class: 'hard', reason: 'userunknown', status: null, reply_code: '554' }]);
    expect(unknown.events[0]!.bounce!.diagnostic).toBe('mail.local: unknown user: jane 554 Service unavailable');
    const quota = await returned(['jane@example.net'], 'maildrop: maildir over quota.', '550 5.0.0 <jane@example.net>... Insufficient permission');
    expect(verdicts(quota)).toEqual([['jane@example.net', 'soft', 'mailboxfull', 'maildrop: maildir over quota. 550 5.0.0 Insufficient permission']]);
    // A verdict on another name proves nothing about this recipient.
    const other = await returned(['jane@example.net'], 'mail.local: unknown user: bob', '554 <jane@example.net>... Service unavailable');
    expect(other.events[0]!.bounce!.class).toBe('soft');
    // With several recipients, a mailer's line above one's summary may be another's failure.
    const two = await returned(['ann@example.net', 'bob@example.net'], 'mail.local: unknown user: bob',
      '554 5.0.0 <ann@example.net>... Service unavailable', '550 5.1.1 <bob@example.net>... User unknown');
    expect(verdicts(two)).toEqual([
      ['ann@example.net', 'soft', 'systemerror', '554 5.0.0 Service unavailable'],
      ['bob@example.net', 'hard', 'userunknown', '550 5.1.1 User unknown'],
    ]);
    // sendmail's own line about a host, and a command of a session, end a mailer's output.
    const host = await returned(['jane@example.net'], 'mail.local: unknown user: jane', '550 b.example (smtp)... Host unknown',
      '554 5.0.0 <jane@example.net>... Service unavailable');
    expect(verdicts(host)).toEqual([['jane@example.net', 'soft', 'systemerror', '554 5.0.0 Service unavailable']]);
    const session = await returned(['jane@example.net'], 'mail.local: unknown user: jane', '>>> DATA', '554 5.0.0 <jane@example.net>... Service unavailable');
    expect(verdicts(session)).toEqual([['jane@example.net', 'soft', 'systemerror', '554 5.0.0 Service unavailable']]);
  });

  it('reads a sendmail or Exim report with a transcript of hundreds of thousands of lines', async () => {
    const many = 'x\n'.repeat(300_000);
    const raw = (head: string[], tail: string) => new TextEncoder().encode(`${head.join('\n')}\n${tail}`);
    const sendmail = await parseBounceEmail(raw(['From: MAILER-DAEMON@mx.example.net', 'To: sender@example.net', 'Subject: Returned mail', '',
      '   ----- The following addresses had permanent fatal errors -----', '<jane@example.net>', '',
      '   ----- Transcript of session follows -----'], many));
    expect(sendmail.events.map((e) => e.recipient)).toEqual(['jane@example.net']);
    const exim = await parseBounceEmail(raw(['From: Mail Delivery System <Mailer-Daemon@mx.example.net>', 'To: sender@example.net',
      'Subject: Mail delivery failed: returning message to sender', '', 'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of its', 'recipients. This is a permanent error. The following address(es) failed:', '',
      '  jane@example.net', '    550 5.1.1 User unknown', ''], many));
    expect(exim.events.map((e) => e.recipient)).toEqual(['jane@example.net']);
  });

  it('reads "The following recipients returned ... errors" with the list, "Reason:" and the reason on one line or several', async () => {
    const returned = (...body: string[]) => parseBounceEmail(email('From: postmaster@mx.example.net', 'To: sender@example.net',
      'Subject: Undeliverable: hello', '', ...body, ''));
    const one = await returned('The following recipients returned permanent errors: jane@example.org. Reason: [550 5.1.1 User unknown]');
    const split = await returned('The following recipients returned permanent errors:', '  jane@example.org', '', 'Reason:', '  [550 5.1.1 User unknown]');
    for (const r of [one, split]) {
      expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.diagnostic])).toEqual([['jane@example.org', 'hard', '[550 5.1.1 User unknown]']]);
    }
  });

  it('makes a sendmail delivery to a program that failed a mailer error, for the address it was expanded from', async () => {
    const r = await parseBounceEmail(email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'To: sender@example.net',
      'Subject: Returned mail: see transcript for details', '',
      '   ----- The following addresses had permanent fatal errors -----', '"|/usr/local/bin/ticket.py"', '    (reason: 127)',
      '    (expanded from: <support@example.net>)', '', '   ----- Transcript of session follows -----', 'Permission denied', '',
      '   ----- Unsent message follows -----', 'Subject: hello', ''));
    expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason, e.bounce?.diagnostic])).toEqual([
      ['support@example.net', 'soft', 'mailererror', 'Permission denied'],
    ]);
  });

  it('gives an Exim entry without an address (a bare local part, a file delivery) the X-Failed-Recipients address', async () => {
    const exim = (failed: string, ...entry: string[]) => parseBounceEmail(email('From: Mail Delivery System <Mailer-Daemon@mx.example.net>',
      'To: sender@example.net', `X-Failed-Recipients: ${failed}`, 'Subject: Mail delivery failed: returning message to sender', '',
      'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of its', 'recipients. This is a permanent error. The following address(es) failed:', '',
      ...entry, '', '------ This is a copy of the message, including all the headers. ------', ''));
    const bare = await exim('jane@example.org', '  jane', '    SMTP error from remote mail server after RCPT TO:<jane@example.org>:', '    host mx.example.org [192.0.2.1]: 550 5.1.1 User unknown');
    expect(bare.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
    const saved = await exim('jane@example.org', '  save to /var/mail/x', '    generated by x', '    mailbox is full: retry timeout exceeded');
    expect(saved.events.map((e) => [e.recipient, e.bounce?.reason])).toEqual([['jane@example.org', 'mailboxfull']]);
    // A one-word remark after the list is not an entry, and the address under it is not a recipient.
    const remark = await exim('jane@example.org', '  jane@example.org', '    550 5.1.1 User unknown', '', '  Regards,', '    postmaster@example.net');
    expect(remark.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    // Two header addresses for one unnamed entry: which one failed is unknown, so the entry gives no verdict.
    const two = await exim('jane@example.org, joe@example.org', '  jane', '    550 5.1.1 User unknown');
    expect(two.events.map((e) => [e.recipient, e.bounce?.class])).toEqual([['jane@example.org', 'undetermined'], ['joe@example.org', 'undetermined']]);
  });

  it('reads Mimecast\'s "-- " items, the remote\'s reply under "Additional information follows"', async () => {
    const report = (...body: string[]) => parseBounceEmail(email('From: "postmaster" <postmaster@example.org>', 'To: sender@example.net',
      'Subject: [Postmaster] Email Delivery Failure', '', 'This is an automated alert notification. Please do not reply.', '', ...body));
    const attempted = await report(
      'An email that you attempted to send to the following address could not be delivered:',
      '-- jane@example.org', '',
      'The problem appears to be :', '-- Recipient email address is possibly incorrect', '',
      'Additional information follows :', '-- 5.4.1 Recipient address rejected: Access denied. [AB0PR01MB0000.eurprd01.prod.outlook.com]', '',
      'This condition occurred after 1 attempt(s) to deliver over', 'a period of 0 hour(s).');
    expect(attempted.format).toBe('gateway');
    expect(attempted.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.4.1', reply_code: null }]);
    // The other wording; without the remote's reply, Mimecast's own reading is kept as the text and decides nothing.
    const addressed = await report(
      'This is a delivery failure notification message indicating that', 'an email you addressed to email address :', '-- jane@example.org', '',
      'could not be delivered. The problem appears to be :', '-- Recipient email address is possibly incorrect', '');
    expect(addressed.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.diagnostic])).toEqual([['jane@example.org', 'undetermined', 'Recipient email address is possibly incorrect']]);
    // The same notice forwarded by a person is not a mail system's report.
    const forward = await parseBounceEmail(email('From: Bob <bob@partner.example>', 'To: sender@example.net', 'Subject: Fwd: [Postmaster] Email Delivery Failure', '',
      'An email that you attempted to send to the following address could not be delivered:', '-- jane@example.org', '',
      'Additional information follows :', '-- 5.4.1 Recipient address rejected: Access denied. AS(201806281)', ''));
    expect(forward.events).toEqual([]);
  });

  it('reads "rejected recipient <a@b> (Error following RCPT command)" and "Delivery failed: a@b" notices', async () => {
    const trouble = await parseBounceEmail(email('From: postmaster@mx.example.net', 'To: sender@example.net', 'Subject: Undeliverable mail', '',
      'We had trouble delivering your message. Full details follow:', '', '2 error(s):', '',
      'SMTP Server <mx.example.org> rejected recipient <jane@example.org> (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]', '',
      'SMTP Server <mx.example.org> rejected recipient <joe@example.org> (Error following RCPT command). It responded as follows: [452 4.2.2 Mailbox full]', ''));
    expect(trouble.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason, e.bounce?.reply_code])).toEqual([
      ['jane@example.org', 'hard', 'userunknown', '550'],
      ['joe@example.org', 'soft', 'mailboxfull', '452'],
    ]);

    const notice = await parseBounceEmail(email('From: mailer-daemon@mx.example.net', 'To: sender@example.net', 'Subject: NOTICE: Delivery Failure', '',
      'Your delivery to the following address has been failed.', 'Please refer to the below for details.', '------', '',
      'Delivery failed: jane@example.org', '192.0.2.1 failed after I sent the message.',
      'Remote host said[Response Message]: 550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown', 'STEP: RCPT TO', ''));
    expect(notice.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
  });

  it('reads InterScan\'s "Unable to deliver message to" line, with or without "Reason:", as an unknown recipient; never a bare sentence', async () => {
    const report = (line: string) => parseBounceEmail(email('From: postmaster@example.net', 'To: sender@example.net', 'Subject: Mail could not be delivered', '',
      'Message from InterScan Messaging Security Suite', '', line, ''));
    for (const line of ['Reason:  Unable to deliver message to <jane@example.org> (and other recipients in the same domain).',
      'Unable to deliver message to <jane@example.org> (and other recipients in the same domain). Please check if address is correct.']) {
      const events = (await report(line)).events;
      expect(events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'hard', 'userunknown']]);
    }
    expect((await report('Unable to deliver message to <jane@example.org> today, sorry.')).events).toEqual([]);
  });

  it('reads "Unknown user" in a McAfee gateway\'s report as a missing mailbox, and the same words elsewhere as before', async () => {
    const report = (nai: string | null, heading: string, dsn: boolean) => parseBounceEmail(email(
      'From: <MAILER-DAEMON@mx.example.net>', 'To: <sender@example.net>', 'Subject: Delivery Status', ...(nai ? [`X-NAI-Header: ${nai}`] : []),
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain', '', heading, '', '<jane@example.org>   (Unknown user jane@example.org)', '',
      ...(dsn ? ['--b1', 'Content-Type: message/delivery-status', '', 'Original-Recipient: <jane@example.org>', 'Action: failed',
        'Diagnostic-Code: smtp; 550 Unknown user jane@example.org', 'Remote-MTA: 192.0.2.1', ''] : []),
      '--b1--', ''));
    const mcafee = '    --- The following addresses had delivery problems ---';
    for (const dsn of [true, false]) {
      const r = await report('Modified by McAfee Email Gateway (4500)', mcafee, dsn);
      expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason]), `report part: ${dsn}`).toEqual([['jane@example.org', 'hard', 'userunknown']]);
    }
    // Without the gateway's header, or under sendmail's heading, "550 Unknown user" at no stage
    // stays what a content filter may also answer.
    for (const [nai, heading] of [[null, mcafee], ['Modified by McAfee Email Gateway (4500)', '   ----- The following addresses had delivery problems -----']] as const) {
      const r = await report(nai, heading, true);
      expect(r.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'soft', 'filtered']]);
    }
  });

  it('reads a recipient listed with its display name, under "could not be delivered to the following user"', async () => {
    const report = (from: string, subject: string, ...list: string[]) => parseBounceEmail(email(`From: ${from}`, 'To: sender@example.net', `Subject: ${subject}`, '',
      '--- Non-Delivery Report ---', 'The email below could not be delivered to the following user:', '', ...list, '', 'Old message:', '', 'hello', ''));
    const ndr = await report('<admin@example.net>', 'Non-Delivery: hello', '"Jane Doe" <jane@example.org>', 'Joe Bloggs <joe@example.org>');
    expect(ndr.format).toBe('listed');
    expect(ndr.events.map((e) => [e.recipient, e.bounce?.class])).toEqual([['jane@example.org', 'undetermined'], ['joe@example.org', 'undetermined']]);
    // A line that only ends in a mailbox is no entry ("From: Ann <ann@example.net>" is a header, not a name).
    expect((await report('<admin@example.net>', 'Non-Delivery: hello', 'From: Ann <ann@example.net>')).events).toEqual([]);
    // Under the list, after a blank line, a contact or a signature with its address is no entry.
    for (const after of ['For help contact the IT Helpdesk <helpdesk@example.net>', 'Sent by Mail Administrator <postmaster@example.net>']) {
      const signed = await report('<admin@example.net>', 'Non-Delivery: hello', 'jane@example.org', '', after);
      expect(signed.events.map((e) => e.recipient), after).toEqual(['jane@example.org']);
    }
    // The same sentence in a person's mail is no report.
    expect((await report('Ann <ann@example.net>', 'Re: hello', '"Jane Doe" <jane@example.org>')).events).toEqual([]);
  });

  it('reads recipients listed under a failure sentence, with the reply when one is given', async () => {
    const report = (from: string, subject: string, ...body: string[]) =>
      parseBounceEmail(email(`From: ${from}`, 'To: sender@example.net', `Subject: ${subject}`, '', ...body));

    // hMailServer: the reply is on its "Remote server replied:" line.
    const hmail = await report('<mailer-daemon@mx.example.net>', 'Undeliverable: hello',
      'Your message did not reach some or all of the intended recipients.', '',
      'The following recipient(s) could not be reached:', '',
      'jane@example.org',
      '   Error Type: SMTP',
      '   Remote server (192.0.2.1) issued an error.',
      '   hMailServer sent: RCPT TO:<jane@example.org>',
      '   Remote server replied: 550 5.1.1 <jane@example.org>... User unknown', '', '', 'hMailServer');
    expect(hmail.format).toBe('listed');
    expect(hmail.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
    // Its "sent: RCPT TO" line says the refusal answered RCPT: "no such user" is then the mailbox's.
    const hmailRcpt = await report('<mailer-daemon@mx.example.net>', 'Undeliverable: hello',
      'The following recipient(s) could not be reached:', '', 'jane@example.org', '   Error Type: SMTP',
      '   hMailServer sent: RCPT TO:<jane@example.org>', '   Remote server replied: 550 No such user here', '');
    expect(hmailRcpt.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'hard', 'userunknown']]);

    // MDaemon: "> address", then a transcript that is not read for recipients.
    const mdaemon = await report('MDaemon@mx.example.net', 'Permanent Delivery Failure',
      'YOUR MESSAGE WAS NOT DELIVERED!', '',
      'The following addresses did NOT receive a copy of your message:', '',
      '> jane@example.org', '> joe@example.org', '',
      '--- Session Transcript ---', ' RCPT TO:<bystander@example.org>', ' 550 no');
    expect(mdaemon.events.map((e) => [e.recipient, e.bounce?.class])).toEqual([['jane@example.org', 'undetermined'], ['joe@example.org', 'undetermined']]);

    // sendmail-style "address ... reason" under the list, and a reason in the next paragraph.
    const dots = await report('<MAILER-DAEMON@mx.example.net>', 'mail failed, returning to sender',
      '|------------------------- Failed addresses follow: ---------------------|', ' jane@example.org ... unknown host');
    expect(dots.events.map((e) => [e.recipient, e.bounce?.reason])).toEqual([['jane@example.org', 'hostunknown']]);
    const follows = await report('MAILER-DAEMON@mx.example.net', 'failure notice',
      'Sorry, unable to deliver your message to jane@example.org for', 'the following reason:', '', ' 552 Quota violation for jane@example.org', '');
    expect(follows.events.map((e) => [e.recipient, e.bounce?.reason, e.bounce?.reply_code])).toEqual([['jane@example.org', 'mailboxfull', '552']]);

    // An X.400 gateway: the reason is the paragraph after "for the following reason:".
    const x400 = await report('postmaster@gw.example.net', 'Delivery Report (failure) for jane@example.org',
      'Your message was not delivered to:', '        jane@example.org', 'for the following reason:',
      'Information MTA \'192.0.2.1\' gives error message 5.7.1 Unable to relay for jane@example.org', '');
    expect(x400.events.map((e) => [e.recipient, e.bounce?.reason, e.bounce?.status])).toEqual([['jane@example.org', 'norelaying', '5.7.1']]);
    // "Failed Recipient: a@b" with the reply on the "Reason:" line under it.
    const labelledReason = await report('"System Administrator"@example.net', 'Delivery Failure',
      'Could not deliver message to the following recipient(s):', '',
      'Failed Recipient: jane@example.org', 'Reason: Remote host said: 552 5.2.2 mailbox full', '');
    expect(labelledReason.events.map((e) => [e.recipient, e.bounce?.reason, e.bounce?.diagnostic])).toEqual([
      ['jane@example.org', 'mailboxfull', 'Remote host said: 552 5.2.2 mailbox full'],
    ]);

    // HotPOP: the "Reason:" after an empty line, running on over several lines, up to the next label.
    const hotpop = await report('MAILER-DAEMON@mx.example.net', 'Undelivered Mail Returned to Sender',
      'Undeliverable Address: jane@example.org', '', 'Reason: The email you sent to the address specified',
      'above has been returned because the recipient is over disk quota.', 'System Contact: postmaster@example.net', '');
    expect(hotpop.events.map((e) => [e.recipient, e.bounce?.reason, e.bounce?.diagnostic])).toEqual([
      ['jane@example.org', 'mailboxfull', 'The email you sent to the address specified above has been returned because the recipient is over disk quota.'],
    ]);
    // Labels with failure words about the sender or whom to ask name no failed recipient.
    const contacts = await report('MAILER-DAEMON@gw.example.net', 'Delivery Status Notification (Failure)',
      'Undeliverable Address: jane@example.org', 'Undeliverable message sent by: news@example.net',
      'Please report delivery errors to: postmaster@example.org', 'Questions about this failure? Contact: helpdesk@example.org', '');
    expect(contacts.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    const named = await report('MAILER-DAEMON@gw.example.net', 'Delivery Status Notification (Failure)',
      'Unknown recipient, please check the address: jane@example.org', 'Mailbox disabled by administrator: joe@example.org',
      'Unable to deliver to: ann@example.org', 'Rejected sender address: news@example.net',
      'Questions about this failure? Contact the recipient administrator: postmaster@example.org',
      'Undeliverable message from user: news@example.net', 'Permanent failure from remote server for recipient: bob@example.org',
      'Rejected message from your address to recipient list: news@example.net', '');
    expect(named.events.map((e) => e.recipient)).toEqual(['jane@example.org', 'joe@example.org', 'ann@example.org', 'bob@example.org']);

    // "------ Failed Recipients ------" with "<a@b>: reason" lines, and SMTP32's one line.
    const failedRecipients = await report('SMTP_Mail_Service@example.net', 'Returned Mail - Error During Delivery',
      '------ Failed Recipients ------', '', '<jane@example.org>: 552 Requested mail action aborted: mailbox full', '-------- Returned Mail --------');
    expect(failedRecipients.events.map((e) => [e.recipient, e.bounce?.reason])).toEqual([['jane@example.org', 'mailboxfull']]);
    const smtp32 = await report('"Postmaster" <postmaster@mx.example.net>', 'Undeliverable Mail',
      'undeliverable  to jane@example.org', '', 'Original message follows.', '', 'To: joe@example.org');
    expect(smtp32.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    // IMail gives the reply under "Body of message generated response:".
    const imail = await report('"Postmaster" <postmaster@mx.example.net>', 'Undeliverable Mail',
      'undeliverable to jane@example.org ', '', 'Body of message generated response: ', '550 5.1.1 <jane@example.org>... User unknown', '', 'Original message follows.');
    expect(imail.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);

    // GroupWise: "a@b (reason)" under its sentence; an entry without a domain names nobody.
    const groupwise = await report('Mailer-Daemon@gw.example.net', 'Message status - undeliverable',
      'The message that you sent was undeliverable to the following:', '', '\tjane@example.org (mailbox full)', '\tjoe (User account is expired)', '', '');
    expect(groupwise.format).toBe('listed');
    expect(groupwise.events.map((e) => [e.recipient, e.bounce?.reason, e.bounce?.diagnostic])).toEqual([['jane@example.org', 'mailboxfull', 'mailbox full']]);

    // A warning that delivery goes on is a deferral.
    const warning = await report('Gateway <gateway@example.net>', 'Delivery failure notification',
      'Your message with Subject: hello', 'could not be delivered to the following recipients:', '', 'jane@example.org', '',
      'Delivery attempts will continue to be made for 5 day(s).');
    expect(warning.events.map((e) => [e.type, e.recipient])).toEqual([['deferred', 'jane@example.org']]);
    const retry = await report('Postmaster <postmaster@example.net>', 'Delivery Status Notification (Delay)',
      'Your message could not be delivered to the following recipients:', '', '    jane@example.org', '',
      'The remote server did not respond. The server will retry delivery for 48 hours;', 'you do not need to resend your message.');
    expect(retry.events.map((e) => [e.type, e.recipient])).toEqual([['deferred', 'jane@example.org']]);
    for (const words of ['The server will retry for another 48 hours.', 'We will retry your message later.', 'You do not need to resend.']) {
      const r = await report('Postmaster <postmaster@example.net>', 'Delivery Status Notification (Delay)',
        'Your message could not be delivered to the following recipients:', '', '    jane@example.org', '', words);
      expect(r.events.map((e) => e.type), words).toEqual(['deferred']);
    }
    // T-Online's layout: the returned message inline under "|---- Message header follows: ----|";
    // its words ("we will retry the payment") are not the notice's.
    const tonline = await report('Mail Delivery System <Mailer-Daemon@t-online.example>', 'Mail delivery failed: returning message to sender',
      '|------------------------- Failed addresses follow: ---------------------|', ' <jane@example.org>',
      '   550 5.1.1 <jane@example.org> User unknown', '', '|------------------------- Message header follows: ----------------------|',
      'Subject: Your invoice', '', '|------------------------- Message text follows: ------------------------|',
      'Your card was declined. We will retry the payment in 3 days; you do not need to resend the message.');
    expect(tonline.events.map((e) => [e.type, e.recipient, e.bounce?.class])).toEqual([['bounced', 'jane@example.org', 'hard']]);
  });

  it('reads Coremail\'s bilingual layout: "收件人/To :" and the reply in its reason paragraph', async () => {
    const bounce = await parseBounceEmail(email('From: postmaster@corp.example.cn', 'To: sender@example.net', 'Subject: =?UTF-8?B?57O757uf6YCA5L+h?=',
      'Content-Type: text/plain; charset=utf-8', '', '抱歉，您的邮件被退回来了……/', 'Sorry, your mail is returned...', '原邮件信息/',
      'Original e-mail message : \t ', '主题/Subject : \tSpring newsletter', '收件人/To : \tjane@example.org', '退信原因/', 'Bounce reason : \t',
      '收件人邮箱地址不存在，请检查收件人地址是否正确。', 'The recipient\'s email address does not exist.',
      'rcpt handle error,last handle info: Host example.org(192.0.2.10) RCPT TO said 550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown',
      '建议解决方案/', 'Proposed Solution : \t', ''));
    expect(bounce.format).toBe('coremail');
    expect(bounce.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
  });

  it('takes a Coremail bounce\'s reason from its Chinese explanation when the English says nothing (163.com spam refusal)', async () => {
    // 163.com: "垃圾邮件...现在您发送的邮件被怀疑为是垃圾邮件，拒绝接收" (your mail is suspected of being spam, refused)
    // beside an English "rejected by system" that names no cause: the sender's problem, never the mailbox's.
    const bounce = await parseBounceEmail(email('From: Postmaster@163.example', 'To: sender@example.net', 'Subject: =?utf-8?B?57O757uf6YCA5L+h?=',
      'X-Mailer: Coremail MTA server', 'Content-Type: text/plain; charset=utf-8', '', '抱歉，您的邮件被退回来了……', '      原邮件信息：',
      '            主  题 Quarterly report', '            收件人 jane@163.example', '      退信原因：',
      '            垃圾邮件让邮箱小易很烦心，现在您发送的邮件被怀疑为是垃圾邮件，拒绝接收。', '            英文说明:rejected by system ', '',
      '      建议解决方案：', '            邮差小易温馨提示：建议您绿色地使用邮箱，请适当修改标题和内容，再尝试发送。', ''));
    expect(bounce.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@163.example', class: 'soft', reason: 'spamdetected', status: null, reply_code: null }]);
  });

  it('reads only the Coremail explanation itself, never the returned message below it, and takes no missing mailbox from its words alone', async () => {
    const bounce = (...why: string[]) => parseBounceEmail(email('From: Postmaster@163.example', 'To: sender@example.net', 'Subject: =?utf-8?B?57O757uf6YCA5L+h?=',
      'X-Mailer: Coremail MTA server', 'Content-Type: text/plain; charset=utf-8', '', '抱歉，您的邮件被退回来了……', '      原邮件信息：',
      '            主  题 Newsletter', '            收件人 jane@163.example', '      退信原因：', ...why, ''));
    // "对方服务器无响应" (the remote server did not answer), then the customer's own newsletter, which
    // speaks of addresses that do not exist and full mailboxes.
    const quoted = await bounce('            对方服务器无响应', '', 'From: news@sender.example', '', '若收件人地址不存在或邮箱已满请联系我们');
    expect(quoted.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@163.example', class: 'undetermined', reason: 'undefined', status: null, reply_code: null }]);
    expect(quoted.events[0]!.bounce!.diagnostic).toBe('对方服务器无响应');
    // "收件人不存在" (the recipient does not exist) with no code: unconfirmed, as any such words alone.
    const unknown = await bounce('            收件人不存在', '');
    expect(unknown.events[0]!.bounce!.class).not.toBe('hard');
  });

  it('reads Tencent\'s (QQ Mail, Exmail) layout: "无法发送到" names the recipient, the reason paragraph quotes the reply', async () => {
    const bounce = await parseBounceEmail(email('From: "PostMaster" <PostMaster@qq.example>', 'To: sender@qq.example', 'Subject: =?utf-8?B?W1FtYWlsXSDmnaXoh6pxcS5jb23nmoTpgIDkv6E=?=',
      'Content-Type: text/html; charset=utf-8', '', '<html><body><p>很抱歉您发送的邮件被退回，以下是该邮件的相关信息：</p>',
      '<table><tr><td>被退回邮件</td><td>主 题：Daily report</td></tr></table>',
      '<table><tr><td colspan="2">无法发送到 jane@hotmail.example</td></tr>',
      '<tr><td>退信原因</td><td> 未知原因 <br /> host mx.hotmail.example[192.0.2.1] said: 550 5.7.515 Access denied, sending domain QQ.EXAMPLE doesn\'t meet the required authentication level.</td></tr>',
      '<tr><td>解决方案</td><td> 请联系您的收件人 </td></tr></table></body></html>', ''));
    expect(bounce.format).toBe('coremail');
    expect(bounce.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@hotmail.example', class: 'soft', reason: 'authfailure', status: '5.7.515', reply_code: '550' }]);
  });

  it('reads a Coremail (163.com, 126.com) bounce: one recipient, the remote\'s reply in English, the refused command', async () => {
    const bounce = (...recipients: string[]) => parseBounceEmail(email('From: Postmaster@163.example', 'To: sender@163.example',
      'Subject: =?utf-8?B?57O757uf6YCA5L+h?=', 'X-Mailer: Coremail MTA server', 'Content-Type: text/plain; charset=utf-8', '',
      '抱歉，您的邮件被退回来了……', '      原邮件信息：', '            主  题 Test message',
      ...recipients.map((r) => `            收件人 ${r}`), '', '      退信原因：', '            未知的原因，对方拒绝接收您的邮件',
      '            英文说明:SMTP error, RCPT TO: Host example.org(192.0.2.1) RCPT TO said 550 No such user here', ''));
    const one = await bounce('jane@example.org');
    expect(one.format).toBe('coremail');
    expect(one.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: null, reply_code: '550' }]);
    // Whose failure the explanation is, is not known when several are named.
    expect((await bounce('jane@example.org', 'john@example.org')).events).toEqual([]);
    // A "收件人" (To) line of a quoted message below the explanation is not the recipient.
    const quotedTo = await parseBounceEmail(email('From: Postmaster@163.example', 'To: sender@163.example', 'Subject: x',
      'Content-Type: text/plain; charset=utf-8', '', '抱歉，您的邮件被退回来了……', '            收件人 Jane <jane@example.org>', '      退信原因：',
      '            英文说明:RCPT TO said 550 No such user here', '', '-------- 原始邮件 --------', '收件人: bob@example.com', ''));
    expect(quotedTo.events).toEqual([]);
    // A person quoting such a text is not a mail system.
    const quoted = await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: sender@example.net', 'Subject: look', 'Content-Type: text/plain; charset=utf-8', '',
      '抱歉，您的邮件被退回来了', '收件人 jane@example.org', '退信原因：', '英文说明:RCPT TO said 550 No such user here', ''));
    expect(quoted.events).toEqual([]);
  });

  it('reads a Postfix bounce whose first line a gateway rewrote, by the template\'s next sentence', async () => {
    for (const intro of ['This is Websense Email Security Gateway at host smtp.example.net.', '\thttp://help.example.net/mail/errors/\t']) {
      const r = await parseBounceEmail(email('From: MAILER-DAEMON (Mail Delivery System)', 'To: sender@example.net', 'Subject: Undelivered Mail Returned to Sender', '',
        intro, '', "I'm sorry to have to inform you that your message could not", "be delivered to one or more recipients. It's attached below.", '',
        '<jane@example.org>: host mx.example.org[192.0.2.1] said: 550 No such user here', '    (in reply to RCPT TO command)', ''));
      expect(r.format, intro).toBe('postfix');
      expect(r.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: null, reply_code: '550' }]);
    }
  });

  it('reads CommuniGate Pro\'s "unknown user account" as a missing mailbox though the bounce names no command', async () => {
    const r = await parseBounceEmail(email('From: <MAILER-DAEMON@mail.example.lv>', 'To: <sender@example.net>', 'Subject: Undeliverable mail: hello', '',
      "Failed to deliver to 'jane@example.lv'", 'SMTP module(domain pop.example.lv) reports:', ' host pop.example.lv says:', ' 550 jane@example.lv unknown user account', ''));
    expect(r.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.lv', class: 'hard', reason: 'userunknown', status: null, reply_code: '550' }]);
  });

  it('reads an Exchange administrators\' section that names the remote server between the address and its reply', async () => {
    const ndr = (...lines: string[]) => parseBounceEmail(email('From: Microsoft Outlook <postmaster@example.net>', 'To: sender@example.net',
      'Subject: Undeliverable: hi', 'X-MS-Exchange-Message-Is-Ndr:', '', 'mx.example.org rejected your message to the following email addresses:', '',
      'Jane<mailto:jane@example.org>', 'A problem occurred.', '', 'Diagnostic information for administrators:', '', 'Generating server: ex.example.net', '',
      ...lines, '', 'Original message headers:', '', 'Subject: hi', ''));
    const named = await ndr('jane@example.org', 'mx.example.org', "Remote Server returned '550 5.1.1 User unknown'");
    expect(named.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
    // Exchange 2010 quotes the remote's reply after its name and a "#": "host #<host #5.0.0 smtp; 554 ...> #SMTP#".
    const quoted = await ndr('jane@example.org', 'mx.example.org #<mx.example.org #5.0.0 smtp; 554 rejected due to spam content> #SMTP#');
    expect(quoted.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'soft', reason: 'spamdetected', status: '5.0.0', reply_code: '554' }]);
    // A host name alone is never taken for the recipient.
    const hostOnly = await ndr('mx.example.org', "Remote Server returned '550 5.1.1 User unknown'");
    expect(hostOnly.format).toBe('exchange');
    expect(hostOnly.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
  });

  it('reads the recipient list of a French or Italian Exchange report that has no administrators\' section', async () => {
    // Headlines as Exchange writes them (a French NDR quoted in another project's tests; Sisimai's lhost-exchange2007-07).
    for (const [headline, subject] of [
      ['Échec de la remise pour ces destinataires ou groupes :', 'Non remis : hello'],
      ['Il recapito non è riuscito per i seguenti destinatari o gruppi:', 'Non recapitabile: hello'],
    ] as const) {
      const r = await parseBounceEmail(email('From: Microsoft Outlook <postmaster@example.net>', 'To: sender@example.net', `Subject: ${subject}`,
        'X-MS-Exchange-Message-Is-Ndr:', 'Content-Type: text/plain; charset=utf-8', '', headline, '', 'Jane<mailto:jane@example.org>', 'Explanation.', ''));
      expect(r.format, headline).toBe('exchange');
      expect(r.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    }
  });

  it('takes a localized delivery-failure subject as a mail system\'s, but not a reply to it', async () => {
    const lines = ['The following recipient(s) could not be reached:', '', 'jane@example.org', '   Remote server replied: 550 5.1.1 User unknown', ''];
    const report = (subject: string) => parseBounceEmail(email('From: Microsoft Outlook <MicrosoftExchange329e71ec@example.net>', 'To: sender@example.net', `Subject: ${subject}`, '', ...lines));
    for (const subject of ['Unzustellbar: hello', 'Non remis : hello', 'No se puede entregar: hello', 'Non recapitabile: hello', 'Onbestelbaar: hello']) {
      expect((await report(subject)).events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    }
    expect((await report('AW: Unzustellbar: hello')).events).toEqual([]);
  });

  it('takes a delivery report (multipart/report with a delivery-status part) as a mail system\'s, whatever its From and subject', async () => {
    const report = (type: string, subject: string) => parseBounceEmail(email('To: sender@example.net', `Subject: ${subject}`, 'MIME-Version: 1.0',
      `Content-Type: ${type}; boundary="b"`, '', '--b', 'Content-Type: text/plain', '',
      'A message could not be delivered to:', 'jane@example.org', '', '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; gw.example.org', '', '--b--', ''));
    expect((await report('multipart/report; report-type=delivery-status', 'Utilisateur non recensé dans l\'annuaire')).events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    expect((await report('multipart/mixed', 'Utilisateur non recensé dans l\'annuaire')).events).toEqual([]);
    expect((await report('multipart/report; report-type=delivery-status', 'Fwd: Utilisateur non recensé')).events).toEqual([]);
  });

  it('takes no recipient from a person\'s mail or from prose after the sentence', async () => {
    const lines = ['The following recipient(s) could not be reached:', '', 'jane@example.org', ''];
    const person = await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: sender@example.net', 'Subject: about yesterday', '', ...lines));
    expect(person.events).toEqual([]);
    const autoReply = await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: sender@example.net', 'Subject: Delivery failure (out of office)',
      'Auto-Submitted: auto-replied', '', ...lines));
    expect(autoReply.events).toEqual([]);
    const prose = await parseBounceEmail(email('From: MAILER-DAEMON@mx.example.net', 'To: sender@example.net', 'Subject: Undeliverable', '',
      'Delivery to the following recipients failed.', 'Please write to help@example.net or to', 'jane@example.org', ''));
    expect(prose.events).toEqual([]);
    // The sentence must end its line: here the list under it is of delivered addresses.
    const midLine = await parseBounceEmail(email('From: MAILER-DAEMON@mx.example.net', 'To: sender@example.net', 'Subject: Delivery status', '',
      'Failed addresses follow: none. Addresses that were delivered:', '', 'carol@example.org', ''));
    expect(midLine.events).toEqual([]);
    // A person forwarding a bounce, whose subject still says "Undeliverable".
    for (const subject of ['Fwd: Undeliverable: invoice', 'Antw: Undeliverable: invoice', '[Fwd: Undeliverable: invoice]', 'Undeliverable: invoice (fwd)']) {
      const forwarded = await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: it@example.net', `Subject: ${subject}`, '',
        'Can you look at this?', '', ...lines));
      expect(forwarded.events).toEqual([]);
    }
    // MTAs mark their own bounces Auto-Submitted: auto-replied; with no vacation sign, still a report.
    const marked = await parseBounceEmail(email('From: MDaemon@mx.example.net', 'To: sender@example.net', 'Subject: Permanent Delivery Failure',
      'Auto-Submitted: auto-replied', '', ...lines));
    expect(marked.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    // A mail system's From without a domain is still a mail system.
    const bareDaemon = await parseBounceEmail(email('From: Mail Delivery Subsystem <MAILER-DAEMON>', 'To: sender@example.net', 'Subject: Notice', '', ...lines));
    expect(bareDaemon.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    // A quarantine notice names its "Intended recipient:" but nothing bounced.
    const quarantine = await parseBounceEmail(email('From: postmaster@example.net', 'To: sender@example.net', 'Subject: Message quarantined', '',
      'A message was held for review.', 'Intended recipient: jane@example.org', ''));
    expect(quarantine.events).toEqual([]);
  });

  it('never reports MAILER-DAEMON or the bounce\'s own sender even if a report names them', async () => {
    const r = await parseBounceEmail(email(
      'From: MAILER-DAEMON@mx.example.net',
      'To: sender@example.net',
      'Subject: failure notice',
      '',
      "Hi. This is the qmail-send program at mx.example.net.",
      "I'm afraid I wasn't able to deliver your message to the following addresses.",
      '',
      '<MAILER-DAEMON@other.example.org>:',
      'Remote host said: 550 5.1.1 no such user',
      '',
      '<mailer-daemon@mx.example.net>:',
      'Remote host said: 550 5.1.1 no such user',
      '',
      '<jane@example.org>:',
      '192.0.2.1 does not like recipient.',
      'Remote host said: 550 5.1.1 no such user',
      '',
      '--- Below this line is a copy of the message.',
    ));
    expect(r.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    expect(r.events[0]!.bounce).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('reads the same email the same way with LF, CRLF and CR line ends, with the same ids', async () => {
    const [lf, crlf, cr] = await Promise.all(['lhost-postfix-01.eml', 'lhost-postfix-01.crlf.eml', 'lhost-postfix-01.cr.eml'].map(parseFixture));
    expect(lf!.events).toHaveLength(1);
    expect(crlf!.events).toEqual(lf!.events);
    expect(cr!.events).toEqual(lf!.events);
    expect(lf!.events[0]).toMatchObject({ recipient: 'r@p351355.pool.example.ne.jp', bounce: { reason: 'mailererror', status: '5.1.1' } });
  });

  it('reads qmail\'s blocks under a site\'s own wording when its "(#5.1.1)" mark is there, only in a mail system\'s report', async () => {
    const report = (from: string, subject: string) => parseBounceEmail(email(`From: ${from}`, 'To: sender@example.net', `Subject: ${subject}`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '',
      'Su mensaje no pudo ser entregado - Your message could not be delivered.', '', '<jane@example.org>:', 'Sorry, no mailbox here by that name. (#5.1.1)', '',
      '--- Mensaje original adjunto.', '', '--b', 'Content-Type: message/rfc822', '', 'Subject: hello', '', 'hi', '', '--b--', ''));
    const bounce = await report('MAILER-DAEMON@mx.example.net', 'failure notice');
    expect(bounce.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'hard', 'userunknown']]);
    expect((await report('Ann <ann@example.net>', 'Fwd: failure notice')).events).toEqual([]);
  });

  it('reads qmail\'s blocks under a site\'s own wording when qmail-send\'s "invoked for bounce" trace is there', async () => {
    const report = (trace: string, from: string, subject = 'failure notice') => parseBounceEmail(email(`Received: ${trace}`, `From: ${from}`, 'To: sender@example.net', `Subject: ${subject}`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', '', '(mx.example.org)',
      'Su mensaje no pudo ser entregado - Your message could not be delivered.', '', '<jane@example.org>:', 'Mailbox quota usage exceeded. Espacio en casilla de mail agotado.', '',
      '--- Mensaje original adjunto.', '', '--b', 'Content-Type: message/rfc822', '', 'To: jane@example.org', 'Subject: hello', '', 'hi', '', '--b--', ''));
    const bounce = await report('(qmail 69414 invoked for bounce); 30 Oct 2006 18:51:15 -0000', 'MAILER-DAEMON@mx.example.org');
    expect(bounce.format).toBe('qmail');
    expect(bounce.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['jane@example.org', 'soft', 'mailboxfull']]);
    // Without the trace (qmail's delivery of a person's mail is "invoked by uid"), or from a person, nothing.
    expect((await report('(qmail 69414 invoked by uid 1000); 30 Oct 2006 18:51:15 -0000', 'MAILER-DAEMON@mx.example.org')).events).toEqual([]);
    expect((await report('(qmail 69414 invoked for bounce); 30 Oct 2006 18:51:15 -0000', 'Ann <ann@example.net>', 'Fwd: failure notice')).events).toEqual([]);
  });

  it('reads a qmail derivative that renames the program and lists each address bare, by qmail-send\'s intro or trace', async () => {
    const report = (trace: string, from: string, subject: string, intro: string, entry = 'jane@example.org', contact = '') => parseBounceEmail(email(`Received: ${trace}`, `From: ${from}`, 'To: sender@example.net', `Subject: ${subject}`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/html', '',
      `Hi. This is the deliver program at mx.example.org.<br>${intro}<br>`, 'This is a permanent error; I\'ve given up. Sorry it didn\'t work out.<br><br>', '',
      `${entry}<br>`, '', 'No such user<br>', '', ...(contact ? ['<p>Questions? Write to</p>', `<p>${contact}</p>`] : []), '--- Attachment is a copy of the message.<br>', '',
      '--b', 'Content-Type: message/rfc822', '', 'To: jane@example.org', 'Subject: hello', '', 'hi', '', '--b--', ''));
    const intro = "I'm afraid I wasn't able to deliver your message to the following addresses.";
    const eyou = await report('(EYOU MTA SYSTEM 8417 invoked for bounce); Mon, 15 May 2006 16:35:54 +0800', 'MAILER-DAEMON@mx.example.org', 'failure notice', intro);
    expect(eyou.format).toBe('qmail');
    // "No such user" with no stage or status: unconfirmed, as everywhere else.
    expect(eyou.events.map((e) => [e.recipient, e.bounce?.class, e.bounce?.reason, e.bounce?.diagnostic])).toEqual([['jane@example.org', 'soft', 'filtered', 'No such user']]);
    // A paragraph that does not start with an address ends the list: a contact after it, or an
    // address inside an entry's reason, is no recipient.
    const contact = await parseBounceEmail(email('From: MAILER-DAEMON@mx.example.org', 'To: sender@example.net', 'Subject: failure notice', '',
      'Hi. This is the deliver program at mx.example.org.', intro, '', 'jane@example.org', '550 5.1.1 mail for jane@example.org is forwarded to',
      'joe@example.com', 'which does not exist', '', 'If you have questions, write to', 'postmaster@example.org', 'and quote this notice.', '',
      'ann@example.org', 'is not read either', '', '--- Attachment is a copy of the message.', '', 'To: jane@example.org', ''));
    expect(contact.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    // The intro with a trace of another kind is enough; a contact address alone on its line is no entry.
    const other = await report('from mx.example.org by mx2.example.org', 'MAILER-DAEMON@mx.example.org', 'failure notice', intro, 'jane@example.org', 'help@example.org');
    expect(other.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    // The renamed trace with the intro in other words: qmail's own "<address>:" entries are read, bare lines are not.
    const words = 'Your mail could not be delivered.';
    expect((await report('(EYOU MTA SYSTEM 8417 invoked for bounce)', 'MAILER-DAEMON@mx.example.org', 'failure notice', words, '&lt;jane@example.org&gt;:')).events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    expect((await report('(EYOU MTA SYSTEM 8417 invoked for bounce)', 'MAILER-DAEMON@mx.example.org', 'failure notice', words)).events).toEqual([]);
    // From a person, nothing.
    expect((await report('(EYOU MTA SYSTEM 8417 invoked for bounce)', 'Ann <ann@example.net>', 'Fwd: failure notice', intro)).events).toEqual([]);
  });

  it('reads Apache James\'s own notices: every envelope recipient of its bounce mailet, and its qmail-worded fallback', async () => {
    const intro = ['Hi. This is the James mail server at mail.example.org.', "I'm afraid I wasn't able to deliver your message to the following addresses.",
      "This is a permanent error; I've given up. Sorry it didn't work out.  Below", 'I include the list of recipients and the reason why I was unable to deliver', 'your message.', ''];
    const mailet = await parseBounceEmail(email('From: postmaster@example.org', 'To: sender@example.net', 'Subject: Re: Spring newsletter', '', ...intro,
      'Error message below:', '550 - Requested action not taken: no such user here', '', 'Message details:', '  Subject: Spring newsletter',
      '  MAIL FROM: sender@example.net', '  RCPT TO: jane@example.org', '           bob@example.org', '  From: ', 'Sender <sender@example.net> ', ''));
    expect(mailet.events.map((e) => e.recipient)).toEqual(['jane@example.org', 'bob@example.org']);
    const fallback = await parseBounceEmail(email('From: postmaster@example.org', 'To: sender@example.net', 'Subject: Re: Spring newsletter', '', ...intro,
      'jane@example.org', 'Remote mail server told me: 550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown in virtual mailbox table', ''));
    expect(fallback.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
    // The same words from a person are no report.
    expect((await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: sender@example.net', 'Subject: Re: Spring newsletter', '', ...intro,
      'jane@example.org', 'Remote mail server told me: 550 5.1.1 User unknown', ''))).events).toEqual([]);
  });

  it('reads Dovecot\'s rejection notice (a disposition notification), with its reason', async () => {
    const dovecot = (from: string, subject: string, reason: string) => parseBounceEmail(email(`From: ${from}`, 'To: sender@example.net', `Subject: ${subject}`,
      'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=disposition-notification; boundary="b"', '',
      '--b', 'Content-Type: text/plain; charset=utf-8', '', 'Your message to <jane@example.org> was automatically rejected:', reason, '',
      '--b', 'Content-Type: message/disposition-notification', '', 'Reporting-UA: mail.example.org; Dovecot Mail Delivery Agent',
      'Final-Recipient: rfc822; jane@example.org', 'Disposition: automatic-action/MDN-sent-automatically; deleted', '', '--b--', ''));
    const full = await dovecot('Mail Delivery Subsystem <admin@example.org>', 'Automatically rejected mail', 'Quota exceeded (mailbox for user is full)');
    expect(full.events.map((e) => [e.type, e.recipient, e.bounce?.class, e.bounce?.reason])).toEqual([['bounced', 'jane@example.org', 'soft', 'mailboxfull']]);
    // A Sieve script's own words decide nothing.
    const sieve = await dovecot('Mail Delivery Subsystem <MAILER-DAEMON@example.org>', 'Automatically rejected mail', 'I do not read mail here any more.');
    expect(sieve.events.map((e) => [e.recipient, e.bounce?.class])).toEqual([['jane@example.org', 'undetermined']]);
    // The sentence quoted in a person's reply is no report.
    expect((await dovecot('Ann <ann@example.net>', 'Re: your mail', 'Quota exceeded')).events).toEqual([]);
  });

  it('reads LSMTP\'s "Error-for:" list and a "Delevery to the following recipients" template', async () => {
    const lsmtp = await parseBounceEmail(email('From: "LSMTP for Windows NT v1.1b" <postmaster@mx.example.net>', 'To: sender@example.net', 'Subject: Undelivered mail', '',
      'An error was detected while processing the enclosed message.  A list of', 'the affected recipient follows.', '', '--> Error description:', '',
      'Error-for:  jane@example.org', 'Error-Code: 2', 'Error-Text: Mailer mx.example.org said:', '            "550 5.1.1 User unknown"', '',
      'Error-for:  joe@example.org', 'Error-Code: 2', 'Error-Text: Mailer mx.example.org said:', '            "552 5.2.2 Mailbox full"', '',
      'Error-End:  Two errors reported.', ''));
    expect(lsmtp.events.map((e) => [e.recipient, e.bounce?.reason, e.bounce?.reply_code])).toEqual([['jane@example.org', 'userunknown', '550'], ['joe@example.org', 'mailboxfull', '552']]);

    const misspelt = await parseBounceEmail(email('From: Mail Delivery System <Mail.Delivery.System@mx.example.net>', 'To: sender@example.net', 'Subject: Delivery status notification', '',
      'Delevery to the following recipients was aborted after 5.0 hour(s):', '', '  * jane@example.org', '', '====', ''));
    expect(misspelt.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
  });

  it('reads a CR-only qmail bounce', async () => {
    const r = await parseFixture('lhost-qmail-01.cr.eml');
    expect(r.events.map(brief)).toEqual([
      { type: 'bounced', recipient: 'kijitora@example.ne.jp', class: 'hard', reason: 'userunknown', status: '5.5.0', reply_code: '550' },
    ]);
  });

  it('gives the same ids when the same email is ingested twice, distinct ids per recipient', async () => {
    const a = await parseFixture('lhost-mailru-03.eml');
    const b = await parseFixture('lhost-mailru-03.eml');
    expect(b.events.map((e) => e.id)).toEqual(a.events.map((e) => e.id));
    expect(new Set(a.events.map((e) => e.id)).size).toBe(a.events.length);
  });

  it('identifies an email without a Message-ID by what it says, not by its bytes', async () => {
    const lines = ['From: MAILER-DAEMON@mx.example.net', 'Subject: failure notice', 'Date: Tue, 30 Apr 2024 22:15:00 +0200', '',
      'Hi. This is the qmail-send program at mx.example.net.', '', '<a@example.org>:', 'Remote host said: 452 4.2.2 mailbox full', '', '--- Below this line is a copy of the message.', ''];
    const lf = lines.join('\n');
    const copies = [
      lf,
      lines.join('\r\n'),
      `Received: from relay.example.com by in.example.com; Wed, 1 May 2024 09:00:00 +0000\r\n${lines.join('\r\n')}`,
      `${lines.slice(0, 3).join('\n')}\nContent-Transfer-Encoding: base64\n\n${btoa(lines.slice(4).join('\n'))}\n`,
    ];
    const ids = await Promise.all(copies.map(async (c) => (await parseBounceEmail(new TextEncoder().encode(c))).events.map((e) => e.id)));
    expect(ids[0]).toHaveLength(1);
    for (const id of ids) expect(id).toEqual(ids[0]);
    const other = await parseBounceEmail(new TextEncoder().encode(lf.replace('mailbox full', 'over quota')));
    expect(other.events[0]!.id).not.toBe(ids[0]![0]);
  });

  it('tells apart separate bounces that say the same words, by their recipient and first relay', async () => {
    const bounce = (to: string, day: number) => [`Received: from mx.example.net by relay.example.com; Tue, ${day} Jul 2024 10:00:00 +0000`,
      'From: MAILER-DAEMON@mx.example.net', `To: ${to}`, 'Subject: failure notice', '',
      'Hi. This is the qmail-send program at mx.example.net.', '', '<a@example.org>:', 'Remote host said: 452 4.2.2 mailbox full', '',
      '--- Below this line is a copy of the message.', ''];
    const three = [bounce('bounces+1@example.com', 1), bounce('bounces+1@example.com', 2), bounce('bounces+2@example.com', 1)];
    const ids = await Promise.all(three.map(async (lines) => (await parseBounceEmail(email(...lines))).events[0]!.id));
    expect(new Set(ids).size).toBe(3);
    // Each again, behind one more relay: the same ids.
    const again = await Promise.all(three.map(async (lines) => (await parseBounceEmail(email('Received: from relay.example.com by in.example.com; Wed, 3 Jul 2024 09:00:00 +0000', ...lines))).events[0]!.id));
    expect(again).toEqual(ids);
  });

  it('passes over a relay whose clock is wrong when it dates an email by its trace', async () => {
    const lines = ['From: MAILER-DAEMON@mx.example.net', 'Subject: failure notice', '',
      'Hi. This is the qmail-send program at mx.example.net.', '', '<a@example.org>:', 'Remote host said: 550 5.1.1 no such user', '',
      '--- Below this line is a copy of the message.', ''];
    const top = 'Received: from relay.example.com by in.example.com; Tue, 2 Jul 2024 10:00:05 +0000';
    // The arrival only rules traces out: a copy posted again weeks later is dated as the first was,
    // and one forwarded again days later keeps its first relay's time and id.
    const first = 'Received: from mx.example.net by relay.example.com; Mon, 1 Jul 2024 10:00:00 +0000';
    const posted = await parseBounceEmail(email(first, ...lines), { receivedAt: '2024-07-01T10:01:00.000Z' });
    const later = await parseBounceEmail(email(first, ...lines), { receivedAt: '2024-08-15T00:00:00.000Z' });
    const forwarded = await parseBounceEmail(email('Received: from relay.example.com by in.example.com; Tue, 9 Jul 2024 10:00:00 +0000', first, ...lines));
    for (const r of [later, forwarded]) {
      expect(r.events[0]!.occurred_at).toBe('2024-07-01T10:00:00.000Z');
      expect(r.events[0]!.id).toBe(posted.events[0]!.id);
    }
    // A forward months later keeps the first trace, and so does a copy posted again a year later.
    const yearLater = await parseBounceEmail(email(first, ...lines), { receivedAt: '2025-08-05T11:00:00.000Z' });
    expect(yearLater.events[0]!.occurred_at).toBe('2024-07-01T10:00:00.000Z');
    const muchLater = await parseBounceEmail(email('Received: from relay.example.com by in.example.com; Sat, 10 Aug 2024 10:00:00 +0000', first, ...lines),
      { receivedAt: '2024-08-10T10:01:00.000Z' });
    expect(muchLater.events[0]!.occurred_at).toBe('2024-07-01T10:00:00.000Z');
    // A wrong clock above a right one, or in the middle, or alone: the right one, else the arrival.
    const right = 'Received: from mx.example.net by relay.example.com; Mon, 1 Jul 2024 10:00:00 +0000';
    const cases: [string[], string][] = [
      [['Received: from a by b; Mon, 2 Jul 2055 10:00:00 +0000', right], '2024-07-01T10:00:00.000Z'],
      [['Received: from a by b; Thu, 1 Jan 1970 00:00:05 +0000', right], '2024-07-01T10:00:00.000Z'],
      [['Received: from a by b; Mon, 1 Jul 2024 10:05:00 +0000', 'Received: from c by a; Mon, 2 Jul 2055 10:00:00 +0000', right], '2024-07-01T10:00:00.000Z'],
      [['Received: from a by b; Mon, 1 Jul 2024 10:05:00 +0000', 'Received: from c by a; Mon, 2 Jul 2055 10:00:01 +0000', 'Received: from d by c; Mon, 2 Jul 2055 10:00:00 +0000', right], '2024-07-01T10:00:00.000Z'],
      [['Received: from a by b; Mon, 1 Jul 2024 10:05:00 +0000', 'Received: from c by a; Thu, 1 Jan 1970 00:00:06 +0000', 'Received: from d by c; Thu, 1 Jan 1970 00:00:05 +0000'], '2024-07-01T10:05:00.000Z'],
      [['Received: from a by b; Mon, 2 Jul 2055 10:00:00 +0000'], '2024-07-01T10:01:00.000Z'],
      [['Received: from a by b; Thu, 1 Jan 1970 00:00:05 +0000'], '2024-07-01T10:01:00.000Z'],
    ];
    for (const [traces, want] of cases) {
      const r = await parseBounceEmail(email(...traces, ...lines), { receivedAt: '2024-07-01T10:01:00.000Z' });
      expect(r.events[0]!.occurred_at, traces.join(' | ')).toBe(want);
    }
    for (const wrong of ['Thu, 1 Jan 1970 00:00:05 +0000', 'Mon, 2 Jul 2055 10:00:00 +0000']) {
      const mail = email(top, `Received: from mx.example.net by relay.example.com; ${wrong}`, ...lines);
      for (const receivedAt of [undefined, '2024-07-02T10:01:00.000Z']) {
        expect((await parseBounceEmail(mail, { receivedAt })).events[0]!.occurred_at, `${wrong} ${receivedAt}`).toBe('2024-07-02T10:00:05.000Z');
      }
    }
  });

  it('dates an email without a Date by its first relay, skipping dates no query could reach', async () => {
    const lines = ['From: MAILER-DAEMON@mx.example.net', 'Subject: failure notice', '',
      'Hi. This is the qmail-send program at mx.example.net.', '', '<a@example.org>:', 'Remote host said: 550 5.1.1 no such user', '', '--- Below this line is a copy of the message.', ''];
    const first = 'Received: from mx.example.net by relay.example.com; Tue, 30 Apr 2024 22:15:00 +0200';
    const once = await parseBounceEmail(email(first, ...lines), { receivedAt: '2024-05-02T10:00:00.000Z' });
    const twice = await parseBounceEmail(email('Received: from relay.example.com by in.example.com; Thu, 2 May 2024 09:00:00 +0000', first, ...lines),
      { receivedAt: '2024-05-03T10:00:00.000Z' });
    expect(once.events[0]!.occurred_at).toBe('2024-04-30T20:15:00.000Z');
    expect(twice.events[0]!.occurred_at).toBe('2024-04-30T20:15:00.000Z');
    expect(twice.events[0]!.id).toBe(once.events[0]!.id);
    for (const date of ['Sat, 1 Jan 10000 00:00:00 +0000', 'Mon, 1 Jan 1900 00:00:00 +0000']) {
      const odd = await parseBounceEmail(email(`Date: ${date}`, first, ...lines));
      expect(odd.events[0]!.occurred_at, date).toBe('2024-04-30T20:15:00.000Z');
    }
  });

  it('identifies an email without a Message-ID by its content', async () => {
    const body = (words: string) => email(
      'From: MAILER-DAEMON@mx.example.net',
      'Subject: failure notice',
      '',
      "Hi. This is the qmail-send program at mx.example.net.",
      '',
      '<a@example.org>:',
      `Remote host said: 550 5.1.1 ${words}`,
      '',
      '--- Below this line is a copy of the message.',
    );
    const [one, again, other] = await Promise.all([body('no such user'), body('no such user'), body('unknown user')].map((b) => parseBounceEmail(b)));
    expect(again!.events[0]!.id).toBe(one!.events[0]!.id);
    expect(other!.events[0]!.id).not.toBe(one!.events[0]!.id);
    // No date at all: the route's arrival time, else the epoch; never "now".
    expect(one!.events[0]!.occurred_at).toBe('1970-01-01T00:00:00.000Z');
    const timed = await parseBounceEmail(body('no such user'), { receivedAt: '2024-05-01T10:00:00.000Z' });
    expect(timed.events[0]!.occurred_at).toBe('2024-05-01T10:00:00.000Z');
    // A Date that cannot be read is no date either (both MIME readers: see mime-fast.test.ts).
    const lines = new TextDecoder().decode(body('no such user')).split('\n');
    const unread = await parseBounceEmail(email('Date: Mon, 1 Jan 2024 00:00:00 JST', ...lines), { receivedAt: '2024-05-01T10:00:00.000Z' });
    expect(unread.events[0]!.occurred_at).toBe('2024-05-01T10:00:00.000Z');
    // The last relay's Received time comes before the route's clock: a redelivery keeps it.
    const traced = await parseBounceEmail(email('Received: from mx.example.net by in.example.com;', '\tTue, 30 Apr 2024 22:15:00 +0200 (CEST)', 'Date: JST', ...lines),
      { receivedAt: '2024-05-01T10:00:00.000Z' });
    expect(traced.events[0]!.occurred_at).toBe('2024-04-30T20:15:00.000Z');
  });

  it('reads an HTML-only notice as a browser shows it: source line ends are spaces, <pre> keeps its lines', async () => {
    const head = ['From: MAILER-DAEMON@mail.example.org (Mail Delivery System)', 'To: sender@example.org',
      'Subject: Undelivered Mail Returned to Sender', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=us-ascii', ''];
    const postfix = await parseBounceEmail(email(...head,
      '<html><body>',
      'This is the mail system at host mail.example.org.<br>',
      '<br>',
      "I'm sorry to have to inform you that your message could not<br>",
      'be delivered to one or more recipients.<br>',
      '<br>',
      '&lt;jane@example.net&gt;: host mx.example.net[192.0.2.1] said: 550 Recipient does<br>',
      '    not exist on this system (in reply to RCPT TO command)<br>',
      '</body></html>'));
    expect(postfix.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.net', class: 'hard', reason: 'userunknown', status: null, reply_code: '550' }]);
    expect(postfix.events[0]!.bounce!.diagnostic).toContain('does not exist on this system');
    const pre = await parseBounceEmail(email(...head,
      '<html><body><pre>This is the mail system at host mail.example.org.',
      '',
      "I'm sorry to have to inform you that your message could not",
      'be delivered to one or more recipients.',
      '',
      '&lt;jane@example.net&gt;: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown',
      '    (in reply to RCPT TO command)</pre></body></html>'));
    expect(pre.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.net', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
    // Text with no line-breaking tag, labelled text/html, keeps its lines.
    const exim = await parseBounceEmail(email('From: Mail Delivery System <Mailer-Daemon@mx.example.net>', 'To: sender@example.net',
      'Subject: Mail delivery failed: returning message to sender', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=us-ascii', '',
      'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of its', 'recipients. This is a permanent error. The following address(es) failed:', '',
      '  kijitora@example.org', '    host mx.example.org [192.0.2.1]', '    SMTP error from remote mail server after RCPT TO:<kijitora@example.org>:',
      '    550 5.1.1 User unknown'));
    expect(exim.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'kijitora@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
    // So does text with only paragraph openers; an address in angle brackets there is no tag.
    for (const [open, address] of [['', '<jane@example.net>'], ['<p>', '&lt;jane@example.net&gt;']] as const) {
      const postfixText = await parseBounceEmail(email(...head, '<html><body>', `${open}This is the mail system at host mail.example.org.`,
        `${open}I'm sorry to have to inform you that your message could not`, 'be delivered to one or more recipients.',
        `${open}${address}: host mx.example.net[192.0.2.1] said: 550 5.1.1 Recipient does`, '    not exist on this system (in reply to RCPT TO command)',
        '</body></html>'));
      expect(postfixText.events.map(brief), open).toEqual([{ type: 'bounced', recipient: 'jane@example.net', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
    }
    // Styles, comments and tags with an address in an attribute go; only a closing tag that
    // ends a line ends one ("</a>" does not part an address from its reply).
    const styled = await parseBounceEmail(email(...head, '<html><head><style>p { font-family: Arial; }</style></head><body><!-- <x@example.org> -->',
      'This is the mail system at host mail.example.org.', "I'm sorry to have to inform you that your message could not",
      'be delivered to one or more recipients. Write to <a href="mailto:postmaster@example.org">postmaster</a>.',
      '&lt;<a href="mailto:jane@example.net">jane@example.net</a>&gt;: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown',
      '</body></html>'));
    expect(styled.events.map((e) => e.recipient)).toEqual(['jane@example.net']);
    // In text labelled HTML, a transcript's "<<<" opens no tag.
    const transcript = await parseBounceEmail(email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>', 'To: sender@example.com',
      'Subject: Returned mail: see transcript for details', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=us-ascii', '', '<html><body>',
      '   ----- The following addresses had permanent fatal errors -----', 'jane@example.net', '    (reason: 550 5.1.1 User unknown)', '',
      '   ----- Transcript of session follows -----', '... while talking to mx.example.net.:', '>>> RCPT To:<jane@example.net>',
      '<<< 550 5.1.1 <jane@example.net>... User unknown', '550 5.1.1 jane@example.net... User unknown', '>>> DATA', '<<< 503 5.0.0 Need RCPT (recipient)',
      '</body></html>'));
    expect(transcript.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'jane@example.net', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }]);
  });

  it('reads a sendmail transcript up to a gateway\'s footer, not the footer\'s words', async () => {
    const notice = (footer: string[]) => email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'To: sender@example.com',
      'Subject: Returned mail: see transcript for details', 'Content-Type: text/plain; charset=us-ascii', '',
      '   ----- The following addresses had permanent fatal errors -----', '<jane@example.org>', '',
      '   ----- Transcript of session follows -----', '550 5.1.1 sorry, no mailbox here by that name', '', ...footer);
    const plain = (await parseBounceEmail(notice([]))).events.map(brief);
    expect(plain).toEqual([expect.objectContaining({ recipient: 'jane@example.org', class: 'hard', reason: 'userunknown' })]);
    // Under a rule, or under the empty line that ends a bare reply.
    for (const rule of [['________________________________'], ['-- '], ['*****'], ['=========='], []]) {
      const footed = await parseBounceEmail(notice([...rule, 'This email has been scanned for spam and viruses by Example Gateway.']));
      expect(footed.events.map(brief), rule.join()).toEqual(plain);
    }
    // After such an empty line, the session's own words still count: sendmail's expiry, another reply.
    const expired = await parseBounceEmail(email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'To: sender@example.com',
      'Subject: Returned mail: see transcript for details', '', '   ----- The following addresses had permanent fatal errors -----', '<jane@example.org>', '',
      '   ----- Transcript of session follows -----', '451 4.4.1 reply: read error from mx.example.org.', '', 'Message could not be delivered for 5 days',
      'Message will be deleted from queue'));
    expect(expired.events.map((e) => e.bounce!.reason)).toEqual(['expired']);
  });

  it('reads on past a rule that a local program printed inside the transcript', async () => {
    const r = await parseBounceEmail(email('From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.com>', 'To: <sender@example.com>',
      'Subject: Returned mail: see transcript for details', '',
      '   ----- The following addresses had permanent fatal errors -----', '"|/usr/local/bin/ticket-intake"', '    (reason: 1)',
      '    (expanded from: <support@example.com>)', '<jane@example.org>', '',
      '   ----- Transcript of session follows -----', 'ticket-intake: could not parse message', '=====================================',
      'Error: no ticket id in subject', '=====================================', '554 5.3.0 unknown mailer error 1',
      '... while talking to mx.example.org.:', '>>> RCPT To:<jane@example.org>', '<<< 550 5.1.1 <jane@example.org>... User unknown',
      '550 5.1.1 <jane@example.org>... User unknown'));
    expect(r.events.map((e) => [e.recipient, e.bounce!.class, e.bounce!.reason])).toContainEqual(['jane@example.org', 'hard', 'userunknown']);
  });

  it('does not take a person\'s subject that only resembles sendmail\'s delay warning for a mail system\'s', async () => {
    const r = await parseBounceEmail(email('From: Bob Person <bob@example.com>', 'To: support@example.net', 'Subject: could not send message for past 2 days', '',
      'Hello,', 'My messages to <jane@example.org> bounce with "550 5.1.1 user unknown".', 'Delivery to the following recipient failed permanently:', '',
      '     jane@example.org', '', 'Bob'));
    expect(r.events).toEqual([]);
  });

  it('takes sendmail\'s delay warning for a mail system\'s, whoever the sender and however the report is wrapped', async () => {
    const r = await parseBounceEmail(email('From: Mail Delivery Subsystem <mdaemon@mx.example.net>', 'To: sender@example.com',
      'Subject: Warning: could not send message for past 4 hours', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="OUTER"', '',
      '--OUTER', 'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '',
      '--B', 'Content-Type: text/plain; charset=us-ascii', '',
      '    **********************************************', '    **      THIS IS A WARNING MESSAGE ONLY      **', '    **********************************************', '',
      '   ----- Transcript of session follows -----', '<jane@example.org>... Deferred: Connection timed out with mx.example.org.', '',
      '--B', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.net', '',
      'Final-Recipient: RFC822; jane@example.org', 'Action: delayed', 'Status: 4.4.1', '', '--B--',
      '--OUTER', 'Content-Type: text/plain', '', 'This message has been scanned by MailScanner.', '--OUTER--'));
    expect(r.events.map((e) => [e.type, e.recipient])).toEqual([['deferred', 'jane@example.org']]);
  });

  it('reads each au (EZweb) recipient with its own reply, and a gateway footer after them as nobody\'s', async () => {
    const r = await parseBounceEmail(email('From: Postmaster@ezweb.ne.jp', 'To: sender@example.jp', 'Subject: Mail System Error - Returned Mail',
      'Content-Type: text/plain; charset=us-ascii', '',
      'Each of the following recipients was rejected by a remote', 'mail server.', '',
      '    Recipient: <nobody@ezweb.ne.jp>', '    >>> RCPT TO:<nobody@ezweb.ne.jp>', '    <<< 550 <nobody@ezweb.ne.jp>: User unknown', '',
      '    Recipient: <full@ezweb.ne.jp>', '    >>> RCPT TO:<full@ezweb.ne.jp>', '    <<< 452 4.2.2 <full@ezweb.ne.jp>: Mailbox full', '',
      '________________________________', 'This message was scanned for viruses by Example Gateway. Mailbox full? Call us.', '<helpdesk@gateway.example>'));
    // Each recipient with its own reply; the footer's address is nobody's failure.
    expect(r.events.map(brief)).toEqual([
      { type: 'bounced', recipient: 'nobody@ezweb.ne.jp', class: 'hard', reason: 'userunknown', status: null, reply_code: '550' },
      { type: 'bounced', recipient: 'full@ezweb.ne.jp', class: 'soft', reason: 'mailboxfull', status: '4.2.2', reply_code: '452' },
    ]);
    // A line under one recipient's reply is that recipient's; a reply that names a recipient is its.
    const leak = await parseBounceEmail(email('From: Postmaster@ezweb.ne.jp', 'To: sender@example.jp', 'Subject: Mail System Error - Returned Mail', '',
      'Each of the following recipients was rejected by a remote mail server.',
      '    Recipient: <a@ezweb.ne.jp>', '    >>> RCPT TO:<a@ezweb.ne.jp>', '    <<< 550 5.1.1 <a@ezweb.ne.jp>: User unknown', '    (the recipient address does not exist)',
      '    Recipient: <b@ezweb.ne.jp>', '    >>> RCPT TO:<b@ezweb.ne.jp>', '    <<< 550 Requested action not taken'));
    expect(leak.events.map((e) => [e.recipient, e.bounce!.class])).toEqual([['a@ezweb.ne.jp', 'hard'], ['b@ezweb.ne.jp', 'soft']]);
    const named = await parseBounceEmail(email('From: Postmaster@ezweb.ne.jp', 'To: sender@example.jp', 'Subject: Mail System Error - Returned Mail', '',
      'The following recipients did not receive this message:', '', '<a@ezweb.ne.jp>', '<b@ezweb.ne.jp>', '', '<<< 550 <a@ezweb.ne.jp>: User unknown'));
    expect(named.events.map((e) => [e.recipient, e.bounce!.class])).toEqual([['a@ezweb.ne.jp', 'hard'], ['b@ezweb.ne.jp', 'undetermined']]);
    // A recipient and what became of it on one line ("<a@ezweb.ne.jp>: user unknown"), under
    // the notice's sentence: each recipient with its own words, even with no report part.
    const oneLine = await parseBounceEmail(email('From: Postmaster@ezweb.ne.jp', 'To: sender@example.jp', 'Subject: Mail System Error - Returned Mail', '',
      'The following recipients did not receive this message:', '', '<a@ezweb.ne.jp>: user unknown', '<b@ezweb.ne.jp>: mailbox is full'));
    expect(oneLine.events.map((e) => [e.recipient, e.bounce!.class, e.bounce!.reason])).toEqual([['a@ezweb.ne.jp', 'hard', 'userunknown'], ['b@ezweb.ne.jp', 'soft', 'mailboxfull']]);
    // After the recipients and an empty line, "<support@...>: words" is a footer's; a line naming
    // the notice's own To (the sender) is not a recipient either.
    const footerSaid = await parseBounceEmail(email('From: Postmaster@ezweb.ne.jp', 'To: <sender@example.jp>', 'Subject: Mail System Error - Returned Mail', '',
      '<sender@example.jp>: your message could not be delivered', '',
      'Each of the following recipients was rejected by a remote mail server.', '',
      '    Recipient: <a@ezweb.ne.jp>', '    >>> RCPT TO:<a@ezweb.ne.jp>', '    <<< 550 <a@ezweb.ne.jp>: User unknown', '',
      '<support@au.example.jp>: Please contact us for details'));
    expect(footerSaid.events.map((e) => [e.recipient, e.bounce!.class])).toEqual([['a@ezweb.ne.jp', 'hard']]);
    // A list of such lines with empty lines between them: each is a recipient.
    const spaced = await parseBounceEmail(email('From: Postmaster@ezweb.ne.jp', 'To: sender@example.jp', 'Subject: Mail System Error - Returned Mail', '',
      'The following recipients did not receive this message:', '', '<a@ezweb.ne.jp>: user unknown', '', '<b@ezweb.ne.jp>: user unknown'));
    expect(spaced.events.map((e) => [e.recipient, e.bounce!.class])).toEqual([['a@ezweb.ne.jp', 'hard'], ['b@ezweb.ne.jp', 'hard']]);
    // The only recipient named is kept even when it is the notice's To.
    const toSelf = await parseBounceEmail(email('From: Mail Administrator <Postmaster@ezweb.ne.jp>', 'To: a@ezweb.ne.jp', 'Subject: Mail System Error - Returned Mail', '',
      'The following recipients did not receive this message:', '', '<a@ezweb.ne.jp>: user unknown'));
    expect(toSelf.events.map((e) => [e.recipient, e.bounce!.class])).toEqual([['a@ezweb.ne.jp', 'hard']]);
    const disabledUnknown = await parseBounceEmail(email('From: Postmaster@ezweb.ne.jp', 'To: sender@example.jp', 'Subject: Mail System Error - Returned Mail', '',
      'The user(s) account is disabled.', '', '', '<a@ezweb.ne.jp>: user unknown'));
    expect(disabledUnknown.events.map((e) => [e.recipient, e.bounce!.reason])).toEqual([['a@ezweb.ne.jp', 'suspend']]);
    // Before anything was said, an empty line ends nothing: the verdict after it is the recipient's.
    const disabled = await parseBounceEmail(email('From: Postmaster@ezweb.ne.jp', 'To: sender@example.jp', 'Subject: Mail System Error - Returned Mail', '',
      '<a@ezweb.ne.jp>', '', 'The user(s) account is disabled.'));
    expect(disabled.events.map((e) => [e.recipient, e.bounce!.reason])).toEqual([['a@ezweb.ne.jp', 'suspend']]);
    // After the notice's sentence and its address, an empty line: another address is a recipient,
    // free text starts a footer, and the footer's address is nobody's.
    const more = await parseBounceEmail(email('From: Postmaster@ezweb.ne.jp', 'To: sender@example.jp', 'Subject: Mail System Error - Returned Mail', '',
      'The user(s) account is disabled.', '', '<a@ezweb.ne.jp>', '', '<b@ezweb.ne.jp>', '', 'Sent via Example Gateway. Contact:', '<help@gateway.example.jp>'));
    expect(more.events.map((e) => [e.recipient, e.bounce!.reason])).toEqual([['a@ezweb.ne.jp', 'suspend'], ['b@ezweb.ne.jp', 'suspend']]);
    expect(r.events[0]!.bounce!.diagnostic).not.toMatch(/gateway|mailbox full/i);
  });

  it('leaves qmail\'s own "Giving up on <host>." out of the remote\'s words', async () => {
    const r = await parseBounceEmail(email('From: MAILER-DAEMON@mta.example.com', 'To: sender@example.com', 'Subject: failure notice', '',
      'Hi. This is the qmail-send program at mta.example.com.', "I'm afraid I wasn't able to deliver your message to the following addresses.", '',
      '<rcpt@example.org>:', '192.0.2.1 does not like recipient.', 'Remote host said: 550 5.7.1 Access denied', 'Giving up on 192.0.2.1.', '',
      '--- Below this line is a copy of the message.', ''));
    expect(r.events[0]!.bounce).toMatchObject({ class: 'soft', reason: 'securityerror', diagnostic: '192.0.2.1 does not like recipient. Remote host said: 550 5.7.1 Access denied' });
  });

  it('keeps every line of a multi-line reply in a sendmail transcript, and only the first failure', async () => {
    const r = await parseBounceEmail(email('From: MAILER-DAEMON@mta.example.com', 'To: sender@example.com', 'Subject: Returned mail: see transcript for details', '',
      '   ----- The following addresses had permanent fatal errors -----', '<rcpt@example.org>', '    (reason: 553 resolve this issue. (#5.7.1))', '',
      '   ----- Transcript of session follows -----', '... while talking to mx.example.net.:', '>>> RCPT To:<rcpt@example.org>',
      '<<< 553-you are trying to use me [mx.example.net] as a relay, but I have not', '<<< 553-been configured to let you do this.',
      '<<< 553 resolve this issue. (#5.7.1)', '>>> DATA', '<<< 503 5.0.0 Need RCPT (recipient)', '553 5.0.0 <rcpt@example.org>... resolve this issue. (#5.7.1)', ''));
    expect(r.events[0]!.bounce).toMatchObject({ class: 'soft', reason: 'norelaying', status: '5.7.1', reply_code: '553' });
    expect(r.events[0]!.bounce!.diagnostic).not.toContain('Need RCPT');
    // A reply to DATA, kept for the recipient its summary line names: all of its lines too.
    const data = await parseBounceEmail(email('From: MAILER-DAEMON@mta.example.com', 'To: sender@example.com', 'Subject: Returned mail: see transcript for details', '',
      '   ----- The following addresses had permanent fatal errors -----', '<rcpt@example.org>', '    (reason: 554 see details)', '',
      '   ----- Transcript of session follows -----', '... while talking to mx.example.net.:', '>>> DATA',
      '<<< 554-5.7.1 Service unavailable; Client host [192.0.2.1]', '<<< 554 5.7.1 blocked using zen.spamhaus.org',
      '554 5.0.0 <rcpt@example.org>... Service unavailable', ''));
    expect(data.events[0]!.bounce).toMatchObject({ class: 'soft', reason: 'blocked', status: '5.7.1', reply_code: '554' });
  });

  it('reads a refusal shown under ">>> DATA" as the answer to RCPT when DATA\'s own answer says no recipient was taken (PIPELINING)', async () => {
    const session = (refusal: string, dataAnswer: string[]) => email('From: MAILER-DAEMON@mta.example.com', 'To: sender@example.com',
      'Subject: Returned mail: see transcript for details', '',
      '   ----- The following addresses had permanent fatal errors -----', '<rcpt@example.org>', `    (reason: ${refusal})`, '',
      '   ----- Transcript of session follows -----', '... while talking to mx.example.net.:', '>>> DATA',
      `<<< ${refusal}`, '550 5.1.1 <rcpt@example.org>... User unknown', ...dataAnswer, '');
    const refusal = '553 5.3.0 <rcpt@example.org>... Unknown E-Mail Address';
    const exim = ['<<< 503-All RCPT commands were rejected with this error:', '<<< 503 Valid RCPT command must precede DATA'];
    for (const answer of [['<<< 503 5.0.0 Need RCPT (recipient)'], ['<<< 554 5.5.1 Error: no valid recipients'], exim]) {
      const r = await parseBounceEmail(session(refusal, answer));
      expect(r.events[0]!.bounce, answer.join(' ')).toMatchObject({ class: 'hard', reason: 'userunknown', status: '5.3.0', reply_code: '553' });
      expect(r.events[0]!.bounce!.diagnostic).not.toMatch(/Need RCPT|no valid/);
    }
    // Without that answer the words were DATA's: a filter's, not proof the mailbox is missing.
    const filter = await parseBounceEmail(session(refusal, []));
    expect(filter.events[0]!.bounce).toMatchObject({ class: 'soft', reason: 'filtered' });
    // A refusal of the message that only mentions recipients is DATA's own answer, kept as such.
    const content = await parseBounceEmail(session(refusal, ['<<< 554 5.7.1 Message rejected: no valid recipients left after content filtering']));
    expect(content.events[0]!.bounce).toMatchObject({ class: 'soft', reason: 'filtered' });
  });

  it('reads Office 365\'s "Original Message Details" and "Error Details" when the report part is missing', async () => {
    const ndr = (error: string) => email('From: <postmaster@tenant.onmicrosoft.com>', 'To: <hello@example.com>', 'Subject: Undeliverable: Hello',
      'Content-Type: text/plain; charset="us-ascii"', '',
      "Your message to bounce@example.org couldn't be delivered.", '', 'More Info for Email Admins', 'Status code: 550 5.7.1', '',
      'Original Message Details', 'Created Date:   9/23/2026 9:15:36 AM', 'Sender Address: hello@example.com',
      'Recipient Address:      bounce@example.org', 'Subject:        Hello', '', 'Error Details', error,
      'Message rejected by:    mx.example.org', '', 'Original Message Headers', '', 'To: bounce@example.org', 'From: hello@example.com', '');
    const policy = await parseBounceEmail(ndr('Error:  554 5.7.1 [CS01] Message rejected due to local policy.'));
    expect(policy.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'bounce@example.org', class: 'soft', reason: 'policyviolation', status: '5.7.1', reply_code: '554' }]);
    // Exchange's own resolver found no such recipient: that proves it, whatever the stage.
    const unknown = await parseBounceEmail(ndr('Reported error: RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'));
    expect(unknown.events.map(brief)).toEqual([{ type: 'bounced', recipient: 'bounce@example.org', class: 'hard', reason: 'userunknown', status: null, reply_code: null }]);
    // An "Error:" line outside the "Error Details" section is not the reply.
    const elsewhere = await parseBounceEmail(email('From: <postmaster@tenant.onmicrosoft.com>', 'To: <hello@example.com>', 'Subject: Undeliverable: Hello', '',
      "Your message to bounce@example.org couldn't be delivered.", '', 'Original Message Details', 'Recipient Address:      bounce@example.org', '',
      'Notification Details', 'Error: 550 5.1.1 User unknown', ''));
    expect(elsewhere.events.map((e) => [e.recipient, e.bounce!.diagnostic])).toEqual([['bounce@example.org', null]]);
  });
});
