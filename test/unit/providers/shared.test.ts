/** The helpers every provider plugin shares: body parsing, value narrowing, the event sink, verify checks. */
import fc from 'fast-check';
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

describe('parseJsonBody on large bodies (arrays are read in pieces)', () => {
  /** What reading the body whole gives: the value, or the error's code. */
  const whole = (body: Uint8Array): unknown => {
    let source: string;
    try {
      source = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
    } catch {
      return 'malformed';
    }
    try {
      return JSON.parse(source);
    } catch {
      return 'malformed_json';
    }
  };
  const got = (body: Uint8Array): unknown => {
    try {
      return parseJsonBody(body, 'Acme');
    } catch (e) {
      return (e as { code: string }).code;
    }
  };
  const event = (i: number, extra = '') => `{"email":"u${i}@x.example","event":"delivered","sg_event_id":"e${i}"${extra}}`;
  const events = (n: number, sep = ',', extra: (i: number) => string = () => '') =>
    Array.from({ length: n }, (_, i) => event(i, extra(i))).join(sep);
  const bytes = (...parts: Array<string | number[]>) =>
    Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...enc(p)] : p)));

  it('gives what reading it whole gives, for valid and broken batches alike', () => {
    const bodies: Record<string, Uint8Array> = {
      compact: bytes(`[${events(3000)}]`),
      spaced: bytes(` \r\n[ \n${events(3000, ' ,\r\n\t ')} \n] \n`),
      bom: bytes([0xef, 0xbb, 0xbf], `[${events(3000)}]`),
      twoBoms: bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], `[${events(3000)}]`),
      multibyte: bytes(`[${events(3000, ',', (i) => `,"n":"\u00fc\ud83d\ude00${'\u00e9'.repeat(i % 5)}"`)}]`),
      cutLookalikeInStrings: bytes(`[${events(3000, ',', () => ',"n":"},{ },\\r\\n{"')}]`),
      nestedArrays: bytes(`[${events(3000, ',', () => ',"a":[{"x":1},{"y":[{}, {}]}]')}]`),
      nestedBatch: bytes(`[${events(1500)},[${events(1500)}]]`),
      notObjects: bytes(`[${Array.from({ length: 40_000 }, (_, i) => i).join(',')}]`),
      mixed: bytes(`[${events(1500)},1,"x",null,[],${events(1500)}]`),
      spacesOnly: bytes(`[${' '.repeat(200_000)}]`),
      oneString: bytes(`["${'x'.repeat(200_000)}"]`),
      badUtf8Late: bytes(`[${events(3000)},{"email":"a`, [0xff], '"}]'),
      badUtf8Early: bytes('[{"email":"a', [0xc0, 0x80], `"},${events(3000)}]`),
      truncatedUtf8: bytes(`[${events(3000)},{"email":"a`, [0xe2, 0x82]),
      trailingComma: bytes(`[${events(3000)},]`),
      leadingComma: bytes(`[,${events(3000)}]`),
      doubleComma: bytes(`[${events(1500)},,${events(1500)}]`),
      unclosed: bytes(`[${events(3000)}`),
      extraClose: bytes(`[${events(3000)}]]`),
      twoArrays: bytes(`[${events(1500)}],[${events(1500)}]`),
      twoArraysAdjacent: bytes(`[${events(1500)}][${events(1500)}]`),
      object: bytes(`{"a":[${events(3000)}]}`),
      badJsonLate: bytes(`[${events(3000)},{"email":tru}]`),
      controlInString: bytes(`[${events(3000)},{"email":"a\u0001"}]`),
      trailingNul: bytes(`[${events(3000)}]`, [0]),
      protoKeys: bytes(`[${events(3000, ',', () => ',"__proto__":{"event":"x"}')}]`),
    };
    for (const [name, body] of Object.entries(bodies)) {
      expect(body.length, name).toBeGreaterThan(64 * 1024);
      // As JSON: every value, in order; a "__proto__" key stays an own property.
      expect(JSON.stringify(got(body)), name).toBe(JSON.stringify(whole(body)));
    }
  });

  it('gives what reading it whole gives after random damage to a batch', () => {
    const base = enc(`[${events(2500, ',\r\n', (i) => (i % 7 === 0 ? ',"n":"\u00e9},{"' : ''))}]`);
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.constantFrom(0x7b, 0x7d, 0x2c, 0x5b, 0x5d, 0x22, 0x5c, 0x20, 0xff, 0xc3, 0x80, 0x00, -1)),
        { minLength: 1, maxLength: 3 }),
      (edits) => {
        const body = [...base];
        for (const [at, b] of edits) {
          if (b < 0) body.splice(at, 1);
          else body[at] = b;
        }
        const bytesNow = Uint8Array.from(body);
        expect(JSON.stringify(got(bytesNow))).toBe(JSON.stringify(whole(bytesNow)));
      },
    ), { numRuns: 100, seed: 20261129 });
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
    // Times no listing or count could reach (the query API takes 1970 to 9999) are no event times.
    for (const far of ['1969-07-20T20:17:40Z', '0001-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', 253_402_300_800_000]) {
      expect(() => eventTime(far, 'x'), String(far)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});

describe('EventSink', () => {
  it('keeps repeats in payload order, counts rejected recipients and ignored events', () => {
    const sink = new EventSink('sendgrid');
    const fields = { type: 'delivered', occurred_at: '2024-01-01T00:00:00.000Z', message_id: 'm' } as const;
    sink.add('A@Example.com', (r) => ['x', r], fields);
    sink.add('a@example.com', (r) => ['x', r], fields);
    sink.add('not an address', (r) => ['x', r], fields);
    sink.add('Jane Doe <not an address>', (r) => ['x', r], fields);
    sink.ignore(2);
    const result = sink.result();
    expect(result.events).toHaveLength(2);
    expect(result.events[0]).toEqual(result.events[1]);
    expect(result.events[0]).toMatchObject({ provider: 'sendgrid', recipient: 'a@example.com', type: 'delivered' });
    expect(result).toMatchObject({ ignored: 2, rejected: 2 });
  });

  it('takes the address of a mailbox written with a display name, on both ways in', () => {
    const sink = new EventSink('mailgun');
    const fields = { type: 'bounced', occurred_at: '2024-01-01T00:00:00.000Z', message_id: 'm' } as const;
    sink.add('"Doe, Jane" <Jane@Example.com>', (r) => ['x', r], fields);
    expect(sink.recipient('Bob <bob@example.org> ')).toBe('bob@example.org');
    expect(sink.recipient('Bob <>')).toBeNull();
    expect(sink.result()).toMatchObject({ rejected: 1, events: [{ recipient: 'jane@example.com' }] });
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
