import { describe, expect, it } from 'vitest';
import { parseBounceEmail } from '../../../src/dsn/index.js';
import { email, parseFixture } from './fixtures.js';

describe('complaint reports', () => {
  it('reads an ARF report: one complaint per Original-Rcpt-To', async () => {
    const r = await parseFixture('arf-17.eml');
    expect(r.format).toBe('arf');
    expect(r.events.map((e) => [e.type, e.recipient, e.complaint?.feedback_type])).toEqual([
      ['complained', 'kijitora@example.com', 'abuse'],
      ['complained', 'sabatora@example.net', 'abuse'],
    ]);
    expect(r.events[0]!.occurred_at).toBe('2016-04-29T23:34:45.000Z');
    expect(r.events[0]!.bounce).toBeUndefined();
  });

  it('falls back to the single To of the reported message (an inline message/rfc822)', async () => {
    const r = await parseFixture('arf-01.eml');
    expect(r.events.map((e) => [e.type, e.recipient, e.complaint?.feedback_type])).toEqual([['complained', 'redacted@example.net', 'abuse']]);
  });

  it('takes the To of the reported message only when it names one address that is not the sender\'s own', async () => {
    const report = (fields: string[], returned: string[]) => parseBounceEmail(email(
      'From: Feedback <feedback@arf.isp.example>', 'To: fbl@sender.example', 'Subject: FW: offer', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'An abuse report.', '',
      '--b', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'Version: 1', ...fields, '',
      '--b', 'Content-Type: message/rfc822', '', 'From: News <news@sender.example>', ...returned, 'Subject: offer', '', 'Hello', '--b--', ''));
    const complaints = async (fields: string[], returned: string[]) => (await report(fields, returned)).events.map((e) => e.recipient);
    expect(await complaints([], ['To: jane@isp.example'])).toEqual(['jane@isp.example']);
    // A display name or comment that looks like an address is no second address; a bare one beside an angle one is.
    expect(await complaints([], ['To: "john@gmail.example" <jane@isp.example>'])).toEqual(['jane@isp.example']);
    expect(await complaints([], ['To: jane@isp.example (was john@gmail.example)'])).toEqual(['jane@isp.example']);
    expect(await complaints([], ['To: "Bob" <bob@isp.example>, carol@isp.example'])).toEqual([]);
    // The sender itself, its envelope sender, the feedback loop's mailbox; another address of the sender's domain is taken.
    expect(await complaints([], ['To: news@sender.example'])).toEqual([]);
    expect(await complaints(['Original-Mail-From: <bounces@mail.sender.example>'], ['To: bounces@mail.sender.example'])).toEqual([]);
    expect(await complaints([], ['To: fbl@sender.example'])).toEqual([]);
    expect(await complaints([], ['To: member@sender.example'])).toEqual(['member@sender.example']);
  });

  it('reads a Feedback-Type with a comment after its token', async () => {
    const r = await parseBounceEmail(email(
      'From: fbl@isp.example', 'To: fbl@sender.example', 'Subject: report', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b"', '',
      '--b', 'Content-Type: message/feedback-report', '', 'Feedback-Type: not-spam (moved back to the inbox)', 'Version: 1', 'Original-Rcpt-To: <cleo@isp.example>', '', '--b--', ''));
    expect(r.events.map((e) => [e.recipient, e.complaint?.feedback_type])).toEqual([['cleo@isp.example', 'not-spam']]);
  });

  it('reads a delivery status notification as a bounce even when its returned copy carries the JMRP header', async () => {
    const r = await parseBounceEmail(email(
      'From: MAILER-DAEMON@mx.other.example', 'To: bounces@sender.example', 'Subject: Undelivered Mail Returned to Sender', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
      '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.other.example', '',
      'Final-Recipient: rfc822; olivia@other.example', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 User unknown', '',
      '--b', 'Content-Type: message/rfc822', '', 'X-HmXmrOriginalRecipient: <olivia@hotmail.example>', 'From: news@sender.example', 'To: olivia@hotmail.example', 'Subject: offer', '', 'Hello', '--b--', ''));
    expect(r.events.map((e) => [e.type, e.recipient])).toEqual([['bounced', 'olivia@other.example']]);
  });

  it('reads Microsoft JMRP reports by their X-HmXmrOriginalRecipient header', async () => {
    const r = await parseFixture('arf-22.eml');
    expect(r.format).toBe('jmrp');
    expect(r.events.map((e) => [e.type, e.recipient])).toEqual([['complained', 'kijitora@example.com']]);
  });

  it('takes the JMRP header only from the reported message\'s headers, never from its body', async () => {
    const jmrp = (where: 'head' | 'body') => email(
      'From: staff@hotmail.example',
      'To: abuse@sender.example',
      'Subject: complaint about message from 192.0.2.1',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'This is an email abuse report.',
      '--b',
      'Content-Type: message/rfc822',
      '',
      'From: sender@sender.example',
      'To: someone@hotmail.example',
      ...(where === 'head' ? ['X-HmXmrOriginalRecipient: <jane@hotmail.example>'] : []),
      'Subject: offer',
      '',
      ...(where === 'body' ? ['X-HmXmrOriginalRecipient: <quoted@hotmail.example>'] : ['Hello']),
      '--b--',
    );
    const head = await parseBounceEmail(jmrp('head'));
    expect(head.events.map((e) => [e.type, e.recipient])).toEqual([['complained', 'jane@hotmail.example']]);
    const body = await parseBounceEmail(jmrp('body'));
    expect(body.events).toEqual([]);
  });

  it('does not guess between several recipients of the reported message', async () => {
    const r = await parseBounceEmail(email(
      'From: fbl@isp.example',
      'To: abuse@sender.example',
      'Subject: complaint',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'An abuse report.',
      '--b',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: fraud',
      'User-Agent: test/1.0',
      'Version: 1',
      '',
      '--b',
      'Content-Type: message/rfc822',
      '',
      'From: news@sender.example',
      'To: one@example.org, two@example.org',
      'Subject: hi',
      '',
      'hello',
      '--b--',
    ));
    expect(r.events).toEqual([]);
    expect(r.ignored).toBe(1);
  });
});
