/** Resend events → canonical events: the labelled samples, SES verdicts in Resend's words, ids, recipients, shapes. */
import { describe, expect, it } from 'vitest';
import { parseResend } from '../../../src/providers/resend/parse.js';
import { enc, expectLabelled, fixtures, statusThrown } from './labelled-samples.js';

const fx = fixtures('resend');
const parse = (value: unknown) => parseResend(enc(typeof value === 'string' ? value : JSON.stringify(value)));

const event = (type: string, data: Record<string, unknown>, createdAt = '2024-11-22T23:41:12.126Z') => ({
  type,
  created_at: createdAt,
  data: { created_at: '2024-11-22T23:41:11.894719+00:00', email_id: '56761188-7520-42d8-8898-ff6fc54ce618', to: ['rcpt@example.com'], ...data },
});

describe('every labelled Resend sample gives the labelled events', () => {
  const rows = fx.labels();
  it('has the samples', () => expect(rows.length).toBe(9));
  for (const row of rows) {
    it(row.file, () => {
      if (row.invalid) {
        expect(statusThrown(() => parseResend(fx.bytes(row.file)))).toBe(400);
        return;
      }
      expectLabelled(parseResend(fx.bytes(row.file)), row, 'resend');
    });
  }
});

describe('Resend bounces', () => {
  it('reads the remote reply from diagnosticCode, as a list or a string, before the provider verdict', () => {
    for (const diagnosticCode of [['smtp; 550 5.1.1 <rcpt@example.com>: user unknown'], 'smtp; 550 5.1.1 <rcpt@example.com>: user unknown']) {
      const [e] = parse(event('email.bounced', { bounce: { type: 'Permanent', subType: 'General', message: 'x', diagnosticCode } })).events;
      expect(e!.bounce).toMatchObject({ class: 'hard', reason: 'userunknown', reply_code: '550', status: '5.1.1', provider_class: 'Permanent/General' });
    }
  });

  it('never reads the message as a diagnostic: it speaks of reputation about every bounce', () => {
    const message = fx.text('anymail-fixtures/email.bounced-hard-real-2023.json');
    const [e] = parseResend(enc(message)).events;
    expect(e!.bounce).toMatchObject({ class: 'hard', reason: 'undefined', diagnostic: null, rule: 'provider:hint' });
    // With no type fields, the provider's verdict is its message, verbatim.
    expect(e!.bounce!.provider_class).toMatch(/^The recipient's email provider sent a hard bounce message/);
  });

  it('reads the SES subtype back from a message-only bounce', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['Resend has suppressed sending to this address because it is on the account-level suppression list. This does not count toward your bounce rate metric',
        { type: 'dropped', provider_suppression: 'hard_bounce' }],
      ["The recipient's email provider sent a bounce message because the recipient's inbox was full. You might be able to send to the same recipient in the future when the mailbox is no longer full.",
        { type: 'bounced', bounce: expect.objectContaining({ class: 'soft', reason: 'mailboxfull' }) }],
      ["The recipient's email provider sent a general bounce message. You might be able to send a message to the same recipient in the future if the issue that caused the message to bounce is resolved.",
        { type: 'bounced', bounce: expect.objectContaining({ class: 'soft' }) }],
      ["The intended recipient's email provider sent a bounce message indicating that the email address doesn't exist.",
        { type: 'bounced', bounce: expect.objectContaining({ class: 'hard', reason: 'userunknown' }) }],
      ['Resend was unable to determine a specific bounce reason.',
        { type: 'bounced', bounce: expect.objectContaining({ class: 'undetermined' }) }],
    ];
    for (const [message, want] of cases) {
      const [e] = parse(event('email.bounced', { bounce: { message } })).events;
      expect(e, message).toMatchObject(want);
    }
  });

  it('reads the bounce types as Resend\'s docs write them: "Temporary" is soft, a rejected message is not the address\'s fault', () => {
    const full = parse(event('email.bounced', { bounce: { type: 'Temporary', subType: 'MailboxFull', message: 'x' } })).events[0]!;
    expect(full.bounce).toMatchObject({ class: 'soft', reason: 'mailboxfull', provider_class: 'Temporary/MailboxFull' });
    const general = parse(event('email.bounced', { bounce: { type: 'Temporary', subType: 'General', message: 'x' } })).events[0]!;
    expect(general.bounce).toMatchObject({ class: 'soft' });
    const rejected = parse(event('email.bounced', { bounce: { type: 'Permanent', subType: 'MessageRejected', message: 'x' } })).events[0]!;
    expect(rejected).toMatchObject({ type: 'bounced', bounce: { class: 'soft', reason: 'contenterror' } });
    expect(rejected.provider_suppression).toBeUndefined();
  });

  it('drops (with a hard_bounce suppression) a bounce Resend never attempted: Suppressed and OnAccountSuppressionList', () => {
    for (const subType of ['Suppressed', 'OnAccountSuppressionList']) {
      const [e] = parse(event('email.bounced', { bounce: { type: 'Permanent', subType, message: 'x' } })).events;
      expect(e).toMatchObject({ type: 'dropped', provider_suppression: 'hard_bounce', bounce: { class: 'hard', provider_class: `Permanent/${subType}` } });
      // In lower case too: a drop, not a new bounce.
      const [lower] = parse(event('email.bounced', { bounce: { type: 'permanent', subType: subType.toLowerCase(), message: 'x' } })).events;
      expect(lower).toMatchObject({ type: 'dropped', provider_suppression: 'hard_bounce' });
    }
  });

  it('gives the verdict of a bounce of a several-recipient email only to the address the reply names', () => {
    const to = ['Jane Doe <jane@example.com>', 'bob@example.org'];
    // The reply names jane: she is the hard bounce, bob is recorded without a class.
    const named = parse(event('email.bounced', { to, bounce: { type: 'Permanent', subType: 'General', message: 'x', diagnosticCode: ['smtp; 550 5.1.1 <jane@example.com>: user unknown'] } })).events;
    expect(named.map((e) => [e.recipient, e.bounce?.class])).toEqual([['jane@example.com', 'hard'], ['bob@example.org', 'undetermined']]);
    // Nothing names either: neither is suppressed, by our class or by Resend's suppression.
    const unnamed = parse(event('email.bounced', { to, bounce: { type: 'Permanent', subType: 'Suppressed', message: 'x' } })).events;
    expect(unnamed.map((e) => [e.type, e.recipient, e.bounce?.class, e.provider_suppression])).toEqual([
      ['dropped', 'jane@example.com', 'undetermined', undefined], ['dropped', 'bob@example.org', 'undetermined', undefined],
    ]);
    // A single recipient keeps the verdict whatever the reply says.
    const [single] = parse(event('email.bounced', { bounce: { type: 'Permanent', subType: 'General', message: 'x' } })).events;
    expect(single!.bounce!.class).toBe('hard');
  });

  it('keeps a transient bounce soft when the reply says nothing, with the subtype as reason', () => {
    const [e] = parse(event('email.bounced', { bounce: { type: 'Transient', subType: 'MessageTooLarge', message: 'x' } })).events;
    expect(e!.bounce).toMatchObject({ class: 'soft', reason: 'mesgtoobig', rule: 'provider:hint' });
  });
});

