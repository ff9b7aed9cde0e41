/// <reference types="node" />
/**
 * Mailgun: the published signature vectors (Symfony's real dashboard payloads and the corpus's
 * computed ones), the time window and token replay refusal, and the parsing of every labelled
 * event plus Mailgun's own failure codes.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { suppressionWithoutHistory } from '../../../src/core/policy.js';
import { hmac, toHex } from '../../../src/crypto/hmac.js';
import { providerPlugin } from '../../../src/providers/registry.js';
import { mailgun } from '../../../src/providers/mailgun/index.js';
import { parseMailgun } from '../../../src/providers/mailgun/parse.js';
import { MAX_AGE_SECONDS, MAX_SKEW_SECONDS, REPLAY_TTL_SECONDS, verifyMailgun } from '../../../src/providers/mailgun/verify.js';
import type { OneTimeClaim, ProviderDeps } from '../../../src/providers/types.js';
import { enc, expectLabelled, fixtures } from './labelled-samples.js';

const fx = fixtures('mailgun');
const config = readConfig({});
const SYMFONY_KEY = 'key-0p6mqbf74lb20gzq9f4dhpn9rg3zyk26';

const depsAt = (unixSeconds: number | string, claim: (c: OneTimeClaim) => Promise<boolean> = async () => true): ProviderDeps => ({
  fetchCertificate: async () => '', now: () => new Date(Number(unixSeconds) * 1000), claimOnce: claim,
});

interface SignedBody { signature: { timestamp: string; token: string; signature: string }; 'event-data': unknown }

function sign(key: string, data: unknown, timestamp: number, token = 'a'.repeat(50)): Uint8Array {
  const signature = createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex');
  return enc(JSON.stringify({ signature: { timestamp: String(timestamp), token, signature }, 'event-data': data }));
}

describe('Mailgun signature verification', () => {
  it('verifies the real Symfony payloads with their published key', async () => {
    for (const file of ['permanent_failure.json', 'permanent_failure_no_description.json', 'suppression_failure.json', 'temporary_failure.json']) {
      const body = fx.text(`symfony-fixtures/${file}`);
      const { signature } = JSON.parse(body) as SignedBody;
      const claims: OneTimeClaim[] = [];
      await expect(verifyMailgun(enc(body), SYMFONY_KEY, depsAt(signature.timestamp, async (c) => claims.push(c) > 0)), file).resolves.toBeUndefined();
      expect(claims.map((c) => [c.key, c.ttlSeconds]), file).toEqual([[`mailgun:${signature.token}`, REPLAY_TTL_SECONDS]]);
      await expect(verifyMailgun(enc(body), 'key-another', depsAt(signature.timestamp)), file).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    }
  });

  it('computes every vector of the corpus, and verifies the bodies that carry one', async () => {
    const vectors = JSON.parse(fx.text('signature-test-vectors/vectors.json')) as
      { file: string | null; signing_key: string; timestamp: string; token: string; expected_signature_hex: string }[];
    expect(vectors.length).toBeGreaterThanOrEqual(14);
    let bodies = 0;
    for (const v of vectors) {
      expect(toHex(await hmac('SHA-256', v.signing_key, v.timestamp + v.token)), v.file ?? v.token).toBe(v.expected_signature_hex);
      let body: string;
      try {
        body = fx.text(v.file ?? '');
      } catch {
        continue; // a vector whose payload is not among the development samples
      }
      const { signature } = JSON.parse(body) as SignedBody;
      if (signature.token !== v.token) continue;
      bodies++;
      await expect(verifyMailgun(enc(body), v.signing_key, depsAt(v.timestamp)), v.file!).resolves.toBeUndefined();
    }
    expect(bodies).toBeGreaterThanOrEqual(8);
  });

  it('refuses a changed token or timestamp, and accepts the hex in either case', async () => {
    const key = 'generated-signing-key';
    const body = JSON.parse(new TextDecoder().decode(sign(key, { event: 'delivered' }, 1_700_000_000))) as SignedBody;
    const send = (b: SignedBody) => verifyMailgun(enc(JSON.stringify(b)), key, depsAt(1_700_000_000));
    await expect(send(body)).resolves.toBeUndefined();
    await expect(send({ ...body, signature: { ...body.signature, signature: body.signature.signature.toUpperCase() } })).resolves.toBeUndefined();
    await expect(send({ ...body, signature: { ...body.signature, token: 'b'.repeat(50) } })).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    await expect(send({ ...body, signature: { ...body.signature, timestamp: '1700000001' } })).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });

  it(`accepts a timestamp up to ${MAX_AGE_SECONDS / 3600} h old (Mailgun retries for ~8 h) and ${MAX_SKEW_SECONDS / 60} min ahead`, async () => {
    const key = 'generated-signing-key';
    const ts = 1_700_000_000;
    const body = sign(key, { event: 'delivered' }, ts);
    expect(MAX_AGE_SECONDS).toBeGreaterThan(8.1 * 3600);
    await expect(verifyMailgun(body, key, depsAt(ts + MAX_AGE_SECONDS))).resolves.toBeUndefined();
    await expect(verifyMailgun(body, key, depsAt(ts - MAX_SKEW_SECONDS))).resolves.toBeUndefined();
    await expect(verifyMailgun(body, key, depsAt(ts + MAX_AGE_SECONDS + 1))).rejects.toMatchObject({ status: 401, code: 'stale_signature' });
    await expect(verifyMailgun(body, key, depsAt(ts - MAX_SKEW_SECONDS - 1))).rejects.toMatchObject({ status: 401, code: 'stale_signature' });
    // The token must be remembered at least as long as its timestamp can pass.
    expect(REPLAY_TTL_SECONDS).toBeGreaterThanOrEqual(MAX_AGE_SECONDS + MAX_SKEW_SECONDS);
  });

  it('claims each token for its body, refuses one claimed by another body, and asks the store only about genuine signatures', async () => {
    const key = 'generated-signing-key';
    const ts = 1_700_000_000;
    // The store's rule (store/replay.ts): a token is free, or held by the same body.
    const held = new Map<string, string>();
    const seen = vi.fn(async (c: OneTimeClaim) => {
      const holder = held.get(c.key);
      if (holder !== undefined && holder !== c.digest) return false;
      held.set(c.key, c.digest);
      return true;
    });
    const first = sign(key, { event: 'failed' }, ts, 'c'.repeat(50));
    await expect(verifyMailgun(first, key, depsAt(ts, seen))).resolves.toBeUndefined();
    // Mailgun's retry of the same request passes (its events are duplicates).
    await expect(verifyMailgun(first, key, depsAt(ts, seen))).resolves.toBeUndefined();
    // The same signature block with other event data is a replay.
    await expect(verifyMailgun(sign(key, { event: 'failed', recipient: 'victim@x.example' }, ts, 'c'.repeat(50)), key, depsAt(ts, seen)))
      .rejects.toMatchObject({ status: 401, code: 'replayed' });
    expect(seen).toHaveBeenCalledTimes(3);
    await expect(verifyMailgun(sign('forger', {}, ts, 'e'.repeat(50)), key, depsAt(ts, seen))).rejects.toMatchObject({ status: 401 });
    await expect(verifyMailgun(sign(key, {}, ts - MAX_AGE_SECONDS - 60, 'f'.repeat(50)), key, depsAt(ts, seen))).rejects.toMatchObject({ status: 401 });
    expect(seen).toHaveBeenCalledTimes(3);
  });

  it('fails closed without a key, and refuses bodies without a usable signature block', async () => {
    const ts = 1_700_000_000;
    const body = sign('k', { event: 'delivered' }, ts);
    await expect(verifyMailgun(body, undefined, depsAt(ts))).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    const req = { method: 'POST', url: 'https://rebote.test/webhooks/mailgun', headers: new Headers(), body };
    await expect(mailgun.verify(req, config, depsAt(ts))).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(mailgun.verify(req, readConfig({ MAILGUN_WEBHOOK_SIGNING_KEY: 'k' }), depsAt(ts))).resolves.toBeUndefined();

    await expect(verifyMailgun(enc('{"event-data":{}}'), 'k', depsAt(ts))).rejects.toMatchObject({ status: 401, code: 'missing_signature' });
    await expect(verifyMailgun(enc('{"signature":{"timestamp":1,"token":"t","signature":"s"}}'), 'k', depsAt(ts)))
      .rejects.toMatchObject({ status: 401, code: 'missing_signature' });
    await expect(verifyMailgun(enc('{"signature":{"timestamp":"soon","token":"t","signature":"s"}}'), 'k', depsAt(ts)))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    await expect(verifyMailgun(enc(`{"signature":{"timestamp":"1","token":"${'t'.repeat(300)}","signature":"s"}}`), 'k', depsAt(ts)))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    // Legacy form-encoded webhooks are not supported: not JSON at all.
    await expect(verifyMailgun(enc('token=t&timestamp=1&signature=s'), 'k', depsAt(ts))).rejects.toMatchObject({ status: 400 });
  });
});

const labels = fx.labels();

describe('every labelled Mailgun sample gives the labelled events', () => {
  it('has the samples', () => expect(labels.length).toBeGreaterThanOrEqual(17));
  for (const row of labels) {
    it(row.file, () => {
      expectLabelled(parseMailgun(enc(fx.text(row.file))), row, 'mailgun');
    });
  }
});

describe('Mailgun parsing', () => {
  const parse = (ed: Record<string, unknown>) => parseMailgun(sign('k', ed, 1_700_000_000));
  const failed = { event: 'failed', id: 'ev1', timestamp: 1521233195.375624, recipient: 'Alice@Example.com', message: { headers: { 'message-id': 'm1@example.com' } } };

  it('is registered under its route name', () => {
    expect(providerPlugin('mailgun')).toBe(mailgun);
  });

  it('files failures Mailgun did not even try as dropped, by the list that holds the address', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ reason: 'suppress-bounce', 'delivery-status': { code: 605, description: 'Not delivering to previously bounced address' } }, 'hard_bounce'],
      [{ reason: 'suppress-complaint', 'delivery-status': { code: 607 } }, 'complaint'],
      [{ reason: 'suppress-unsubscribe', 'delivery-status': { code: 606 } }, 'unsubscribed'],
      [{ reason: 'hardfail', 'delivery-status': { code: 606, message: 'Not delivering to unsubscribed address' } }, 'unsubscribed'],
      // Only the code: still Mailgun's own refusal.
      [{ reason: 'generic', 'delivery-status': { code: 607, message: '' } }, 'complaint'],
    ];
    for (const [extra, suppression] of cases) {
      const [e] = parse({ ...failed, severity: 'permanent', ...extra }).events;
      expect(e).toMatchObject({ type: 'dropped', provider_suppression: suppression, recipient: 'alice@example.com', message_id: 'm1@example.com' });
      // Mailgun's own words and numbers are not an SMTP reply.
      expect(e!.bounce).toMatchObject({ diagnostic: null, reply_code: null });
      expect(suppressionWithoutHistory(e!, config)).toBe(suppression);
    }
  });

  it('decides from the SMTP reply, falling back to severity only when it says nothing', () => {
    const perm = parse({ ...failed, severity: 'permanent', reason: 'bounce', 'delivery-status': { code: 552, message: '5.2.2 mailbox full' } }).events[0]!;
    expect(perm.bounce).toMatchObject({ class: 'soft', reason: 'mailboxfull', provider_class: 'permanent/bounce' });
    const opaque = parse({ ...failed, severity: 'permanent', reason: 'bounce', 'delivery-status': { message: 'computer says no' } }).events[0]!;
    expect(opaque.bounce).toMatchObject({ class: 'hard', reason: 'undefined', rule: 'provider:hint' });
    // Mailgun's words in another case are the same verdict.
    const upper = parse({ ...failed, severity: 'Permanent', reason: 'Bounce', 'delivery-status': { message: 'computer says no' } }).events[0]!;
    expect(upper).toMatchObject({ type: 'bounced', bounce: { class: 'hard', rule: 'provider:hint' } });
    const dropped = parse({ ...failed, severity: 'Permanent', reason: 'Suppress-Unsubscribe', 'delivery-status': { message: '' } }).events[0]!;
    expect(dropped).toMatchObject({ type: 'dropped', provider_suppression: 'unsubscribed' });
    const temp = parse({ ...failed, severity: 'temporary', reason: 'espblock', 'delivery-status': { description: 'blocked' } }).events[0]!;
    expect(temp).toMatchObject({ type: 'deferred' });
    expect(temp.bounce).toMatchObject({ class: 'soft', provider_class: 'temporary/espblock' });
    // Mailgun gave up retrying ("old", "Too old"): expired, soft, never an address verdict.
    const old = parse({ ...failed, severity: 'permanent', reason: 'old', 'delivery-status': { code: 0, message: '', description: 'Too old' } }).events[0]!;
    expect(old.bounce).toMatchObject({ class: 'soft', reason: 'expired', provider_class: 'permanent/old' });
    expect(suppressionWithoutHistory(old, config)).toBeNull();
    // A delayed bounce: enhanced-code absent, bounce-code present.
    const delayed = parse({ ...failed, severity: 'permanent', 'delivery-status': { code: 550, 'bounce-code': '5.1.1', message: 'gone' } }).events[0]!;
    expect(delayed.bounce).toMatchObject({ status: '5.1.1', reply_code: '550', class: 'hard' });
  });

  it('ignores events that are not about deliverability and counts recipients that are not addresses', () => {
    for (const event of ['accepted', 'opened', 'clicked', 'stored', 'rejected']) {
      expect(parse({ event, timestamp: 1, recipient: 'a@example.com' }), event).toEqual({ events: [], ignored: 1, rejected: 0 });
    }
    expect(parse({ event: 'delivered', timestamp: 1, recipient: 'nobody' })).toEqual({ events: [], ignored: 0, rejected: 1 });
    expect(parse({ event: 'delivered', timestamp: 1 })).toEqual({ events: [], ignored: 0, rejected: 1 });
  });

  it('gives ids from event-data.id and the time, the same for a re-signed redelivery', () => {
    const delivered = { event: 'delivered', id: 'ev1', timestamp: 1529692199.626182, recipient: 'john@example.com' };
    const a = parseMailgun(sign('k', delivered, 1, 'x'.repeat(50))).events[0]!;
    const b = parseMailgun(sign('k', delivered, 2, 'y'.repeat(50))).events[0]!;
    const nextDay = parseMailgun(sign('k', { ...delivered, timestamp: 1529692199.626182 + 86400 }, 1)).events[0]!;
    expect(b.id).toBe(a.id);
    // "Unique within a day" only: the same id a day later is another event.
    expect(nextDay.id).not.toBe(a.id);
    expect(a.occurred_at).toBe('2018-06-22T18:29:59.626Z');
    const { id: _drop, ...noId } = delivered;
    expect(parseMailgun(sign('k', noId, 1)).events[0]!.id).toBe(parseMailgun(sign('k', noId, 2)).events[0]!.id);
  });

  it('answers 400 for bodies that are not a Mailgun event', () => {
    for (const body of ['nope', '[]', '{}', '{"event-data":"x"}', '{"event-data":{"recipient":"a@example.com"}}',
      '{"event-data":{"event":"failed","recipient":"a@example.com"}}', '{"event-data":{"event":"failed","timestamp":"soon"}}']) {
      expect(() => parseMailgun(enc(body)), body).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
