import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../src/core/classify.js';

// Reply lines are written for these tests after the public wording of Gmail, Microsoft and
// Postfix; the SparkPost line comes from its sample events (shared/corpus/webhooks, via Mautic).

describe('classifyBounce', () => {
  it('makes an unknown user a hard bounce and fills every field', () => {
    expect(classifyBounce({
      type: 'bounced',
      diagnostic: '  smtp; 550 5.1.1 <jane@example.com>... User unknown  ',
      provider_class: 'Permanent/General',
    })).toEqual({
      class: 'hard',
      reason: 'userunknown',
      reply_code: '550',
      status: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 <jane@example.com>... User unknown',
      provider_class: 'Permanent/General',
      rule: 'status:5.1.1',
    });
  });

  it('never suppresses for a block list, even under a recipient code', () => {
    const d = classifyBounce({ type: 'bounced', diagnostic: '550 5.1.1 Service unavailable; client [192.0.2.4] blocked using bl.spamcop.net' });
    expect(d).toMatchObject({ class: 'soft', reason: 'blocked', rule: 'text:blocked>status:5.1.1' });
  });

  it.each([
    // Gmail's refusal of an unauthorised sending IP.
    ["550-5.7.1 [192.0.2.1] The IP you're using to send mail is not authorized to\n550-5.7.1 send email directly to our servers. Please use the SMTP relay at your\n550 5.7.1 service provider instead.", 'blocked'],
    // Microsoft's network block list (S3150).
    ["550 5.7.1 Unfortunately, messages from [192.0.2.4] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", 'blocked'],
    ['554 5.7.1 Service unavailable; Client host [192.0.2.4] blocked using zen.spamhaus.org', 'blocked'],
    ['550 5.7.26 This mail is unauthenticated and has been blocked. The sender must authenticate with at least one of SPF or DKIM.', 'authfailure'],
  ])('reads a sender-side refusal as soft: %s', (diagnostic, reason) => {
    expect(classifyBounce({ type: 'bounced', diagnostic })).toMatchObject({ class: 'soft', reason });
  });

  it.each([
    ['550 <jane@example.org>... User not exist', 'userunknown'],
    ['550 Mailbox not exists', 'userunknown'],
    // Exchange's back pressure, RFC 3463's X.3.1 "mail system full".
    ['452 4.3.1 Insufficient system resources (UsedDiskSpace[C:\\Queue])', 'systemfull'],
    ['550 5.0.0 Insufficient permission', 'systemerror'],
    // A size or storage limit, not a sending rate; the status says which.
    ['552 5.2.2 Too much mail data', 'mailboxfull'],
    ['421 Too much mail from your address, slow down', 'speeding'],
    ['Messages without To: fields are not accepted here', 'notcompliantrfc'],
    ["552 5.2.3 maildir delivery failed: Sorry, the user's maildir has overdrawn his diskspace quota, please try again later.", 'mailboxfull'],
    ['554 5.6.0 Message is missing a To header', 'notcompliantrfc'],
  ])('reads %s as %s', (diagnostic, reason) => {
    expect(classifyBounce({ type: 'bounced', diagnostic, smtp_command: 'RCPT' }).reason).toBe(reason);
  });

  it.each(['550 Account could not exist', '553 sender account not exists'])('does not read %s as an unknown user', (diagnostic) => {
    expect(classifyBounce({ type: 'bounced', diagnostic, smtp_command: 'RCPT' }).reason).not.toBe('userunknown');
  });

  it('lets a clear "user unknown" beat a generic policy code', () => {
    expect(classifyBounce({ type: 'bounced', diagnostic: '554 5.7.1 <x@example.org>: Recipient address rejected: User unknown' }))
      .toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('reads a reply code quoted after "Permanent Error" (Domino), and "551 not our customer" as proof of a missing mailbox', () => {
    const strict = (diagnostic: string) => classifyBounce({ type: 'bounced', diagnostic, strict_user_unknown: true });
    expect(strict('傳送至 mx1.example.net; SMTP Protocol Returned a Permanent Error 551 not our customer 發生錯誤'))
      .toMatchObject({ class: 'hard', reason: 'userunknown', reply_code: '551' });
    expect(strict('SMTP Protocol Returned a Permanent Error 550 Requested action not taken: mailbox unavailable')).toMatchObject({ reply_code: '550' });
    // "error" alone does not make a number a reply, nor does the permanence before a number that is no failure's code.
    expect(strict('Error 404 not found')).toMatchObject({ reply_code: null });
    expect(strict('temporary error 300 seconds')).toMatchObject({ reply_code: null });
    // 551 alone names no stage: its weak words stay unconfirmed.
    expect(strict('551 Address rejected')).toMatchObject({ class: 'soft', reason: 'filtered' });
    // A relay's "you are not our customer" is still about the sender.
    expect(strict('550 5.7.1 You are not our customer, relaying denied')).toMatchObject({ reason: 'norelaying' });
  });

  it('makes a full mailbox soft', () => {
    expect(classifyBounce({ type: 'bounced', diagnostic: '552 5.2.2 mailbox full' })).toMatchObject({ class: 'soft', reason: 'mailboxfull' });
  });

  it('makes hostunknown and hasmoved hard, notaccept hard only without a temporary code', () => {
    expect(classifyBounce({ type: 'bounced', status: '5.1.2' }).class).toBe('hard');
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 5.1.6 recipient no longer on server' }).class).toBe('hard');
    expect(classifyBounce({ type: 'bounced', diagnostic: 'Host does not accept mail (null MX)' })).toMatchObject({ class: 'hard', reason: 'notaccept' });
    expect(classifyBounce({ type: 'bounced', diagnostic: '451 4.3.2 System not accepting network messages' })).toMatchObject({ class: 'soft', reason: 'notaccept' });
  });

  it('never calls a deferral or a temporary code hard', () => {
    expect(classifyBounce({ type: 'deferred', diagnostic: '550 5.1.1 user unknown' }))
      .toMatchObject({ class: 'soft', reason: 'userunknown', rule: 'status:5.1.1+type:deferred' });
    expect(classifyBounce({ type: 'bounced', diagnostic: '450 4.1.1 <x@example.com>: Recipient address rejected: unverified address, user unknown' }))
      .toMatchObject({ class: 'soft', reason: 'userunknown' });
    expect(classifyBounce({ type: 'deferred', diagnostic: 'no codes', provider_hint: { class: 'hard' } }).class).toBe('soft');
  });

  it('treats a soft try-again as soft', () => {
    expect(classifyBounce({ type: 'deferred', diagnostic: '421 4.7.0 Try again later, closing connection (TLS)' }).class).toBe('soft');
  });

  it('uses separate code fields when the text has none', () => {
    expect(classifyBounce({ type: 'bounced', diagnostic: 'User unknown', reply_code: 550, status: '5.1.1' }))
      .toMatchObject({ reply_code: '550', status: '5.1.1', reason: 'userunknown', class: 'hard' });
    // The text's own codes win over the fields...
    expect(classifyBounce({ type: 'bounced', diagnostic: '552 5.2.2 over quota', reply_code: '550', status: '5.1.1' }))
      .toMatchObject({ reply_code: '552', status: '5.2.2', reason: 'mailboxfull' });
    // ...unless the text's code is vaguer (a DSN Status field next to a generic 5.0.0).
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 5.0.0 <x@example.org>... Insufficient permission', status: '5.3.0' }).status).toBe('5.3.0');
  });

  it('ignores provider numbers that are not SMTP replies', () => {
    expect(classifyBounce({ type: 'deferred', diagnostic: 'No MX for nomx.example.com', reply_code: 498 }))
      .toMatchObject({ reply_code: null, reason: 'networkerror', class: 'soft' });
  });

  it('falls back to the provider when codes and text say nothing', () => {
    expect(classifyBounce({ type: 'bounced', diagnostic: 'Test bounce details', provider_hint: { class: 'hard', reason: null } }))
      .toMatchObject({ class: 'hard', reason: 'undefined', rule: 'provider:hint' });
    expect(classifyBounce({ type: 'dropped', provider_hint: { class: 'soft', reason: 'virusdetected' } }))
      .toMatchObject({ class: 'soft', reason: 'virusdetected', rule: 'provider:hint', diagnostic: null });
  });

  it("does not let a provider's hard verdict make a sender-side reason or a full mailbox hard", () => {
    for (const reason of ['blocked', 'spamdetected', 'rejected', 'authfailure', 'mailboxfull'] as const) {
      expect(classifyBounce({ type: 'bounced', diagnostic: '', provider_hint: { class: 'hard', reason } })).toMatchObject({ class: 'soft', reason });
    }
    expect(classifyBounce({ type: 'bounced', provider_hint: { class: 'hard', reason: 'userunknown' } })).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('does not let the provider overrule what the codes and text say', () => {
    // SparkPost puts block-list refusals in its "hard" class 10.
    expect(classifyBounce({ type: 'bounced', diagnostic: 'MAIL REFUSED - IP (192.0.2.1) is in black list', reply_code: '554', provider_hint: { class: 'hard' } }))
      .toMatchObject({ class: 'soft', reason: 'blocked' });
  });

  it('keeps at most 8192 characters of a diagnostic and 512 of a provider class, after reading the start', () => {
    const long = `550 5.1.1 user unknown ${'x'.repeat(500_000)}`;
    const d = classifyBounce({ type: 'bounced', diagnostic: long, provider_class: 'y'.repeat(10_000) });
    expect(d).toMatchObject({ class: 'hard', reason: 'userunknown', status: '5.1.1' });
    expect(d.diagnostic).toHaveLength(8192);
    expect(d.diagnostic!.endsWith('…')).toBe(true);
    expect(d.provider_class).toHaveLength(512);
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 5.1.1 user unknown' }).diagnostic).toBe('550 5.1.1 user unknown');
  });

  it('is undetermined when nothing is known', () => {
    expect(classifyBounce({ type: 'bounced' })).toMatchObject({ class: 'undetermined', reason: 'undefined', rule: 'none', reply_code: null, status: null, diagnostic: null, provider_class: null });
    expect(classifyBounce({ type: 'bounced', diagnostic: '   ' }).diagnostic).toBeNull();
  });

  it('counts an unreadable permanent refusal as soft, unless the provider knows better', () => {
    expect(classifyBounce({ type: 'bounced', diagnostic: '554 000 Example Remote MTA Bounce Message' }))
      .toMatchObject({ class: 'soft', reason: 'undefined', rule: 'code:554' });
    expect(classifyBounce({ type: 'bounced', diagnostic: '000 Example Remote MTA Bounce Message', reply_code: '554', provider_hint: { class: 'undetermined' } }))
      .toMatchObject({ class: 'undetermined', reason: 'undefined', rule: 'code:554+provider:hint' });
  });

  it('reads a final bounce with a temporary code as expired', () => {
    expect(classifyBounce({ type: 'bounced', diagnostic: '421' })).toMatchObject({ class: 'soft', reason: 'expired', rule: 'transient:421' });
  });

  it('takes the refused command from the provider when given', () => {
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 Unknown user', smtp_command: 'MAIL FROM' }))
      .toMatchObject({ class: 'soft', reason: 'rejected' });
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 Unknown user', smtp_command: 'RCPT TO' }))
      .toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('reads "user unknown" after DATA as a filter, except in Yahoo\'s documented refusal', () => {
    // Yahoo's postmaster help: "554 delivery error: dd This user doesn't have a yahoo.com account"
    // means the user does not exist. The same words from another server after DATA stay filtered.
    const yahoo = "554 delivery error: dd This user doesn't have a yahoo.com account (nobody@yahoo.com) [0] - mta1.mail.gq1.yahoo.com";
    for (const smtp_command of ['DATA', null]) {
      expect(classifyBounce({ type: 'bounced', diagnostic: yahoo, smtp_command, strict_user_unknown: true }))
        .toMatchObject({ class: 'hard', reason: 'userunknown', rule: 'text:userunknown' });
      expect(classifyBounce({ type: 'bounced', diagnostic: "550 This user doesn't have a example.org account (a@example.org)", smtp_command, strict_user_unknown: true }))
        .toMatchObject({ class: 'soft', reason: 'filtered' });
    }
    expect(classifyBounce({ type: 'bounced', diagnostic: '554: delivery error: dd Not a valid recipient - atlas117.free.mail.ne1.yahoo.com', smtp_command: 'DATA', strict_user_unknown: true }))
      .toMatchObject({ class: 'hard', reason: 'userunknown' });
    // Yahoo's and AOL's older answer for a missing mailbox, given after DATA.
    expect(classifyBounce({ type: 'bounced', diagnostic: '552 1 Requested mail action aborted, mailbox not found', smtp_command: 'DATA', strict_user_unknown: true }))
      .toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('reads KDDI\'s "550 : User unknown", which names no address, as its user\'s reception filter at any stage', () => {
    for (const smtp_command of ['RCPT', 'DATA', null]) {
      expect(classifyBounce({ type: 'bounced', diagnostic: '550 : User unknown', smtp_command, strict_user_unknown: true }), String(smtp_command))
        .toMatchObject({ class: 'soft', reason: 'filtered' });
    }
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 <a@b.example>: User unknown', smtp_command: 'RCPT', strict_user_unknown: true }))
      .toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('reads Postfix\'s "Recipient address rejected:" as its answer to RCPT TO, with a policy status only for its own unknown-user sentences', () => {
    const strict = (diagnostic: string, smtp_command?: string) => {
      const b = classifyBounce({ type: 'bounced', diagnostic, smtp_command: smtp_command ?? null, strict_user_unknown: true });
      return [b.class, b.reason];
    };
    expect(strict('550 <a@b.example>: Recipient address rejected: User unknown in local recipient table')).toEqual(['hard', 'userunknown']);
    expect(strict('550 <a@b.example>: Recipient address rejected: User unknown')).toEqual(['hard', 'userunknown']);
    expect(strict('550 5.7.1 <a@b.example>: Recipient address rejected: Recipient not found')).toEqual(['hard', 'userunknown']);
    // 5.7.x is what an administrator's access map answers with, in words of its own.
    for (const words of ['Mailbox unavailable', 'Invalid address', 'unknown']) {
      expect(strict(`550 5.7.1 <a@b.example>: Recipient address rejected: ${words}`), words).toEqual(['soft', 'filtered']);
    }
    // A command the bounce names still decides.
    expect(strict('550 <a@b.example>: Recipient address rejected: User unknown (in reply to end of DATA command)')).toEqual(['soft', 'filtered']);
    expect(strict('550 Message rejected at end of DATA: Recipient address rejected: user unknown')).toEqual(['soft', 'filtered']);
  });

  it('reads a reply that names the unknown address as the mailbox\'s, one that does not name it as a filter\'s', () => {
    // KDDI answers an address it does not know with "550 <a@b>: User unknown", and a message its
    // user's filter refuses with "550 : User unknown"; relays often drop the command.
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 <jane@ezweb.ne.jp>: User unknown', strict_user_unknown: true }))
      .toMatchObject({ class: 'hard', reason: 'userunknown' });
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 : User unknown', strict_user_unknown: true }))
      .toMatchObject({ class: 'soft', reason: 'filtered' });
    // Only KDDI's own domains, and never once the bounce says the refusal came after DATA.
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 <member@other.example>: User unknown', strict_user_unknown: true }))
      .toMatchObject({ class: 'soft', reason: 'filtered' });
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 <jane@ezweb.ne.jp>: User unknown', smtp_command: 'DATA', strict_user_unknown: true }))
      .toMatchObject({ class: 'soft', reason: 'filtered' });
  });

  it('takes a reporting host\'s own "user unknown" as proof, except after DATA, where it is a filter\'s', () => {
    const local = (smtp_command: 'DATA' | null) => classifyBounce({
      type: 'bounced', diagnostic: '550 unknown user', status: '5.0.0', smtp_command, strict_user_unknown: true, local_verdict: true,
    });
    expect(local(null)).toMatchObject({ class: 'hard', reason: 'userunknown' });
    expect(local('DATA')).toMatchObject({ class: 'soft', reason: 'filtered' });
  });

  it('takes qmail\'s fixed "no mailbox here by that name" as proof, even under a gateway\'s odd status', () => {
    const strict = (diagnostic: string) => classifyBounce({ type: 'bounced', diagnostic, status: '5.0.0', strict_user_unknown: true });
    expect(strict("5.1.0 - Unknown address error 550-'sorry, no mailbox here by that name. (#5.7.17)'"))
      .toMatchObject({ class: 'hard', reason: 'userunknown' });
    expect(strict('550 sorry, no mailbox here by that name. (#5.1.1)')).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('reads the remote reply inside Exchange\'s translation "5.1.351 Remote server returned ... -> <reply>", not Exchange\'s stock words', () => {
    const relayed = (reply: string) => `550 5.1.351 Remote server returned unknown recipient or mailbox unavailable -> ${reply}`;
    // A sender-side refusal, with the translation's status repeated in a DSN Status field.
    const sender = classifyBounce({ type: 'bounced', diagnostic: relayed('550 192.0.2.1 is not allowed to send mail from example.com'), status: '5.1.351', strict_user_unknown: true });
    expect(sender).toMatchObject({ class: 'soft', reason: 'authfailure', status: '5.1.351', reply_code: '550' });
    // Exchange's classic label in front, as its text NDR writes it.
    const labelled = classifyBounce({ type: 'bounced', diagnostic: `Remote Server returned '${relayed('550 Requested action not taken:')}'`, strict_user_unknown: true });
    expect(labelled).toMatchObject({ class: 'soft', reason: 'undefined' });
    // The remote's own words and codes decide: hard when they prove the mailbox missing.
    const unknown = classifyBounce({ type: 'bounced', diagnostic: relayed('550 5.1.1 <jane@example.net>: Recipient address rejected: User unknown in local recipient table'), status: '5.1.351', strict_user_unknown: true });
    expect(unknown).toMatchObject({ class: 'hard', reason: 'userunknown', status: '5.1.1' });
    expect(classifyBounce({ type: 'bounced', diagnostic: relayed('550 : User unknown'), status: '5.1.351', strict_user_unknown: true }))
      .toMatchObject({ class: 'soft', reason: 'filtered' });
  });

  it('reads Outlook.com\'s "mailbox unavailable" with its reference as an unknown recipient, RFC 5321\'s stock text as unsure', () => {
    for (const diagnostic of [
      '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [HE1EUR01FT020.eop-EUR01.prod.protection.outlook.com]',
      '550 Requested action not taken: mailbox unavailable (1171782072:1364:-2147467259)',
    ]) {
      expect(classifyBounce({ type: 'bounced', diagnostic, status: '5.5.0', strict_user_unknown: true }))
        .toMatchObject({ class: 'hard', reason: 'userunknown' });
      // A refusal after DATA is a filter's, whoever wrote it.
      expect(classifyBounce({ type: 'bounced', diagnostic, smtp_command: 'DATA', strict_user_unknown: true }).class).toBe('soft');
    }
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 Requested action not taken: mailbox unavailable', status: '5.5.0', strict_user_unknown: true }))
      .toMatchObject({ class: 'soft', reason: 'filtered' });
    // Another reference, another status, or a clock time in the brackets: not Outlook.com's verdict.
    for (const [diagnostic, status] of [['550 Requested action not taken: mailbox unavailable (S3150001)', '5.5.0'],
      ['550 Requested action not taken: mailbox unavailable (S2017062302)', '5.7.1'], ['550 Requested action not taken: mailbox unavailable (12:30:45)', '5.5.0']]) {
      expect(classifyBounce({ type: 'bounced', diagnostic, status, strict_user_unknown: true }).class).toBe('soft');
    }
  });

  it('reads Postfix\'s local delivery verdict \'unknown user: "name"\' as an unknown recipient, a remote\'s reply quoting it as unsure', () => {
    expect(classifyBounce({ type: 'bounced', diagnostic: 'unknown user: "jane"', status: '5.0.0', strict_user_unknown: true }))
      .toMatchObject({ class: 'hard', reason: 'userunknown' });
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 unknown user: "jane"', status: '5.0.0', strict_user_unknown: true }))
      .toMatchObject({ class: 'soft', reason: 'filtered' });
  });

  it('reads Microsoft\'s directory-based edge blocking as an unknown recipient, at whatever stage a relay reports it', () => {
    // Microsoft's DBEB refuses an address missing from the tenant's directory at RCPT TO with
    // "550 5.4.1 Recipient address rejected: Access denied"; relays often drop the command.
    for (const diagnostic of [
      '550 5.4.1 [a@example.br]: Recipient address rejected: Access denied [BL2NAM02FT061.eop-nam02.prod.protection.outlook.com]',
      '5.4.1 Recipient address rejected: Access denied. [TY0PR01MB0000.jpnprd01.prod.outlook.com 2024-02-19T09:30:25.255Z 08DC0000]',
      '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6NAM12FT000.eop-nam12.prod.protection.outlook.com]',
    ]) {
      expect(classifyBounce({ type: 'bounced', diagnostic, strict_user_unknown: true })).toMatchObject({ class: 'hard', reason: 'userunknown' });
    }
    // The status alone marks it too, though the reply decoder takes "550 5.4.1" off the words.
    for (const diagnostic of ['550 5.4.1 Recipient address rejected: Access denied', 'smtp; 550 5.4.1 <a@example.org>: Recipient address rejected: Access denied']) {
      expect(classifyBounce({ type: 'bounced', diagnostic, strict_user_unknown: true })).toMatchObject({ class: 'hard', reason: 'userunknown' });
    }
    // A bounce that says the refusal came after DATA is a filter's, whatever the words.
    expect(classifyBounce({ type: 'bounced', diagnostic: 'host x said: 554 5.4.1 <a@example.org>: Recipient address rejected: Access denied (in reply to end of DATA command)', strict_user_unknown: true }))
      .toMatchObject({ class: 'soft', reason: 'filtered' });
    // Postfix's own access-rule text names no directory: not read as an unknown user.
    expect(classifyBounce({ type: 'bounced', diagnostic: '554 5.7.1 <a@example.org>: Recipient address rejected: Access denied', strict_user_unknown: true }))
      .not.toMatchObject({ class: 'hard' });
    // 5.4.1 alone is a routing failure.
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 5.4.1 No answer from host' })).toMatchObject({ class: 'soft' });
  });

  it('reads cPanel\'s cannot-route message as an unknown domain, not a block list', () => {
    const text = 'The mail server could not deliver mail to a@example.net.  The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.';
    expect(classifyBounce({ type: 'bounced', diagnostic: text })).toMatchObject({ class: 'hard', reason: 'hostunknown', rule: 'text:hostunknown' });
    // The same sentence quoted by cPanel's callout about our own sender address is not about the recipient.
    expect(classifyBounce({ type: 'bounced', diagnostic: '550-Verification failed for <news@sender.example>\n550-The mail server could not deliver mail to news@sender.example.  The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.\n550 Sender verify failed' }))
      .toMatchObject({ class: 'soft', reason: 'blocked' });
    // A server that says it block-listed us is still a sender-side refusal.
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 5.7.1 Your IP 192.0.2.1 is blacklisted' })).toMatchObject({ class: 'soft', reason: 'blocked' });
  });

  it('does not count an auto-reply as a failure', () => {
    expect(classifyBounce({ type: 'bounced', diagnostic: 'I am out of the office until Monday.' }))
      .toMatchObject({ class: 'undetermined', reason: 'vacation' });
  });
});
