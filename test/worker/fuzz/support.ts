/**
 * Shared pieces of the property-based fuzz tests (fast-check, in workerd): the properties every
 * answer keeps, cheap generators of hostile input, and an app whose network effects are counted.
 *
 * Every answer, whatever the input:
 * - never a 5xx (the store is up in these tests; a 503 here means bad input reached the store);
 * - a 4xx carries the JSON error body `{"error": {"code", "message"}}`;
 * - no CORS grant: no `Access-Control-*` header at all;
 * - no configured secret in the body or the headers (unless the request itself carried it in its
 *   URL or body, which an error message may quote back);
 * - nothing fetched: SNS certificate and SubscribeURL fetches go through counted deps.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { createApp, defaultDeps, type AppDeps } from '../../../src/app.js';
import type { HarnessFactory, ProviderHarness } from '../../contract/harness.js';
import { ADMIN_KEY, READ_KEY, tableItems, testEnv } from '../helpers.js';

/**
 * One fixed seed, so CI runs the same cases every time (a failure there is a regression, not
 * luck). To explore new cases, set FUZZ_SEED in the Worker env (vitest.config.ts) to any integer.
 */
fc.configureGlobal({ seed: Number(testEnv.FUZZ_SEED ?? 20261128) });

/** Cases per route. CI runs every property this many times; keep each case cheap. */
export const RUNS = 1000;

export const BASE = 'https://rebote.test';

/** An AWS secret that must never come back (DynamoDB Local accepts any credentials). */
const AWS_SECRET = 'fuzz-aws-secret-access-key-9f8e7d6c5b4a';

const factories = import.meta.glob<HarnessFactory>('../../contract/providers/*.ts', { import: 'default', eager: true });
/** Every provider harness of test/contract/providers, by provider name. */
export const harnesses: ReadonlyMap<string, ProviderHarness> = new Map(
  (await Promise.all(Object.values(factories).map((f) => f()))).map((h) => [h.provider, h]),
);

/** The test env with every provider's secrets configured (and an AWS secret to watch for). */
export const fuzzEnv: Record<string, string> = {
  ...testEnv,
  ...Object.assign({}, ...[...harnesses.values()].map((h) => h.env)),
  AWS_SECRET_ACCESS_KEY: AWS_SECRET,
};

/** Names whose values are not secret (public keys, topic names, URLs). */
const NOT_SECRET = new Set(['SNS_TOPIC_ARNS', 'MANDRILL_WEBHOOK_URL', 'SENDGRID_WEBHOOK_PUBLIC_KEY', 'DDB_TABLE', 'DDB_ENDPOINT']);

/** Every configured secret, with the forms it could leak in (the password part, Basic's base64). */
export function secretsOf(env: Record<string, string>): string[] {
  const out = new Set<string>();
  for (const entry of (env.API_KEYS ?? '').split(',')) {
    const k = entry.trim().replace(/^(read|admin):/, '');
    if (k) out.add(k);
  }
  for (const [name, value] of Object.entries(env)) {
    if (NOT_SECRET.has(name) || !value) continue;
    if (!/(_KEY|_AUTH|_SECRET|_TOKEN)$/.test(name) && name !== 'AWS_SECRET_ACCESS_KEY') continue;
    out.add(value);
    if (name.endsWith('_AUTH') && value.includes(':')) {
      out.add(value.slice(value.indexOf(':') + 1));
      out.add(btoa(value));
    }
    if (value.startsWith('whsec_')) out.add(value.slice('whsec_'.length));
  }
  return [...out].filter((s) => s.length >= 8);
}

export const SECRETS = secretsOf(fuzzEnv);

/** Calls of the app's network effects; every one outside the SES tests is a bug. */
export interface EffectLog {
  fetchCertificate: string[];
  confirmSubscription: string[];
}

/**
 * The app with counted effects. Without overrides both effects refuse (and are recorded), so a
 * request that reaches them is seen, and nothing ever goes to the network.
 */
