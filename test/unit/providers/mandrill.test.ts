/// <reference types="node" />
/**
 * Mandrill: the real signed "Send Test" batch, signatures made here, and the parsing of
 * `mandrill_events` batches (form bodies as Mandrill posts them, bare arrays for inspect).
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { suppressionWithoutHistory } from '../../../src/core/policy.js';
import { providerPlugin } from '../../../src/providers/registry.js';
import { mandrill } from '../../../src/providers/mandrill/index.js';
import { parseMandrill } from '../../../src/providers/mandrill/parse.js';
import { mandrillSignature, verifyMandrill } from '../../../src/providers/mandrill/signature.js';
import { enc, expectLabelled, fixtures } from './labelled-samples.js';

const fx = fixtures('mandrill');
const config = readConfig({});

const vector = JSON.parse(fx.text('signature-test-vectors/vector.json')) as {
  webhook_url: string; webhook_key: string; expected_X_Mandrill_Signature: string; negative_case: { webhook_url: string };
};
const form = (events: string) => new URLSearchParams({ mandrill_events: events }).toString();
const signedHeaders = (key: string, url: string, events: string) =>
  new Headers({ 'x-mandrill-signature': createHmac('sha1', key).update(`${url}mandrill_events${events}`).digest('base64') });

describe('Mandrill signature verification', () => {
  const sample = fx.text('signature-test-vectors/mandrill_events.sample_webhook.json');
  const realBody = enc(fx.text('signature-test-vectors/request-body.form-urlencoded.txt'));
  const realHeaders = new Headers({ 'x-mandrill-signature': vector.expected_X_Mandrill_Signature });

  it('reproduces the published signature of the real batch', async () => {
    const fields = new Map([['mandrill_events', sample]]);
    expect(await mandrillSignature(vector.webhook_key, vector.webhook_url, fields)).toBe(vector.expected_X_Mandrill_Signature);
  });

  it('verifies the real form body against the configured URL, and not against another one', async () => {
    await expect(verifyMandrill(realHeaders, realBody, vector.webhook_key, vector.webhook_url)).resolves.toBeUndefined();
    await expect(verifyMandrill(realHeaders, realBody, vector.webhook_key, vector.negative_case.webhook_url))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    await expect(verifyMandrill(realHeaders, realBody, 'another-key', vector.webhook_url)).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });

  it('keeps Mandrill\'s escaped slashes: a re-serialized batch does not verify', async () => {
    expect(sample).toContain('\\/');
    const reserialized = enc(form(JSON.stringify(JSON.parse(sample))));
    await expect(verifyMandrill(realHeaders, reserialized, vector.webhook_key, vector.webhook_url))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });

  it('signs every field, sorted by name', async () => {
    const key = 'k';
    const url = 'https://hooks.example/mandrill';
    const body = enc('zeta=1&mandrill_events=%5B%5D&alpha=2');
    const headers = new Headers({ 'x-mandrill-signature': createHmac('sha1', key).update(`${url}alpha2mandrill_events[]zeta1`).digest('base64') });
    await expect(verifyMandrill(headers, body, key, url)).resolves.toBeUndefined();
    await expect(verifyMandrill(headers, enc('zeta=2&mandrill_events=%5B%5D&alpha=2'), key, url)).rejects.toMatchObject({ status: 401 });
  });

  it('fails closed without the key or the URL, and refuses a missing signature', async () => {
    const body = enc(form('[]'));
    const headers = signedHeaders('k', 'https://u', '[]');
    await expect(verifyMandrill(headers, body, undefined, 'https://u')).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(verifyMandrill(headers, body, 'k', undefined)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(verifyMandrill(new Headers(), body, 'k', 'https://u')).rejects.toMatchObject({ status: 401, code: 'missing_signature' });
    await expect(verifyMandrill(headers, body, 'k', 'https://u')).resolves.toBeUndefined();
    const deps = { fetchCertificate: async () => '', now: () => new Date(), claimOnce: async () => true };
    const req = { method: 'POST', url: 'https://elsewhere.example/webhooks/mandrill', headers, body };
    await expect(mandrill.verify(req, readConfig({ MANDRILL_WEBHOOK_KEY: 'k' }), deps)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    // The configured URL counts, not the one the Worker was called on.
    await expect(mandrill.verify(req, readConfig({ MANDRILL_WEBHOOK_KEY: 'k', MANDRILL_WEBHOOK_URL: 'https://u' }), deps)).resolves.toBeUndefined();
  });

  it('answers 400 for a signed body without mandrill_events or with a repeated field', async () => {
    const key = 'k';
    const url = 'https://u';
    const noEvents = new Headers({ 'x-mandrill-signature': createHmac('sha1', key).update(`${url}other1`).digest('base64') });
    await expect(verifyMandrill(noEvents, enc('other=1'), key, url)).rejects.toMatchObject({ status: 400 });
    await expect(verifyMandrill(noEvents, enc('mandrill_events=1&mandrill_events=2'), key, url)).rejects.toMatchObject({ status: 400 });
  });
});

const labels = fx.labels();

/** The wire body for a labelled file (Symfony's fixtures wrap the batch in JSON; Mandrill posts a form). */
function wireBody(file: string): string {
  const text = fx.text(file);
  if (!text.trimStart().startsWith('{')) return text;
  return form(JSON.stringify((JSON.parse(text) as { mandrill_events: unknown }).mandrill_events));
}

