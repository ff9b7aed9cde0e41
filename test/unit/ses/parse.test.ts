/**
 * The SES parser's own decisions: which SES notifications become which events, for whom, with
 * which ids and times, and what reaches the event's bounce details. The real classifier runs:
 * where SES's verdict (bounceType/bounceSubType, delayType, Reject reason) is to decide, the
 * inputs carry no diagnostic and no status, so the classifier has nothing else to go on and the
 * event's class, reason and rule ("provider:hint") show the hint; where the remote's codes are
 * to decide, the event shows the codes that SES passed on. labels.test.ts checks the labelled
 * corpus samples end to end.
 */
import { describe, expect, it } from 'vitest';
import { parseSesMessage, parseSnsEnvelope } from '../../../src/providers/ses/parse.js';
import { parseEnvelope } from '../../../src/providers/ses/sns.js';
import { subscriptionConfirmation, wrapSesMessage } from '../../helpers/sns-signer.js';
import { fixtureText, syncError } from './fixtures.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-feedback';
const SNS_TIME = '2024-05-06T07:08:09.000Z';
const json = (path: string) => JSON.parse(fixtureText(path)) as Record<string, unknown>;
const parse = (inner: unknown) => parseSesMessage(typeof inner === 'string' ? inner : JSON.stringify(inner), SNS_TIME);

function bounceMessage(bounceType: string, bounceSubType: string, recipients: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = json('ses-message-eventType/bounce.json');
  return { ...base, bounce: { ...(base.bounce as object), bounceType, bounceSubType, bouncedRecipients: recipients, ...extra } };
}

