/** Brevo: credentials (Basic and Bearer), the labelled samples, event mapping, batches, ids and shapes. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { brevo } from '../../../src/providers/brevo/index.js';
import { parseBrevo } from '../../../src/providers/brevo/parse.js';
import type { ProviderDeps, WebhookRequest } from '../../../src/providers/types.js';
import { enc, expectLabelled, fixtures, statusThrown } from './labelled-samples.js';

const fx = fixtures('brevo');
const parse = (value: unknown) => parseBrevo(enc(JSON.stringify(value)));
const deps: ProviderDeps = { now: () => new Date(), fetchCertificate: async () => '', claimOnce: async () => true };

describe('Brevo credentials', () => {
  const creds = `brevo:${crypto.randomUUID()}`;
  const config = readConfig({ BREVO_WEBHOOK_AUTH: creds });
  const req = (authorization?: string): WebhookRequest => ({
    method: 'POST', url: 'https://rebote.example/webhooks/brevo', body: fx.bytes('symfony-fixtures/hard_bounce.json'),
    headers: new Headers(authorization ? { authorization } : {}),
  });

  it('accepts HTTP Basic and Bearer user:password', async () => {
    await expect(brevo.verify(req(`Basic ${btoa(creds)}`), config, deps)).resolves.toBeUndefined();
    await expect(brevo.verify(req(`Bearer ${creds}`), config, deps)).resolves.toBeUndefined();
  });

  it('refuses wrong, partial or missing credentials with 401', async () => {
    for (const auth of [`Basic ${btoa(`${creds}x`)}`, `Bearer ${creds.split(':')[0]}`, `Basic ${btoa(creds.split(':')[0]!)}`, undefined]) {
      await expect(brevo.verify(req(auth), config, deps), String(auth)).rejects.toMatchObject({ status: 401 });
    }
  });

  it('refuses everything when BREVO_WEBHOOK_AUTH is unset', async () => {
    await expect(brevo.verify(req(`Basic ${btoa(creds)}`), readConfig({}), deps)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
  });
});

describe('every labelled Brevo sample gives the labelled events', () => {
  const rows = fx.labels();
  it('has the samples', () => expect(rows.length).toBe(14));
  for (const row of rows) {
    it(row.file, () => {
      if (row.invalid) {
        expect(statusThrown(() => parseBrevo(fx.bytes(row.file)))).toBe(400);
        return;
      }
      expectLabelled(parseBrevo(fx.bytes(row.file)), row, 'brevo');
    });
  }
});

const base = { email: 'rcpt@example.com', 'message-id': '<202305311437.85220493321@smtp-relay.mailin.fr>', ts_epoch: 1685543827372 };

describe('Brevo events', () => {
  it('records a deferral carrying 550 5.1.1 as deferred and soft: Brevo is still retrying (SPEC §3)', () => {
    const [e] = parseBrevo(fx.bytes('anymail-fixtures/deferred-but-550-5.1.1-live-capture.json')).events;
    expect(e).toMatchObject({ type: 'deferred', bounce: { class: 'soft', reason: 'userunknown', reply_code: '550', status: '5.1.1' } });
  });

  it('keeps Brevo\'s words for a block as the provider class, never as a remote diagnostic', () => {
    const [e] = parse({ ...base, event: 'blocked', reason: 'blocked : due to unsubscribed user' }).events;
    expect(e!.bounce).toMatchObject({ diagnostic: null, provider_class: 'blocked : due to unsubscribed user', class: 'undetermined' });
  });

  it('suppresses a block only when Brevo names why the address is listed', () => {
    const listed = (reason: string) => parse({ ...base, event: 'blocked', reason }).events[0]!.provider_suppression ?? null;
    expect(listed('blocked : due to unsubscribed user')).toBe('unsubscribed');
    expect(listed('blocked : due to hard bounce user')).toBe('hard_bounce');
    expect(listed('blocked : due to spam user')).toBe('complaint');
    expect(listed('blocked : due to blacklist user')).toBeNull();
    expect(listed('blocked : due to invalid email')).toBe('hard_bounce');
    // Something else invalid is not the recipient's address.
    expect(listed('Invalid sender')).toBeNull();
  });

  it('classifies a hard bounce from its reply, trimmed of Brevo\'s leading space', () => {
    const [e] = parse({ ...base, event: 'hard_bounce', reason: ' 452 4.2.2 The email account that you tried to reach is over quota' }).events;
    // The reply is temporary: never hard, whatever Brevo calls it.
    expect(e!.bounce).toMatchObject({ class: 'soft', reason: 'mailboxfull', reply_code: '452', diagnostic: '452 4.2.2 The email account that you tried to reach is over quota' });
  });

  it('falls back to the event name for the class when the reason says nothing', () => {
    expect(parse({ ...base, event: 'hard_bounce' }).events[0]!.bounce).toMatchObject({ class: 'hard', rule: 'provider:hint', provider_class: 'hard_bounce' });
    expect(parse({ ...base, event: 'soft_bounce' }).events[0]!.bounce).toMatchObject({ class: 'soft', rule: 'provider:hint' });
  });

  it('maps complaints and unsubscribes', () => {
    expect(parse({ ...base, event: 'complaint' }).events[0]).toMatchObject({ type: 'complained', complaint: { feedback_type: null } });
    expect(parse({ ...base, event: 'spam' }).events[0]).toMatchObject({ type: 'complained' });
    expect(parse({ ...base, event: 'unsubscribed' }).events[0]).toMatchObject({ type: 'unsubscribed' });
    expect(parse({ ...base, event: 'unsubscribe' }).events[0]).toMatchObject({ type: 'unsubscribed' });
  });

  it('ignores events that are not about deliverability, including error (a sending error on the account)', () => {
    for (const event of ['request', 'opened', 'unique_opened', 'click', 'proxy_open', 'unique_proxy_open', 'error', 'something_new']) {
      expect(parse({ ...base, event }), event).toEqual({ events: [], ignored: 1, rejected: 0 });
    }
  });

  it('takes a batch (array) of mixed events in order', () => {
    const out = parse([
      { ...base, event: 'delivered' },
      { ...base, event: 'opened' },
      { ...base, email: 'other@example.com', event: 'hard_bounce', reason: '550 5.1.1 no such user' },
      { ...base, email: 'nope', event: 'delivered' },
    ]);
    expect(out.events.map((e) => [e.type, e.recipient])).toEqual([['delivered', 'rcpt@example.com'], ['bounced', 'other@example.com']]);
    expect(out).toMatchObject({ ignored: 1, rejected: 1 });
  });
});

describe('Brevo times and ids', () => {
  it('reads ts_epoch in milliseconds (and in seconds, as some samples send it), else ts_event', () => {
    expect(parse({ ...base, event: 'delivered' }).events[0]!.occurred_at).toBe('2023-05-31T14:37:07.372Z');
    expect(parse({ ...base, ts_epoch: 1604933623, event: 'delivered' }).events[0]!.occurred_at).toBe('2020-11-09T14:53:43.000Z');
    const { ts_epoch: _t, ...noEpoch } = base;
    expect(parse({ ...noEpoch, ts_event: 1604933654, event: 'delivered' }).events[0]!.occurred_at).toBe('2020-11-09T14:54:14.000Z');
  });

  it('gives a redelivery the same id, and a later deferral of the same message a new one', () => {
    const first = parse({ ...base, event: 'deferred', reason: '421 try later' }).events[0]!.id;
    expect(parse({ ...base, event: 'deferred', reason: '421 try later' }).events[0]!.id).toBe(first);
    expect(parse({ ...base, ts_epoch: base.ts_epoch + 600_000, event: 'deferred', reason: '421 try later' }).events[0]!.id).not.toBe(first);
  });

  it('keeps the message-id as Brevo sends it', () => {
    expect(parse({ ...base, event: 'delivered' }).events[0]!.message_id).toBe('<202305311437.85220493321@smtp-relay.mailin.fr>');
  });
});

describe('malformed Brevo bodies are 400', () => {
  it.each([
    ['the docs sample (id: xxxxx)', fx.text('docs-developers-brevo-com/request-sent.NOT-VALID-JSON.txt')],
    ['a number', '42'],
    ['an event without a name', JSON.stringify({ email: 'a@example.com', ts_epoch: 1 })],
    ['a batch with a non-object', JSON.stringify([{ ...base, event: 'delivered' }, 'x'])],
    ['a recorded event without a time (only the local `date`)', JSON.stringify({ email: 'a@example.com', event: 'hard_bounce', date: '2023-05-31 16:37:07' })],
  ])('%s', (_name, body) => {
    expect(statusThrown(() => parseBrevo(enc(body)))).toBe(400);
  });
});