export function countedApp(over: Partial<AppDeps> = {}): { app: ReturnType<typeof createApp>; effects: EffectLog } {
  const effects: EffectLog = { fetchCertificate: [], confirmSubscription: [] };
  const app = createApp({
    ...defaultDeps,
    ...over,
    async fetchCertificate(url) {
      effects.fetchCertificate.push(url);
      if (over.fetchCertificate) return over.fetchCertificate(url);
      throw new Error(`fuzz: no certificate fetch expected (${url})`);
    },
    async confirmSubscription(url) {
      effects.confirmSubscription.push(url);
      if (over.confirmSubscription) return over.confirmSubscription(url);
      throw new Error(`fuzz: no subscription confirmation expected (${url})`);
    },
  });
  return { app, effects };
}

export interface FuzzRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | ReadableStream<Uint8Array> | null;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

const decoder = new TextDecoder();

/** The request's URL and body as text, to tell an echo of the input from a leak. */
function requestText(req: FuzzRequest): string {
  const body = typeof req.body === 'string' ? req.body : req.body instanceof Uint8Array ? decoder.decode(req.body) : '';
  let path = req.path;
  try {
    path += ` ${decodeURIComponent(req.path)}`;
  } catch {
    // not decodable: the raw form is what an echo would show
  }
  return `${path} ${body}`;
}

/** Sends one request and checks the properties every answer keeps. Returns the answer. */
export async function send(
  app: { fetch: (req: Request, env: Record<string, string>) => Response | Promise<Response> },
  req: FuzzRequest,
  env: Record<string, string> = fuzzEnv,
): Promise<Answer> {
  const hasBody = req.body !== undefined && req.body !== null && req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(`${BASE}${req.path}`, {
    method: req.method,
    headers: req.headers ?? {},
    ...(hasBody ? { body: req.body } : {}),
  });
  const res = await app.fetch(request, env);
  const text = await res.text();
  const sent = typeof req.body === 'string' ? req.body : req.body instanceof Uint8Array ? decoder.decode(req.body) : '';
  const where = `${req.method} ${req.path.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}${sent ? ` (body: ${JSON.stringify(sent.slice(0, 2000))})` : ''}`;
  expect(res.status, `no 5xx: ${where}`).toBeLessThan(500);
  for (const [name] of res.headers) {
    expect(name.toLowerCase().startsWith('access-control-'), `no CORS header (${name}): ${where}`).toBe(false);
  }
  let json: unknown = undefined;
  if (res.status >= 400 && req.method !== 'HEAD') {
    expect(res.headers.get('content-type') ?? '', `JSON error: ${where}`).toMatch(/^application\/json/);
    json = JSON.parse(text);
    expect(json, `error body shape: ${where}`).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    const { code, message } = (json as { error: { code: string; message: string } }).error;
    expect(code.length > 0 && message.length > 0, `error code and message are not empty: ${where}`).toBe(true);
  } else if ((res.headers.get('content-type') ?? '').startsWith('application/json') && text !== '') {
    json = JSON.parse(text);
  }
  const input = requestText(req);
  const headerText = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  for (const secret of SECRETS) {
    if (input.includes(secret)) continue;
    expect(text.includes(secret), `a secret is echoed in the body: ${where}`).toBe(false);
    expect(headerText.includes(secret), `a secret is echoed in a header: ${where}`).toBe(false);
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Asserts the effects were never called (no fetch of anything a request named). */
export function expectNoEffects(effects: EffectLog): void {
  expect(effects.fetchCertificate, 'no certificate fetch').toEqual([]);
  expect(effects.confirmSubscription, 'no subscription confirmation').toEqual([]);
}

/** Every item of a fuzz table (tests only: the product never scans). */
export const snapshot = (env: Record<string, string>) => tableItems(env);

export async function expectEmpty(env: Record<string, string>, what: string): Promise<void> {
  expect(await snapshot(env), `nothing written: ${what}`).toEqual([]);
}

export { ADMIN_KEY, READ_KEY };

// ---------------------------------------------------------------------------------------------
// Generators. Cheap by design: short strings, small structures, a few fixed hostile values.
// ---------------------------------------------------------------------------------------------

/** Control characters, CRLF and friends, and Unicode that breaks naive code. */
export const NASTY = [
  '\r\n', '\r', '\n', '\0', '\t', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029',
  '\u200b', '\u200d', '\u202e', '\ufeff', '\uffff', '\ud800', '\udfff', '😀', 'é', 'e\u0301', '\u0130',
  '%', '%00', '%0d%0a', '%zz', '\\', '"', "'", '<', '>', '&', '{', '}', '[', ']', '$', '#', '?', '/', '..',
];

export const nasty = fc.constantFrom(...NASTY);

/** A short string mixing ASCII, full Unicode and the nasty pieces. */
export const junk = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 2, arbitrary: fc.array(fc.oneof(nasty, fc.string({ maxLength: 4 })), { maxLength: 6 }).map((a) => a.join('')) },
);

