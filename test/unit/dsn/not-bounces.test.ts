import { describe, expect, it } from 'vitest';
import { parseBounceEmail } from '../../../src/dsn/index.js';
import { email, parseFixture } from './fixtures.js';

describe('emails that are not bounces', () => {
  it.each(['rfc3834-01.eml', 'rfc3834-03.eml'])('ignores the auto-reply %s', async (file) => {
    const r = await parseFixture(file);
    expect(r).toMatchObject({ events: [], ignored: 1, rejected: 0, format: 'autoreply' });
  });

  it('gives no event for an ordinary message', async () => {
    expect(await parseFixture('is-not-bounce-01.eml')).toMatchObject({ events: [], ignored: 1, format: 'none' });
  });

  it('gives no event for an out-of-office reply that quotes addresses and failure words', async () => {
    const r = await parseBounceEmail(email(
      'From: Jane <jane@example.org>',
      'To: sender@example.net',
      'Subject: Automatic reply: delivery failure of your order',
      'Auto-Submitted: auto-replied',
      '',
      'I am out of the office. Unknown user: boss@example.org',
      'Mail delivery failed? write to <assistant@example.org>:',
      '',
    ));
    expect(r.events).toEqual([]);
  });

  it('gives no event for a person\'s forward or reply of a bounce, inline, with its report parts, or as an attachment', async () => {
    const postfix = ['This is the mail system at host mx.example.net.', '', "I'm sorry to have to inform you that your message could not",
      "be delivered to one or more recipients. It's attached below.", '', '<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1',
      '    <bob@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)'];
    const dsn = ['Reporting-MTA: dns; mx.example.net', '', 'Final-Recipient: rfc822; bob@example.org', 'Action: failed', 'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown'];
    const inline = await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: help@example.net', 'Subject: Fwd: Undelivered Mail Returned to Sender', '',
      'Can you check this?', '', '---------- Forwarded message ---------', ...postfix, ''));
    const withParts = await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: help@example.net', 'Subject: FW: Undeliverable: hello',
      'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '', '--b', 'Content-Type: text/plain', '',
      'See below.', '', '--b', 'Content-Type: message/delivery-status', '', ...dsn, '', '--b--', ''));
    const attached = await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: help@example.net', 'Subject: Fwd: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="o"', '', '--o', 'Content-Type: text/plain', '', 'FYI', '', '--o',
      'Content-Type: message/rfc822', '', 'From: MAILER-DAEMON@mx.example.net', 'Subject: Undelivered Mail Returned to Sender', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '', '--b', 'Content-Type: text/plain', '', ...postfix, '', '--b',
      'Content-Type: message/delivery-status', '', ...dsn, '', '--b--', '', '--o--', ''));
    const newsletter = await parseBounceEmail(email('From: Deliverability Weekly <news@example.com>', 'To: ann@example.net', 'Subject: How to read a DSN',
      'List-Unsubscribe: <mailto:leave@example.com>', '', 'A report looks like this:', '', ...dsn, ''));
    for (const r of [inline, withParts, attached, newsletter]) expect(r.events).toEqual([]);
  });

  it('reads each text format from a mail system, and none of them from a person\'s forward', async () => {
    const bodies: Record<string, string[]> = {
      exim: ['This message was created automatically by mail delivery software.', '', 'A message that you sent could not be delivered to one or more of its',
        'recipients. This is a permanent error. The following address(es) failed:', '', '  bob@example.org',
        '    SMTP error from remote mail server after RCPT TO:<bob@example.org>:', '    550 5.1.1 User unknown'],
      exchange: ['Delivery has failed to these recipients or groups:', '', 'bob@example.org', '', 'Diagnostic information for administrators:', '',
        'Generating server: ex.example.net', '', 'bob@example.org', "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'"],
      qmail: ['Hi. This is the qmail-send program at mx.example.net.', "I'm afraid I wasn't able to deliver your message to the following addresses.",
        "This is a permanent error; I've given up. Sorry it didn't work out.", '', '<bob@example.org>:', '192.0.2.1 does not like recipient.',
        'Remote host said: 550 5.1.1 User unknown', 'Giving up on 192.0.2.1.', '', '--- Below this line is a copy of the message.', '', 'Subject: hi'],
      dragonfly: ['This is the DragonFly Mail Agent v0.13 at mx.example.net.', '', 'There was an error delivering your mail to <bob@example.org>.', '',
        'mx.example.org [192.0.2.1] did not like our RCPT TO:', '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown', '', 'Original message follows.'],
      opensmtpd: ['Hi!', '', 'An error has occurred while attempting to deliver a message for', 'the following list of recipients:', '',
        'bob@example.org: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)', '', 'Below is a copy of the original message:'],
      domino: ['Your message', '', '  Subject: hi', '', 'was not delivered to:', '', '  bob@example.org', '', 'because:', '',
        '  User bob (bob@example.org) not listed in Domino Directory'],
    };
    for (const [format, body] of Object.entries(bodies)) {
      const system = await parseBounceEmail(email('From: MAILER-DAEMON@mx.example.net', 'To: sender@example.net', 'Subject: Undeliverable mail', '', ...body, ''));
      expect(system.events.map((e) => [e.recipient, e.bounce?.class]), format).toEqual([['bob@example.org', 'hard']]);
      const forward = await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: help@example.net', 'Subject: Fwd: Undeliverable mail', '', ...body, ''));
      expect(forward.events, format).toEqual([]);
    }
  });

  it('gives no event for a person\'s mail whose subject says "error" or "failed" about something else, and reads real bounce subjects', async () => {
    const exim = ['This message was created automatically by mail delivery software.', '', 'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:', '', '  bob@example.org',
      '    SMTP error from remote mail server after RCPT TO:<bob@example.org>:', '    550 5.1.1 User unknown', ''];
    const from = (sender: string, subject: string) => parseBounceEmail(email(`From: ${sender}`, 'To: help@example.net', `Subject: ${subject}`, '', ...exim));
    for (const subject of ['Error when emailing my colleague', 'Build failed: main #1234', 'Invoice 998 payment error', '[postfix-users] Bounce error with virtual mailbox table',
      'Login failure on your account']) {
      expect((await from('Ann <ann@example.net>', subject)).events, subject).toEqual([]);
    }
    // Subjects mail systems write, from a sender that is not postmaster or MAILER-DAEMON.
    for (const subject of ['failure notice', 'Mail delivery failed: returning message to sender', 'DELIVERY FAILURE: User bob not listed', 'Mail System Error - Returned Mail',
      'Message delivery has failed', 'There was an error sending your mail', 'Sorry, your message could not be delivered', 'Returned email: hello',
      'failure delivery', 'Failure to deliver', 'Error en la entrega del mensaje', 'Errore di consegna', 'Échec de la remise']) {
      expect((await from('Mail Delivery <mail.delivery.system@mx.example.net>', subject)).events.map((e) => e.recipient), subject).toEqual(['bob@example.org']);
    }
  });

  it('gives no event for a person\'s inline forward of a bounce that kept its subject, and still reads a bounce quoting a forward', async () => {
    const postfix = ['This is the mail system at host mx.example.org.', '', "I'm sorry to have to inform you that your message could not",
      "be delivered to one or more recipients. It's attached below.", '', '<jane@example.org>: host mx2.example.org[192.0.2.10] said: 550 5.1.1',
      '    <jane@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)', ''];
    const forward = (...top: string[]) => parseBounceEmail(email('From: Alice <alice@example.net>', 'To: help@example.net',
      'Subject: Undelivered Mail Returned to Sender', '', 'FYI, got this back.', '', ...top, ...postfix));
    expect((await forward('---------- Forwarded message ---------', 'From: MAILER-DAEMON@mx.example.org', '')).events).toEqual([]);
    expect((await forward('Begin forwarded message:', '')).events).toEqual([]);
    expect((await forward('-------- Weitergeleitete Nachricht --------', 'Betreff: \tUndelivered Mail Returned to Sender', '')).events).toEqual([]);
    expect((await forward('From: Mail Delivery System <MAILER-DAEMON@mx.example.org>', 'Sent: Wednesday, May 1, 2024 10:00', '')).events).toEqual([]);
    // Outlook's, Thunderbird's and Android's "Original Message" separators over their header block,
    // Outlook for Mac's From:/Date:, Apple Mail and Lotus Notes in German, Zoho, a longer note.
    expect((await forward('-----Original Message-----', 'From: MAILER-DAEMON@mx.example.org', 'Sent: Wednesday, May 1, 2024 10:00', '')).events).toEqual([]);
    expect((await forward('-------- Original message --------', 'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>', 'Date: 5/1/24 09:12', '')).events).toEqual([]);
    expect((await forward('From: Mail Delivery System <MAILER-DAEMON@mx.example.org>', 'Date: Wednesday, 1 May 2024 at 09:12', '')).events).toEqual([]);
    expect((await forward('Anfang der weitergeleiteten Nachricht:', '> Von: MAILER-DAEMON@mx.example.org', '')).events).toEqual([]);
    expect((await forward('----- Weitergeleitet von Alice/Sales/Example am 01.05.2024 09:12 -----', 'MAILER-DAEMON@mx.example.org', '')).events).toEqual([]);
    expect((await forward('============ Forwarded message ============', 'From : MAILER-DAEMON@mx.example.org', '')).events).toEqual([]);
    expect((await forward('---------- Forwarded message ---------', 'Gönderen: MAILER-DAEMON@mx.example.org', '')).events).toEqual([]);
    expect((await forward('   ----- Forwarded Message ----- From: MAILER-DAEMON@mx.example.org To: alice@example.net Sent: Wednesday', '')).events).toEqual([]);
    expect((await forward('----- Forwarded message from Mail Delivery System <MAILER-DAEMON@mx.example.org> -----', '')).events).toEqual([]);
    expect((await forward('My original message to Jane bounced.', 'Thanks,', 'Alice', '--', 'Alice Example', 'Sales', 'Example Ltd', 'Phone 555 0100',
      '---------- Forwarded message ---------', 'From: MAILER-DAEMON@mx.example.org', '')).events).toEqual([]);
    // A note with words a notice also uses ends nothing: only a notice's whole lines do.
    for (const note of ['I got this returned message again.', "I'm sorry to bother you again.", 'It says it could not deliver mail to Jane.',
      'Here is a copy of the message I got back.', "I'm afraid your message could not be delivered either."]) {
      expect((await forward(note, '---------- Forwarded message ---------', 'From: MAILER-DAEMON@mx.example.org', '')).events, note).toEqual([]);
      expect((await forward(note, 'From: MAILER-DAEMON@mx.example.org', 'Sent: Wednesday, May 1, 2024 10:00', '')).events, note).toEqual([]);
    }
    // A gateway's bounce from an ordinary sender, whose returned message was itself a forward.
    const bounce = await parseBounceEmail(email('From: Mail Gateway <gateway@mx.example.org>', 'To: alice@example.net',
      'Subject: Undelivered Mail Returned to Sender', '', ...postfix, '', '--- Below this line is a copy of the message.', '',
      'Subject: Fwd: offers', '', '---------- Forwarded message ---------', 'From: bob@example.net', ''));
    expect(bounce.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    // Gmail's own marker over the returned message's raw header is no person's forward.
    const gmail = await parseBounceEmail(email('From: Mail Gateway <gateway@mx.example.org>', 'To: alice@example.net',
      'Subject: Undelivered Mail Returned to Sender', '', ...postfix, '----- Original message -----', '',
      'DKIM-Signature: v=1; a=rsa-sha256; d=example.net', 'From: alice@example.net', 'Date: Wed, 1 May 2024 09:12:00 +0000', ''));
    expect(gmail.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    // A notice whose copy of the message (a forward, a reply) comes within its first lines.
    const copies = async (...copy: string[]) => (await parseBounceEmail(email('From: Mail Gateway <gateway@mx.example.org>', 'To: alice@example.net',
      'Subject: Delivery Status Notification (Failure)', '', 'Delivery to the following recipient failed permanently:', '', '     jane@example.org', '',
      'Technical details of permanent failure:', 'The recipient server said: 550 5.1.1 User unknown', '', '----- Original message -----', '', ...copy, ''))).events
      .map((e) => e.recipient);
    expect(await copies('MIME-Version: 1.0', 'From: alice@example.net', 'Date: Mon, 9 Jul 2012 23:06:08 -0700', 'Subject: Fwd: Invoice', '',
      '---------- Forwarded message ----------', 'From: Billing <billing@example.com>')).toEqual(['jane@example.org']);
    expect(await copies('From: alice@example.net', 'Date: Mon, 9 Jul 2012 23:06:08 -0700')).toEqual(['jane@example.org']);
  });

  it('knows more mail programs\' forward layouts: localized separators, headers in any order, a no-break space or full-width colon, a long note', async () => {
    const postfix = ['This is the mail system at host mx.example.org.', '', '<jane@example.org>: host mx2.example.org[192.0.2.10] said: 550 5.1.1',
      '    <jane@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)', ''];
    const forward = (...top: string[]) => parseBounceEmail(email('From: Alice <alice@example.net>', 'To: help@example.net',
      'Subject: Undelivered Mail Returned to Sender', '', 'Tato adresa nefunguje.', '', ...top, ...postfix));
    const system = 'Mail Delivery System <MAILER-DAEMON@mx.example.org>';
    const layouts: string[][] = [
      // Thunderbird's separators (Czech, Polish, Chinese), one with its English words after the local ones.
      ['-------- Přeposlaná zpráva --------', 'Předmět: \tUndelivered Mail Returned to Sender', 'Datum: \tWed, 1 May 2024 09:12:03 +0200', `Od: \t${system}`],
      ['--- Treść przekazanej wiadomości ---', 'Temat: \tUndelivered Mail Returned to Sender', `Nadawca: \t${system}`],
      ['-------- 转发的消息 --------', '主题：\tUndelivered Mail Returned to Sender', `发件人：\t${system}`],
      ['-------- Preposlaná správa --- Forwarded Message --------', 'Predmet: \tUndelivered Mail Returned to Sender'],
      // Yahoo and Zimbra in French, K-9 Mail's "original message" in Czech.
      ['----- Message transmis -----', `De : ${system}`, 'À : alice@example.net'],
      ['----- Mail transféré -----', `De: ${system}`, 'À: alice@example.net'],
      ['-------- Původní zpráva --------', `Od: ${system}`, 'Komu: alice@example.net'],
      // Outlook in French (a no-break space before the colon), in Japanese (a full-width colon), in Korean and Greek.
      [`De\u00a0: ${system}`, 'Envoyé\u00a0: mercredi 1 mai 2024 09:12'],
      [`差出人：${system}`, '送信日時：2024年5月1日 9:12'],
      [`보낸 사람: ${system}`, '보낸 날짜: 2024년 5월 1일 수요일 오전 9:12'],
      [`Από: ${system}`, 'Στάλθηκε: Τετάρτη, 1 Μαΐου 2024 9:12 π.μ.'],
      // GMX and WEB.DE write the date before the sender.
      ['Gesendet: Mittwoch, 01. Mai 2024 um 09:12 Uhr', `Von: ${system}`, 'An: alice@example.net'],
      // Apple Mail in Swedish and Brazilian Portuguese, quoting the notice.
      ['> Vidarebefordrat mejl:', '>', `> Från: ${system}`],
      ['> Início da mensagem encaminhada:', '>', `> De: ${system}`],
      // Outlook's block under a note, a signature and a disclaimer of 25 lines.
      [...Array.from({ length: 25 }, (_, i) => `Line ${i + 1} of a note, a signature and a disclaimer.`), `From: ${system}`, 'Sent: Wednesday, May 1, 2024 9:12 AM'],
    ];
    const read: string[] = [];
    for (const top of layouts) if ((await forward(...top, '')).events.length > 0) read.push(top[0]!);
    expect(read).toEqual([]);
    // A gateway's bounce from an ordinary sender still counts: its notice comes before the copy's "Date:"/"From:".
    const bounce = await parseBounceEmail(email('From: Mail Gateway <gateway@mx.example.org>', 'To: alice@example.net',
      'Subject: Undelivered Mail Returned to Sender', '', ...postfix, 'Date: Wed, 1 May 2024 09:12:03 +0200', 'From: alice@example.net', ''));
    expect(bounce.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
    // IMail's notice, the copy's own header (written by mutt: the date first) under its marker.
    const imail = await parseBounceEmail(email('From: Mail Gateway <gateway@mx.example.org>', 'To: alice@example.net',
      'Subject: Undeliverable Mail', '', 'Unknown user: jane@example.org', '', 'Original message follows.', '',
      'Date: Wed, 1 May 2024 09:12:03 +0200', 'From: alice@example.net', 'To: jane@example.org', ''));
    expect(imail.events.map((e) => e.recipient)).toEqual(['jane@example.org']);
  });

  it('knows the reply and forward marks of localized mail programs, also behind an "EXTERNAL:" tag', async () => {
    const exim = ['This message was created automatically by mail delivery software.', '', 'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:', '', '  bob@example.org',
      '    SMTP error from remote mail server after RCPT TO:<bob@example.org>:', '    550 5.1.1 User unknown', ''];
    for (const mark of ['Antwort:', 'I:', 'VL:', 'VB:', 'PD:', 'RES:', 'Doorst:', 'YNT:', 'İLT:', 'PŘ:', 'Tov:', 'ΠΡΘ:', 'Пересл:', 'Отв:', '转发:', '回复：', '轉寄:', '転送:',
      'EXTERNAL: Fwd:', 'EXT: RE:']) {
      const r = await parseBounceEmail(email('From: Ann <ann@example.net>', 'To: help@example.net', `Subject: ${mark} Mail delivery failed: returning message to sender`, '', ...exim));
      expect(r.events, mark).toEqual([]);
    }
  });

  it('gives no event for a reply quoting an au notice, an out-of-office reply with a report part, or a header anyone can write', async () => {
    const quoted = await parseBounceEmail(email('From: Bob <bob@example.net>', 'To: sender@example.net', 'Subject: Re: Your order 1234', '',
      'My phone said:', '', 'Your mail sent on: Thu, 2 May 2024 07:45:22 +0900', '     Could not be delivered to: <wife@ezweb.ne.jp>',
      '     As their mailbox is full.', ''));
    expect(quoted.events).toEqual([]);
    const away = await parseBounceEmail(email('From: Jane <jane@example.org>', 'To: sender@example.net', 'Subject: Out of Office: May offers',
      'Auto-Submitted: auto-replied', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '',
      'I am away until May 10.', '', '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.org', '', '--b',
      'Content-Type: message/rfc822', '', 'From: sender@example.net', 'To: colleague@example.org', 'Subject: May offers', '', 'Hi', '--b--', ''));
    expect(away.events).toEqual([]);
    const header = await parseBounceEmail(email('From: "Mail Delivery Subsystem" <noreply@example.com>', 'To: sender@example.net', 'Subject: Message for you',
      'X-Failed-Recipients: vip@example.org, ceo@example.net', '', 'Please open the link.', ''));
    expect(header.events).toEqual([]);
  });

  it('gives delay warnings and delivery reports written as text as deferrals and deliveries, never bounces', async () => {
    const kinds = async (...lines: string[]) => (await parseBounceEmail(email(...lines))).events.map((e) => [e.type, e.recipient]);
    expect(await kinds('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'To: sender@example.net',
      'Subject: Warning: could not send message for past 4 hours', '', '    **********************************************',
      '    **      THIS IS A WARNING MESSAGE ONLY      **', '    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **', '    **********************************************', '',
      'The original message was received at Thu, 2 Jul 2020 12:05:05 -0400', '', '   ----- The following addresses had transient non-fatal errors -----',
      '<bob@example.org>', '    (reason: 550 5.1.1 User unknown)', '')).toEqual([['deferred', 'bob@example.org']]);
    expect(await kinds('From: MAILER-DAEMON@mx.example.net', 'To: sender@example.net', 'Subject: Successful Mail Delivery Report', '',
      'This is the mail system at host mx.example.net.', '', 'Your message was successfully delivered to the destination(s)',
      'listed below.', '', '<bob@example.org>: delivery via mx.example.org[192.0.2.1]:25: 250 2.0.0 Ok: queued', '')).toEqual([['delivered', 'bob@example.org']]);
    expect(await kinds('From: Microsoft Outlook <postmaster@example.net>', 'To: sender@example.net', 'Subject: Delivery delayed: hello',
      'X-MS-Exchange-Message-Is-Ndr:', '', 'Delivery is delayed to these recipients or groups:', '', 'bob@example.org', '',
      'Diagnostic information for administrators:', '', 'bob@example.org', "Remote Server returned '400 4.4.7 Message delayed'", ''))
      .toEqual([['deferred', 'bob@example.org']]);
    // A report with a success status and no Action.
    expect(await kinds('From: MAILER-DAEMON@mx.example.net', 'To: sender@example.net', 'Subject: Delivery Status Notification',
      'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '', '--b', 'Content-Type: message/delivery-status', '',
      'Reporting-MTA: dns; mx.example.net', '', 'Final-Recipient: rfc822; bob@example.org', 'Status: 2.0.0', '', '--b--', '')).toEqual([['delivered', 'bob@example.org']]);
  });

  it('reads a delay notice\'s permanent failures, and a bounce whose original subject speaks of delays, as bounces', async () => {
    const kinds = async (...lines: string[]) => (await parseBounceEmail(email(...lines))).events.map((e) => [e.type, e.recipient, e.bounce?.class]);
    // sendmail sends one notice for both: the permanent failure is a bounce, the address still
    // being tried a deferral, each with its own reply (LMTP answers DATA per recipient).
    expect(await kinds('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'To: sender@example.net',
      'Subject: Warning: could not send message for past 4 hours', '', '    **      THIS IS A WARNING MESSAGE ONLY      **', '',
      '   ----- The following addresses had permanent fatal errors -----', '<gone@example.org>', '    (reason: 550 5.1.1 <gone@example.org>... User unknown)', '',
      '   ----- The following addresses had transient non-fatal errors -----', '<full@example.org>', '    (reason: 452 4.2.2 Over quota)', '',
      '   ----- Transcript of session follows -----', '... while talking to localhost:', '>>> DATA',
      '<<< 550 5.1.1 <gone@example.org>... User unknown', '550 5.1.1 <gone@example.org>... User unknown', '<<< 452 4.2.2 Over quota',
      '<full@example.org>... Deferred: 452 4.2.2 Over quota', '')).toEqual([['bounced', 'gone@example.org', 'hard'], ['deferred', 'full@example.org', 'soft']]);
    // A final notice whose transcript answers DATA per recipient: each keeps its own reply.
    const lmtp = await parseBounceEmail(email('From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'To: sender@example.net',
      'Subject: Returned mail: see transcript for details', '', '   ----- The following addresses had permanent fatal errors -----',
      '<full@example.org>', '    (reason: 552 5.2.2 Over quota)', '<gone@example.org>', '    (reason: 550 5.1.1 User unknown)', '',
      '   ----- Transcript of session follows -----', '... while talking to localhost:', '>>> DATA', '<<< 552 5.2.2 Over quota',
      '552 5.2.2 <full@example.org>... Over quota', '<<< 550 5.1.1 <gone@example.org>... User unknown', '550 5.1.1 <gone@example.org>... User unknown', ''));
    expect(lmtp.events.map((e) => [e.recipient, e.bounce?.reason, e.bounce?.reply_code])).toEqual([
      ['full@example.org', 'mailboxfull', '552'], ['gone@example.org', 'userunknown', '550'],
    ]);
    // An Exchange NDR's subject goes on with the original subject.
    expect(await kinds('From: Microsoft Outlook <postmaster@example.net>', 'To: sender@example.net', 'Subject: Undeliverable: Your delivery has been delayed',
      '', 'Delivery has failed to these recipients or groups:', '', 'bob@example.org', '', 'Diagnostic information for administrators:', '',
      'bob@example.org', "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", '')).toEqual([['bounced', 'bob@example.org', 'hard']]);
  });

  it('takes the usual senders and subjects of bounces as a mail system\'s, and a blank line before the header as nothing', async () => {
    const transcript = ['', '   ----- The following addresses had permanent fatal errors -----', '<bob@example.org>', '    (reason: 550 5.1.1 User unknown)', '',
      '   ----- Transcript of session follows -----', '>>> RCPT To:<bob@example.org>', '<<< 550 5.1.1 <bob@example.org>... User unknown', ''];
    const recipients = async (...head: string[]) => (await parseBounceEmail(email(...head, 'To: sender@example.net', ...transcript))).events.map((e) => e.recipient);
    for (const head of [
      ['From: MAILER-DAEMON (Mail Delivery System)', 'Subject: Postmaster notify: see transcript for details'],
      ['From: Mail Delivery Subsystem <MAILER-DAEMON>', 'Subject: Mail could not be delivered'],
      ['From: Mail Delivery System <noreply@mx.example.net>', 'Subject: Nondeliverable mail'],
      ['From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>', 'Subject: hello'],
      ['From: Someone <someone@example.net>', 'Subject: Ej levererbart: hello'],
      ['From: post_master@mx.example.net', 'Subject: Re: hello'],
      ['From: Mail Delivery System <noreply@mx.example.net>', 'Subject: Undeliverable: Going on vacation? Save 20%'],
      // The null sender written as the author.
      ['From: <>', 'Subject: Message status'],
      // A gateway's tag in front of the subject.
      ['From: Mail Delivery System <noreply@mx.example.net>', 'Subject: [EXTERNAL] ***SPAM*** Undeliverable: Going on vacation?'],
      ['From: Gateway <noreply@gw.example.net>', 'Subject: [Delivery Failure] hello'],
      ['From: Gateway <noreply@gw.example.net>', 'Subject: **Delivery failure** hello'],
    ]) expect(await recipients(...head), head.join(' / ')).toEqual(['bob@example.org']);
    // A person's mail is not, though it quotes a transcript.
    expect(await recipients('From: Someone <someone@example.net>', 'Subject: hello')).toEqual([]);
    expect(await recipients('From: Someone <someone@example.net>', 'Subject: Out of office', 'Return-Path: <>')).toEqual([]);
    // A null sender alone is no sign: auto-replies use it too (RFC 3834).
    expect(await recipients('From: Someone <someone@example.net>', 'Subject: hello', 'Return-Path: <>')).toEqual([]);
    // Vacation words after a bounce's prefix are the original subject's; without one they are the mail's own.
    expect(await recipients('From: Someone <someone@example.net>', 'Subject: Error report 12 - On vacation')).toEqual([]);
    // An Outlook rule's forward of an NDR keeps Exchange's NDR header.
    expect(await recipients('From: Someone <someone@example.net>', 'Subject: FW: Undeliverable: hello', 'X-MS-Exchange-Message-Is-Ndr:')).toEqual([]);
    // A gateway's tag does not hide a forward or reply mark; "[Fwd: ...]" is a mark, not a tag.
    for (const subject of ['[EXTERNAL] FW: Undeliverable: hello', '[SPAM] {Suspicious} Re: Mail delivery failed', '[Fwd: Returned mail: see transcript]']) {
      expect(await recipients('From: Someone <someone@example.net>', `Subject: ${subject}`), subject).toEqual([]);
    }
    // Blank lines in front of the header (a file saved by some tools) do not hide it.
    const blank = await parseBounceEmail(email('', '   ', 'From: MAILER-DAEMON@mx.example.net', 'Subject: Returned mail: see transcript for details', 'To: sender@example.net', ...transcript));
    expect(blank.events.map((e) => e.recipient)).toEqual(['bob@example.org']);
    const crlf = new TextEncoder().encode(['', ' ', 'From: MAILER-DAEMON@mx.example.net', 'Subject: Returned mail: see transcript for details', 'To: sender@example.net', ...transcript].join('\r\n'));
    expect((await parseBounceEmail(crlf)).events.map((e) => e.recipient)).toEqual(['bob@example.org']);
  });

  it('gives no event for a Sieve vacation reply whose subject and text read like a failure notice', async () => {
    // Pigeonhole's vacation action writes "Auto-Submitted: auto-replied (vacation)"; a departed
    // employee's away message is often worded as a non-delivery report.
    const r = await parseBounceEmail(email(
      'From: <alice@corp.example>',
      'To: Sender <sender@example.net>',
      'Subject: Undeliverable: Winter catalogue',
      'In-Reply-To: <nl-8@example.net>',
      'Auto-Submitted: auto-replied (vacation)',
      'Precedence: bulk',
      '',
      'Your message could not be delivered to the following recipients:',
      '',
      '   a.smith@corp.example',
      '',
      'This mailbox is no longer monitored. Please write to bob@corp.example.',
      '',
    ));
    expect(r.events).toEqual([]);
  });

  it('still reads an Exim bounce although Exim marks it Auto-Submitted: auto-replied', async () => {
    const r = await parseFixture('lhost-exim-01.eml');
    expect(r.events).toHaveLength(1);
  });
});
