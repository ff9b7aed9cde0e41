import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeReply } from '../../../src/catalog/decode.js';
import { classifyBounce } from '../../../src/core/classify.js';

// Many reply lines below are taken or adapted from the Sisimai set-of-emails collection
// (shared/corpus/dsn; BSD 2-Clause licence, Copyright (C) 2014 azumakuniyuki); the rest are
// written for these tests in the style of common MTAs.

describe('decodeReply: codes', () => {
  it.each([
    ['550-5.1.1 The email account that you tried to reach does not exist.', '550', '5.1.1'],
    ['smtp; 550 5.1.1 <jane@example.com>... User unknown', '550', '5.1.1'],
    ['SMTP; 550 #5.1.0 Address rejected', '550', '5.1.0'],
    ['550: 5.2.2 <x@example.jp>... Mailbox Full', '550', '5.2.2'],
    ['X-Postfix; host mx.example.com[192.0.2.2] said: 452 4.2.2 quota (in reply to RCPT TO command)', '452', '4.2.2'],
    ['Diagnostic-Code: smtp; 421 4.4.2 Connection timed out', '421', '4.4.2'],
    ['did not like our RCPT TO:550 5.1.2 <x@example.net>: Recipient address rejected', '550', '5.1.2'],
    ['#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##', '550', '5.1.1'],
    ['Sorry, no mailbox here by that name. (#5.1.1)', null, '5.1.1'],
    ['host said: 550 Unknown user x@example.net (in reply to end of DATA command)', '550', null],
    ['Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <x@example.co.jp>... User Unknown', '550', '5.1.1'],
    ['421', '421', null],
    // Amazon SES quotes the remote's reply after its own code.
    ["5.1.0 - Unknown address error 550-'5.2.2 <x@example.jp>... Mailbox Full' (delivery attempts: 0)", '550', '5.2.2'],
    ['status=5.1.1', null, '5.1.1'],
    ['no codes at all here', null, null],
  ])('%s', (line, reply, status) => {
    const d = decodeReply(line);
    expect(d.reply_code).toBe(reply);
    expect(d.status).toBe(status);
  });

  it('reads a multi-line reply once, and joins its text', () => {
    const d = decodeReply('550-5.1.1 a\n550-5.1.1 b\n550 5.1.1 c');
    expect(d).toMatchObject({ reply_code: '550', status: '5.1.1', reason: 'userunknown', text: 'a b c' });
  });

  it('joins continuation lines that carry only an enhanced code', () => {
    const d = decodeReply('4.2.2 The email account that you tried to reach is over quota. Please direct\n4.2.2 the recipient to\n4.2.2  https://support.example.com/mail/?p=422');
    expect(d.status).toBe('4.2.2');
    expect(d.reason).toBe('mailboxfull');
    expect(d.text).toBe('The email account that you tried to reach is over quota. Please direct the recipient to https://support.example.com/mail/?p=422');
  });

  it('does not take IP addresses, dates, ids or counters for codes', () => {
    const d = decodeReply('Received from 192.0.2.550 on Thu, 29 Apr 2009 00:00:00 -0000 id <20240501.550.abc@x> 5.1.1.1 (delivery attempts: 0) delivered in 450 minutes, port 10:550');
    expect(d.reply_code).toBeNull();
    expect(d.status).toBeNull();
  });

  it('does not read a bracketed reference number as a reply', () => {
    expect(decodeReply('Mail rejected. OFR_416 [416]').reply_code).toBeNull();
  });

  it('prefers the remote server\'s own code to the code of a wrapper around it', () => {
    // Amazon SES wraps the remote reply in its own 5.1.0 (Sisimai set-of-emails, BSD-2-Clause).
    const d = decodeReply("5.1.0 - Unknown address error '5.2.2 <kijitora@example.jp>... Mailbox Full' (delivery attempts: 0)");
    expect(d.status).toBe('5.2.2');
    expect(d.reason).toBe('mailboxfull');
    // A reply whose classes agree beats an outer one that disagrees (set-of-emails, Amazon SES).
    expect(decodeReply('554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>'))
      .toMatchObject({ reply_code: '421', status: '4.4.2', reason: 'expired' });
  });

  it('keeps the human text without the diagnostic type and the leading codes', () => {
    expect(decodeReply('smtp; 550 5.1.1 user unknown').text).toBe('user unknown');
  });
});

