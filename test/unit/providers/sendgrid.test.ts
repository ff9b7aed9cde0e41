/// <reference types="node" />
/**
 * SendGrid: the real SendGrid-signed vectors, signatures made here with a generated P-256 key,
 * and the parsing of every labelled batch plus the edge cases real batches have.
 */
import { KeyObject, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { stableId } from '../../../src/core/id.js';
import { suppressionWithoutHistory } from '../../../src/core/policy.js';
import { base64ToBytes, bytesToBase64 } from '../../../src/crypto/base64.js';
import { DerError } from '../../../src/crypto/der.js';
import { providerPlugin } from '../../../src/providers/registry.js';
import { sendgrid } from '../../../src/providers/sendgrid/index.js';
import { derSignatureToP1363 } from '../../../src/providers/sendgrid/ecdsa.js';
import { parseSendgrid } from '../../../src/providers/sendgrid/parse.js';
import { MAX_AGE_SECONDS, MAX_SKEW_SECONDS, verifySendgrid } from '../../../src/providers/sendgrid/verify.js';
import { enc, expectLabelled, fixtures } from './labelled-samples.js';

const fx = fixtures('sendgrid');
const config = readConfig({});

interface Vector {
  name: string;
  body_file: string;
  public_key_spki_b64: string;
  header_X_Twilio_Email_Event_Webhook_Timestamp: string;
  header_X_Twilio_Email_Event_Webhook_Signature: string;
  expect_valid: boolean;
  signature_p1363_b64_for_webcrypto?: string;
}
const vectors = JSON.parse(fx.text('signature-test-vectors/vectors.json')) as Vector[];

const headersOf = (signature: string, timestamp: string) => new Headers({
  'x-twilio-email-event-webhook-signature': signature,
  'x-twilio-email-event-webhook-timestamp': timestamp,
});
const at = (unixSeconds: number | string) => new Date(Number(unixSeconds) * 1000);

/** A P-256 key pair from WebCrypto; signatures are DER-encoded by Node (independently of ecdsa.ts). */
async function makeSigner() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as CryptoKeyPair;
  const spki = bytesToBase64(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey) as ArrayBuffer));
  // The Worker types and Node's describe the same WebCrypto key differently.
  const privateKey = KeyObject.from(pair.privateKey as unknown as Parameters<typeof KeyObject.from>[0]);
  return {
    spki,
    sign(timestamp: string, body: Uint8Array): Headers {
      const der = nodeSign('sha256', Buffer.concat([enc(timestamp), body]), { key: privateKey, dsaEncoding: 'der' });
      return headersOf(der.toString('base64'), timestamp);
    },
  };
}