/** Header values a Request accepts (latin1, no CR/LF/NUL), hostile otherwise. */
export const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e\t]/g, '')),
  fc.constantFrom('', ' ', '\t', 'null', 'undefined', '0', '-1', '1e309', 'NaN', '[]', '{}', 'ÿþ', 'é'.repeat(30)),
);

/** Valid-looking, near-miss and hostile email addresses. */
export const emailish = fc.oneof(
  { weight: 4, arbitrary: fc.emailAddress({ size: 'small' }) },
  { weight: 2, arbitrary: fc.tuple(fc.emailAddress({ size: 'small' }), fc.nat(), nasty).map(([e, i, n]) => e.slice(0, i % (e.length + 1)) + n + e.slice(i % (e.length + 1))) },
  { weight: 1, arbitrary: junk },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'a@b', '@example.com', 'jane@', 'jane@@example.com', 'jane@example..com', 'jane@-example.com', 'a'.repeat(65) + '@example.com',
      `jane@${'a'.repeat(64)}.com`, `jane@${'a.'.repeat(130)}com`, 'jane@bücher.example', 'JANE@XN--BCHER-KVA.EXAMPLE', '<jane@example.com>',
      'jane@example.com\r\nBcc: victim@example.com', 'jane@[127.0.0.1]', '"jane doe"@example.com', 'jane@localhost', 'jane@例え.テスト',
    ),
  },
);

/** JSON-ish text: valid JSON of random shape, broken JSON, wrong types, non-JSON. */
export const jsonish: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 2 }).chain((j) => fc.nat(j.length).map((n) => j.slice(0, n))) },
  { weight: 1, arbitrary: junk },
  { weight: 1, arbitrary: fc.constantFrom('', 'null', 'true', '0', '-0', '1e309', '"x"', '[]', '{}', '{"emails":null}', '{"emails":"a@b.co"}', '{"emails":[1,2]}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '[[[[[[[[[[]]]]]]]]]]', '{"a":', '\u0000', '\ufeff{}') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((d) => '['.repeat(d) + ']'.repeat(d)) },
);

/** Bodies of every kind a route could be handed. */
export const anyBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: jsonish },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  {
    weight: 1,
    arbitrary: fc.array(fc.tuple(junk, junk), { maxLength: 4 })
      .map((pairs) => pairs.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join('&')),
  },
  { weight: 1, arbitrary: mimeish() },
);

/** A small RFC 5322-looking message with hostile headers and parts. */
export function mimeish(): fc.Arbitrary<string> {
  return fc.record({
    headers: fc.array(fc.tuple(fc.constantFrom('From', 'To', 'Subject', 'Content-Type', 'Content-Transfer-Encoding', 'X-Failed-Recipients', 'Message-ID', 'MIME-Version', 'Date'), junk), { maxLength: 6 }),
    boundary: fc.constantFrom('b', '', '--', '"q"', 'x'.repeat(80)),
    parts: fc.array(fc.tuple(fc.constantFrom('message/delivery-status', 'text/plain', 'message/rfc822', 'multipart/report; report-type=delivery-status', 'message/feedback-report'), junk), { maxLength: 3 }),
    eol: fc.constantFrom('\r\n', '\n', '\r'),
  }).map(({ headers, boundary, parts, eol }) => [
    ...headers.map(([k, v]) => `${k}: ${v}`),
    `Content-Type: multipart/report; boundary="${boundary}"`,
    '',
    ...parts.flatMap(([type, body]) => [`--${boundary}`, `Content-Type: ${type}`, '', `Final-Recipient: rfc822; ${body}`, `Status: 5.1.1`, `Action: failed`, body]),
    `--${boundary}--`,
  ].join(eol));
}

