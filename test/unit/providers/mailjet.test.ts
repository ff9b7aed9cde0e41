/** Mailjet: Basic credentials, the labelled samples, exact big MessageIDs, bounce/blocked mapping, shapes. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { mailjet } from '../../../src/providers/mailjet/index.js';
import { parseMailjet } from '../../../src/providers/mailjet/parse.js';
import type { ProviderDeps, WebhookRequest } from '../../../src/providers/types.js';
import { enc, expectLabelled, fixtures, statusThrown } from './labelled-samples.js';

const fx = fixtures('mailjet');
const deps: ProviderDeps = { now: () => new Date(), fetchCertificate: async () => '', claimOnce: async () => true };
const parseText = (s: string) => parseMailjet(enc(s));
const parse = (value: unknown) => parseText(JSON.stringify(value));

describe('Mailjet credentials', () => {
  const creds = `mj:${crypto.randomUUID()}`;
  const req = (authorization?: string): WebhookRequest => ({
    method: 'POST', url: 'https://rebote.example/webhooks/mailjet', body: fx.bytes('symfony-fixtures/spam.json'),
    headers: new Headers(authorization ? { authorization } : {}),
  });

  it('accepts the configured HTTP Basic credentials only', async () => {
    const config = readConfig({ MAILJET_WEBHOOK_AUTH: creds });
    await expect(mailjet.verify(req(`Basic ${btoa(creds)}`), config, deps)).resolves.toBeUndefined();
    await expect(mailjet.verify(req(`Basic ${btoa('mj:wrong')}`), config, deps)).rejects.toMatchObject({ status: 401 });
    // Mailjet has no token option: a Bearer header is not its credentials.
    await expect(mailjet.verify(req(`Bearer ${creds}`), config, deps)).rejects.toMatchObject({ status: 401 });
    await expect(mailjet.verify(req(), config, deps)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses everything when MAILJET_WEBHOOK_AUTH is unset', async () => {
    await expect(mailjet.verify(req(`Basic ${btoa(creds)}`), readConfig({}), deps)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
  });
});

describe('every labelled Mailjet sample gives the labelled events', () => {
  const rows = fx.labels();
  it('has the samples', () => expect(rows.length).toBe(13));
  for (const row of rows) {
    it(row.file, () => {
      if (row.invalid) {
        expect(statusThrown(() => parseMailjet(fx.bytes(row.file)))).toBe(400);
        return;
      }
      expectLabelled(parseMailjet(fx.bytes(row.file)), row, 'mailjet');
    });
  }
});

const sent = (messageId: string) =>
  `{"event":"sent","time":1433333949,"MessageID":${messageId},"email":"api@mailjet.com","smtp_reply":"sent (250 2.0.0 OK)"}`;

describe('Mailjet MessageID', () => {
  it('is kept exact beyond 2^53, so neighbouring messages never share an id', () => {
    // 19421777835146490 and ...491 are the same double.
    const a = parseText(sent('19421777835146490')).events[0]!;
    const b = parseText(sent('19421777835146491')).events[0]!;
    expect(a.message_id).toBe('19421777835146490');
    expect(b.message_id).toBe('19421777835146491');
    expect(a.id).not.toBe(b.id);
  });

  it('falls back to mj_message_id (grouped docs sample), and treats 0 (test events) as none', () => {
    expect(parse({ event: 'sent', time: 1, email: 'a@example.com', mj_message_id: '18858825588804172' }).events[0]!.message_id).toBe('18858825588804172');
    expect(parse({ event: 'sent', time: 1, email: 'a@example.com', MessageID: 0 }).events[0]!.message_id).toBeNull();
  });

  it('gives a redelivery the same id; another event of the same message a different one', () => {
    const bounce = { event: 'bounce', time: 1430812195, MessageID: 1, email: 'a@example.com', hard_bounce: true };
    expect(parse(bounce).events[0]!.id).toBe(parse(bounce).events[0]!.id);
    expect(parse({ ...bounce, event: 'blocked' }).events[0]!.id).not.toBe(parse(bounce).events[0]!.id);
    expect(parse({ ...bounce, time: 1430812196 }).events[0]!.id).not.toBe(parse(bounce).events[0]!.id);
  });
});

const bounce = (extra: Record<string, unknown>) => parse({ event: 'bounce', time: 1430812195, MessageID: 1, email: 'a@example.com', ...extra }).events[0]!;
const blocked = (extra: Record<string, unknown>) => parse({ event: 'blocked', time: 1430812195, MessageID: 1, email: 'a@example.com', ...extra }).events[0]!;

describe('Mailjet bounces', () => {
  it('lets the raw SMTP comment decide, the hard_bounce switch and error only fill in', () => {
    const e = bounce({ hard_bounce: false, error_related_to: 'spam', error: 'policy issue',
      comment: '421 4.7.0 [TSS04] Messages from 1.2.3.4 temporarily deferred due to unexpected volume or user complaints' });
    expect(e.bounce).toMatchObject({ reply_code: '421', status: '4.7.0', class: 'soft', provider_class: 'soft/spam/policy issue' });
    expect(e.bounce!.rule).not.toBe('provider:hint');
  });

  it('maps Mailjet\'s error table when there is no comment', () => {
    expect(bounce({ hard_bounce: true, error_related_to: 'recipient', error: 'user unknown' }).bounce).toMatchObject({ class: 'hard', reason: 'userunknown' });
    expect(bounce({ hard_bounce: false, error_related_to: 'recipient', error: 'quota exceeded' }).bounce).toMatchObject({ class: 'soft', reason: 'mailboxfull' });
    expect(bounce({ hard_bounce: true, error_related_to: 'domain', error: 'no mail host' }).bounce).toMatchObject({ class: 'hard', reason: 'hostunknown' });
    expect(bounce({ hard_bounce: true, error_related_to: 'spam', error: 'content blocked' }).bounce).toMatchObject({ reason: 'spamdetected', class: 'soft' });
    // Mailjet's hard_bounce does not make a sender-side error or a full mailbox suppress the recipient.
    expect(bounce({ hard_bounce: true, error_related_to: 'spam', error: 'sender blocked' }).bounce).toMatchObject({ reason: 'blocked', class: 'soft' });
    expect(bounce({ hard_bounce: true, error_related_to: 'recipient', error: 'quota exceeded' }).bounce).toMatchObject({ reason: 'mailboxfull', class: 'soft' });
  });

  it('does not let an error name make a bounce Mailjet calls soft hard', () => {
    expect(bounce({ hard_bounce: false, error_related_to: 'recipient', error: 'user unknown' }).bounce).toMatchObject({ class: 'soft' });
  });

  it('is undetermined when hard_bounce is neither true nor false and nothing else is said', () => {
    expect(bounce({ hard_bounce: '', error: 'bounced' }).bounce).toMatchObject({ class: 'undetermined', rule: 'none' });
  });
});

describe('Mailjet blocked events (never sent)', () => {
  it('suppress when Mailjet already lists the address as bad, and not otherwise', () => {
    expect(blocked({ error_related_to: 'mailjet', error: 'preblocked' })).toMatchObject({ type: 'dropped', provider_suppression: 'hard_bounce' });
    expect(blocked({ error_related_to: 'recipient', error: 'user unknown' })).toMatchObject({ provider_suppression: 'hard_bounce' });
    expect(blocked({ error_related_to: 'recipient', error: 'spam reporter' })).toMatchObject({ provider_suppression: 'complaint' });
    for (const error of ['duplicate in campaign', 'sender blocked', 'blocked']) {
      expect(blocked({ error }).provider_suppression, error).toBeUndefined();
    }
  });

  it('keep Mailjet\'s error as the provider class, never as a diagnostic', () => {
    expect(blocked({ error_related_to: 'domain', error: 'typofix' }).bounce).toMatchObject({ provider_class: 'domain/typofix', diagnostic: null });
  });
});

describe('Mailjet shapes', () => {
  it('takes a bare object (ungrouped) and an array (grouped) alike', () => {
    const one = parseMailjet(fx.bytes('anymail-fixtures/non-grouped-single-object-sent.json'));
    const many = parseMailjet(fx.bytes('anymail-fixtures/grouped-sent.json'));
    expect(one.events.map((e) => [e.type, e.recipient])).toEqual(many.events.map((e) => [e.type, e.recipient]));
  });

  it('ignores open and click', () => {
    expect(parse([{ event: 'open', time: 1, email: 'a@example.com' }, { event: 'click', time: 1, email: 'a@example.com' }]))
      .toEqual({ events: [], ignored: 2, rejected: 0 });
  });

  it.each([
    ['the docs bounce missing a comma', fx.text('docs-mailjet-api-documentation/bounce-hard.VERBATIM-INVALID-JSON-missing-comma.txt')],
    ['an array of numbers', '[1, 2]'],
    ['an event without a name', '{"time": 1, "email": "a@example.com"}'],
    ['a recorded event without a time', '{"event": "bounce", "email": "a@example.com", "hard_bounce": true}'],
  ])('%s is 400', (_name, body) => {
    expect(statusThrown(() => parseText(body))).toBe(400);
  });
});
