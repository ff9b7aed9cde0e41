/**
 * Provider values that are also names on Object.prototype ("constructor", "toString",
 * "__proto__", "hasOwnProperty", "valueOf") must not find anything in the parsers' lookup tables:
 * each one is an unknown value, so the event is typed as usual with a neutral reason (or
 * ignored), never carries a function or an object where a word belongs, and never throws.
 */
import { describe, expect, it } from 'vitest';
import { BOUNCE_REASONS, EVENT_TYPES, type CanonicalEvent, type ParseResult } from '../../../src/core/event.js';
import { parseAzure } from '../../../src/providers/azure/parse.js';
import { parseBrevo } from '../../../src/providers/brevo/parse.js';
import { parseMailerSend } from '../../../src/providers/mailersend/parse.js';
import { parseMailgun } from '../../../src/providers/mailgun/parse.js';
import { parseMailjet } from '../../../src/providers/mailjet/parse.js';
import { parseMandrill } from '../../../src/providers/mandrill/parse.js';
import { parsePostmark } from '../../../src/providers/postmark/parse.js';
import { parseResend } from '../../../src/providers/resend/parse.js';
import { parseSendgrid } from '../../../src/providers/sendgrid/parse.js';
import { parseSesMessage } from '../../../src/providers/ses/parse.js';
import { verifySignature, type SnsEnvelope } from '../../../src/providers/ses/sns.js';
import { sesBounceHint } from '../../../src/providers/shared/ses-verdict.js';
import { parseSparkpost } from '../../../src/providers/sparkpost/parse.js';

const KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'] as const;
const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const TS = 1700000000;
const ISO = '2023-11-14T22:13:20.000Z';
const TO = 'jane@example.org';

const CLASSES = new Set(['hard', 'soft', 'undetermined']);
const SUPPRESSIONS = new Set(['hard_bounce', 'complaint', 'unsubscribed', 'invalid']);

/** Every value is plain data: strings, numbers, booleans, null, arrays and plain objects. */
function assertPlain(v: unknown, path: string): void {
  if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => assertPlain(x, `${path}[${i}]`));
    return;
  }
  expect(typeof v, path).toBe('object');
  expect(Object.getPrototypeOf(v), `${path} is a plain object`).toBe(Object.prototype);
  for (const [k, x] of Object.entries(v as object)) assertPlain(x, `${path}.${k}`);
}

/** A canonical event that is well-formed and JSON-safe. */
function assertSane(e: CanonicalEvent): void {
  assertPlain(e, 'event');
  expect(EVENT_TYPES).toContain(e.type);
  if (e.bounce !== undefined) {
    expect(CLASSES.has(e.bounce.class), `class ${String(e.bounce.class)}`).toBe(true);
    expect(BOUNCE_REASONS).toContain(e.bounce.reason);
    expect(typeof e.bounce.rule).toBe('string');
  }
  if (e.provider_suppression !== undefined) expect(SUPPRESSIONS.has(e.provider_suppression)).toBe(true);
  expect(JSON.parse(JSON.stringify(e))).toStrictEqual(e);
}

/** The one event of a result, checked. */
function only(r: ParseResult): CanonicalEvent {
  expect(r.events).toHaveLength(1);
  expect(r.ignored).toBe(0);
  assertSane(r.events[0]!);
  return r.events[0]!;
}

const ignoredOnly = (r: ParseResult) => expect(r).toMatchObject({ events: [], ignored: 1, rejected: 0 });