describe('every labelled Mandrill sample gives the labelled events', () => {
  it('has the samples', () => expect(labels.length).toBeGreaterThanOrEqual(10));
  for (const row of labels) {
    it(row.file, () => {
      expectLabelled(parseMandrill(enc(wireBody(row.file))), row, 'mandrill');
    });
  }

  it('gives the same events for a batch as a form field and as a bare array', () => {
    const json = fx.text('mautic-fixture/mandrill_events.hard_bounce-spam-unsub-reject.json');
    expect(parseMandrill(enc(form(json)))).toEqual(parseMandrill(enc(json)));
    expect(parseMandrill(enc(fx.text('mautic-fixture/request-body.form-urlencoded.txt')))).toEqual(parseMandrill(enc(json)));
  });

  it('reads a batch held in a JSON object as well, as an array or as its JSON text', () => {
    for (const row of labels.filter((l) => fx.text(l.file).trimStart().startsWith('{'))) {
      const text = fx.text(row.file);
      expect(parseMandrill(enc(text)), row.file).toEqual(parseMandrill(enc(wireBody(row.file))));
      const asString = JSON.stringify({ mandrill_events: JSON.stringify((JSON.parse(text) as { mandrill_events: unknown }).mandrill_events) });
      expect(parseMandrill(enc(asString)), row.file).toEqual(parseMandrill(enc(text)));
    }
    expect(() => parseMandrill(enc('{"events": []}'))).toThrow(/mandrill_events/);
  });
});

describe('Mandrill parsing', () => {
  const msg = { ts: 1365109999, email: 'Foo@Example.com', _id: 'id1', state: 'bounced' };
  const parse = (...events: unknown[]) => parseMandrill(enc(form(JSON.stringify(events))));

  it('is registered under its route name', () => {
    expect(providerPlugin('mandrill')).toBe(mandrill);
  });

  it('reads a deferral\'s reply from the last SMTP event', () => {
    const e = parse({
      event: 'deferral', _id: 'id1', ts: 1420303407,
      msg: { ...msg, state: 'deferred', smtp_events: [{ diag: '421 4.7.0 try later' }, { diag: '451 4.3.5 Temporarily unavailable, try again later.' }] },
    }).events[0]!;
    expect(e).toMatchObject({ type: 'deferred', recipient: 'foo@example.com', message_id: 'id1', occurred_at: '2015-01-03T16:43:27.000Z' });
    expect(e.bounce).toMatchObject({ reply_code: '451', status: '4.3.5', class: 'soft', provider_class: 'deferral' });
  });

  it('uses bounce_description only when the diag decides nothing', () => {
    const [soft, hard] = parse(
      { event: 'soft_bounce', _id: 'id1', ts: 1, msg: { ...msg, bounce_description: 'mailbox_full', diag: 'sorry' } },
      { event: 'hard_bounce', _id: 'id2', ts: 1, msg: { ...msg, bounce_description: 'general' } },
    ).events;
    expect(soft!.bounce).toMatchObject({ class: 'soft', reason: 'mailboxfull', provider_class: 'soft_bounce/mailbox_full', rule: 'provider:hint' });
    expect(hard!.bounce).toMatchObject({ class: 'hard', provider_class: 'hard_bounce/general' });
  });

  it('files reject as dropped without a suppression of its own', () => {
    const [e] = parse({ event: 'reject', _id: 'id1', ts: 1, msg: { ...msg, state: 'rejected' } }).events;
    expect(e).toMatchObject({ type: 'dropped' });
    expect(e!.provider_suppression).toBeUndefined();
    expect(suppressionWithoutHistory(e!, config)).toBeNull();
  });

  it('ignores send, open, click and the sync events of the rejection and allow lists', () => {
    const out = parse(
      { event: 'send', _id: 'a', ts: 1, msg },
      { event: 'open', _id: 'a', ts: 1, msg },
      { event: 'click', _id: 'a', ts: 1, msg },
      { type: 'blacklist', action: 'add', reject: { reason: 'hard-bounce', email: 'foo@example.com' }, ts: 1 },
      { type: 'whitelist', action: 'remove', entry: { email: 'foo@example.com' }, ts: 1 },
    );
    expect(out).toEqual({ events: [], ignored: 5, rejected: 0 });
  });

  it('gives ids from _id, event, ts and recipient (Mandrill has no event id)', () => {
    const event = { event: 'reject', _id: 'same', ts: 1513974230, msg };
    const [a, b, c, d] = parse(event, { ...event, msg: { ...msg, email: 'other@example.com' } }, { ...event, ts: 1513974231 }, { ...event, event: 'spam' }).events;
    expect(new Set([a!.id, b!.id, c!.id, d!.id]).size).toBe(4);
    expect(parse(event).events[0]!.id).toBe(a!.id);
  });

  it('answers 400 for bodies that are not a Mandrill batch', () => {
    const bodies = ['', 'other=1', form('not json'), form('{"event":"spam"}'), form('[1]'), form('[{"ts":1}]'),
      form('[{"event":"spam","ts":1}]'), form('[{"event":"spam","msg":{"email":"a@example.com"}}]'), '[', '{"mandrill_events":{}}', '{"mandrill_events":"[1]"}', '{"x":'];
    for (const body of bodies) expect(() => parseMandrill(enc(body)), body).toThrow(expect.objectContaining({ status: 400 }));
    expect(parseMandrill(enc(form('[]')))).toEqual({ events: [], ignored: 0, rejected: 0 });
    expect(parseMandrill(enc('{"mandrill_events":[]}'))).toEqual({ events: [], ignored: 0, rejected: 0 });
  });
});
