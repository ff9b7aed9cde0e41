/**
 * MailerSend: the published signature vectors, signatures made here with generated secrets, the
 * test-ping secret accepted for webhook.test only, failing closed, and parsing.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { mailersend } from '../../../src/providers/mailersend/index.js';
import { parseMailerSend } from '../../../src/providers/mailersend/parse.js';
import type { ProviderDeps, WebhookRequest } from '../../../src/providers/types.js';
import { enc, expectLabelled, fixtures, statusThrown } from './labelled-samples.js';

const fx = fixtures('mailersend');
const deps: ProviderDeps = { now: () => new Date(), fetchCertificate: async () => '', claimOnce: async () => true };
const vectors = JSON.parse(fx.text('signature-test-vectors/vectors.json')) as Array<{ name: string; body_file: string; signing_secret: string; header_Signature: string }>;
const vector = (name: string) => vectors.find((v) => v.name === name)!;
const PING_SECRET = 'test_Am3L1GuOIc4blLUuHqAPxxwkZaJyEk8G';

const req = (body: Uint8Array, signature?: string): WebhookRequest => ({
  method: 'POST', url: 'https://rebote.example/webhooks/mailersend', body,
  headers: new Headers(signature !== undefined ? { signature } : {}),
});
const configWith = (secret?: string) => readConfig(secret ? { MAILERSEND_WEBHOOK_SECRET: secret } : {});
/** MailerSend's signing, from its docs: lowercase hex HMAC-SHA256 of the raw body. */
const sign = (secret: string, body: Uint8Array) => createHmac('sha256', secret).update(body).digest('hex');

describe('the published MailerSend vectors', () => {
  it('Symfony\'s signed activity.sent verifies with its secret, and not with another', async () => {
    const v = vector('symfony-sent');
    const body = fx.bytes(`signature-test-vectors/${v.body_file}`);
    await expect(mailersend.verify(req(body, v.header_Signature), configWith(v.signing_secret), deps)).resolves.toBeUndefined();
    await expect(mailersend.verify(req(body, v.header_Signature), configWith('another-secret'), deps)).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });

  it('the webhook.test ping signed with MailerSend\'s test secret passes whatever the configured secret', async () => {
    const v = vector('webhook.test-ping');
    const body = fx.bytes(`signature-test-vectors/${v.body_file}`);
    expect(v.signing_secret.startsWith(PING_SECRET)).toBe(true);
    await expect(mailersend.verify(req(body, v.header_Signature), configWith('the-real-webhook-secret'), deps)).resolves.toBeUndefined();
    expect(parseMailerSend(body)).toEqual({ events: [], ignored: 1, rejected: 0 });
  });

  it('the test secret signs nothing but a ping: an activity signed with it is refused', async () => {
    for (const file of ['symfony-fixtures/hard_bounced.json', 'signature-test-vectors/symfony-sent.body.bin']) {
      const body = fx.bytes(file);
      await expect(mailersend.verify(req(body, sign(PING_SECRET, body)), configWith('the-real-webhook-secret'), deps), file)
        .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    }
    // Nor a body that merely mentions webhook.test somewhere else.
    const sneaky = enc(JSON.stringify({ type: 'activity.hard_bounced', note: { type: 'webhook.test' }, data: {} }));
    await expect(mailersend.verify(req(sneaky, sign(PING_SECRET, sneaky)), configWith('s'), deps)).rejects.toMatchObject({ status: 401 });
  });

  it('the test secret passes no ping the parser would refuse, so no one can have a body kept as a dead letter', async () => {
    // Not UTF-8: a forgiving decoder reads it as a ping, the parser refuses it.
    const prefix = enc('{"type":"webhook.test","junk":"');
    const body = new Uint8Array([...prefix, 0xff, ...enc('"}')]);
    expect(() => parseMailerSend(body)).toThrow();
    await expect(mailersend.verify(req(body, sign(PING_SECRET, body)), configWith('the-real-webhook-secret'), deps))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });
});