describe.each(KEYS)('provider value %j', (key) => {
  it('Postmark TypeCode / Type: an undetermined bounce', () => {
    const base = { RecordType: 'Bounce', BouncedAt: ISO, Email: TO, ID: 42, MessageID: 'm1' };
    for (const record of [{ ...base, TypeCode: key }, { ...base, Type: key }, { ...base, TypeCode: key, Type: key }]) {
      const e = only(parsePostmark(enc(record)));
      expect(e.type).toBe('bounced');
      expect(e.bounce).toMatchObject({ class: 'undetermined', reason: 'undefined' });
    }
    // Still only the own keys: a real TypeCode keeps working.
    expect(only(parsePostmark(enc({ ...base, TypeCode: 1 }))).bounce?.class).toBe('hard');
  });

  it('Postmark RecordType / SuppressionReason: ignored, or an unsubscribe', () => {
    ignoredOnly(parsePostmark(enc({ RecordType: key })));
    const e = only(parsePostmark(enc({ RecordType: 'SubscriptionChange', SuppressSending: true, SuppressionReason: key, ChangedAt: ISO, Recipient: TO })));
    expect(e.type).toBe('unsubscribed');
  });

  it('Mailgun reason / delivery-status.code: a bounce, no provider suppression', () => {
    for (const fields of [{ reason: key }, { 'delivery-status': { code: key } }, { reason: key, 'delivery-status': { code: key } }]) {
      const e = only(parseMailgun(enc({ 'event-data': { event: 'failed', severity: 'permanent', timestamp: TS, recipient: TO, id: 'ev1', ...fields } })));
      expect(e.type).toBe('bounced');
      expect(e.provider_suppression).toBeUndefined();
      expect(e.bounce).toMatchObject({ class: 'hard', reason: 'undefined' });
    }
    // Temporary stays a deferral.
    const d = only(parseMailgun(enc({ 'event-data': { event: 'failed', severity: 'temporary', reason: key, timestamp: TS, recipient: TO } })));
    expect(d.type).toBe('deferred');
    ignoredOnly(parseMailgun(enc({ 'event-data': { event: key, timestamp: TS, recipient: TO } })));
  });

  it('Mailjet error: a bounce or a drop with no reason of its own, no provider suppression', () => {
    const base = { email: TO, time: TS, MessageID: 1, error_related_to: 'recipient', error: key };
    const b = only(parseMailjet(enc({ ...base, event: 'bounce', hard_bounce: true })));
    expect(b.type).toBe('bounced');
    expect(b.bounce).toMatchObject({ class: 'hard', reason: 'undefined' });
    const d = only(parseMailjet(enc({ ...base, event: 'blocked' })));
    expect(d.type).toBe('dropped');
    expect(d.provider_suppression).toBeUndefined();
    expect(d.bounce?.reason).toBe('undefined');
    ignoredOnly(parseMailjet(enc({ ...base, event: key })));
  });

  it('Mandrill bounce_description: the event name decides', () => {
    const event = (name: string) => [{ event: name, ts: TS, _id: 'm1', msg: { email: TO, bounce_description: key } }];
    const hard = only(parseMandrill(enc(event('hard_bounce'))));
    expect(hard.type).toBe('bounced');
    expect(hard.bounce).toMatchObject({ class: 'hard', reason: 'undefined' });
    const soft = only(parseMandrill(enc(event('soft_bounce'))));
    expect(soft.bounce).toMatchObject({ class: 'soft', reason: 'undefined' });
    const deferral = only(parseMandrill(enc(event('deferral'))));
    expect(deferral.type).toBe('deferred');
    ignoredOnly(parseMandrill(enc(event(key))));
  });

  it('SendGrid bounce_classification / type / dropped reason: SendGrid\'s bounce-or-blocked decides', () => {
    const base = { email: TO, timestamp: TS, sg_event_id: 'ev1', event: 'bounce' };
    const bounce = only(parseSendgrid(enc([{ ...base, bounce_classification: key }])));
    expect(bounce.type).toBe('bounced');
    expect(bounce.bounce).toMatchObject({ class: 'hard', reason: 'undefined' });
    const blocked = only(parseSendgrid(enc([{ ...base, type: 'blocked', bounce_classification: key }])));
    expect(blocked.bounce).toMatchObject({ class: 'soft', reason: 'undefined' });
    // A type SendGrid does not document says nothing.
    const oddType = only(parseSendgrid(enc([{ ...base, type: key, bounce_classification: key }])));
    expect(oddType.bounce).toMatchObject({ class: 'undetermined', reason: 'undefined' });
    const dropped = only(parseSendgrid(enc([{ ...base, event: 'dropped', reason: key }])));
    expect(dropped.type).toBe('dropped');
    expect(dropped.provider_suppression).toBeUndefined();
    ignoredOnly(parseSendgrid(enc([{ ...base, event: key }])));
  });

  it('SparkPost bounce_class / type: an undetermined bounce, a soft deferral, or ignored', () => {
    const ev = (type: string) => [{ msys: { message_event: { type, bounce_class: key, timestamp: TS, rcpt_to: TO, event_id: 'ev1' } } }];
    const b = only(parseSparkpost(enc(ev('bounce'))));
    expect(b.type).toBe('bounced');
    expect(b.bounce).toMatchObject({ class: 'undetermined', reason: 'undefined' });
    const d = only(parseSparkpost(enc(ev('delay'))));
    expect(d.type).toBe('deferred');
    expect(d.bounce).toMatchObject({ class: 'soft', reason: 'undefined' });
    ignoredOnly(parseSparkpost(enc(ev(key))));
  });

  describe('SES', () => {
    const mail = { messageId: 'ses-1', timestamp: ISO, destination: [TO] };
    const parse = (inner: unknown) => parseSesMessage(JSON.stringify(inner), ISO);

    it('DeliveryDelay delayType: a soft deferral with no reason of its own', () => {
      const e = only(parse({
        eventType: 'DeliveryDelay', mail,
        deliveryDelay: { delayType: key, timestamp: ISO, delayedRecipients: [{ emailAddress: TO }] },
      }));
      expect(e.type).toBe('deferred');
      expect(e.bounce).toMatchObject({ class: 'soft', reason: 'undefined', provider_class: key });
    });

    it('Transient bounceSubType: a soft bounce with no reason of its own', () => {
      const e = only(parse({
        notificationType: 'Bounce', mail,
        bounce: { bounceType: 'Transient', bounceSubType: key, feedbackId: 'fb1', timestamp: ISO, bouncedRecipients: [{ emailAddress: TO }] },
      }));
      expect(e.type).toBe('bounced');
      expect(e.bounce).toMatchObject({ class: 'soft', reason: 'undefined' });
      expect(sesBounceHint('Transient', key)).toEqual({ class: 'soft', reason: null });
      expect(sesBounceHint(key, key)).toEqual({ class: 'undetermined', reason: null });
    });

    it('bounceType, eventType and notificationType: undetermined, or ignored', () => {
      const e = only(parse({
        notificationType: 'Bounce', mail,
        bounce: { bounceType: key, bounceSubType: key, timestamp: ISO, bouncedRecipients: [{ emailAddress: TO }] },
      }));
      expect(e.bounce?.class).toBe('undetermined');
      expect(parse({ eventType: key, mail })).toEqual({ events: [], ignored: 1, rejected: 0 });
      expect(parse({ notificationType: key, mail })).toEqual({ events: [], ignored: 1, rejected: 0 });
    });

    it('SNS SignatureVersion: a 401, not a crash', async () => {
      const env: SnsEnvelope = {
        Type: 'Notification', MessageId: 'x', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: '{}',
        Timestamp: ISO, SignatureVersion: key, Signature: 'AA==',
        SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem',
      };
      const deps = { fetchCertificate: async () => { throw new Error('must not fetch'); }, now: () => new Date(ISO) };
      await expect(verifySignature(env, deps)).rejects.toMatchObject({ status: 401, code: 'bad_signature_version' });
    });
  });

  it('Resend bounce type / subType / event type: an undetermined bounce, or ignored', () => {
    const body = (bounce: object, type = 'email.bounced') => ({ type, created_at: ISO, data: { email_id: 'r1', to: [TO], bounce } });
    const e = only(parseResend(enc(body({ type: key, subType: key }))));
    expect(e.type).toBe('bounced');
    expect(e.provider_suppression).toBeUndefined();
    expect(e.bounce?.reason).toBe('undefined');
    const transient = only(parseResend(enc(body({ type: 'Transient', subType: key }))));
    expect(transient.bounce).toMatchObject({ class: 'soft', reason: 'undefined' });
    ignoredOnly(parseResend(enc(body({}, key))));
  });

  it('Brevo, MailerSend, Azure event names: ignored, or Azure\'s failed', () => {
    ignoredOnly(parseBrevo(enc({ event: key, email: TO, ts_epoch: TS * 1000 })));
    ignoredOnly(parseMailerSend(enc({ type: key, created_at: ISO, data: { id: 'a1', email: { recipient: { email: TO } } } })));
    ignoredOnly(parseMailerSend(enc({ data: { type: key, id: 'a1', created_at: ISO, email: { recipient: { email: TO } } } })));
    const azure = only(parseAzure(enc({ recipient: TO, status: key, deliveryAttemptTimestamp: ISO, messageId: 'z1' })));
    expect(azure.type).toBe('bounced');
    expect(azure.bounce?.reason).toBe('undefined');
    expect(parseAzure(enc([{ eventType: key, id: 'e1', data: {} }]))).toMatchObject({ events: [], ignored: 1 });
  });
});
