/**
 * Addresses under fuzzing (SPEC §5): an internationalized domain matches in its Unicode and its
 * punycode form, in any case, with any of the equivalent spellings; SMTPUTF8 local parts match
 * case-insensitively; control characters (header injection: CR, LF, NUL) and other things that
 * are not addresses are refused on every route that takes one, and never stored.
 *
 * The punycode here is RFC 3492 written out in the test, independent of the URL parser that
 * src/core/address.ts relies on.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshTableEnv } from '../helpers.js';
import { countedApp, encodeLoose, expectEmpty, fuzzCases, fuzzEnv, harnesses, RUNS, send } from './support.js';

// ---- RFC 3492 (Bootstring with the punycode parameters) ----

function punycode(label: string): string {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const cps = [...label].map((c) => c.codePointAt(0)!);
  const digit = (d: number) => String.fromCharCode(d < 26 ? 97 + d : 22 + d);
  const adapt = (delta: number, points: number, first: boolean) => {
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / points);
    let k = 0;
    for (; delta > ((base - tMin) * tMax) >> 1; k += base) delta = Math.floor(delta / (base - tMin));
    return k + Math.floor(((base - tMin + 1) * delta) / (delta + skew));
  };
  let out = cps.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join('');
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += '-';
  let n = 0x80, delta = 0, bias = 72;
  while (handled < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = base; ; k += base) {
        const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
        if (q < t) break;
        out += digit(t + ((q - t) % (base - t)));
        q = Math.floor((q - t) / (base - t));
      }
      out += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return out;
}

const toAscii = (domain: string) => domain.split('.').map((l) => (/^[\x00-\x7f]*$/.test(l) ? l : `xn--${punycode(l)}`)).join('.');

// ---- generators ----

/** Lower-case letters whose upper case maps back (no ß, ς, ligatures), NFC, allowed in IDNA 2008. */
const UNICODE_LETTERS = [...'äöüéèêñçøåæœžšłđабвгджзлмнαβγδελμ例中文日本한국'];
const ASCII = [...'abcdefghijklmnopqrstuvwxyz0123456789'];

const unicodeLabel = fc.tuple(
  fc.array(fc.constantFrom(...ASCII), { maxLength: 6 }),
  fc.array(fc.constantFrom(...UNICODE_LETTERS), { minLength: 1, maxLength: 4 }),
  fc.array(fc.constantFrom(...ASCII), { maxLength: 6 }),
).map(([a, u, b]) => [...a, ...u, ...b].join(''));
const asciiLabel = fc.array(fc.constantFrom(...ASCII), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));

const idnDomain = fc.tuple(fc.array(fc.oneof(unicodeLabel, asciiLabel), { maxLength: 1 }), unicodeLabel, fc.constantFrom('com', 'example', 'de', 'org', 'рф', '中国'))
  .map(([pre, label, tld]) => [...pre, label, tld].join('.'));

const smtpUtf8Local = fc.oneof(
  fc.array(fc.constantFrom(...ASCII, '.', '+', '_', '-'), { minLength: 1, maxLength: 10 }).map((a) => a.join('')).filter((l) => /^[a-z0-9_+-]+(\.[a-z0-9_+-]+)*$/.test(l)),
  fc.array(fc.constantFrom(...ASCII, ...UNICODE_LETTERS), { minLength: 1, maxLength: 8 }).map((a) => a.join('')),
);

/** Every spelling of the same address that must find the same suppression. */
function spellings(local: string, domain: string): string[] {
  const ascii = toAscii(domain);
  return [
    `${local}@${domain}`,
    `${local}@${ascii}`,
    `${local.toUpperCase()}@${domain.toUpperCase()}`,
    `${local}@${ascii.toUpperCase()}`,
    `${local}@${domain.replaceAll('.', '\u3002')}`, // ideographic full stop, a label separator in IDNA
    `${local}@${domain}.`,
    `<${local}@${domain}>`,
    ` ${local}@${ascii} `,
  ];
}