describe('signatures made with a generated secret', () => {
  const secret = crypto.randomUUID();
  const body = fx.bytes('anymail-fixtures/activity.soft_bounced.json');

  it('verify, in lower or upper case hex', async () => {
    await expect(mailersend.verify(req(body, sign(secret, body)), configWith(secret), deps)).resolves.toBeUndefined();
    await expect(mailersend.verify(req(body, sign(secret, body).toUpperCase()), configWith(secret), deps)).resolves.toBeUndefined();
  });

  it('are refused when one byte of the body changes (MailerSend\'s escaped slashes are bytes like any other)', async () => {
    const escaped = enc(new TextDecoder().decode(body).replace('"object"', '"object" '));
    await expect(mailersend.verify(req(escaped, sign(secret, body)), configWith(secret), deps)).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });

  it('are required', async () => {
    await expect(mailersend.verify(req(body), configWith(secret), deps)).rejects.toMatchObject({ status: 401, code: 'missing_signature' });
    await expect(mailersend.verify(req(body, ''), configWith(secret), deps)).rejects.toMatchObject({ status: 401, code: 'missing_signature' });
  });
});

describe('failing closed', () => {
  it('refuses every request, the ping included, when MAILERSEND_WEBHOOK_SECRET is unset', async () => {
    const v = vector('webhook.test-ping');
    const ping = fx.bytes(`signature-test-vectors/${v.body_file}`);
    await expect(mailersend.verify(req(ping, v.header_Signature), configWith(), deps)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
  });
});

describe('every labelled MailerSend sample gives the labelled events', () => {
  const rows = fx.labels();
  it('has the samples', () => expect(rows.length).toBe(10));
  for (const row of rows) {
    it(row.file, () => {
      if (row.invalid) {
        expect(statusThrown(() => parseMailerSend(fx.bytes(row.file)))).toBe(400);
        return;
      }
      expectLabelled(parseMailerSend(fx.bytes(row.file)), row, 'mailersend');
    });
  }
});

describe('MailerSend\'s flat payload shape (data.recipient, data.meta)', () => {
  const parse = (name: string) => parseMailerSend(fx.bytes(`symfony-v2-fixtures/${name}.json`));
  const brief = (name: string) => parse(name).events.map((e) => ({
    type: e.type, recipient: e.recipient, message_id: e.message_id, class: e.bounce?.class ?? null,
    reason: e.bounce?.reason ?? null, reply_code: e.bounce?.reply_code ?? null,
  }));
  const base = { recipient: 'test@example.com', message_id: '67f91abd69f79df391e9d78d', reply_code: null };

  it('reads bounces with their reason and reply code, complaints, unsubscribes and deliveries', () => {
    expect(brief('hard_bounced')).toEqual([{ ...base, type: 'bounced', class: 'hard', reason: 'hostunknown', reply_code: '550' }]);
    expect(brief('soft_bounced')).toEqual([{ ...base, type: 'bounced', class: 'soft', reason: 'undefined', reply_code: '550' }]);
    expect(brief('spam_complaint')).toEqual([{ ...base, type: 'complained', class: null, reason: null }]);
    expect(brief('unsubscribed')).toEqual([{ ...base, type: 'unsubscribed', class: null, reason: null }]);
    expect(brief('delivered')).toEqual([{ ...base, type: 'delivered', class: null, reason: null }]);
    expect(parse('hard_bounced').events[0]!.bounce!.diagnostic).toBe('Host or domain name not found');
  });

  it('takes the address from a plain data.email too, and a numeric bounce_code', () => {
    // MailerSend's webhook reference shows the flat shape with the address as `email`, and
    // "Webhooks 2.0" examples give bounce_code as a number.
    const body = JSON.parse(fx.text('symfony-v2-fixtures/hard_bounced.json')) as { data: Record<string, unknown> & { meta: Record<string, unknown> } };
    body.data.email = body.data.recipient;
    delete body.data.recipient;
    body.data.meta.bounce_code = 550;
    const [e] = parseMailerSend(enc(JSON.stringify(body))).events;
    expect(e).toMatchObject({ type: 'bounced', recipient: 'test@example.com', message_id: '67f91abd69f79df391e9d78d' });
    expect(e!.bounce).toMatchObject({ class: 'hard', reason: 'hostunknown', reply_code: '550' });
  });

  it('refuses an event with neither shape\'s recipient', () => {
    const body = JSON.parse(fx.text('symfony-v2-fixtures/hard_bounced.json')) as { data: Record<string, unknown> };
    delete body.data.recipient;
    expect(statusThrown(() => parseMailerSend(enc(JSON.stringify(body))))).toBe(400);
  });
});

describe('MailerSend events', () => {
  const activity = (type: string, extra: Record<string, unknown> = {}) => ({
    type: `activity.${type}`,
    data: {
      id: '63fd251d5c00f8e52001fce6', type, created_at: '2023-02-27T21:48:13.593000Z',
      email: { status: 'rejected', message: { id: '63fd25194d5edba3da09e044' }, recipient: { email: 'Invalid@Example.com' } },
      ...extra,
    },
  });
  const one = (value: unknown) => parseMailerSend(enc(JSON.stringify(value).replace(/\//g, '\\/'))).events[0]!;

  it('classifies morph.reason, with the event name as the fallback class, and the message id as message_id', () => {
    const e = one(activity('hard_bounced', { morph: { object: 'recipient_bounce', reason: '550 5.1.1 The email account that you tried to reach does not exist' } }));
    expect(e).toMatchObject({
      type: 'bounced', recipient: 'invalid@example.com', occurred_at: '2023-02-27T21:48:13.593Z', message_id: '63fd25194d5edba3da09e044',
      bounce: { class: 'hard', reason: 'userunknown', reply_code: '550', provider_class: 'hard_bounced' },
    });
    expect(one(activity('soft_bounced', { morph: { object: 'recipient_bounce', reason: 'Unknown reason' } })).bounce)
      .toMatchObject({ class: 'soft', rule: 'provider:hint' });
  });

  it('records activity.deferred as a deferral, never a bounce', () => {
    const e = one(activity('deferred', { morph: { object: 'recipient_bounce', reason: '421 4.7.0 Try again later' } }));
    expect(e).toMatchObject({ type: 'deferred', recipient: 'invalid@example.com', bounce: { class: 'soft', reply_code: '421', provider_class: 'deferred' } });
  });

  it('gives different ids to different kinds of event that share an activity id (as Symfony\'s samples do)', () => {
    const ids = ['hard_bounced', 'soft_bounced', 'delivered', 'spam_complaint'].map((t) => one(activity(t)).id);
    expect(new Set(ids).size).toBe(4);
    expect(one(activity('delivered')).id).toBe(ids[2]);
  });

  it('reads the kind from data.type when the top-level type is missing', () => {
    const { type: _t, ...trimmed } = activity('spam_complaint');
    expect(one(trimmed)).toMatchObject({ type: 'complained' });
  });

  it('ignores pings and events that are not about deliverability', () => {
    for (const type of ['activity.sent', 'activity.opened', 'activity.clicked', 'activity.opened_unique', 'activity.survey_submitted', 'sender_identity.verified', 'webhook.test']) {
      expect(parseMailerSend(enc(JSON.stringify({ type }))), type).toEqual({ events: [], ignored: 1, rejected: 0 });
    }
  });

  it.each([
    ['not JSON', '{"type":'],
    ['an array', '[]'],
    ['a bounce without data.email', JSON.stringify({ type: 'activity.hard_bounced', created_at: '2024-01-01T00:00:00Z', data: { id: 'x' } })],
    ['a bounce without a time', JSON.stringify({ type: 'activity.hard_bounced', data: { id: 'x', email: { recipient: { email: 'a@example.com' } } } })],
  ])('%s is 400', (_name, body) => {
    expect(statusThrown(() => parseMailerSend(enc(body)))).toBe(400);
  });
});