describe('SES bounces', () => {
  it('gives one bounced event per bounced recipient, only for them, with the SES time and message id', () => {
    const inner = bounceMessage('Permanent', 'General', [
      { emailAddress: 'Jane@Example.COM', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
      { emailAddress: 'richard@example.com' },
    ]);
    const out = parse(inner);
    expect(out.events.map((e) => [e.type, e.recipient])).toEqual([['bounced', 'jane@example.com'], ['bounced', 'richard@example.com']]);
    expect(out.events[0]).toMatchObject({
      provider: 'ses',
      occurred_at: '2017-08-05T00:41:02.669Z',
      message_id: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
    });
    // The first recipient's own DSN fields reach the event, and its codes decide.
    expect(out.events[0]!.bounce).toMatchObject({
      class: 'hard', reason: 'userunknown', reply_code: '550', status: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 user unknown', provider_class: 'Permanent/General',
    });
    expect(out.events[0]!.bounce!.rule).not.toBe('provider:hint');
    // No DSN for the second recipient: nothing to decode, only SES's verdict (Permanent: hard).
    expect(out.events[1]!.bounce).toMatchObject({
      class: 'hard', reason: 'undefined', reply_code: null, status: null, diagnostic: null,
      provider_class: 'Permanent/General', rule: 'provider:hint',
    });
  });

  it.each([
    // SES's Permanent would be hard, but the remote's 5.2.2 says a full mailbox, which is soft.
    ['Permanent', 'General', { diagnosticCode: 'smtp; 552 5.2.2 mailbox full' }, { class: 'soft', reason: 'mailboxfull', status: '5.2.2', reply_code: '552' }],
    // SES's MailboxFull is overruled by the remote's own 5.1.1.
    ['Transient', 'MailboxFull', { diagnosticCode: 'smtp; 550 5.1.1 user unknown' }, { class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: '550' }],
    // A status field alone, with no words, is passed on as well.
    ['Transient', 'General', { status: '5.1.1' }, { class: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: null }],
  ] as [string, string, { diagnosticCode?: string; status?: string }, object][])('passes a %s/%s recipient\'s own codes on, and they decide over the hint (%o)', (type, sub, rec, expected) => {
    const out = parse(bounceMessage(type, sub, [{ emailAddress: 'a@example.com', ...rec }]));
    const bounce = out.events[0]!.bounce!;
    expect(bounce).toMatchObject({ ...expected, diagnostic: rec.diagnosticCode ?? null, provider_class: `${type}/${sub}` });
    expect(bounce.rule).not.toBe('provider:hint');
  });

  // SES's verdicts (docs.aws.amazon.com/ses/latest/dg/notification-contents.html, bounce types):
  // Permanent is hard, Transient soft, Undetermined neither; a subtype that names the cause gives
  // the reason. With no diagnostic and no status, SES's verdict is all the classifier has.
  it.each([
    ['Permanent', 'General', { class: 'hard', reason: 'undefined' }],
    ['Permanent', 'NoEmail', { class: 'hard', reason: 'userunknown' }],
    ['Permanent', 'MessageRejected', { class: 'soft', reason: 'contenterror' }],
    ['Transient', 'General', { class: 'soft', reason: 'undefined' }],
    ['Transient', 'MailboxFull', { class: 'soft', reason: 'mailboxfull' }],
    ['Transient', 'MessageTooLarge', { class: 'soft', reason: 'mesgtoobig' }],
    ['Transient', 'ContentRejected', { class: 'soft', reason: 'contenterror' }],
    ['Transient', 'AttachmentRejected', { class: 'soft', reason: 'contenterror' }],
    ['Undetermined', 'Undetermined', { class: 'undetermined', reason: 'undefined' }],
  ])('reads %s/%s as %o when codes say nothing', (type, sub, expected) => {
    const out = parse(bounceMessage(type, sub, [{ emailAddress: 'a@example.com' }]));
    expect(out.events[0]!.type).toBe('bounced');
    expect(out.events[0]!.bounce).toEqual({
      ...expected, reply_code: null, status: null, diagnostic: null, provider_class: `${type}/${sub}`, rule: 'provider:hint',
    });
  });

  it.each(['Suppressed', 'OnAccountSuppressionList'])(
    'turns Permanent/%s into a drop of an address SES already lists as bounced', (sub) => {
      const out = parse(bounceMessage('Permanent', sub, [{
        emailAddress: 'a@example.com', action: 'failed', status: '5.1.1',
        diagnosticCode: 'Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.',
      }]));
      expect(out.events).toHaveLength(1);
      expect(out.events[0]).toMatchObject({ type: 'dropped', provider_suppression: 'hard_bounce' });
      expect(out.events[0]!.bounce).toMatchObject({ status: '5.1.1', provider_class: `Permanent/${sub}` });
    });

  it('counts recipients that are not addresses as rejected instead of emitting them', () => {
    const out = parse(bounceMessage('Permanent', 'General', [
      { emailAddress: 'not an address' }, { emailAddress: 42 }, 'x@example.com', { emailAddress: 'ok@example.com' },
    ]));
    expect(out.events.map((e) => e.recipient)).toEqual(['ok@example.com']);
    expect(out.rejected).toBe(3);
  });

  it('gives a recipient whose action is "delayed" a deferral, beside the failed ones', () => {
    // The shape of the multi-recipient bounce in AWS's notification examples (also in django-ses's tests).
    const out = parse(bounceMessage('Permanent', 'General', [
      { emailAddress: 'one@example.com', action: 'failed', status: '5.0.0', diagnosticCode: 'smtp; 550 user unknown' },
      { emailAddress: 'two@example.com', action: 'Delayed', status: '4.0.0' },
    ]));
    expect(out.events.map((e) => [e.type, e.recipient, e.bounce?.class])).toEqual([
      ['bounced', 'one@example.com', 'hard'], ['deferred', 'two@example.com', 'soft'],
    ]);
    expect(out.events[1]!.provider_suppression).toBeUndefined();
    // Listed by SES's suppression list, the address is a drop whatever its action says.
    const listed = parse(bounceMessage('Permanent', 'OnAccountSuppressionList', [{ emailAddress: 'two@example.com', action: 'delayed' }]));
    expect(listed.events.map((e) => [e.type, e.provider_suppression])).toEqual([['dropped', 'hard_bounce']]);
  });

  it('emits an address listed twice once', () => {
    const out = parse(bounceMessage('Permanent', 'General', [{ emailAddress: 'a@example.com' }, { emailAddress: 'A@example.com' }]));
    expect(out.events).toHaveLength(1);
  });
});

describe('event ids', () => {
  it('are the same when the same SES event arrives twice, in any envelope or format', () => {
    const eventFormat = bounceMessage('Permanent', 'General', [{ emailAddress: 'a@example.com' }]);
    const { eventType: _drop, ...rest } = eventFormat;
    const legacyFormat = { notificationType: 'Bounce', ...rest };
    const a = parseSesMessage(JSON.stringify(eventFormat), '2024-01-01T00:00:00Z');
    const b = parseSesMessage(JSON.stringify(legacyFormat, null, 2), '2024-02-02T00:00:00Z');
    expect(a.events[0]!.id).toMatch(/^ses:[0-9a-f]{32}$/);
    expect(b.events[0]!.id).toBe(a.events[0]!.id);
  });

  it('are the same for an SES event that came through EventBridge (its "detail")', () => {
    const eventFormat = bounceMessage('Permanent', 'General', [{ emailAddress: 'a@example.com' }]);
    const viaEventBridge = {
      version: '0', id: 'e-1', 'detail-type': 'Email Bounced', source: 'aws.ses', account: '123456789012',
      time: '2017-08-05T00:41:03Z', region: 'us-east-1', resources: [], detail: eventFormat,
    };
    const a = parse(eventFormat);
    const b = parse(viaEventBridge);
    expect(b.events).toHaveLength(1);
    expect(b.events).toEqual(a.events);
    // Another service's EventBridge event is not SES's.
    expect(parse({ ...viaEventBridge, source: 'aws.s3' })).toMatchObject({ events: [], ignored: 1 });
  });

  it('read the kind of an EventBridge event from its detail-type when the detail does not repeat it', () => {
    const eventFormat = bounceMessage('Permanent', 'General', [{ emailAddress: 'a@example.com' }]);
    const { eventType: _drop, ...detail } = eventFormat;
    const envelope = (detailType: string, d: unknown) => ({
      version: '0', id: 'e-2', 'detail-type': detailType, source: 'aws.ses', account: '123456789012',
      time: '2017-08-05T00:41:03Z', region: 'us-east-1', resources: [], detail: d,
    });
    expect(parse(envelope('Email Bounced', detail)).events).toEqual(parse(eventFormat).events);
    const complaint = json('ses-message-eventType/complaint.json');
    const { eventType: _c, ...complaintDetail } = complaint;
    expect(parse(envelope('Email Complaint Received', complaintDetail)).events).toEqual(parse(complaint).events);
    // A detail's own eventType wins; a detail-type that is not a deliverability event says nothing.
    expect(parse(envelope('Email Opened', detail))).toMatchObject({ events: [], ignored: 1 });
    expect(parse(envelope('Email Delivered', eventFormat)).events.map((e) => e.type)).toEqual(['bounced']);
  });

  it('differ per recipient, per SES event and per kind of event', () => {
    const ids = [
      parse(bounceMessage('Permanent', 'General', [{ emailAddress: 'a@example.com' }, { emailAddress: 'b@example.com' }])).events.map((e) => e.id),
      parse(bounceMessage('Permanent', 'General', [{ emailAddress: 'a@example.com' }], { feedbackId: 'other-feedback' })).events.map((e) => e.id),
      parse(json('ses-message-eventType/delivery.json')).events.map((e) => e.id),
      parse(json('ses-message-eventType/complaint.json')).events.map((e) => e.id),
      parse(json('ses-message-eventType/reject.json')).events.map((e) => e.id),
    ].flat();
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('tell two delays of the same message apart by their time', () => {
    const delay = (timestamp: string) => ({
      eventType: 'DeliveryDelay',
      mail: { messageId: 'm-1', timestamp: '2020-06-16T00:15:40.641Z', destination: ['a@example.com'] },
      deliveryDelay: { timestamp, delayType: 'MailboxFull', delayedRecipients: [{ emailAddress: 'a@example.com' }] },
    });
    const first = parse(delay('2020-06-16T00:25:40.095Z')).events[0]!;
    const again = parse(delay('2020-06-16T00:25:40.095Z')).events[0]!;
    const later = parse(delay('2020-06-16T01:25:40.095Z')).events[0]!;
    expect(again.id).toBe(first.id);
    expect(later.id).not.toBe(first.id);
  });
});

describe('other SES notifications', () => {
  it('gives complaints with the feedback type, or null when no ARF report came with it', () => {
    const inner = json('ses-message-notificationType/complaint-abuse-with-feedback-report.json');
    const out = parse(inner);
    expect(out.events).toEqual([expect.objectContaining({
      type: 'complained', recipient: 'richard@example.com', complaint: { feedback_type: 'abuse' },
      occurred_at: '2016-01-27T14:59:38.237Z',
    })]);
    expect(out.events[0]!.bounce).toBeUndefined();
    const complaint = { ...(inner.complaint as object), complaintFeedbackType: undefined };
    expect(parse({ ...inner, complaint }).events[0]!.complaint).toEqual({ feedback_type: null });
  });

  it('turns a complaint with subtype OnAccountSuppressionList into a drop of a complaint-listed address', () => {
    const inner = json('ses-message-eventType/complaint.json');
    const out = parse({ ...inner, complaint: { ...(inner.complaint as object), complaintSubType: 'OnAccountSuppressionList' } });
    expect(out.events).toEqual([expect.objectContaining({ type: 'dropped', provider_suppression: 'complaint', recipient: 'recipient@example.com' })]);
    expect(out.events[0]!.complaint).toBeUndefined();
    // Nobody bounced: no codes and no verdict of SES's about the address, only where it came from.
    expect(out.events[0]!.bounce).toMatchObject({
      class: 'undetermined', reason: 'undefined', status: null, diagnostic: null, provider_class: 'Complaint/OnAccountSuppressionList', rule: 'none',
    });
  });

  it('gives deliveries per delivered recipient, without bounce details', () => {
    const out = parse(json('ses-message-notificationType/delivery.json'));
    expect(out.events).toEqual([expect.objectContaining({ type: 'delivered', recipient: 'jane@example.com', occurred_at: '2016-01-27T14:59:38.237Z' })]);
    expect(out.events[0]!.bounce).toBeUndefined();
  });

  it('gives deferrals from DeliveryDelay with the delay type as the provider verdict', () => {
    const env = parseEnvelope(fixtureText('sns-notification-bodies-reconstructed/eventpublishing-deliverydelay.json'));
    const out = parseSnsEnvelope(env);
    expect(out.events).toEqual([expect.objectContaining({ type: 'deferred', recipient: 'recipient@example.com', occurred_at: '2020-06-16T00:25:40.095Z' })]);
    expect(out.events[0]!.bounce).toMatchObject({
      class: 'soft', reason: 'networkerror', reply_code: '421', status: '4.4.1',
      diagnostic: 'smtp; 421 4.4.1 Unable to connect to remote host', provider_class: 'TransientCommunicationFailure',
    });
  });

  it.each([
    ['MailboxFull', 'mailboxfull'],
    ['SpamDetected', 'spamdetected'],
    ['RecipientServerError', 'systemerror'],
    ['IPFailure', 'blocked'],
    ['TransientCommunicationFailure', 'networkerror'],
    ['InternalFailure', 'systemerror'],
  ])('reads a DeliveryDelay of type %s with no codes as a soft %s', (delayType, reason) => {
    const out = parse({
      eventType: 'DeliveryDelay',
      mail: { messageId: 'm-1', timestamp: '2020-06-16T00:15:40.641Z', destination: ['a@example.com'] },
      deliveryDelay: { timestamp: '2020-06-16T00:25:40.095Z', delayType, delayedRecipients: [{ emailAddress: 'a@example.com' }] },
    });
    expect(out.events[0]!.bounce).toEqual({
      class: 'soft', reason, reply_code: null, status: null, diagnostic: null, provider_class: delayType, rule: 'provider:hint',
    });
  });

  it('gives a Reject (virus found, never sent) as a drop for each destination, hinted virusdetected', () => {
    const out = parse(json('ses-message-eventType/reject.json'));
    expect(out.events).toEqual([expect.objectContaining({ type: 'dropped', recipient: 'sender@example.com', occurred_at: '2016-10-14T17:38:15.211Z' })]);
    expect(out.events[0]!.provider_suppression).toBeUndefined();
    // SES's reject.reason is SES's words, not a remote's: no diagnostic; its verdict decides.
    expect(out.events[0]!.bounce).toEqual({
      class: 'soft', reason: 'virusdetected', reply_code: null, status: null, diagnostic: null, provider_class: 'Reject/Bad content', rule: 'provider:hint',
    });
  });

  it('takes a recipient written with a display name as its address', () => {
    const inner = json('ses-message-eventType/reject.json');
    const mail = { ...(inner.mail as Record<string, unknown>), destination: ['"Jane Doe" <Jane@Example.com>'] };
    expect(parse({ ...inner, mail }).events.map((e) => e.recipient)).toEqual(['jane@example.com']);
    // SES may report a bounced or complaining recipient as the sender wrote it.
    const bounce = parse(bounceMessage('Permanent', 'General', [{ emailAddress: 'Jane Doe <jane@example.com>', status: '5.1.1' }]));
    expect(bounce).toMatchObject({ rejected: 0, events: [{ type: 'bounced', recipient: 'jane@example.com', bounce: { class: 'hard' } }] });
    const complaint = json('ses-message-eventType/complaint.json');
    const complained = { ...(complaint.complaint as Record<string, unknown>), complainedRecipients: [{ emailAddress: '"Doe, Jane" <jane@example.com>' }] };
    expect(parse({ ...complaint, complaint: complained }).events.map((e) => [e.type, e.recipient])).toEqual([['complained', 'jane@example.com']]);
  });

  it('gives an unsubscribe for unsubscribeAll and for a new topic opt-out, and ignores opt-ins', () => {
    const inner = json('ses-message-eventType/subscription-unsubscribe.json');
    const sub = inner.subscription as Record<string, unknown>;
    const withPrefs = (next: object, prev: object) => parse({ ...inner, subscription: { ...sub, newTopicPreferences: next, oldTopicPreferences: prev } });
    expect(parse(inner).events).toEqual([expect.objectContaining({ type: 'unsubscribed', recipient: 'recipient@example.com', occurred_at: '2022-01-12T01:00:17.910Z' })]);

    const topic = (status: string) => ({ unsubscribeAll: false, topicSubscriptionStatus: [{ topicName: 'News', subscriptionStatus: status }] });
    expect(withPrefs(topic('OptOut'), topic('OptIn')).events.map((e) => e.type)).toEqual(['unsubscribed']);
    expect(withPrefs(topic('OptIn'), topic('OptOut'))).toEqual({ events: [], ignored: 1, rejected: 0 });
    expect(withPrefs(topic('OptOut'), topic('OptOut'))).toEqual({ events: [], ignored: 1, rejected: 0 });
  });

  it.each([
    ['Send', 'ses-message-eventType/send.json'],
    ['Open', 'ses-message-eventType/open.json'],
  ])('ignores %s events', (_kind, path) => {
    expect(parse(json(path))).toEqual({ events: [], ignored: 1, rejected: 0 });
  });

  it.each([
    ['plain text', 'Hello world'],
    ['the event-destination validation text', 'Successfully validated SNS topic for Amazon SES event publishing.'],
    ['a JSON array', '[1,2]'],
    ['JSON without a type', '{"mail":{}}'],
    ['a click', JSON.stringify({ eventType: 'Click', mail: { messageId: 'm' }, click: {} })],
    ['a rendering failure', JSON.stringify({ eventType: 'Rendering Failure', mail: { messageId: 'm' }, failure: {} })],
    ['inbound mail', JSON.stringify({ notificationType: 'Received', mail: { messageId: 'm' }, receipt: {} })],
    ['the subscription notice', JSON.stringify({ notificationType: 'AmazonSnsSubscriptionSucceeded', message: 'You have successfully subscribed...' })],
  ])('counts %s as one ignored event', (_what, message) => {
    expect(parse(message)).toEqual({ events: [], ignored: 1, rejected: 0 });
  });

  it('refuses a known notification whose details are missing with 400', () => {
    const base = json('ses-message-eventType/bounce.json');
    for (const broken of [
      { ...base, bounce: undefined },
      { ...base, bounce: { ...(base.bounce as object), bouncedRecipients: 'a@example.com' } },
      { ...base, mail: undefined },
      { ...base, mail: { ...(base.mail as object), messageId: undefined } },
      { eventType: 'Delivery', mail: { messageId: 'm' }, delivery: { recipients: null } },
    ]) {
      const err = syncError(() => parse(broken));
      expect([err.status, err.code]).toEqual([400, 'malformed']);
    }
  });

  it('takes the SNS time when SES gives none that parses', () => {
    const base = json('ses-message-eventType/bounce.json');
    const out = parse({
      ...base,
      bounce: { ...(base.bounce as object), timestamp: 'soon' },
      mail: { ...(base.mail as object), timestamp: undefined },
    });
    expect(out.events[0]!.occurred_at).toBe(SNS_TIME);
  });
});

describe('SNS envelopes', () => {
  it('hands the route the SubscribeURL of a SubscriptionConfirmation, with no events', () => {
    const env = parseEnvelope(fixtureText('sns-envelopes/subscription-confirmation.json'));
    expect(parseSnsEnvelope(env)).toEqual({ events: [], ignored: 1, rejected: 0, handshake: { confirmUrl: env.SubscribeURL } });
  });

  it('never hands over a SubscribeURL that is not an SNS ConfirmSubscription URL', () => {
    const env = parseEnvelope(JSON.stringify({
      ...subscriptionConfirmation({ topicArn: TOPIC, subscribeUrl: 'https://attacker.example/?Action=ConfirmSubscription&Token=1' }),
      SignatureVersion: '2', Signature: 'AAAA', SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-a.pem',
    }));
    expect(syncError(() => parseSnsEnvelope(env)).status).toBe(400);
  });

  it('ignores an UnsubscribeConfirmation and confirms nothing', () => {
    const env = parseEnvelope(fixtureText('sns-envelopes/unsubscribe-confirmation.json'));
    expect(parseSnsEnvelope(env)).toEqual({ events: [], ignored: 1, rejected: 0 });
  });

  it('parses the Message of a Notification, which may end with a newline', () => {
    const body = { ...wrapSesMessage(`${fixtureText('ses-message-eventType/delivery.json')}\n`, { topicArn: TOPIC }), SignatureVersion: '1', Signature: 'x', SigningCertURL: 'x' };
    const out = parseSnsEnvelope(parseEnvelope(JSON.stringify(body)));
    expect(out.events.map((e) => e.type)).toEqual(['delivered']);
  });
});