/** Each case is a PUT, a check of 8 spellings and a DELETE: fewer cases keep CI time down. */
const IDN_RUNS = RUNS / 2;

let env: Record<string, string>;
let refused: Record<string, string>;
let serial = 0;

beforeAll(async () => {
  const [a, b] = await Promise.all([freshTableEnv(), freshTableEnv()]);
  env = { ...fuzzEnv, DDB_TABLE: a.DDB_TABLE! };
  refused = { ...fuzzEnv, DDB_TABLE: b.DDB_TABLE! };
});

const admin = { authorization: 'Bearer admin-test-key', 'content-type': 'application/json' };

describe('internationalized addresses', () => {
  it(`match in their Unicode and punycode forms, in any case (${IDN_RUNS} cases)`, async () => {
    const { app } = countedApp();
    const pick = fc.nat();
    const count = await fuzzCases(fc.tuple(smtpUtf8Local, idnDomain, pick, pick), async ([local0, domain, a, b]) => {
      const local = `${local0}${serial++}`; // one address per case: cases run concurrently on one table
      const forms = spellings(local, domain);
      const expected = `${local.toLowerCase()}@${toAscii(domain)}`;
      const put = await send(app, { method: 'PUT', path: `/v1/suppressions/${encodeLoose(forms[a % forms.length]!)}`, headers: admin, body: '{}' }, env);
      expect(put.status, `${forms[a % forms.length]}: ${put.text}`).toBe(200);
      expect((put.json as { email: string }).email, 'stored in its lower-case punycode form').toBe(expected);
      const check = await send(app, { method: 'POST', path: '/v1/suppressions/check', headers: admin, body: JSON.stringify({ emails: forms }) }, env);
      expect(check.status, check.text).toBe(200);
      expect((check.json as { results: unknown[] }).results, JSON.stringify(forms)).toEqual(forms.map(() => ({ email: expected, suppressed: true, reason: 'manual' })));
      // Lifted through another spelling (204 only when that spelling found it).
      const del = await send(app, { method: 'DELETE', path: `/v1/suppressions/${encodeLoose(forms[b % forms.length]!)}`, headers: admin }, env);
      expect(del.status, forms[b % forms.length]).toBe(204);
    }, { runs: IDN_RUNS });
    console.log(`fuzz IDN/SMTPUTF8 addresses: ${count} cases × ${spellings('a', 'b.c').length} spellings`);
  }, 120_000);

  it('turns a Unicode recipient of a webhook payload into the punycode form (inspect)', async () => {
    const { app } = countedApp();
    await fuzzCases(fc.tuple(smtpUtf8Local, idnDomain), async ([local, domain]) => {
      const record = JSON.parse(harnesses.get('postmark')!.fixture('anymail-fixtures/bounce-hardbounce-gmail-550-5.1.1.json')) as Record<string, unknown>;
      record.Email = `${local.toUpperCase()}@${domain}`;
      const answer = await send(app, { method: 'POST', path: '/v1/inspect?provider=postmark', headers: admin, body: JSON.stringify(record) });
      expect(answer.status, answer.text).toBe(200);
      expect((answer.json as { events: { recipient: string }[] }).events.map((e) => e.recipient)).toEqual([`${local.toLowerCase()}@${toAscii(domain)}`]);
    }, { runs: 200 });
  }, 60_000);
});

// ---- not addresses ----

/** An address with `piece` put inside it (never at the ends, where trimming may remove it). */
const injected = (pieces: fc.Arbitrary<string>) => fc.tuple(fc.emailAddress({ size: 'small' }), fc.nat(), pieces)
  .map(([e, i, piece]) => {
    const at = 1 + (i % (e.length - 1));
    return e.slice(0, at) + piece + e.slice(at);
  });