describe('other Resend events', () => {
  it('email.suppressed is a drop, a complaint suppression only when Resend says so', () => {
    const [plain] = parse(event('email.suppressed', { suppressed: { type: 'OnAccountSuppressionList', message: 'Resend has suppressed sending to this address.' } })).events;
    expect(plain).toMatchObject({ type: 'dropped', provider_suppression: 'hard_bounce' });
    const [complaint] = parse(event('email.suppressed', { suppressed: { type: 'OnAccountSuppressionList', message: 'The recipient complained.' } })).events;
    expect(complaint).toMatchObject({ type: 'dropped', provider_suppression: 'complaint' });
  });

  it('ignores events that are not about deliverability, one each', () => {
    for (const type of ['email.sent', 'email.opened', 'email.clicked', 'email.scheduled', 'email.failed', 'email.received', 'contact.created', 'contact.updated', 'contact.deleted', 'domain.updated', 'suppression.removed']) {
      expect(parse(event(type, {})), type).toEqual({ events: [], ignored: 1, rejected: 0 });
    }
  });

  it('reads a contact that is unsubscribed as an unsubscribe, and any other contact change as nothing', () => {
    // The shape of Resend's contact.updated example (its changelog of 2024-07-17).
    const contact = (type: string, unsubscribed: unknown, createdAt = '2024-10-11T23:47:56.678Z') => ({
      type,
      created_at: createdAt,
      data: {
        id: 'e169aa45-1ecf-4183-9955-b1499d5701d3', audience_id: '78261eea-8f8b-4381-83c6-79fa7120f1cf',
        created_at: '2024-07-10T15:11:54.110Z', updated_at: '2024-10-11T23:47:56.678Z',
        email: 'Steve@Example.com', first_name: 'Steve', last_name: 'Doe', unsubscribed,
      },
    });
    const out = parse(contact('contact.updated', true));
    expect(out).toMatchObject({ ignored: 0, rejected: 0 });
    expect(out.events).toEqual([expect.objectContaining({
      provider: 'resend', type: 'unsubscribed', recipient: 'steve@example.com', occurred_at: '2024-10-11T23:47:56.678Z', message_id: null,
    })]);
    expect(out.events[0]!.bounce).toBeUndefined();
    expect(parse(contact('contact.created', true)).events.map((e) => e.type)).toEqual(['unsubscribed']);
    // Redelivered: the same id; a later change of the same contact: a new one.
    expect(parse(contact('contact.updated', true)).events[0]!.id).toBe(out.events[0]!.id);
    expect(parse(contact('contact.updated', true, '2024-10-12T08:00:00.000Z')).events[0]!.id).not.toBe(out.events[0]!.id);
    for (const unsubscribed of [false, 'true', null, undefined]) {
      expect(parse(contact('contact.updated', unsubscribed)), String(unsubscribed)).toEqual({ events: [], ignored: 1, rejected: 0 });
    }
    expect(parse(contact('contact.deleted', true))).toEqual({ events: [], ignored: 1, rejected: 0 });
    expect(parse({ ...contact('contact.updated', true), data: { ...contact('contact.updated', true).data, email: 'not an address' } }))
      .toEqual({ events: [], ignored: 0, rejected: 1 });
    expect(statusThrown(() => parse({ type: 'contact.updated', created_at: '2024-10-11T23:47:56.678Z' }))).toBe(400);
  });
});

