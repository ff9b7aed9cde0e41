/** The helpers every provider plugin shares: body parsing, value narrowing, the event sink, verify checks. */
import { describe, expect, it } from 'vitest';
import { EventSink } from '../../../src/providers/shared/event-sink.js';
import { eventTime, lookup, parseJsonBody, scalar, text } from '../../../src/providers/shared/payload.js';
import { isSesSuppressed, sesBounceHint } from '../../../src/providers/shared/ses-verdict.js';
import { requireSecret, requireTimestampWithin } from '../../../src/providers/shared/verify.js';
import { enc } from './labelled-samples.js';

describe('parseJsonBody', () => {
  it('parses UTF-8 JSON, big integers exact only when asked', () => {
    expect(parseJsonBody(enc('{"a": [1, "x"]}'), 'Acme')).toEqual({ a: [1, 'x'] });
    expect(parseJsonBody(enc('{"id": 12345678901234567890}'), 'Acme', { exact: true })).toEqual({ id: '12345678901234567890' });
    expect(parseJsonBody(new Uint8Array([0xef, 0xbb, 0xbf, ...enc('[]')]), 'Acme')).toEqual([]);
  });

  it('answers 400 malformed for bytes that are not UTF-8, 400 malformed_json for text that is not JSON', () => {
    expect(() => parseJsonBody(new Uint8Array([0x7b, 0xff, 0x7d]), 'Acme'))
      .toThrow(expect.objectContaining({ status: 400, code: 'malformed', message: 'the Acme body is not UTF-8' }));
    for (const body of ['', '{"a":', '[1,]']) {
      expect(() => parseJsonBody(enc(body), 'Acme', { exact: true }))
        .toThrow(expect.objectContaining({ status: 400, code: 'malformed_json', message: 'the Acme body is not valid JSON' }));
    }
  });
});

describe('value narrowing', () => {
  it('text trims and treats blank as absent; scalar also takes finite numbers', () => {
    expect([text(' a b '), text('  '), text(''), text(1), text(null)]).toEqual(['a b', null, null, null, null]);
    expect([scalar(550), scalar(' 550 '), scalar(Number.NaN), scalar(true)]).toEqual(['550', '550', null, null]);
  });

  it('lookup finds own keys only', () => {
    const table: Record<string, number> = { a: 1 };
    expect([lookup(table, 'a'), lookup(table, 'b'), lookup(table, null), lookup(table, 'constructor'), lookup(table, '__proto__')])
      .toEqual([1, null, null, null, null]);
  });

  it('eventTime is ISO 8601 or a 400', () => {
    expect(eventTime(1700000000, 'x')).toBe('2023-11-14T22:13:20.000Z');
    expect(() => eventTime('soon', 'Acme "ts"')).toThrow(expect.objectContaining({ status: 400, code: 'malformed' }));
  });
});

describe('EventSink', () => {
  it('keeps repeats in payload order, counts rejected recipients and ignored events', () => {
    const sink = new EventSink('sendgrid');
    const fields = { type: 'delivered', occurred_at: '2024-01-01T00:00:00.000Z', message_id: 'm' } as const;
    sink.add('A@Example.com', (r) => ['x', r], fields);
    sink.add('a@example.com', (r) => ['x', r], fields);
    sink.add('not an address', (r) => ['x', r], fields);
    sink.ignore(2);
    const result = sink.result();
    expect(result.events).toHaveLength(2);
    expect(result.events[0]).toEqual(result.events[1]);
    expect(result.events[0]).toMatchObject({ provider: 'sendgrid', recipient: 'a@example.com', type: 'delivered' });
    expect(result).toMatchObject({ ignored: 2, rejected: 1 });
  });
});

describe('SES verdict', () => {
  it('maps bounce type and subtype to a hint', () => {
    expect(sesBounceHint('Permanent', 'NoEmail')).toEqual({ class: 'hard', reason: 'userunknown' });
    expect(sesBounceHint('Permanent', 'General')).toEqual({ class: 'hard', reason: null });
    expect(sesBounceHint('Transient', 'MailboxFull')).toEqual({ class: 'soft', reason: 'mailboxfull' });
    expect(sesBounceHint('Transient', 'General')).toEqual({ class: 'soft', reason: null });
    expect(sesBounceHint('Undetermined', null)).toEqual({ class: 'undetermined', reason: null });
    expect([isSesSuppressed('Suppressed'), isSesSuppressed('OnAccountSuppressionList'), isSesSuppressed('General'), isSesSuppressed(null)])
      .toEqual([true, true, false, false]);
  });
});

describe('verify checks', () => {
  it('requireSecret fails closed', () => {
    expect(() => requireSecret(undefined, 'ACME_SECRET'))
      .toThrow(expect.objectContaining({ status: 401, code: 'not_configured', message: 'ACME_SECRET is not set: refusing every request' }));
    expect(() => requireSecret('', 'ACME_SECRET')).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => requireSecret('s', 'ACME_SECRET')).not.toThrow();
  });

  it('requireTimestampWithin bounds the age and the skew, inclusive', () => {
    const now = new Date(1_700_000_000_500);
    const at = (offset: number) => String(1_700_000_000 + offset);
    for (const ok of [0, -100, 60]) expect(() => requireTimestampWithin(at(ok), now, 100, 60)).not.toThrow();
    for (const stale of [-101, 61]) {
      expect(() => requireTimestampWithin(at(stale), now, 100, 60)).toThrow(expect.objectContaining({ status: 401, code: 'stale_signature' }));
    }
  });
});