/** Percent-encodes any string, lone surrogates included (as the raw UTF-8 bytes they would be). */
export function encodeLoose(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += `%${(0xe0 | (cp >> 12)).toString(16)}%${(0x80 | ((cp >> 6) & 0x3f)).toString(16)}%${(0x80 | (cp & 0x3f)).toString(16)}`.toUpperCase();
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

/** A query string from random pairs, some with the route's real names. */
export function query(names: readonly string[], opts: { extremeDates?: boolean } = {}): fc.Arbitrary<string> {
  const extreme = opts.extremeDates === false ? [] : ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z'];
  const value = fc.oneof(
    junk,
    fc.constantFrom('0', '-1', '1', '1000', '1001', '99999999999999999999', '1.5', 'NaN', 'Infinity', '', 'true', 'csv', 'ndjson', 'xml',
      'hour', 'day', 'week', 'en', 'es', 'manual', 'hard_bounce', 'bounced', 'ses', 'api', 'example.com', 'bücher.example', '..',
      '2026-01-01', '2026-01-01T00:00:00Z', ...extreme, '1970-01-01', '2100-01-01T00:00:00Z', '2026-13-45', 'Tue, 01 Jan 2026 00:00:00 GMT', '1', 'eyJ9', 'e30', 'eyJrZXkiOnt9fQ'),
    fc.jsonValue({ maxDepth: 2 }).map((v) => btoa(unescape(encodeURIComponent(JSON.stringify(v)))).replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_')),
  );
  return fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names), junk), value), { maxLength: 5 })
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join('&')}`));
}

/** Authorization headers for /v1: none, broken, near misses of the real keys, and the real ones. */
export type AuthKind = 'none' | 'bad' | 'read' | 'admin';
export const apiAuth: fc.Arbitrary<{ kind: AuthKind; headers: Record<string, string> }> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'admin' as const, headers: { authorization: `Bearer ${ADMIN_KEY}` } }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'read' as const, headers: { authorization: `Bearer ${READ_KEY}` } }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const, headers: {} }) },
  {
    weight: 3,
    arbitrary: fc.oneof(
      headerValue,
      fc.constantFrom(
        'Bearer', 'Bearer ', `Bearer ${ADMIN_KEY.slice(0, -1)}`, `Bearer ${ADMIN_KEY}x`, `Bearer ${ADMIN_KEY.toUpperCase()}`,
        `Bearer x${ADMIN_KEY}`, `Bearer read:${READ_KEY}`, `Bearer admin:${ADMIN_KEY}`, ADMIN_KEY, `Basic ${btoa(ADMIN_KEY)}`,
        `Basic ${btoa(`${ADMIN_KEY}:`)}`, `Token ${ADMIN_KEY}`, `Bearer ${READ_KEY},${ADMIN_KEY}`, `Bearer ${READ_KEY}, Bearer ${ADMIN_KEY}`,
        `Bearer ${ADMIN_KEY} ${ADMIN_KEY}`, `Bearer "${ADMIN_KEY}"`, `Bearer ${fuzzEnv.INGEST_TOKEN}`, `Bearer ${ADMIN_KEY}\t`.trimEnd() + '%00',
      ),
      fc.constantFrom(...SECRETS).filter((s) => s !== ADMIN_KEY && s !== READ_KEY).map((s) => `Bearer ${s}`),
    ).map((v) => ({ kind: 'bad' as const, headers: { authorization: v } })),
  },
);

/** Requests run concurrently in each fast-check run (RUNS / BATCH runs of BATCH cases each). */
export const BATCH = 10;

/**
 * Runs `runs` cases of `arb` through `run`, BATCH at a time concurrently (the store round trips
 * dominate; concurrency keeps CI time down), then `afterBatch` (e.g. a whole-table comparison).
 * A failure names the failing case in its message (no shrinking). Returns how many cases ran.
 */
export async function fuzzCases<T>(
  arb: fc.Arbitrary<T>, run: (c: T) => Promise<void>, opts: { afterBatch?: () => Promise<void>; runs?: number } = {},
): Promise<number> {
  let count = 0;
  const runs = opts.runs ?? RUNS;
  await fc.assert(fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
    await Promise.all(cases.map(run));
    count += cases.length;
    await opts.afterBatch?.();
  // No shrinking: a failure message already names the request that failed (and a batch shrinks
  // slowly); fast-check prints the seed and path to replay it.
  }), { numRuns: Math.ceil(runs / BATCH), endOnFailure: true });
  return Math.min(count, runs);
}