describe('Resend suppression-list changes', () => {
  it('ignores them: an addition restates a bounce or complaint already reported, which Rebote judges itself', () => {
    // The shape of Resend's suppression.added example (resend.com/docs/webhooks/suppressions/added).
    // Resend lists an address after any bounce it calls permanent, a block-list refusal included:
    // following the list would suppress customers Rebote's own reading of the bounce keeps.
    for (const type of ['suppression.added', 'suppression.removed']) {
      for (const origin of ['bounce', 'complaint', 'manual']) {
        const body = {
          type, created_at: '2026-11-17T19:32:22.980Z',
          data: { id: 'e169aa45-1ecf-4183-9955-b1499d5701d3', email: 'steve@example.com', origin, source_id: '4ef9a417-02e9-4d39-ad75-9611e0fcc33c', created_at: '2026-11-17T19:32:22.980Z' },
        };
        expect(parse(body), `${type} ${origin}`).toEqual({ events: [], ignored: 1, rejected: 0 });
      }
    }
  });
});

describe('recipients, times and ids', () => {
  it('gives one event per address in data.to, reading display-name mailboxes, counting non-addresses', () => {
    const out = parse(event('email.delivered', { to: ['Jane Doe <Jane@Example.COM>', 'bob@example.org', 'not an address'] }));
    expect(out.events.map((e) => e.recipient)).toEqual(['jane@example.com', 'bob@example.org']);
    expect(out.rejected).toBe(1);
    expect(new Set(out.events.map((e) => e.id)).size).toBe(2);
  });

  it('accepts data.to as a single string', () => {
    expect(parse(event('email.delivered', { to: 'solo@example.com' })).events.map((e) => e.recipient)).toEqual(['solo@example.com']);
  });

  it('takes the event time, not the email creation time, and the Resend email id as message id', () => {
    const [e] = parse(event('email.delivered', {})).events;
    expect(e).toMatchObject({ occurred_at: '2024-11-22T23:41:12.126Z', message_id: '56761188-7520-42d8-8898-ff6fc54ce618' });
  });

  it('gives a redelivered event the same id, and a later event of the same kind a new one', () => {
    const first = parse(event('email.delivery_delayed', {})).events[0]!.id;
    expect(parse(event('email.delivery_delayed', {})).events[0]!.id).toBe(first);
    expect(parse(event('email.delivery_delayed', {}, '2024-11-23T00:41:12.126Z')).events[0]!.id).not.toBe(first);
    expect(parse(event('email.delivered', {})).events[0]!.id).not.toBe(first);
  });
});

describe('malformed bodies are 400', () => {
  it.each([
    ['not JSON', '{"type": "email.bounced",'],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
    ['an array', '[]'],
    ['no data', JSON.stringify({ type: 'email.bounced', created_at: '2024-01-01T00:00:00Z' })],
    ['data.to missing', JSON.stringify({ type: 'email.bounced', created_at: '2024-01-01T00:00:00Z', data: { email_id: 'x' } })],
    ['no time', JSON.stringify({ type: 'email.delivered', data: { to: ['a@example.com'] } })],
  ])('%s', (_name, body) => {
    expect(statusThrown(() => parseResend(typeof body === 'string' ? enc(body) : body))).toBe(400);
  });
});