const C0 = fc.oneof(fc.constantFrom('\r\n', '\r', '\n', '\0', '\t', '\x7f', '\r\nBcc: victim@example.com\r\n', '\nTo: x@evil.example'), fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)));
const C1 = fc.integer({ min: 0x80, max: 0x9f }).map((c) => String.fromCharCode(c));
const LONE_SURROGATE = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Every route that takes an address must refuse `bad` and store nothing for it. */
async function refusedEverywhere(app: ReturnType<typeof countedApp>['app'], bad: string): Promise<void> {
  const enc = encodeLoose(bad);
  for (const [method, path, body] of [
    ['GET', `/v1/suppressions/${enc}`, null],
    ['PUT', `/v1/suppressions/${enc}`, '{}'],
    ['DELETE', `/v1/suppressions/${enc}`, null],
    ['POST', '/v1/suppressions/check', JSON.stringify({ emails: [bad] })],
    ['GET', `/v1/events?email=${enc}`, null],
  ] as const) {
    const answer = await send(app, { method, path, headers: admin, body }, refused);
    expect(answer.status, `${method} ${path}`).toBe(400);
    expect((answer.json as { error: { code: string } }).error.code, `${method} ${path}`).toMatch(/invalid/);
  }
  const csv = `email,reason\r\n"${bad.replaceAll('"', '""')}",bounce\r\n`;
  const imported = await send(app, { method: 'POST', path: '/v1/suppressions/import', headers: { ...admin, 'content-type': 'text/csv' }, body: csv }, refused);
  expect(imported.status, imported.text).toBe(200);
  expect(imported.json, JSON.stringify(bad)).toMatchObject({ imported: 0, already_suppressed: 0 });
  const record = JSON.parse(harnesses.get('postmark')!.fixture('anymail-fixtures/bounce-hardbounce-gmail-550-5.1.1.json')) as Record<string, unknown>;
  record.Email = bad;
  const inspected = await send(app, { method: 'POST', path: '/v1/inspect?provider=postmark', headers: admin, body: JSON.stringify(record) });
  expect(inspected.status, inspected.text).toBe(200);
  expect(inspected.json, `a webhook recipient ${JSON.stringify(bad)} is rejected, not turned into an event`).toMatchObject({ events: [], rejected: 1 });
}

describe('things that are not addresses', () => {
  it(`refuses CR, LF, NUL and the other C0 controls inside an address, on every route (${RUNS} cases)`, async () => {
    const { app } = countedApp();
    const count = await fuzzCases(injected(C0), (bad) => refusedEverywhere(app, bad), { afterBatch: () => expectEmpty(refused, 'addresses with control characters') });
    console.log(`fuzz header injection in addresses: ${count} cases × 7 routes`);
  }, 120_000);

  it('refuses C1 control characters (U+0080–U+009F) inside an address', async () => {
    const { app } = countedApp();
    await fuzzCases(injected(C1), (bad) => refusedEverywhere(app, bad), { runs: 100, afterBatch: () => expectEmpty(refused, 'addresses with C1 controls') });
  }, 60_000);

  it('refuses lone surrogates (not encodable as UTF-8) inside an address', async () => {
    const { app } = countedApp();
    await fuzzCases(injected(LONE_SURROGATE), (bad) => refusedEverywhere(app, bad), { runs: 100, afterBatch: () => expectEmpty(refused, 'addresses with lone surrogates') });
  }, 60_000);

  it('refuses a Unicode domain followed by URL syntax (path, query, fragment, port, backslash)', async () => {
    const { app } = countedApp();
    const tails = fc.constantFrom('/x', '/', '?x', '#x', ':25', ':', '\\x', '/..', '?', '#');
    await fuzzCases(fc.tuple(smtpUtf8Local, idnDomain, tails).map(([l, d, t]) => `${l}@${d}${t}`), (bad) => refusedEverywhere(app, bad), {
      runs: 100, afterBatch: () => expectEmpty(refused, 'Unicode domains with URL syntax'),
    });
  }, 60_000);
});
