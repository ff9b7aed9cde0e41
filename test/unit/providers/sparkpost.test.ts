/// <reference types="node" />
/** SparkPost: HTTP Basic or the webhook token header, and the parsing of `msys` batches. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { suppressionWithoutHistory } from '../../../src/core/policy.js';
import { providerPlugin } from '../../../src/providers/registry.js';
import { verifySparkpost } from '../../../src/providers/sparkpost/auth.js';
import { sparkpost } from '../../../src/providers/sparkpost/index.js';
import { parseSparkpost } from '../../../src/providers/sparkpost/parse.js';
import { enc, expectLabelled, fixtures } from './labelled-samples.js';

const fx = fixtures('sparkpost');
const config = readConfig({});

describe('SparkPost authentication', () => {
  const AUTH = 'hook:tok3n';
  const h = (init: Record<string, string>) => new Headers(init);

  it('accepts HTTP Basic with exactly the configured credentials', () => {
    expect(() => verifySparkpost(h({ authorization: `Basic ${btoa(AUTH)}` }), AUTH)).not.toThrow();
    expect(() => verifySparkpost(h({ authorization: `Basic ${btoa('hook:other')}` }), AUTH)).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => verifySparkpost(h({}), AUTH)).toThrow(expect.objectContaining({ status: 401, code: 'missing_credentials' }));
  });

  it('accepts the legacy token header equal to the password part or to the whole value', () => {
    expect(() => verifySparkpost(h({ 'x-messagesystems-webhook-token': 'tok3n' }), AUTH)).not.toThrow();
    expect(() => verifySparkpost(h({ 'x-messagesystems-webhook-token': AUTH }), AUTH)).not.toThrow();
    expect(() => verifySparkpost(h({ 'x-messagesystems-webhook-token': 'hook' }), AUTH)).toThrow(expect.objectContaining({ status: 401, code: 'bad_credentials' }));
    expect(() => verifySparkpost(h({ 'x-messagesystems-webhook-token': '' }), AUTH)).toThrow(expect.objectContaining({ status: 401 }));
    // A secret without a colon is the token itself.
    expect(() => verifySparkpost(h({ 'x-messagesystems-webhook-token': 'only-token' }), 'only-token')).not.toThrow();
  });

  it('does not let a right token excuse wrong Basic credentials', () => {
    const headers = h({ 'x-messagesystems-webhook-token': 'tok3n', authorization: `Basic ${btoa('hook:wrong')}` });
    expect(() => verifySparkpost(headers, AUTH)).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('refuses everything when SPARKPOST_WEBHOOK_AUTH is not set', async () => {
    const deps = { fetchCertificate: async () => '', now: () => new Date(), claimOnce: async () => true };
    const req = { method: 'POST', url: 'https://rebote.test/webhooks/sparkpost', body: enc('[]'), headers: h({ authorization: `Basic ${btoa(AUTH)}` }) };
    await expect(sparkpost.verify(req, config, deps)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(sparkpost.verify(req, readConfig({ SPARKPOST_WEBHOOK_AUTH: AUTH }), deps)).resolves.toBeUndefined();
  });
});

const labels = fx.labels();

describe('every labelled SparkPost sample gives the labelled events', () => {
  it('has the samples', () => expect(labels.length).toBeGreaterThanOrEqual(7));
  for (const row of labels) {
    it(row.file, () => {
      expectLabelled(parseSparkpost(enc(fx.text(row.file))), row, 'sparkpost');
    });
  }
});

describe('SparkPost parsing', () => {
  const bounce = {
    type: 'bounce', bounce_class: '10', event_id: '1001', message_id: 'm1', rcpt_to: 'a@example.com',
    raw_rcpt_to: 'A@Example.com', timestamp: '1464824548', error_code: '550',
    raw_reason: '550 5.1.1 <a@example.com>: Recipient address rejected: User unknown',
    reason: '550 5.1.1 ...@... Recipient address rejected: ...',
  };
  const batch = (...events: Record<string, unknown>[]) => parseSparkpost(enc(JSON.stringify(events.map((e) => ({ msys: { message_event: e } })))));

  it('is registered under its route name', () => {
    expect(providerPlugin('sparkpost')).toBe(sparkpost);
  });

  it('answers the empty test batch with nothing', () => {
    expect(parseSparkpost(enc('[{"msys":{}}]'))).toEqual({ events: [], ignored: 0, rejected: 0 });
  });

  it('keeps the unredacted reply as the diagnostic and bounce_class verbatim', () => {
    const e = batch(bounce).events[0]!;
    expect(e.bounce).toMatchObject({ diagnostic: bounce.raw_reason, provider_class: '10', class: 'hard', reason: 'userunknown', reply_code: '550', status: '5.1.1' });
    const redactedOnly = batch({ ...bounce, raw_reason: undefined }).events[0]!;
    expect(redactedOnly.bounce!.diagnostic).toBe(bounce.reason);
  });

  it('uses bounce_class only when the reply decides nothing', () => {
    const e = batch({ ...bounce, bounce_class: '22', error_code: undefined, raw_reason: 'sorry', reason: 'sorry' }).events[0]!;
    expect(e.bounce).toMatchObject({ class: 'soft', reason: 'mailboxfull', rule: 'provider:hint' });
  });

  it('ignores auto-replies and subscribe requests; files class 90 as an unsubscribe', () => {
    expect(batch({ ...bounce, bounce_class: '60' })).toEqual({ events: [], ignored: 1, rejected: 0 });
    expect(batch({ ...bounce, type: 'out_of_band', bounce_class: '80' })).toEqual({ events: [], ignored: 1, rejected: 0 });
    expect(batch({ ...bounce, bounce_class: '90' }).events.map((e) => e.type)).toEqual(['unsubscribed']);
  });

  it('files policy and generation rejections as dropped, suppressing nothing on their own', () => {
    const out = batch(
      { ...bounce, type: 'policy_rejection', bounce_class: '25', raw_reason: '554 5.7.1 recipient address suppressed due to customer policy', error_code: '554' },
      { ...bounce, type: 'generation_rejection', event_id: '1002' },
      { ...bounce, type: 'generation_failure', event_id: '1003', bounce_class: undefined, raw_reason: undefined, reason: 'template error', error_code: undefined },
    );
    expect(out.events.map((e) => [e.type, e.provider_suppression ?? null])).toEqual([['dropped', null], ['dropped', null], ['dropped', null]]);
    expect(out.events[2]!.bounce!.provider_class).toBe('generation_failure');
  });

  it('files a bounce of class 25 or 26 (SparkPost\'s policies, its Smart Send) as dropped: nothing was sent, nothing counts toward the soft limit', () => {
    const out = batch(
      { ...bounce, bounce_class: '25', raw_reason: '554 5.7.1 [internal] recipient address was suppressed due to customer policy', error_code: '554' },
      { ...bounce, type: 'out_of_band', event_id: '1002', bounce_class: '26', raw_reason: '554 5.7.1 [internal] Smart Send suppression', error_code: '554' },
      { ...bounce, event_id: '1003', bounce_class: '20', raw_reason: '452 4.2.2 mailbox full', error_code: '452' },
    );
    expect(out.events.map((e) => [e.type, e.provider_suppression ?? null])).toEqual([['dropped', null], ['dropped', null], ['bounced', null]]);
    const cfg = { softBounceLimit: 1, softBounceWindowDays: 14, softSuppressionDays: 30, suppressUnsubscribes: true };
    expect(out.events.map((e) => suppressionWithoutHistory(e, cfg))).toEqual([null, null, 'soft_bounce_limit']);
  });

  it('ignores engagement and injection events, in any msys class', () => {
    const body = JSON.stringify([
      { msys: { track_event: { type: 'open', timestamp: '1', rcpt_to: 'a@example.com' } } },
      { msys: { track_event: { type: 'click', timestamp: '1', rcpt_to: 'a@example.com' } } },
      { msys: { message_event: { type: 'injection', timestamp: '1', rcpt_to: 'a@example.com' } } },
      { msys: { unsubscribe_event: { type: 'link_unsubscribe', timestamp: '1', rcpt_to: 'a@example.com', event_id: '7' } } },
    ]);
    const out = parseSparkpost(enc(body));
    expect(out.ignored).toBe(3);
    expect(out.events.map((e) => e.type)).toEqual(['unsubscribed']);
  });

  it('ignores a relay webhook\'s inbound message posted beside the events, and still reads the events', () => {
    const body = JSON.stringify([
      { msys: { relay_message: { content: { subject: 'hi' }, msg_from: 'x@example.org', rcpt_to: 'in@relay.example', webhook_id: '1' } } },
      { msys: { message_event: bounce } },
    ]);
    const out = parseSparkpost(enc(body));
    expect(out.ignored).toBe(1);
    expect(out.events.map((e) => [e.type, e.recipient, e.bounce?.class])).toEqual([['bounced', 'a@example.com', 'hard']]);
  });

  it('gives the same id whether the timestamp comes as a string or a number', () => {
    const a = batch(bounce).events[0]!;
    const b = batch({ ...bounce, timestamp: 1464824548 }).events[0]!;
    expect(b.id).toBe(a.id);
    expect(batch({ ...bounce, event_id: '1002' }).events[0]!.id).not.toBe(a.id);
    const { event_id: _e, ...noId } = bounce;
    expect(batch(noId).events[0]!.id).toBe(batch({ ...noId, timestamp: 1464824548 }).events[0]!.id);
  });

  it('prefers rcpt_to and falls back to raw_rcpt_to', () => {
    expect(batch({ ...bounce, rcpt_to: undefined }).events[0]!.recipient).toBe('a@example.com');
    expect(batch({ ...bounce, rcpt_to: 'b@example.com' }).events[0]!.recipient).toBe('b@example.com');
    expect(batch({ ...bounce, rcpt_to: undefined, raw_rcpt_to: undefined })).toEqual({ events: [], ignored: 0, rejected: 1 });
  });

  it('answers 400 for bodies that are not a SparkPost batch', () => {
    for (const body of ['', 'nope', '{"msys":{}}', '[1]', '[{}]', '[{"msys":[]}]', '[{"msys":{"message_event":"x"}}]',
      '[{"msys":{"message_event":{"rcpt_to":"a@example.com"}}}]', '[{"msys":{"message_event":{"type":"bounce","rcpt_to":"a@example.com"}}}]']) {
      expect(() => parseSparkpost(enc(body)), body).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