describe('SendGrid signature verification', () => {
  it('accepts the real SendGrid-signed batches and refuses the wrong-key vector', async () => {
    expect(vectors.filter((v) => v.expect_valid)).toHaveLength(2);
    for (const v of vectors) {
      const body = fx.bytes(`signature-test-vectors/${v.body_file}`);
      const headers = headersOf(v.header_X_Twilio_Email_Event_Webhook_Signature, v.header_X_Twilio_Email_Event_Webhook_Timestamp);
      const run = verifySendgrid(headers, body, v.public_key_spki_b64, at(v.header_X_Twilio_Email_Event_Webhook_Timestamp));
      if (v.expect_valid) await expect(run, v.name).resolves.toBeUndefined();
      else await expect(run, v.name).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    }
  });

  it('converts the real DER signatures to the published P1363 form', () => {
    for (const v of vectors.filter((x) => x.signature_p1363_b64_for_webcrypto)) {
      const p1363 = derSignatureToP1363(base64ToBytes(v.header_X_Twilio_Email_Event_Webhook_Signature));
      expect(bytesToBase64(p1363), v.name).toBe(v.signature_p1363_b64_for_webcrypto);
    }
  });

  it('covers the exact bytes: the real batch without its CRLFs no longer verifies', async () => {
    const v = vectors.find((x) => x.name === 'multi-processed-bounce-blocked')!;
    const body = fx.text(`signature-test-vectors/${v.body_file}`);
    expect(body).toContain('\r\n');
    const headers = headersOf(v.header_X_Twilio_Email_Event_Webhook_Signature, v.header_X_Twilio_Email_Event_Webhook_Timestamp);
    await expect(verifySendgrid(headers, enc(body.replaceAll('\r\n', '\n')), v.public_key_spki_b64, at(v.header_X_Twilio_Email_Event_Webhook_Timestamp)))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });

  it('verifies a generated key, as base64 DER or PEM, and refuses a changed body or timestamp', async () => {
    const signer = await makeSigner();
    const body = fx.bytes('docs-twilio-current/bounce-hard-type-bounce.json');
    const now = new Date();
    const ts = String(Math.floor(now.getTime() / 1000));
    const headers = signer.sign(ts, body);
    await expect(verifySendgrid(headers, body, signer.spki, now)).resolves.toBeUndefined();
    const pem = `-----BEGIN PUBLIC KEY-----\n${signer.spki.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    await expect(verifySendgrid(headers, body, pem, now)).resolves.toBeUndefined();

    const tampered = Uint8Array.from(body);
    tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
    await expect(verifySendgrid(headers, tampered, signer.spki, now)).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    const moved = new Headers(headers);
    moved.set('x-twilio-email-event-webhook-timestamp', String(Number(ts) + 1));
    await expect(verifySendgrid(moved, body, signer.spki, now)).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });

  it(`accepts signatures up to ${MAX_AGE_SECONDS / 3600} h old and ${MAX_SKEW_SECONDS / 60} min ahead, no further`, async () => {
    const signer = await makeSigner();
    const body = enc('[]');
    const ts = 1_700_000_000;
    const headers = signer.sign(String(ts), body);
    await expect(verifySendgrid(headers, body, signer.spki, at(ts + MAX_AGE_SECONDS))).resolves.toBeUndefined();
    await expect(verifySendgrid(headers, body, signer.spki, at(ts - MAX_SKEW_SECONDS))).resolves.toBeUndefined();
    await expect(verifySendgrid(headers, body, signer.spki, at(ts + MAX_AGE_SECONDS + 1))).rejects.toMatchObject({ status: 401, code: 'stale_signature' });
    await expect(verifySendgrid(headers, body, signer.spki, at(ts - MAX_SKEW_SECONDS - 1))).rejects.toMatchObject({ status: 401, code: 'stale_signature' });
    // A day covers SendGrid's 24 h of retries.
    expect(MAX_AGE_SECONDS).toBeGreaterThanOrEqual(24 * 3600);
  });

  it('fails closed without a key or with a key that is not a P-256 SPKI', async () => {
    const signer = await makeSigner();
    const body = enc('[]');
    const now = new Date();
    const headers = signer.sign(String(Math.floor(now.getTime() / 1000)), body);
    await expect(verifySendgrid(headers, body, undefined, now)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(verifySendgrid(headers, body, '', now)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(verifySendgrid(headers, body, 'bm90IGEga2V5', now)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(verifySendgrid(headers, body, 'not base64!', now)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    // The plugin reads the key from the configuration.
    const deps = { fetchCertificate: async () => '', now: () => now, claimOnce: async () => true };
    const req = { method: 'POST', url: 'https://rebote.test/webhooks/sendgrid', headers, body };
    await expect(sendgrid.verify(req, config, deps)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(sendgrid.verify(req, readConfig({ SENDGRID_WEBHOOK_PUBLIC_KEY: signer.spki }), deps)).resolves.toBeUndefined();
  });

  it('checks every request against the key configured for it, also when the last request had another', async () => {
    const [a, b] = [await makeSigner(), await makeSigner()];
    const body = enc('[]');
    const now = new Date();
    const ts = String(Math.floor(now.getTime() / 1000));
    const [byA, byB] = [a.sign(ts, body), b.sign(ts, body)];
    await expect(verifySendgrid(byA, body, a.spki, now)).resolves.toBeUndefined();
    await expect(verifySendgrid(byA, body, b.spki, now)).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    await expect(verifySendgrid(byB, body, b.spki, now)).resolves.toBeUndefined();
    await expect(verifySendgrid(byB, body, a.spki, now)).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    await expect(verifySendgrid(byA, body, 'bm90IGEga2V5', now)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(verifySendgrid(byA, body, a.spki, now)).resolves.toBeUndefined();
  });

  it('checks requests verified at the same time each against its own bytes, small and large', async () => {
    const signer = await makeSigner();
    const now = new Date();
    const ts = String(Math.floor(now.getTime() / 1000));
    const bodies = [enc('[]'), enc(`[${'{"event":"open"},'.repeat(40_000)}{}]`), enc('[{"event":"open"}]'), enc(`[${' '.repeat(2_000_000)}]`)];
    const signed = bodies.map((b) => signer.sign(ts, b));
    // Each body under its own signature, and under the signature of another.
    const runs = bodies.flatMap((b, i) => [
      verifySendgrid(signed[i]!, b, signer.spki, now).then(() => 'ok', (e: { code: string }) => e.code),
      verifySendgrid(signed[(i + 1) % bodies.length]!, b, signer.spki, now).then(() => 'ok', (e: { code: string }) => e.code),
    ]);
    expect(await Promise.all(runs)).toEqual(bodies.flatMap(() => ['ok', 'bad_signature']));
  });

  it('refuses missing headers, a non-numeric timestamp and a signature that is not DER', async () => {
    const signer = await makeSigner();
    const body = enc('[]');
    const now = new Date();
    const check = (headers: Headers) => verifySendgrid(headers, body, signer.spki, now);
    await expect(check(new Headers())).rejects.toMatchObject({ status: 401, code: 'missing_signature' });
    await expect(check(headersOf('', '1'))).rejects.toMatchObject({ status: 401, code: 'missing_signature' });
    await expect(check(headersOf('MEUCIQ==', 'soon'))).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    await expect(check(headersOf('!!!', '1'))).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    await expect(check(headersOf(bytesToBase64(new Uint8Array(64)), String(Math.floor(now.getTime() / 1000)))))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });
});

describe('DER → P1363', () => {
  const der = (...bytes: number[]) => Uint8Array.from(bytes);
  it('strips DER sign bytes and left-pads short integers', () => {
    const r = [0x00, 0x80, ...new Array(31).fill(1)];
    const s = [0x05];
    const out = derSignatureToP1363(der(0x30, 4 + r.length + s.length, 0x02, r.length, ...r, 0x02, 1, ...s));
    expect(out.length).toBe(64);
    expect([...out.subarray(0, 32)]).toEqual([0x80, ...new Array(31).fill(1)]);
    expect([...out.subarray(32)]).toEqual([...new Array(31).fill(0), 5]);
  });
  it('refuses negative, oversized, empty and trailing data', () => {
    expect(() => derSignatureToP1363(der(0x30, 6, 0x02, 1, 0x80, 0x02, 1, 1))).toThrow(DerError);
    expect(() => derSignatureToP1363(der(0x30, 38, 0x02, 33, 1, ...new Array(32).fill(1), 0x02, 1, 1))).toThrow(DerError);
    expect(() => derSignatureToP1363(der(0x30, 5, 0x02, 0, 0x02, 1, 1))).toThrow(DerError);
    expect(() => derSignatureToP1363(der(0x30, 6, 0x02, 1, 1, 0x02, 1, 1, 0))).toThrow(DerError);
    expect(() => derSignatureToP1363(der(0x31, 6, 0x02, 1, 1, 0x02, 1, 1))).toThrow(DerError);
    expect(() => derSignatureToP1363(der(0x30, 3, 0x02, 1, 1))).toThrow(DerError);
  });
});

const labels = fx.labels();

describe('every labelled SendGrid sample gives the labelled events', () => {
  it('has the samples', () => expect(labels.length).toBeGreaterThanOrEqual(14));
  for (const row of labels) {
    it(row.file, () => {
      expectLabelled(parseSendgrid(fx.bytes(row.file)), row, 'sendgrid');
    });
  }
});

describe('SendGrid parsing', () => {
  const parse = (events: unknown[]) => parseSendgrid(enc(JSON.stringify(events)));
  const base = { email: 'User@Example.com', timestamp: 1700000000, sg_event_id: 'evt-1', sg_message_id: 'msg-1' };

  it('is registered under its route name', () => {
    expect(providerPlugin('sendgrid')).toBe(sendgrid);
  });

  it('keeps SendGrid\'s verdict in provider_class and uses it only when codes and text say nothing', () => {
    const out = parse([
      { ...base, event: 'bounce', type: 'bounce', bounce_classification: 'Reputation', reason: '' },
      { ...base, sg_event_id: 'evt-2', event: 'bounce', type: 'bounce', bounce_classification: 'Unclassified' },
      { ...base, sg_event_id: 'evt-3', event: 'bounce', type: 'blocked', reason: '550 5.1.1 No such user' },
      { ...base, sg_event_id: 'evt-4', event: 'bounce', reason: '' },
      { ...base, sg_event_id: 'evt-7', event: 'bounce', type: 'bounce', bounce_classification: 'Mailbox Unavailable', reason: '550 Message rejected' },
      { ...base, sg_event_id: 'evt-8', event: 'bounce', type: 'bounce', bounce_classification: 'Mailbox Unavailable', reason: '550 5.2.2 Mailbox full' },
    ]);
    expect(out.events.map((e) => [e.bounce!.provider_class, e.bounce!.class, e.bounce!.reason, e.bounce!.rule])).toEqual([
      ['bounce/Reputation', 'soft', 'badreputation', 'provider:hint'],
      ['bounce/Unclassified', 'hard', 'undefined', 'provider:hint'],
      // The codes beat SendGrid's "blocked".
      ['blocked', 'hard', 'userunknown', 'status:5.1.1'],
      // Payloads from before `type` existed.
      ['bounce', 'hard', 'undefined', 'provider:hint'],
      // A full, disabled or inactive mailbox: soft whatever `type` says, unless the words say more.
      ['bounce/Mailbox Unavailable', 'soft', 'undefined', 'code:550+provider:hint'],
      ['bounce/Mailbox Unavailable', 'soft', 'mailboxfull', 'status:5.2.2'],
    ]);
    // SendGrid's words in another case read the same; a type it does not document says nothing.
    const odd = parse([
      { ...base, event: 'bounce', type: 'Blocked', bounce_classification: 'reputation', reason: '' },
      { ...base, sg_event_id: 'evt-5', event: 'bounce', type: 'Blocked', reason: '' },
      { ...base, sg_event_id: 'evt-6', event: 'bounce', type: 'something new', reason: '' },
      // Given up after 72 hours of deferrals (Twilio's "Bounced - Expired").
      { ...base, sg_event_id: 'evt-9', event: 'bounce', type: 'expired', reason: '' },
    ]);
    expect(odd.events.map((e) => [e.bounce!.class, e.bounce!.reason])).toEqual([['soft', 'badreputation'], ['soft', 'undefined'], ['undetermined', 'undefined'], ['soft', 'expired']]);
    expect(out.events[0]!.recipient).toBe('user@example.com');
    expect(out.events[0]!.occurred_at).toBe('2023-11-14T22:13:20.000Z');
    expect(out.events[0]!.message_id).toBe('msg-1');
  });

  it('maps each dropped reason to the list SendGrid already holds, and sender-side drops to none', () => {
    const reasons = ['Bounced Address', 'Spam Reporting Address', 'Unsubscribed Address', 'Invalid', 'Spam Content', 'Invalid SMTPAPI header', 'Recipient List over Package Quota'];
    const out = parse(reasons.map((reason, i) => ({ ...base, sg_event_id: `d${i}`, event: 'dropped', reason })));
    expect(out.events.map((e) => e.provider_suppression ?? null)).toEqual(['hard_bounce', 'complaint', 'unsubscribed', 'invalid', null, null, null]);
    expect(out.events.map((e) => suppressionWithoutHistory(e, config))).toEqual(['hard_bounce', 'complaint', 'unsubscribed', 'invalid', null, null, null]);
    expect(out.events.every((e) => e.type === 'dropped' && e.bounce!.diagnostic === null)).toBe(true);
    expect(out.events[4]!.bounce).toMatchObject({ provider_class: 'Spam Content', reason: 'spamdetected', class: 'soft' });
  });

  it('counts non-deliverability events as ignored and non-addresses as rejected', () => {
    const out = parse([
      { ...base, event: 'processed' }, { ...base, event: 'open' }, { ...base, event: 'click' },
      { ...base, event: 'group_resubscribe' }, { ...base, event: 'some_future_event' },
      { ...base, event: 'delivered', email: 'not an address' },
      { ...base, event: 'spamreport', sg_event_id: 's1' }, { ...base, event: 'group_unsubscribe', sg_event_id: 'g1' },
    ]);
    expect(out.ignored).toBe(5);
    expect(out.rejected).toBe(1);
    expect(out.events.map((e) => e.type)).toEqual(['complained', 'unsubscribed']);
  });

  it('gives ids from sg_event_id, stable across redeliveries, and from content without one', () => {
    const a = parse([{ ...base, event: 'delivered' }]).events[0]!;
    const again = parseSendgrid(enc(JSON.stringify([{ event: 'delivered', ...base }], null, 2))).events[0]!;
    const other = parse([{ ...base, event: 'delivered', sg_event_id: 'evt-9' }]).events[0]!;
    expect(again.id).toBe(a.id);
    expect(other.id).not.toBe(a.id);
    const { sg_event_id: _drop, ...noId } = base;
    const c1 = parse([{ ...noId, event: 'deferred', response: '451 try later' }]).events[0]!;
    const c2 = parse([{ ...noId, event: 'deferred', response: '451 try later' }]).events[0]!;
    const c3 = parse([{ ...noId, event: 'deferred', response: '451 try later', timestamp: 1700000001 }]).events[0]!;
    expect(c1.id).toBe(c2.id);
    expect(c3.id).not.toBe(c1.id);
    expect(a.id).toMatch(/^sendgrid:[0-9a-f]{32}$/);
  });

  it('keeps apart events of different kinds that share one sg_event_id, as SendGrid\'s own sample batch does', () => {
    const shared = parse(['delivered', 'deferred', 'bounce', 'dropped', 'spamreport', 'unsubscribe', 'group_unsubscribe']
      .map((event) => ({ ...base, event, reason: '550 5.1.1 No such user' }))).events;
    expect(shared.length).toBe(7);
    expect(new Set(shared.map((e) => e.id)).size).toBe(7);
  });

  it('builds each canonical event whole: every field, in the order it is stored and shown', () => {
    const { sg_event_id: _drop, ...noId } = base;
    const out = parse([
      { ...base, event: 'delivered' },
      { ...noId, event: 'deferred', response: '451 try later' },
      { ...base, sg_event_id: 'evt-3', sg_message_id: '', event: 'dropped', reason: 'Bounced Address' },
      { ...base, sg_event_id: 'evt-4', sg_message_id: null, event: 'spamreport' },
    ]);
    const common = { provider: 'sendgrid', recipient: 'user@example.com', occurred_at: '2023-11-14T22:13:20.000Z' };
    expect(JSON.stringify(out)).toBe(JSON.stringify({
      events: [
        { id: stableId('sendgrid', ['evt-1']), ...common, message_id: 'msg-1', type: 'delivered' },
        {
          id: 'sendgrid:b148c994b7242b54fc777a3ff5b9cb42', ...common, message_id: 'msg-1', type: 'deferred',
          bounce: { class: 'soft', reason: 'undefined', reply_code: '451', status: null, diagnostic: '451 try later', provider_class: 'deferred', rule: 'code:451+provider:hint' },
        },
        {
          id: stableId('sendgrid', ['evt-3'], 3), ...common, message_id: null, type: 'dropped',
          bounce: { class: 'hard', reason: 'undefined', reply_code: null, status: null, diagnostic: null, provider_class: 'Bounced Address', rule: 'provider:hint' },
          provider_suppression: 'hard_bounce',
        },
        { id: stableId('sendgrid', ['evt-4'], 4), ...common, message_id: null, type: 'complained', complaint: { feedback_type: null } },
      ],
      ignored: 0,
      rejected: 0,
    }));
  });

  it('checks the time before the recipient: a bad time refuses the batch even for a non-address', () => {
    expect(() => parse([{ ...base, event: 'delivered', email: 'not an address', timestamp: 'soon' }]))
      .toThrow(expect.objectContaining({ status: 400, message: 'SendGrid event 0 timestamp is missing or not a time' }));
    expect(() => parse([{ ...base, event: 'delivered' }, { ...base, event: 'bounce', timestamp: null }]))
      .toThrow(expect.objectContaining({ status: 400, message: 'SendGrid event 1 timestamp is missing or not a time' }));
  });

  it('answers 400 for bodies that are not an Event Webhook batch', () => {
    for (const body of ['', 'nope', '{"event":"bounce"}', '[1]', '[{"email":"a@example.com"}]', '[{"event":"bounce","email":"a@example.com"}]']) {
      expect(() => parseSendgrid(enc(body)), body).toThrow(expect.objectContaining({ status: 400 }));
    }
    expect(parseSendgrid(enc('[]'))).toEqual({ events: [], ignored: 0, rejected: 0 });
  });
});