describe('decodeReply: reason', () => {
  it.each([
    ['550-5.1.1 The email account that you tried to reach does not exist.', 'userunknown'],
    ['550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in virtual mailbox table', 'userunknown'],
    ['550 Requested action not taken: mailbox unavailable', 'userunknown'],
    ['SMTP; 550 #5.1.0 Address rejected', 'userunknown'],
    ['550 5.1.0 Recipient rejected: <jdoe@example.com>', 'userunknown'],
    ['host mx.example.net[192.0.2.1] said: 550 5.0.1 Recipient rejected (in reply to RCPT TO command)', 'userunknown'],
    ['550 Recipient rejected due to policy', 'policyviolation'],
    // A cause given first is the reason; the bare words only close the reply.
    ['550 Message blocked; recipient rejected', 'blocked'],
    ['550 Mailbox has been closed; recipient rejected', 'suspend'],
    ['550 Syntax error in parameters; recipient rejected', 'syntaxerror'],
    ['550 5.0.0 <jdoe@example.jp>... Recipient rejected', 'userunknown'],
    ['The error that the other server returned was: 550 5.1.0 Recipient rejected: <jdoe@example.com>', 'userunknown'],
    ['550 Message blocked: recipient rejected', 'blocked'],
    ['Message blocked: 550 Recipient rejected', 'blocked'],
    ['host mx.example.com [192.0.2.1]: 550 Recipient rejected', 'userunknown'],
    // Before RCPT there is no recipient: words of a missing one are a refusal of the connecting host.
    ['SMTP error from remote mail server after initial connection: host mx.example.com [192.0.2.1]: 550 Recipient rejected', 'blocked'],
    // A gateway's 521 refuses the sender; only words or X.3.2 say the host takes no mail.
    ['521 Block permanently (Sender Filtering/Authentication)', 'blocked'],
    ['host mx.example.com[192.0.2.1] said: 521 Block permanently (Sender Filtering) (in reply to RCPT TO command)', 'blocked'],
    ['521 5.3.2 System not accepting network messages', 'notaccept'],
    ['521 Example.org does not accept mail', 'notaccept'],
    ['550 command rejected due to Sender ID validation failure.', 'authfailure'],
    ['554 192.0.2.1 found on one or more RBLs', 'blocked'],
    ['550 5.7.1 <jdoe@example.com>: Recipient address rejected: User email address is marked as invalid', 'userunknown'],
    ['550 5.7.1 From user email address is marked as invalid', 'securityerror'],
    ['452 4.3.2 message threshold exceeded', 'speeding'],
    // Gmail's rate words: a rate while it defers (4.7.28), a block once it says the IP is blocked.
    ['421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.', 'speeding'],
    ['550-5.7.1 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been blocked.', 'blocked'],
    ['421 4.7.0 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily blocked.', 'blocked'],
    ['554 Too many Received: headers', 'networkerror'],
    // The sender's own domain without mail service (RFC 7505 §4.2's example): not the recipient's.
    ['550 5.7.27 Sender address has null MX', 'rejected'],
    ['501 5.7.27 Domain in MAIL FROM has null MX record', 'rejected'],
    ['550 No MX for your FROM address', 'rejected'],
    ['550 5.1.10 Recipient address has null MX', 'notaccept'],
    // A limit on what the sending host sent, under a mailbox-full status.
    ['452 4.2.2 more than 10000 messages in past 24h0m0s from your ip/network', 'speeding'],
    ['550 5.5.0 Invalid EHLO domain.', 'blocked'],
    ['550 5.1.0 too many failures', 'blocked'],
    ['421 4.5.0 Too many errors, bye', 'blocked'],
    ['SMTP error from remote mail server after RCPT TO:<bob@example.org>: 550 5.1.0 too many failures', 'blocked'],
    ['host mx.example.org[192.0.2.1] said: 421 4.5.0 Too many errors, bye (in reply to RCPT TO command)', 'blocked'],
    ['550 Sender domain example.com has null MX', 'rejected'],
    ['550 MAIL FROM domain mail.example.com has null MX record', 'rejected'],
    // Exim's sender verification names the sender's address; its "Unrouteable address" is the sender's domain.
    ['550 Verification failed for <news@sender.example>: unrouteable address', 'rejected'],
    // A group's refusal of a sender who is not a member, under 5.1.1 (groups.io): not a dead address.
    ['510 5.1.1 Your email address, jane@example.com, is not subscribed to that group.', 'policyviolation'],
    ['550 Only members of this list may post', 'policyviolation'],
    // ZMailer's router on a recipient it cannot route: the mailbox's problem, not the client's PTR.
    ['554 5.0.0 Hi [192.0.2.15], unresolvable address: <list@example.org>; nosuchuser; list@example.org', 'userunknown'],
    ['550 5.7.1 Client host rejected: unresolvable address 192.0.2.15', 'requireptr'],
    // An ISP intercepting port 25, a blackhole list.
    ['554 Please check your SMTP server is set to smtp.isp.example', 'blocked'],
    // The sending host's own Exim, set up for local delivery only.
    ['Mailing to remote domains not supported', 'norelaying'],
    // Advice beside a missing mailbox, and a sender's address outside a domain, say no more than the status.
    ['550 5.1.1 Please ensure your mail server is set up correctly; <x@example.org>... User unknown', 'userunknown'],
    ['550 5.1.1 The email account that you tried to reach does not exist. Your address is not a member of this domain', 'userunknown'],
    ['550 5.7.1 Mail from 192.0.2.194 refused by blackhole site bl.example.org', 'blocked'],
    // qmail refusing a bare LF in DATA names its smtplf page.
    ['451 See http://pobox.com/~djb/docs/smtplf.html.', 'syntaxerror'],
    ['550 Connection denied', 'blocked'],
    // Gmail's DMARC alignment refusal names the From: header's RFC: not an RFC-compliance refusal.
    // ... while the RFC's name still marks a refusal of a malformed header, and "bulk mail" a spam verdict.
    ['550 Invalid From: header (RFC 5322)', 'notcompliantrfc'],
    ['550 Rejected: your server is a known bulk mail sender', 'spamdetected'],
    ["421 4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.", 'authfailure'],
    ['552-5.7.0 This message was blocked because its content presents a potential', 'policyviolation'],
    ['host mx.example.jp[192.0.2.2] said: 550 <jdoe@example.jp>: Recipient address rejected. (in reply to RCPT TO command)', 'userunknown'],
    ['550 5.7.1 <jdoe@example.jp>: Recipient address rejected: Access denied', 'securityerror'],
    // The same weak words under a security or policy status: a recipient-side rule, not a missing mailbox.
    ['554 5.7.1 Address rejected', 'filtered'],
    ['550 5.7.1 Requested action not taken: mailbox unavailable', 'filtered'],
    // A mailbox closed is no missing address: it keeps its reason (and counts toward the soft limit).
    ['550 5.7.1 Account closed', 'suspend'],
    ['550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'userunknown'],
    ['Host or domain name not found. Name service error for name=example.jp type=A: Host not found', 'hostunknown'],
    ['Name service error for domain example.com: Host not found, try again', 'networkerror'],
    // Sender-side refusals in words that also name recipients, mailboxes or a domain: never hard.
    ['554 5.7.1 <x@cox.net> cox.net too many invalid recipients', 'blocked'],
    ['550 5.1.1 too many invalid recipients from your IP', 'blocked'],
    ['554 This IP has been temporarily blocked for attempting to mail too many invalid recipients. IB112', 'blocked'],
    ['550 5.7.1 POL-P3 https://www.facebook.com/postmaster/response_codes?ip=192.0.2.1#pol-p3 Facebook is not accepting messages from your mail server', 'blocked'],
    ['554 5.7.1 This domain is not accepting mail', 'notaccept'],
    ['550 5.7.1 DNS-P1 Your SMTP MAIL FROM domain does not exist', 'rejected'],
    ['550 5.1.7 Invalid address', 'rejected'],
    ['501 5.1.8 Bad sender address: domain not found', 'rejected'],
    ['550 5.7.0 Mail Sending denied. This error occurs if the sender account is disabled or not registered within your Google Workspace domain.', 'securityerror'],
    ['550 5.7.1 This message exceeded its quota for sending messages with the same Message-ID.', 'speeding'],
    ['550 5.2.1 Content Filter agent quarantined this message', 'spamdetected'],
    ['550-5.7.1 Messages missing a valid address in the From: header, or having no From: header, are not accepted.', 'notcompliantrfc'],
    ['550 5.2.122 The recipient has exceeded their limit for the number of messages they can receive per hour', 'speeding'],
    // Providers' documented refusal codes say more than their words (Cox, Spectrum, GoDaddy, Outlook.com, i.ua).
    ['554 cox.net rejected due to AUP#CXBL 192.0.2.1 https://www.cox.com/residential/support/understanding-error-messages', 'blocked'],
    ['554 5.7.1 Message rejected because of AUP#In-1310 https://www.spectrum.net/support/internet/understanding-email-error-codes', 'toomanyconn'],
    ['554 Your access to this mail system has been rejected due to the sending MTA poor reputation. IB103 <http://x.co/srbounce>', 'badreputation'],
    ['550 SC-001 (BAY0-MC1-F21) Unfortunately, messages from 192.0.2.1 weren\'t sent.', 'badreputation'],
    ['550 Mailbox is frozen. See http://mail.i.ua/err/3/', 'suspend'],
    // Microsoft: the recipient's domain does not exist, or is reserved for examples and tests.
    ['550 5.4.310 DNS domain example.com does not exist [Message=InfoDomainNonexistent]', 'hostunknown'],
    ['550 5.1.4 Recipient address reserved by RFC 2606', 'hostunknown'],
    ['552 Too much mail data', 'mailboxfull'],
    // Sisimai's phrase lists, read the same way (a review of 670 phrases): refusals of the sender
    // or the message, and a recipient's own settings, that read like a domain or mailbox gone ...
    ['550 5.7.1 Because the recipient is not accepting mail with attachments or embedded images', 'policyviolation'],
    ['550 jdoe@aol.com is not accepting any mail', 'filtered'],
    ['550 5.7.1 Sender email address rejected', 'rejected'],
    ['554 5.7.1 Error: no valid recipients from 192.0.2.1', 'blocked'],
    ['550 mail from 192.0.2.1 refused, see http://www.orbs.org', 'blocked'],
    ['550 5.1.1 <orbs@example.com>: User unknown', 'userunknown'],
    ['553 sorry, that domain isn\'t in my list of allowed rcpthost (#5.7.1)', 'norelaying'],
    // ... a mailbox suspended or moved, not gone, though the status says 5.1.1 ...
    ['550 5.1.1 <jdoe@example.com> is currently suspended', 'suspend'],
    ['550 5.1.1 jdoe@example.com has been replaced by jane@example.net', 'hasmoved'],
    // ... and missing mailboxes, full ones and long failures in words the rules did not know.
    ['550 There is no one at this address', 'userunknown'],
    ['553 sorry, your envelope recipient is in my badrcptto list (#5.7.1)', 'userunknown'],
    ['550 No jdoe in name directory', 'userunknown'],
    ['552 Requested mail action aborted: exceeded storage allocation', 'mailboxfull'],
    ['retry time not reached for any host after a long failure period', 'expired'],
    // MTAs' own words for their local or network failures (Exim, qmail, OpenSMTPD, Notes, Courier, au).
    ['local delivery failed', 'systemerror'],
    ['delivery to pipe forbidden', 'systemerror'],
    ["This domain's DNS violates RFC 1035.", 'systemerror'],
    ['Network error on destination MXs', 'networkerror'],
    ["Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", 'networkerror'],
    // ... but a sender that gave up says so: the queue time decides.
    ["Sorry, I wasn't able to establish an SMTP connection. (#4.4.1) I'm not going to try again; this message has been in the queue too long.", 'expired'],
    ['Message has exceeded maximum hop count', 'networkerror'],
    ['As the remote domain doesnt exist.', 'hostunknown'],
    ['no valid MX hosts found', 'hostunknown'],
    // Yahoo's TSS04 names complaints (the sender's record) with the volume; AOL's refusal of a
    // sending site is a block, Postfix's "Delivery not authorized" for a recipient is not.
    ['421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1', 'badreputation'],
    ['554 5.7.1 Delivery not authorized, message refused', 'blocked'],
    ['551 5.7.1 <a@b.example>: Recipient address rejected: Delivery not authorized', 'securityerror'],
    // A review of the day's new rules: none reads the sender's own address, login or relay account as
    // a missing or suspended mailbox, and none turns a missing mailbox into a sender-side reason.
    ['550 5.7.1 Return-path address invalid', 'securityerror'],
    ['550 5.7.1 Sender mailbox invalid', 'securityerror'],
    ['550 5.7.1 Client IP address unknown', 'securityerror'],
    ['550 5.7.1 Sender <s@example.org> not found', 'securityerror'],
    ['550 5.7.1 Helo host doesnt exist', 'securityerror'],
    ['550 5.7.0 Invalid account or password', 'securityerror'],
    ['553 5.7.1 From address does not match any account: unknown account a@b.example', 'securityerror'],
    ['550 Unknown account', 'userunknown'],
    ['550 5.7.1 Your sending account is not activated', 'securityerror'],
    ['550 5.7.1 Your quota exceeds the daily limit for sending', 'speeding'],
    ['550 5.1.1 <bulk.mail@example.com>: Recipient address rejected: User unknown in virtual mailbox table', 'userunknown'],
    ['550 5.1.1 We do not handle mail for this user', 'userunknown'],
    ['550 5.1.1 <a@b.example>: Recipient address rejected: User unknown (backscatter protection active)', 'userunknown'],
    ['550 5.1.1 The recipient\'s server refused to receive the message: user does not exist', 'userunknown'],
    // A second review: the new forms only where they speak of the recipient.
    ['550 From header address invalid', null],
    ['550 Sender not found in LDAP', null],
    ['550 Sender not our customer', null],
    ['550 Absenderadresse nicht gefunden', null],
    ['550 5.7.1 Invalid account. Please authenticate.', 'securityerror'],
    ['550 5.7.1 Your IP has sent mail to many non-existent recipients and is blocked', 'blocked'],
    ['550 Verification failed for <sender@example.com>: all host address lookups failed permanently', 'rejected'],
    ['550 5.1.2 Host unknown: failure in DNS lookup of example.invalid', 'hostunknown'],
    ['550 5.1.3 Recipient address improperly formatted', 'userunknown'],
    ['550 5.1.1 <batv-test@example.com>: User unknown', 'userunknown'],
    ['550 5.1.1 user unknown at host rp-001.example.com', 'userunknown'],
    ['452 4.2.2 Too much email in mailbox', 'mailboxfull'],
    ['550 5.1.1 <a@b.example>... address invalid', 'userunknown'],
    ['<a@b.example> was not found in LDAP server', 'userunknown'],
    ['550 This message scored 11.4 points. Congratulations!', 'spamdetected'],
    // Exim's router: the domain's mail hosts have no address.
    ['all relevant MX records point to non-existent hosts', 'hostunknown'],
    ['all host address lookups failed permanently', 'hostunknown'],
    ['550 5.1.6 recipient no longer on server', 'hasmoved'],
    ['552 5.2.2 mailbox full', 'mailboxfull'],
    ['552 Error: disk quota exceeded', 'mailboxfull'],
    ['550-5.2.1 The email account that you tried to reach is disabled.', 'suspend'],
    ['452 4.4.5 Insufficient disk space; try again later', 'systemfull'],
    ['552 5.3.4 Message size exceeds fixed limit', 'mesgtoobig'],
    ['554 5.7.1 Service unavailable; Client host [192.0.2.4] blocked using zen.spamhaus.org', 'blocked'],
    ['550 5.7.606 Access denied, banned sending IP [192.0.2.222].', 'blocked'],
    ['550 5.7.25 The IP address sending this message does not have a PTR record setup', 'requireptr'],
    // The sender's own lookup of the recipient's mail servers failing is no reverse-DNS refusal.
    ['unable to get mx info: failed to get IPs from PTR record: lookup <nil>: unrecognized address', 'networkerror'],
    ['Unable to find MX of domain no-mx.example.com', 'networkerror'],
    ['550 5.7.1 This message was not accepted due to domain owner DMARC policy', 'authfailure'],
    ['554 5.7.1 <x@example.org>: Relay access denied', 'norelaying'],
    ['451 4.7.652 The mail server [192.0.2.1] has exceeded the maximum number of connections.', 'toomanyconn'],
    ['421 4.7.0 Our system has detected an unusual rate of unsolicited mail. Mail sent from your IP address has been temporarily rate limited.', 'speeding'],
    ['451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation.', 'badreputation'],
    // Mimecast's documented replies (its SMTP error code list) and T-Online's IP block.
    ['554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554 [abc.us222]', 'policyviolation'],
    ['550 Anti-Spoofing policy - Inbound not allowed', 'policyviolation'],
    ['550 Message bounced due to Content Examination Policy', 'policyviolation'],
    ['550 Envelope rejected - Block policy for Envelope From address', 'rejected'],
    ['553 This route requires encryption (TLS)', 'securityerror'],
    ['553 This route requires high-strength ciphers', 'securityerror'],
    ['550 Exceeding outbound thread limit', 'toomanyconn'],
    ['554 IP=192.0.2.254 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)', 'blocked'],
    // Documented replies that read like a missing mailbox but are not one, and the reverse.
    ['553 5.1.7 The sender address <a@b.example> is not a valid RFC 5321 address.', 'rejected'],
    // QQ: the recipient gets too much mail and is closed to it for a while (also spelled "denined").
    ['550 Mailbox unavailable or access denied [MGzPc IP: 192.0.2.33]', 'speeding'],
    ['550 Mailbox unavailable or access denined. https://service.mail.qq.com/detail/122/166', 'speeding'],
    ['550 5.7.1 <nowhere.example.net>: Helo command rejected: Host not found', 'blocked'],
    ['503 User unknown', 'syntaxerror'],
    ['554 5.2.2 Submission quota exceeded', 'speeding'],
    ["552 5.2.2 Recipient's message quota has been exceeded", 'mailboxfull'],
    // The mailbox's size, not the message's (a message too big never counts toward the limit).
    ['552 5.2.2 Mailbox size exceeded', 'mailboxfull'],
    ['552 The users mailfolder is over the allowed quota (size).', 'mailboxfull'],
    // The message's size or the sender's allowance, with "mailbox" or "quota" in the words: not a full mailbox.
    ['550 5.7.1 This message is not RFC 5322 compliant', 'notcompliantrfc'],
    // The From header's address is the sender's message, never the recipient's.
    ['550 5.7.1 Invalid address in From header, not RFC 5322 mailbox address', 'notcompliantrfc'],
    // The mailbox's own size, plurals included, and a quota's.
    ['452 4.2.2 Mailbox messages size limit reached', 'mailboxfull'],
    ['552 5.2.2 Mailbox items size limit reached', 'mailboxfull'],
    ['552 5.2.2 User quota size exceeded', 'mailboxfull'],
    ['550 Account is over the allowed quota', 'mailboxfull'],
    ['552 Mailbox over the allowed quota of 500MB', 'mailboxfull'],
    // Hyphenated, as a remote's deferral quoted in an Exim delay warning (Exim test suite, test/mail/0098.CALLER).
    ['451 Over-quota', 'mailboxfull'],
    // Typographic apostrophes read as the ASCII one the rules are written with.
    ['550 Sorry, that mailbox doesn\u2019t exist', 'userunknown'],
    ['550 5.7.1 Client host rejected: your IP isn\u2019t welcome, blocked using zen.spamhaus.org', 'blocked'],
    ['452 4.2.2 Mailbox over-quota', 'mailboxfull'],
    ['552 5.2.3 Mailbox attachments size limit exceeded', 'mesgtoobig'],
    ['552 5.3.4 Mailbox files size limit exceeded', 'mesgtoobig'],
    ['552 5.3.4 Mailbox emails size exceeded', 'mesgtoobig'],
    ['550 mailbox is over the allowed quota for sending', 'speeding'],
    ['421 Your mailbox is over the allowed quota for today', null],
    ['552 5.3.4 Mailbox message size exceeded', 'mesgtoobig'],
    ['552 Mailbox attachment size exceeded', 'mesgtoobig'],
    ['552 mailbox item size limit exceeded', 'mesgtoobig'],
    ['554 5.2.3 Quota message size exceeded', 'mesgtoobig'],
    ['554 Quota size exceeded for sending', 'mesgtoobig'],
    ['550 Your account is over the allowed limit for outgoing messages', null],
    ['550 5.7.1 Sender account is over the allowed quota of messages per day', 'securityerror'],
    ['550 5.2.2 Maximum mailbox size exceeded', 'mailboxfull'],
    ['452 4.2.2 Storage size exceeded', 'mailboxfull'],
    ['552 Mailbox size exceeded - Mailbox voll', 'mailboxfull'],
    ['452 4.2.2 Mailbox exceeds administrative limit', 'mailboxfull'],
    ['552 5.3.4 Message size exceeds fixed maximum message size', 'mesgtoobig'],
    ['552 5.3.4 Message size exceeds fixed limit', 'mesgtoobig'],
    ['550 5.5.3 Message exceeds the administrative limit on recipients', 'exceedlimit'],
    ['550 relay is not permitted on this host', 'norelaying'],
    ['553 Relaying disallowed as <a@b.example>', 'norelaying'],
    ['553 sorry, this recipient is not in my validrcptto list (#5.7.1)', 'userunknown'],
    ['X-LOCAL; 500 (err.nosuchuser)', 'userunknown'],
    // Sender-side refusals that a mailbox status or nothing at all would count toward the soft limit.
    ['521 5.2.1 : (CON:B1) https://postmaster.aol.com', 'blocked'],
    ['554- (RTR:DU)  https://postmaster.aol.com/error-codes#554rtrdu', 'blocked'],
    ['550 5.2.1 The user you are trying to contact is receiving email at a rate that prevents additional messages from being delivered.', 'speeding'],
    ['550 Mail content denied', 'contenterror'],
    ['550 permanent failure for one or more recipients (a@b.example:rejecting spoofed message)', 'authfailure'],
    ['550 Administrative prohibition', 'policyviolation'],
    ['550 Submitter failed to authenticate', 'securityerror'],
    ['550 5.7.504 [jane@contoso.example]: Recipient address rejected: Access denied', 'userunknown'],
    ['550 5.7.1 Message content rejected, UBE, id=00000-00-000', 'spamdetected'],
    ['550 Virus Detected; Content Rejected', 'virusdetected'],
    ['554 5.7.1 Rejected by anti-virus filter: Eicar-Test-Signature', 'virusdetected'],
    // A gateway's footer in the text is not a virus found.
    ['550 5.1.1 <a@b.example>: Recipient address rejected: User unknown (mail scanned for viruses by mx.example.net)', 'userunknown'],
    ['550 User unknown. This email has been checked for viruses by Avast antivirus software.', 'userunknown'],
    ['550 5.1.1 User unknown. Scanned for viruses by Trend Micro Antivirus software.', 'userunknown'],
    ['550 5.1.1 User unknown (protected by antivirus software)', 'userunknown'],
    ['550 Rejected by antivirus software', 'virusdetected'],
    ['550 192.0.2.1 is not allowed to send mail from example.com', 'authfailure'],
    // The sender's IP, whatever the status says (5.3.2 alone is a domain that accepts no mail).
    ['554 5.3.2 Sorry, we do not accept connections from your IP', 'blocked'],
    ['421 4.3.2 Your IP(192.0.2.1) is filtered. Please register your IP to realip.example.com', 'blocked'],
    // Other languages: the recipient unknown, the mailbox full, spam, a black list; the sender's
    // own address is not the recipient's.
    ['550 5.1.1 Пользователь не найден', 'userunknown'],
    ['550 нет такого пользователя', 'userunknown'],
    ['550 Почтовый ящик отправителя не существует', null],
    ['550 5.1.1 Adres odbiorcy nie istnieje', 'userunknown'],
    ['550 Konto nadawcy nie istnieje', null],
    ['550 5.1.1 Conta de e-mail não existe', 'userunknown'],
    ['550 Conta do remetente não existe', null],
    ['550 5.1.1 用户不存在', 'userunknown'],
    ['550 发件人邮箱不存在', null],
    ['550 5.1.1 Usuario no encontrado', 'userunknown'],
    ['550 5.1.1 Questo indirizzo non esiste', 'userunknown'],
    ['552 Почтовый ящик переполнен', 'mailboxfull'],
    ['552 收件人空间不足', 'mailboxfull'],
    ['552 Skrzynka odbiorcy jest pełna', 'mailboxfull'],
    ['554 Письмо отклонено как спам', 'spamdetected'],
    ['550 Отправитель в чёрном списке', 'blocked'],
    ['550 message sending for this account is disabled', 'rejected'],
    // Words about the sender, a login, a list or a forwarding address are not the recipient's.
    ['550 发件人的邮箱不存在', null],
    ['550 您的账户不存在', null],
    ['550 Twoje konto nie istnieje', null],
    ['550 Uwierzytelnianie nieudane: użytkownik nie istnieje', 'securityerror'],
    ['550 Afzender e-mailadres bestaat niet', null],
    ['535 Gebruiker onbekend', 'securityerror'],
    ['535 Kimlik doğrulama başarısız: kullanıcı bulunamadı', 'securityerror'],
    ['550 5.7.1 Пользователь не найден в списке разрешённых отправителей', 'securityerror'],
    ['550 5.7.1 Адрес пересылки получателя не существует', 'securityerror'],
    ["550 Il dominio dell'indirizzo non esiste", null],
    ['550 Desconta inexistente', null],
    ['550 Conta desconhecida', 'userunknown'],
    ['550 Buzón no existe', 'userunknown'],
    ['550 Gebruiker bestaat niet', 'userunknown'],
    ['550 Kullanıcı bulunamadı', 'userunknown'],
    // An anti-spam product's name beside a clear unknown user is no spam verdict.
    ['550 5.1.1 Recipient unknown (Powered by Barracuda 反垃圾邮件网关)', 'userunknown'],
    ['550 5.1.1 Użytkownik nie istnieje (system antyspamowy Example)', 'userunknown'],
    ['554 邮件被识别为垃圾邮件', 'spamdetected'],
    // An anti-spam filter's refusal is the sender's, even under a misused 5.1.1.
    ['550 5.1.1 Сообщение отклонено антиспам-фильтром', 'spamdetected'],
    ['550 5.1.1 被反垃圾邮件系统拦截', 'spamdetected'],
    ['550 5.1.1 Odrzucone przez filtr antyspamowy', 'spamdetected'],
    // Verification of something else, or a login, in Chinese; login failures in four more languages.
    ['550 5.1.1 收件人验证失败', 'userunknown'],
    ['535 SMTP验证失败', 'securityerror'],
    ['550 Falha na autenticação: usuário desconhecido', 'securityerror'],
    ['550 Autenticazione fallita: utente sconosciuto', 'securityerror'],
    // The usual forms said of the recipient, and "your" or the sender's said otherwise.
    ['550 Такого почтового ящика не существует', 'userunknown'],
    ['550 Адрес получателя не существует', 'userunknown'],
    ['550 Пользователь не найден в системе', 'userunknown'],
    ['550 Ваш почтовый ящик не найден', null],
    ['550 Skrzynka pocztowa nie istnieje', 'userunknown'],
    ['550 Destinatário não existe', 'userunknown'],
    ['550 Sua conta não existe', null],
    ['550 Su buzón no existe', null],
    ['550 Dit e-mailadres bestaat niet', 'userunknown'],
    ['550 Uw mailbox bestaat niet', null],
    ['550 您发送的邮件中收件人不存在', 'userunknown'],
    ['550 您的收件人不存在', 'userunknown'],
    ['550 您的邮箱不存在', null],
    ['554 5.7.9 Message not accepted for policy reasons.', 'policyviolation'],
    ['554 Message not allowed - [299]', 'policyviolation'],
    ['421-4.7.28 Our system has detected an unusual rate of mail originating from your SPF domain [example.com]. To protect our users from spam, mail sent from your domain has been temporarily rate limited.', 'speeding'],
    ["550 5.2.121 Recipient's per hour message receive limit from specific sender exceeded", 'speeding'],
    ['550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains', 'blocked'],
    ['421-4.7.28 Gmail has detected an unusual rate of 421-4.7.28 mail originating from your SPF domain [example.com].', 'speeding'],
    ['554 Message not allowed - Headers are not RFC compliant[291]', 'notcompliantrfc'],
    ['550 5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers.', 'notcompliantrfc'],
    // A multi-line reply joined into one line keeps its codes between the words of a sentence.
    ['host mx.example.net said: 550-5.7.1 Messages with multiple 550-5.7.1 addresses in From: header are not accepted. 550 5.7.1 See more', 'notcompliantrfc'],
    ["Remote Server returned '552-5.7.0 This message was blocked because its content presents a potential 552-5.7.0 security issue.'", 'policyviolation'],
    ['smtp; 550-5.7.1 [192.0.2.1 13] Messages with multiple 550-5.7.1 addresses in From: header are not accepted. 550 5.7.1 See more', 'notcompliantrfc'],
    ['501 5.1.8 Sender address rejected', 'rejected'],
    ['retry timeout exceeded', 'expired'],
    ['an MX or SRV record indicated no SMTP service', 'notaccept'],
    ['554 Message looping (received 6 times)', 'networkerror'],
    ['550 ** No mail box available for this user **', 'userunknown'],
    ['Mailbox quota usage exceeded. Espacio en casilla de mail agotado.', 'mailboxfull'],
    ['550 <a@example.com>: Destinatario desconocido o mailbox lleno', 'mailboxfull'],
    ['Esta casilla ha expirado por falta de uso.', 'suspend'],
    ['550 BAD_RECIPIENT - see http://www.example.ac.uk/undelivered.php?r=BAD_RECIPIENT', 'userunknown'],
    ['550-jane@example.net is not an active address at this host (invalid FreeUK 550 username)', 'userunknown'],
    ['550 <jane@web.de> Benutzer hat zuviele Mails auf dem Server. / User has too many messages on the server.', 'mailboxfull'],
    ['553-you are trying to use me [mx.example.net] as a relay, but I have not been configured to let you do this.', 'norelaying'],
    ['500 Mail appears to be unsolicited -- report errors by telephoning the person you are emailing', 'spamdetected'],
    ['550 Spamming not allowed', 'spamdetected'],
    ['550 Message refused by MailMarshal SpamProfiler', 'spamdetected'],
    ['550 5.1.1 <jane@icloud.com>: inactive email address', 'suspend'],
    // ...and what those wordings must not swallow.
    ['553 5.1.8 <bob@sender.example> is not an active address at this host', 'rejected'],
    ['450 4.2.1 Too many messages on this server from your IP', 'speeding'],
    ['host spamfilter.example.org[192.0.2.1] said: 550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown in virtual mailbox table', 'userunknown'],
    ['550 5.1.1 No such user (spamguard.example.net)', 'userunknown'],
    ['550 5.1.1 Unknown or inactive email address', 'userunknown'],
    ['550 mailbox disabled for spamming', 'suspend'],
    ['550 Unauthenticated senders not allowed', 'securityerror'],
    ['Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise AUTH capability', 'securityerror'],
    ['550 5.7.1 Unauthenticated email from example.jp is not accepted due to domain\'s DMARC policy', 'authfailure'],
    ['554 mx.example.org ESMTP not accepting connections', 'blocked'],
    ['550 5.1.1 <a@example.com> - 192.0.2.1 has sent to too many recipients this hour.', 'speeding'],
    ['550 5.5.0 Le compte du destinataire est bloque.', 'suspend'],
    ['550 5.5.0 The recipient account is blocked.', 'suspend'],
    ['Your email to group a@example.com was rejected due to spam classification. Ensure your domain has SPF and DKIM set up.', 'spamdetected'],
    ['554 email rejected due to security policies - MCSpamSignature.sa.2.2', 'spamdetected'],
    ['ユーザー Jane (jane@example.org) は Domino ディレクトリには見つかりません。', 'userunknown'],
    ['Delivery failed 20 attempts', 'expired'],
    ['User mailbox exceeds allowed size', 'mailboxfull'],
    ['550-REJECTED - Blacklisted URL in message. (example.com) in [black].', 'spamdetected'],
    ['554 Message rejected: listed at multi.uribl.com', 'spamdetected'],
    ['554 Message rejected: a link is listed at multi.surbl.org', 'spamdetected'],
    ['554 5.3.0 unknown mailer error 255', 'mailererror'],
    // A delivery program's own words about the mailbox say more than its name.
    ['procmail: Extraneous locallockfile ignored Quota exceeded while writing "/var/mail/jane"', 'mailboxfull'],
    ['command died with status 77: "/usr/bin/maildrop". Command output: maildrop: maildir over quota.', 'mailboxfull'],
    ['procmail: Error while writing to "/var/mail/jane"', 'mailererror'],
    ['command died with status 75: "/usr/local/bin/filter"', 'mailererror'],
    ['550 5.3.5 Internal System Error', 'systemerror'],
    ['503 Improper sequence of commands', 'syntaxerror'],
    ['550 5.7.26 Multiple authentication checks failed', 'authfailure'],
    ['I am out of the office until Monday with limited access to email.', 'vacation'],
    // Other languages: Orange and La Poste, German and Italian mailbox providers, Exchange and
    // Notes translated (Sisimai's Rhost/FrancePTT and Lhost modules, bouncefetch's rules).
    ['552 5.1.1 Boite du destinataire pleine.', 'mailboxfull'],
    ['550 5.5.0 Boite du destinataire archivee.', 'suspend'],
    ['552 Taille limite du message atteinte', 'mesgtoobig'],
    ['550 Adresse d au moins un destinataire invalide', 'userunknown'],
    ['Nous n’avons pas trouvé l’adresse de courrier que vous avez entrée.', 'userunknown'],
    ['550 Benutzer hat das Speichervolumen ueberschritten', 'mailboxfull'],
    ['550 Benutzer nicht bekannt', 'userunknown'],
    ['550 Absender-Benutzer nicht bekannt', null],
    ['Destinataire inconnu ou boite aux lettres desactivee', 'suspend'],
    ['554 <a@example.it>: Messaggio rifiutato dal sistema. Indirizzo destinatario sconosciuto o non abilitato alla ricezione di posta non certificata', 'suspend'],
    ['送信先のメール アカウントは存在しません', 'userunknown'],
    ['jane@example.jp のユーザーは登録されていません', 'userunknown'],
    ['送信者のアカウントは存在しません', null],
    ['送信者のメールアカウントは存在しません', null],
    ['550 Ihr Benutzer ist nicht bekannt', null],
    ['发件人未开通QQ邮箱', null],
    ['该域名未开通企业邮箱', null],
    ['Mittente sconosciuto o non abilitato all\'invio', null],
    ['该用户未开通QQ邮箱', 'userunknown'],
    ['da die Kapazität des Empfänger E-Mail Postfaches erschöpft ist.', 'mailboxfull'],
    ['550 niemand unter dieser Adresse bekannt', 'userunknown'],
    ['550 Die eingegebene E-Mail-Adresse konnte nicht gefunden werden', 'userunknown'],
    ['550 Die E-Mail-Adresse des Empfängers wurde im E-Mail-System des Empfängers nicht gefunden', 'userunknown'],
    ['550 nur emails von bestimmten email-adressen akzeptiert', 'filtered'],
    ["550 Non sono riuscito a trovare l'indirizzo e-mail che hai immesso.", 'userunknown'],
    ['ディレクトリのリストにありません', 'userunknown'],
    // ...and the sender's address is not the recipient's.
    ['550 Die E-Mail-Adresse des Absenders wurde nicht gefunden', null],
    ['550 Die Absender-E-Mail-Adresse wurde nicht gefunden', null],
    ['550 Ihre E-Mail-Adresse wurde im Verzeichnis nicht gefunden', null],
    ['550 Nous n’avons pas trouvé l’adresse de l’expéditeur', null],
    ["550 Non è stato possibile a trovare l'indirizzo del mittente", null],
    ['550 5.7.1 Expediteur ou destinataire invalide', 'securityerror'],
    // Other projects' rule tables read the same way (PHPMailer-BMH, KumoMTA's community bounces.toml,
    // the PHP bounce handler's phrase list): a recipient's own setting about this message is no
    // domain that takes no mail, and a word of the sender's side is never a missing mailbox ...
    ['The user does not accept email in non-Western (non-Latin) character sets.', 'filtered'],
    ['550 The recipient does not accept mail in HTML format', 'filtered'],
    ['550 5.1.1 <spam@example.com>: Recipient address rejected: User unknown in virtual mailbox table', 'userunknown'],
    ['553 VS10-RT Possible forgery or deactivated due to abuse (#5.1.1) 192.0.2.211', 'rejected'],
    ['550 5.7.1 Daily sending quota exceeds', 'speeding'],
    ["550 192.0.2.1 isn't allowed to relay", 'norelaying'],
    ['550 relaying to <x@example.com> prohibited by administrator', 'norelaying'],
    ['500 Unauthorized relay msg rejected', 'norelaying'],
    ['553 AUTH FAILED - x@example.com', 'securityerror'],
    ['553 Sender Domain Resolve Fail', 'rejected'],
    ['550 Error: MAIL FROM is mismatched with message header from address!', 'rejected'],
    ['550 Rejected - Content Policy', 'policyviolation'],
    ['550 The sending IP (192.0.2.1) is listed on https://spamrl.com. Please resolve this and retry', 'blocked'],
    ['550 A URL in this email (example.com) is listed on https://spamrl.com/. Please resolve and retry', 'spamdetected'],
    ['550 dial-up or dynamic-ip denied', 'blocked'],
    ['550 not allowed access from your location', 'blocked'],
    ['550 Excessive userid unknowns', 'blocked'],
    ['553 User refused to receive this mail.', 'filtered'],
    ['550 message does not comply with required standards', 'notcompliantrfc'],
    ["550 5.0.0 <x@example.com>... Can't create output", 'systemerror'],
    ['can not open new email file errno=13 file=/home/vpopmail/domains/example.com/0/x/Maildir/tmp/1155254417.28358.mx05', 'systemerror'],
    ['554 5.0.0 MX list for example.com. points back to mx.example.net', 'networkerror'],
    ['connection with mx1.example.com is broken', 'networkerror'],
    // ... while a mailbox gone, full or disabled is the recipient's, in words the rules did not know.
    ['553 5.3.0 <x@example.com>... Recipient address no longer exists', 'userunknown'],
    ['550 Address invalid', 'userunknown'],
    ['550 Return address invalid', null],
    ['550 Unknown account', 'userunknown'],
    ['550 5.1.1 unknown or illegal alias: x@example.com', 'userunknown'],
    ['550 UserUnknown', 'userunknown'],
    ['550 no such email address', 'userunknown'],
    ['550 No such mail drop defined', 'userunknown'],
    ['550 No one with that email address here', 'userunknown'],
    ['550 This email address is not known to this system', 'userunknown'],
    ['550 <x@example.com> was not found in LDAP server', 'userunknown'],
    ["550-I'm sorry but x@example.com does not have an account here.", 'userunknown'],
    ["550 server doesn't handle mail for that user", 'userunknown'],
    ['553 sorry, no mail-box here by that name', 'userunknown'],
    ['550 Destinatario errato', 'userunknown'],
    ['550 Nie ma takiego konta', 'userunknown'],
    ['551 not our customer', 'userunknown'],
    ['550 5.7.1 You are not our customer, relaying denied', 'norelaying'],
    ['550 Old address no longer valid', 'hasmoved'],
    ['host 127.0.0.1[127.0.0.1] said: 551 bounce as<the destination mailbox <x@example.com> is full> queue as 100.1.x', 'mailboxfull'],
    ['552 Account(s) <a@example.com> does not have enough space', 'mailboxfull'],
    ['cannot append message to destination file /var/mail/jdoe: error writing message: File too large', 'mailboxfull'],
    ['The message to x@example.com is bounced because : Quota exceed the hard limit', 'mailboxfull'],
    ['552 Mailbox limit exeeded for this email address', 'mailboxfull'],
    ['ErrMsg=Mailbox space not enough (space limit is 10240KB)', 'mailboxfull'],
    ['552 User has exhausted allowed storage space', 'mailboxfull'],
    ['550 <x@example.com>... User account not activated', 'suspend'],
    ['550 <x@example.com>: User status is locked.', 'suspend'],
    ['mail receiving disabled', 'suspend'],
    ['550 address is administratively disabled', 'suspend'],
    ['550 inactive recipient', 'suspend'],
    ['550 <x@example.com>: Recipient address rejected: Account closed due to inactivity. No forwarding information is available.', 'suspend'],
    ['550 account expired', 'suspend'],
    ['550 Your account has expired', null],
    // A status that says more keeps its word over the weak "closed".
    ['550 5.1.1 Account Closed, Please Remove', 'userunknown'],
    ['550 Destinatario sconosciuto o mailbox disattivata', 'suspend'],
    ['550 Adressat unbekannt oder Mailbox deaktiviert', 'suspend'],
    ['550 Podane konto jest zablokowane administracyjnie lub nieaktywne', 'suspend'],
    ["550 Questo indirizzo e' bloccato per inutilizzo", 'suspend'],
    ['550 mailbox has been blocked due to inactivity', 'suspend'],
    // Mailbox providers' and gateways' own published reply lists (postmaster pages of Comcast, AT&T,
    // NetEase, Naver/Daum, Interia, Rackspace, Microsoft 365, Gmail; Barracuda's cloud service).
    ['554 resimta-h1p-028596.sys.comcast.net comcast 192.0.2.1 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001', 'blocked'],
    ['421-failure in DNS look-up.', 'requireptr'],
    ['550 net 008: The IP you are sending from does not have a valid revers DNS entry.', 'requireptr'],
    ['550 [permfail] bellsouth.net requires valid sender domain', 'rejected'],
    ['550 unauthorized interface for <192.0.2.1>', 'blocked'],
    ['550 net 001: You are not allowed to send e-mail to x@att.net.', 'blocked'],
    ['552 net 006: Your e-mail message is larger than the destination mail system is able to accept.', 'mesgtoobig'],
    ['554 net 005: The e-mail message uses 8-bit or binary encoding and the destination mail system does not support this encoding.', 'contenterror'],
    // NetEase's own codes after the reply code: never the recipient's mailbox.
    ['451 DT:SPM 163 mx13,EcCowEBZ8k,0 ,please try again', 'spamdetected'],
    ['421 HL:ICC 163 mx13,EcCowEBZ8k,0 192.0.2.1', 'toomanyconn'],
    ['421 HL:REP 163 mx13,EcCowEBZ8k,0 192.0.2.1', 'blocked'],
    ['451 RP:QRC 163 mx13,EcCowEBZ8k,0', 'speeding'],
    ['550 MI:IMF 163 mx13,EcCowEBZ8k,0', 'rejected'],
    ['550 MI:SPF 163 mx13,EcCowEBZ8k,0', 'authfailure'],
    ['450 WM:BLI 163 mx13,EcCowEBZ8k,0', 'blocked'],
    ['451 Requested mail action not taken: too much fail authentication', 'securityerror'],
    ['552 Requested mail action aborted: exceeded mailsize limit', 'mesgtoobig'],
    ['553 Requested action not taken: Local user only', 'norelaying'],
    // Coremail: 556 here is its check of the sending IP, not a domain that takes no mail (RFC 7504).
    ['556 remote ip check error.', 'blocked'],
    ['550 black ip.', 'blocked'],
    ['553 host denies the sender.', 'rejected'],
    ['554 sender is unvalidated.', 'rejected'],
    ['550 #2175041 unavailable mail user', 'userunknown'],
    ['550 RC:LD The email account that you tried to reach does no exists.', 'userunknown'],
    // Naver/Daum: a disabled mailbox whatever its 5.1.1; the recipient's own reject list.
    ['550 5.1.1 Inactive mbox', 'suspend'],
    ["550 You are registered as spammer (by user's reject list)", 'filtered'],
    ['550 5.7.1 <x@naver.com>... Error.your access was denied. Since you sent too many e-mails,you are not allowed to send more e-mails within 24 hours.', 'speeding'],
    ["550 5.7.1 Recipient doesn't want your mail", 'filtered'],
    // Rackspace's per-mailbox inbound limit (a flood, like Gmail's 4.2.1), not a disabled mailbox.
    ['450 4.2.1 <x@example.com>: Mailbox received too much email in a short period of time (G30)', 'speeding'],
    ['421 4.7.0 IP not in whitelist for RCPT domain, closing connection.', 'blocked'],
    ['550 5.7.1 This message violates example.com email policy. - gcdp <sessionid> - gsmtp', 'policyviolation'],
    ['550 5.7.124 Sender not in allowed-senders list', 'filtered'],
    ['550 5.7.520 Access denied, Your organization does not allow external forwarding.', 'policyviolation'],
    ['550 permanent failure for one or more recipients (x@example.com:quarantined)', 'blocked'],
  ])('%s → %s', (line, reason) => {
    expect(decodeReply(line).reason).toBe(reason);
  });

  it('reads Orange\'s and La Poste\'s documented codes before their stock words', () => {
    for (const [line, reason] of [
      ['550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]', 'spamdetected'],
      ['421 mwinf5c77 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]', 'speeding'],
      ['421 4.2.1 Service refuse. Veuillez essayer plus tard. Service refused, please try later. LPN006_107', 'requireptr'],
      ['421 mwinf5c79 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]', 'toomanyconn'],
      ['Too many connections, slow down. LPN105_104', 'toomanyconn'],
      ['550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. LPN416 (in reply to RCPT TO command)', 'userunknown'],
      ['550 5.5.0 Boite du destinataire archivee. Archived recipient. LPN007_420', 'suspend'],
      ['https://www.spamhaus.org/lookup/ LPNAAA_101', 'blocked'],
      ['Veuillez essayer plus tard. OFR004_201', 'blocked'],
      // An undocumented code leaves the words to decide.
      ['550 5.5.0 Service refuse. Veuillez essayer plus tard. service refused, please try later. LPN001_108', 'systemerror'],
    ] as const) {
      expect(decodeReply(line).reason, line).toBe(reason);
    }
    // Not a code: letters and digits inside a longer word, a host name or an id.
    expect(decodeReply('550 5.7.1 rejected by gofr_506x').reason).not.toBe('spamdetected');
    expect(decodeReply('host lpn510.example.org[192.0.2.1] said: 550 5.7.1 Relaying denied (in reply to RCPT TO command)').reason).toBe('norelaying');
    expect(decodeReply('554 5.7.1 Message rejected as spam, ref=ouk-506').reason).toBe('spamdetected');
    expect(decodeReply('550 relay ofr-999.example.net refused').reason).toBeNull();
    // A code never makes a hard bounce on its own: "invalid recipient" is left to the words.
    expect(decodeReply('550 5.7.1 Mail rejete. OFR_416 [416]').reason).toBe('securityerror');
  });

  it('reads Sophos Email\'s documented codes, whose words are the same for every refusal', () => {
    for (const [code, reason] of [['0002', 'authfailure'], ['0004', 'blocked'], ['0009', 'filtered'], ['0010', 'norelaying'],
      ['0011', 'userunknown'], ['0012', 'mesgtoobig'], ['0014', 'speeding']] as const) {
      expect(decodeReply(`550 5.7.1 XGEMAIL_${code} Command rejected`).reason, code).toBe(reason);
    }
    // Its 0011 is the recipient's address that does not exist: no words could say it instead.
    expect(classifyBounce({ type: 'bounced', diagnostic: '550 5.7.1 XGEMAIL_0011 Command rejected', provider_class: null, provider_hint: null }).class).toBe('hard');
    // A code it does not document leaves the status to decide.
    expect(decodeReply('550 5.7.1 XGEMAIL_0099 Command rejected').reason).toBe('securityerror');
  });

  it('reads words about the sender\'s own address, domain, HELO name or IP as the sender\'s, whatever the status', () => {
    for (const line of [
      '550 5.7.1 Your sending domain does not exist', '550 The domain you are sending from doesn\'t exist',
      '554 5.7.1 MAIL FROM address does not exist', '550 5.1.1 <bob@sender.example> sender is blocked', '550 5.1.1 Sender banned',
      '550 Unknown domain in HELO', '550 Your IP address is not found in our allow list', '550 Server not accepting mail at this time',
      '550 Server is temporarily not accepting mail', '550 Refused. The domain of your sender address has no mail exchanger (MX).',
    ]) {
      const c = classifyBounce({ type: 'bounced', diagnostic: line, provider_class: null, provider_hint: null });
      expect({ line, class: c.class }).toEqual({ line, class: 'soft' });
    }
    // The recipient's own stay hard.
    for (const line of ['550 There is no such active account.', '550 5.1.1 The email account that you tried to reach does not exist.', '550 This domain is not accepting mail',
      '550 This domain has no mail exchanger', '550 5.1.1 Sorry, your address does not exist']) {
      expect({ line, class: classifyBounce({ type: 'bounced', diagnostic: line, provider_class: null, provider_hint: null }).class }).toEqual({ line, class: 'hard' });
    }
  });

  it('does not let a 5.1.1 make "552" (storage exceeded) a missing mailbox', () => {
    expect(decodeReply('552 5.1.1').rule).toBe('reply:552>status:5.1.1');
    expect(decodeReply('552 5.1.1').reason).toBe('mailboxfull');
    expect(decodeReply('550 5.1.1').reason).toBe('userunknown');
    // Words that say so still decide.
    expect(decodeReply('552 5.1.1 <a@b.example>: Recipient address rejected: User unknown').reason).toBe('userunknown');
  });

  it('lets a block-list text overrule a recipient code', () => {
    const d = decodeReply('550 5.1.1 Service unavailable; client [192.0.2.4] blocked using bl.spamcop.net');
    expect(d.reason).toBe('blocked');
    expect(d.rule).toBe('text:blocked>status:5.1.1');
  });

  it('lets a clear "user unknown" overrule a generic policy code', () => {
    expect(decodeReply('554 5.7.1 <x@example.org>: no such user here').reason).toBe('userunknown');
  });

  it('says what decided', () => {
    expect(decodeReply('550 5.1.1 ok').rule).toBe('status:5.1.1');
    expect(decodeReply('user unknown').rule).toBe('text:userunknown');
    expect(decodeReply('530 go away').rule).toBe('reply:530');
    expect(decodeReply('550 5.7.1 no').rule).toBe('subject:5.7');
    expect(decodeReply('nothing to see').rule).toBeNull();
  });

  it('reads a refusal at MAIL FROM as the sender\'s, not the recipient\'s', () => {
    const d = decodeReply('host mx.example.jp[192.0.2.22] said: 553 5.1.0 neko.example.com does not exist (in reply to MAIL FROM command)');
    expect(d.command).toBe('MAIL');
    expect(d.reason).toBe('rejected');
  });

  it('reads "unknown user" after DATA as a filter unless a 5.1.1 says otherwise', () => {
    expect(decodeReply('host x said: 550 Unknown user kijitora@example.net (in reply to end of DATA command)').reason).toBe('filtered');
    expect(decodeReply('host x said: 550 5.1.1 Unknown user kijitora@example.net (in reply to end of DATA command)').reason).toBe('userunknown');
  });

  it('does not read a provider\'s advice about reputation as a reputation refusal', () => {
    // Resend's generic hard-bounce text (shared/corpus/webhooks, from anymail's test fixtures).
    const d = decodeReply("The recipient's email provider sent a hard bounce message, but didn't specify the reason for the hard bounce. We recommend removing the recipient's email address from your mailing list. Sending messages to addresses that produce hard bounces can have a negative impact on your reputation as a sender.");
    expect(d.reason).toBeNull();
  });

  it('does not read a sending limit as a full mailbox', () => {
    for (const text of ['421 4.7.0 Too many messages in this account today', '450 4.2.1 Too many messages on this server from your IP',
      '550 Zu viele Nachrichten in kurzer Zeit', '421 zu viele Mails in der letzten Stunde']) {
      expect(decodeReply(text).reason).not.toBe('mailboxfull');
    }
  });

  it('finds nothing in an empty text', () => {
    expect(decodeReply('')).toEqual({ reply_code: null, status: null, reason: null, rule: null, text: '', command: null });
  });
});

describe('decodeReply: shortcuts that must read as the plain regexes did', () => {
  it('collapses white space as /\\s+/g -> " " does, whether or not it is already single', () => {
    const unit = fc.constantFrom(' ', '  ', '\t', '\u00a0', '\u2003', '\ufeff', 'a', 'b');
    fc.assert(fc.property(fc.string({ unit, maxLength: 10 }), (s) => {
      expect(decodeReply(`550 x${s}y`).text).toBe(`x${s}y`.replace(/\s+/g, ' '));
    }), { numRuns: 5000 });
  });

  it('reads a block list\'s name ending in "rbl" as /\\b\\w*rbl\\b/ does', () => {
    const unit = fc.constantFrom('rbl', 'r', 'bl', 'x', '_', '1', ' ', '.', '-');
    fc.assert(fc.property(fc.string({ unit, maxLength: 8 }), (s) => {
      const listed = /\b\w*rbl\b/.test(s);
      expect(decodeReply(`554 ${s}`).reason === 'blocked').toBe(listed);
    }), { numRuns: 5000 });
  });
});
