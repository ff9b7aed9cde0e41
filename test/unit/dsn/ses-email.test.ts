import { describe, expect, it } from 'vitest';
import { parseBounceEmail } from '../../../src/dsn/index.js';
import { brief, email } from './fixtures.js';

/** An SES bounce notification as SES writes it (the Message of an SNS notification). */
const notification = JSON.stringify({
  notificationType: 'Bounce',
  bounce: {
    bounceType: 'Permanent',
    bounceSubType: 'General',
    bouncedRecipients: [{ emailAddress: 'gone@example.org', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
    timestamp: '2026-03-02T10:00:01.000Z',
    feedbackId: '0100018e-aaaa-bbbb-cccc-000000000000-000000',
  },
  mail: {
    timestamp: '2026-03-02T10:00:00.000Z',
    source: 'news@example.com',
    messageId: '0100018e-1111-2222-3333-444444444444-000000',
    destination: ['gone@example.org'],
    commonHeaders: { subject: 'March news' },
  },
});

const mailed = (body: string) => email(
  'From: AWS Notifications <no-reply@sns.amazonaws.com>',
  'To: bounces@example.com',
  'Subject: AWS Notification Message',
  'Date: Mon, 02 Mar 2026 10:00:02 +0000',
  'Content-Type: text/plain; charset=UTF-8',
  '',
  body,
);

const expected = [{ type: 'bounced', recipient: 'gone@example.org', class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }];

describe('SES notifications that arrive by email (an SNS email subscription)', () => {
  it('reads the notification itself (a plain "email" subscription)', async () => {
    const r = await parseBounceEmail(mailed(notification));
    expect(r.format).toBe('ses-sns');
    expect(r.events.map(brief)).toEqual(expected);
  });

  it('reads the notification under a banner a gateway put above it', async () => {
    for (const banner of ['You don\'t often get email from no-reply@sns.amazonaws.com. Learn why this is important', 'CAUTION: This email originated from outside of the organization.\n']) {
      const r = await parseBounceEmail(mailed(`${banner}\n${notification}`));
      expect(r.format, banner).toBe('ses-sns');
      expect(r.events.map(brief), banner).toEqual(expected);
    }
  });

  it('reads the whole SNS envelope that an "email-json" subscription mails, with its Message inside', async () => {
    const envelope = JSON.stringify({
      Type: 'Notification',
      MessageId: '5e0c1b7a-0000-4000-8000-000000000001',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-bounces',
      Message: notification,
      Timestamp: '2026-03-02T10:00:02.000Z',
      SignatureVersion: '1',
    }, null, 2);
    const r = await parseBounceEmail(mailed(envelope));
    expect(r.format).toBe('ses-sns');
    expect(r.events.map(brief)).toEqual(expected);
    expect(r.events[0]!.occurred_at).toBe('2026-03-02T10:00:01.000Z');
  });

  it('mends a long line that a relay broke with "!" and a line end', async () => {
    const at = notification.indexOf('March news') + 3;
    const broken = `${notification.slice(0, at)}!\n ${notification.slice(at)}`;
    const r = await parseBounceEmail(mailed(broken));
    expect(r.events.map(brief)).toEqual(expected);
    // A later hop may leave white space at the end of the broken line.
    const spaced = await parseBounceEmail(mailed(`${notification.slice(0, at)}! \t\n ${notification.slice(at)}`));
    expect(spaced.events.map(brief)).toEqual(expected);
  });

  it('mends a broken line inside the envelope too, and falls back to the email\'s date for a Timestamp that is not one', async () => {
    const envelope = JSON.stringify({ Type: 'Notification', Message: notification, Timestamp: 'yesterday' });
    const at = envelope.indexOf('March news') + 3;
    const r = await parseBounceEmail(mailed(`${envelope.slice(0, at)}!\n ${envelope.slice(at)}`));
    expect(r.events.map(brief)).toEqual(expected);
  });

  it('dates a notification with no time of its own and no Date by the Received trace', async () => {
    const bare = JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: 'gone@example.org', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
    mail: { source: 'news@example.com', messageId: '0100018e-1111', destination: ['gone@example.org'] } });
    const r = await parseBounceEmail(email('Received: from a by b; Mon, 02 Mar 2026 10:00:02 +0000', 'From: AWS Notifications <no-reply@sns.amazonaws.com>',
      'To: bounces@example.com', 'Subject: AWS Notification Message', 'Content-Type: text/plain', '', bare), { receivedAt: '2026-03-05T00:00:00.000Z' });
    expect(r.events.map((e) => [e.recipient, e.occurred_at])).toEqual([['gone@example.org', '2026-03-02T10:00:02.000Z']]);
  });

  it('skips times no query could reach: a Date of 1900, an SES timestamp of year 1', async () => {
    const odd = JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General', timestamp: '0001-01-01T00:00:00Z',
      bouncedRecipients: [{ emailAddress: 'gone@example.org', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
    mail: { source: 'news@example.com', messageId: '0100018e-1111', destination: ['gone@example.org'], timestamp: '0001-01-01T00:00:00Z' } });
    const r = await parseBounceEmail(email('Received: from a by b; Mon, 02 Mar 2026 10:00:02 +0000', 'Date: Mon, 01 Jan 1900 10:00:00 +0000',
      'From: AWS Notifications <no-reply@sns.amazonaws.com>', 'To: bounces@example.com', 'Subject: AWS Notification Message', 'Content-Type: text/plain', '', odd));
    expect(r.events.map((e) => e.occurred_at)).toEqual(['2026-03-02T10:00:02.000Z']);
  });

  it('gives no event for JSON that is not an SES notification', async () => {
    const r = await parseBounceEmail(mailed(JSON.stringify({ Type: 'Notification', Message: '{"hello":"world"}', Timestamp: '2026-03-02T10:00:02.000Z' })));
    expect(r.events).toEqual([]);
  });
});
