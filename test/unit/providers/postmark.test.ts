/// <reference types="node" />
/** Postmark: HTTP Basic on the webhook URL, and the parsing of every record type it posts. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { suppressionWithoutHistory } from '../../../src/core/policy.js';
import { providerPlugin } from '../../../src/providers/registry.js';
import { postmark } from '../../../src/providers/postmark/index.js';
import { parsePostmark } from '../../../src/providers/postmark/parse.js';
import { enc, expectLabelled, fixtures } from './labelled-samples.js';

const fx = fixtures('postmark');
const config = readConfig({});
const parse = (record: Record<string, unknown>) => parsePostmark(enc(JSON.stringify(record)));

describe('Postmark authentication', () => {
  const AUTH = 'hook:s3cret:with-colon';
  const deps = { fetchCertificate: async () => '', now: () => new Date(), claimOnce: async () => true };
  const req = (authorization?: string) => ({
    method: 'POST', url: 'https://rebote.test/webhooks/postmark', body: enc('{}'),
    headers: new Headers(authorization ? { authorization } : {}),
  });

  it('accepts exactly the configured user:password as HTTP Basic', async () => {
    const cfg = readConfig({ POSTMARK_WEBHOOK_AUTH: AUTH });
    await expect(postmark.verify(req(`Basic ${btoa(AUTH)}`), cfg, deps)).resolves.toBeUndefined();
    await expect(postmark.verify(req(`Basic ${btoa('hook:s3cret')}`), cfg, deps)).rejects.toMatchObject({ status: 401, code: 'bad_credentials' });
    await expect(postmark.verify(req(`Bearer ${AUTH}`), cfg, deps)).rejects.toMatchObject({ status: 401 });
    await expect(postmark.verify(req(), cfg, deps)).rejects.toMatchObject({ status: 401, code: 'missing_credentials' });
  });

  it('refuses everything when POSTMARK_WEBHOOK_AUTH is not set', async () => {
    await expect(postmark.verify(req(`Basic ${btoa(AUTH)}`), config, deps)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
  });
});

const labels = fx.labels();

describe('every labelled Postmark sample gives the labelled events', () => {
  it('has the samples', () => expect(labels.length).toBeGreaterThanOrEqual(13));
  for (const row of labels) {
    it(row.file, () => {
      expectLabelled(parsePostmark(enc(fx.text(row.file))), row, 'postmark');
    });
  }
});

describe('Postmark parsing', () => {
  const bounce = {
    RecordType: 'Bounce', ID: 42, Type: 'HardBounce', TypeCode: 1, MessageID: 'm-1', Email: 'John@Example.com',
    BouncedAt: '2019-11-05T16:33:54.9070259Z', Inactive: true,
    Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
  };

  it('is registered under its route name', () => {
    expect(providerPlugin('postmark')).toBe(postmark);
  });

  it('keeps bounce IDs beyond 2^53 exact, so neighbouring bounces keep distinct ids', () => {
    const text = fx.text('docs-postmarkapp-via-webhookdb/bounce-hardbounce.json');
    expect(text).toContain('4323372036854775807');
    const a = parsePostmark(enc(text)).events[0]!;
    const b = parsePostmark(enc(text.replace('4323372036854775807', '4323372036854775808'))).events[0]!;
    // As doubles, both IDs are 4323372036854776000.
    expect(a.id).not.toBe(b.id);
    expect(parsePostmark(enc(text)).events[0]!.id).toBe(a.id);
    expect(a.occurred_at).toBe('2019-11-05T16:33:54.907Z');
  });

  it('reads a bounce whose Metadata holds a number with a long fraction (a sender\'s own value)', () => {
    const text = fx.text('docs-postmarkapp-via-webhookdb/bounce-hardbounce.json').replace('"RecordType"', '"Metadata": {"score": 0.30000000000000004}, "RecordType"');
    expect(text).toContain('0.30000000000000004');
    const e = parsePostmark(enc(text)).events[0]!;
    expect({ type: e.type, class: e.bounce?.class }).toEqual({ type: 'bounced', class: 'hard' });
  });

  it('reads the reply from Details, never from the generic Description', () => {
    const e = parse({ ...bounce, Type: 'Transient', TypeCode: 2, Inactive: false, Details: 'connection dropped, will not retry' }).events[0]!;
    expect(e).toMatchObject({ type: 'deferred', bounce: { diagnostic: 'connection dropped, will not retry', class: 'soft', provider_class: 'Transient' } });
    expect(e.bounce!.reason).not.toBe('userunknown');
    const coded = parse({ ...bounce, Details: 'smtp;552 5.2.2 mailbox full' }).events[0]!;
    expect(coded.bounce).toMatchObject({ class: 'soft', reason: 'mailboxfull', reply_code: '552', status: '5.2.2' });
  });

  it('records a Transient bounce ("Message delayed") as a deferral, which never counts toward the soft limit', () => {
    for (const r of [{ ...bounce, Type: 'Transient', TypeCode: 2, Details: '451 4.4.1 no answer from host' }, { ...bounce, Type: 'Transient', TypeCode: undefined, Details: 'n/a' }]) {
      const e = parse(r).events[0]!;
      expect(e.type).toBe('deferred');
      expect(suppressionWithoutHistory(e, { softBounceLimit: 1, softBounceWindowDays: 14, softSuppressionDays: 30, suppressUnsubscribes: true })).toBeNull();
    }
  });

  it('uses TypeCode (or Type) and Inactive only when the details decide nothing', () => {
    const soft = parse({ ...bounce, Type: 'SoftBounce', TypeCode: 4096, Inactive: false, Details: 'n/a' }).events[0]!;
    expect(soft.bounce).toMatchObject({ class: 'soft', rule: 'provider:hint' });
    const deactivated = parse({ ...bounce, Type: 'SoftBounce', TypeCode: 4096, Inactive: true, Details: 'n/a' }).events[0]!;
    expect(deactivated.bounce).toMatchObject({ class: 'hard' });
    const byName = parse({ ...bounce, TypeCode: undefined, Type: 'DnsError', Inactive: false }).events[0]!;
    expect(byName.bounce).toMatchObject({ class: 'soft', reason: 'networkerror' });
    const unknown = parse({ ...bounce, TypeCode: 999999, Type: 'Whatever', Inactive: false }).events[0]!;
    expect(unknown.bounce).toMatchObject({ class: 'undetermined' });
  });

  it('routes on RecordType: a SpamComplaint with TypeCode 512 is a complaint, not a bounce', () => {
    const out = parsePostmark(enc(fx.text('anymail-fixtures/spamcomplaint.json')));
    expect(out.events.map((e) => e.type)).toEqual(['complained']);
  });

  it('maps the bounce types that are not failures to ignored, and Unsubscribe to an unsubscribe', () => {
    for (const [Type, TypeCode] of [['AutoResponder', 64], ['Subscribe', 32], ['OpenRelayTest', 1024], ['InboundError', 100008]] as const) {
      expect(parse({ ...bounce, Type, TypeCode }), Type).toEqual({ events: [], ignored: 1, rejected: 0 });
    }
    expect(parse({ ...bounce, Type: 'Unsubscribe', TypeCode: 16 }).events.map((e) => e.type)).toEqual(['unsubscribed']);
    // A real scrubbed capture of this type had no Email at all: counted, never stored.
    const { Email: _e, ...noEmail } = bounce;
    expect(parse({ ...noEmail, Type: 'Unsubscribe', TypeCode: 16 })).toEqual({ events: [], ignored: 0, rejected: 1 });
  });

  it('treats SubscriptionChange as suppression news: reactivations are ignored', () => {
    const change = { RecordType: 'SubscriptionChange', MessageID: 'm', Recipient: 'a@example.com', ChangedAt: '2022-06-05T17:17:32Z', SuppressSending: true };
    expect(parse({ ...change, SuppressionReason: 'SpamComplaint' }).events.map((e) => e.type)).toEqual(['complained']);
    expect(parse({ ...change, SuppressionReason: 'ManualSuppression', Origin: 'Customer' }).events.map((e) => e.type)).toEqual(['unsubscribed']);
    expect(parse({ ...change, SuppressSending: false, SuppressionReason: null })).toEqual({ events: [], ignored: 1, rejected: 0 });
  });

  it('ignores Open, Click and unknown record types; reads pre-RecordType bounces', () => {
    expect(parse({ RecordType: 'Click', Recipient: 'a@example.com' })).toEqual({ events: [], ignored: 1, rejected: 0 });
    expect(parse({ RecordType: 'Inbound' })).toEqual({ events: [], ignored: 1, rejected: 0 });
    const { RecordType: _r, ...legacy } = bounce;
    expect(parse(legacy).events.map((e) => [e.type, e.recipient])).toEqual([['bounced', 'john@example.com']]);
  });

  it('answers 400 for bodies that are not a Postmark record', () => {
    for (const body of ['', 'nope', '[]', '{}', '{"Email":"a@example.com"}', '{"RecordType":"Bounce","Email":"a@example.com"}',
      '{"RecordType":"Delivery","Recipient":"a@example.com","DeliveredAt":"later"}']) {
      expect(() => parsePostmark(enc(body)), body).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
