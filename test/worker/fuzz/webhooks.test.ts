/**
 * Property-based fuzzing of POST /webhooks/<provider> for every provider in the registry (plus
 * `dsn` and unknown names). Two properties per provider:
 *
 * 1. Strangers: random bodies and headers, with junk in the provider's own auth headers. Never
 *    accepted (401/403, or 400/404/413 before auth), nothing written, nothing fetched.
 * 2. The provider's own signed requests (test/contract/providers harnesses), mutated: body, signature
 *    and timestamp bytes flipped, auth headers dropped, the server clock moved past the replay
 *    window, the secret unset, and each valid request delivered twice. A request whose
 *    authentication was broken gets 401/403 and writes nothing; a redelivery stores nothing new.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_PLUGINS } from '../../../src/providers/registry.js';
import { MAX_AGE_SECONDS as SENDGRID_MAX_AGE, MAX_SKEW_SECONDS as SENDGRID_MAX_SKEW } from '../../../src/providers/sendgrid/verify.js';
import { MAX_AGE_SECONDS as MAILGUN_MAX_AGE, MAX_SKEW_SECONDS as MAILGUN_MAX_SKEW } from '../../../src/providers/mailgun/verify.js';
import { SVIX_TOLERANCE_SECONDS } from '../../../src/providers/resend/svix.js';
import { hmac, toHex } from '../../../src/crypto/hmac.js';
import { makeSnsSigner } from '../../helpers/sns-signer.js';
import type { ProviderHarness, ProviderRequest } from '../../contract/harness.js';
import { freshTableEnv } from '../helpers.js';
import {
  anyBody, countedApp, expectEmpty, fuzzCases, fuzzEnv, harnesses, headerValue, junk, mimeish, RUNS, send,
} from './support.js';

/** Providers that sign the raw body bytes: any change to them breaks the signature. */
const SIGNS_RAW_BODY = new Set(['sendgrid', 'resend', 'mailersend']);

/** Headers a provider sends that authenticate nothing. */
const NOT_AUTH = new Set(['content-type', 'user-agent', 'aeg-event-type', 'x-amz-sns-message-type', 'x-amz-sns-message-id', 'x-amz-sns-topic-arn']);

/** Where each provider's credentials or signature travel, besides the headers. */
const BODY_AUTH: Readonly<Record<string, string[][]>> = {
  ses: [['Signature']],
  mailgun: [['signature', 'signature']],
};
const BODY_TIMESTAMP: Readonly<Record<string, string[]>> = { ses: ['Timestamp'], mailgun: ['signature', 'timestamp'] };
const HEADER_TIMESTAMP: Readonly<Record<string, string>> = { sendgrid: 'x-twilio-email-event-webhook-timestamp', resend: 'svix-timestamp' };

/** The accepted clock window [earliest, latest] as (server now − signing time), in seconds. */
const WINDOWS: Readonly<Record<string, [number, number]>> = {
  sendgrid: [-SENDGRID_MAX_SKEW, SENDGRID_MAX_AGE],
  mailgun: [-MAILGUN_MAX_SKEW, MAILGUN_MAX_AGE],
  resend: [-SVIX_TOLERANCE_SECONDS, SVIX_TOLERANCE_SECONDS],
};

const PROVIDERS = [...new Set([...PROVIDER_PLUGINS.keys(), 'dsn'])];

let refusedEnv: Record<string, string>;
let acceptEnv: Record<string, string>;

beforeAll(async () => {
  const [a, b] = await Promise.all([freshTableEnv(), freshTableEnv()]);
  refusedEnv = { ...fuzzEnv, DDB_TABLE: a.DDB_TABLE! };
  acceptEnv = { ...fuzzEnv, DDB_TABLE: b.DDB_TABLE! };
});

const base64Utf8 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
const text = (body: string | Uint8Array) => (typeof body === 'string' ? body : new TextDecoder().decode(body));
const bytes = (body: string | Uint8Array) => (typeof body === 'string' ? new TextEncoder().encode(body) : body);

/** Replaces the character at `at` (mod length) with one that differs even case-insensitively. */
function flipChar(s: string, at: number, pick: number): string {
  if (s.length === 0) return 'x';
  const i = at % s.length;
  const pool = 'QZ7*~!Xq9^';
  let c = pool[pick % pool.length]!;
  if (c.toLowerCase() === s[i]!.toLowerCase()) c = pool[(pick + 1) % pool.length]!;
  return s.slice(0, i) + c + s.slice(i + 1);
}

function getPath(o: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
}
function setPath(o: unknown, path: string[], value: unknown): void {
  const parent = getPath(o, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') (parent as Record<string, unknown>)[path.at(-1)!] = value;
}

// ---------------------------------------------------------------------------------------------
// 1. Strangers
// ---------------------------------------------------------------------------------------------

/** Headers a stranger might send: the provider's own auth headers with junk, Basic with random credentials. */
const strangerHeaders = fc.record({
  'content-type': fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'message/rfc822', 'multipart/form-data; boundary=x'),
  authorization: fc.oneof(headerValue, fc.tuple(junk, junk).map(([u, p]) => `Basic ${base64Utf8(`${u}:${p}`)}`), junk.map((t) => `Bearer ${t.replace(/[^\x21-\x7e]/g, '')}`), fc.constantFrom('Bearer admin-test-key', 'Bearer read-test-key', `Basic ${btoa('postmark-hook:')}`, 'Basic Og==', 'Basic', 'Bearer ')),
  'x-twilio-email-event-webhook-signature': headerValue,
  'x-twilio-email-event-webhook-timestamp': fc.oneof(headerValue, fc.integer().map(String), fc.constant(String(Math.floor(Date.now() / 1000)))),
  'x-mandrill-signature': headerValue,
  'svix-id': headerValue,
  'svix-timestamp': fc.oneof(headerValue, fc.constant(String(Math.floor(Date.now() / 1000)))),
  'svix-signature': fc.oneof(headerValue, headerValue.map((v) => `v1,${v}`)),
  'webhook-signature': headerValue,
  signature: headerValue,
  'x-webhook-secret': headerValue,
  'x-messagesystems-webhook-token': headerValue,
  'x-amz-sns-message-type': fc.constantFrom('Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation', ''),
  'x-amz-sns-rawdelivery': fc.constantFrom('true', 'false'),
  'aeg-event-type': fc.constantFrom('Notification', 'SubscriptionValidation'),
}, { requiredKeys: [] });

/** SNS-shaped and Mailgun-shaped bodies with made-up signatures, besides any other body. */
const strangerBody = fc.oneof(
  { weight: 3, arbitrary: anyBody },
  { weight: 1, arbitrary: mimeish() },
  {
    weight: 1,
    arbitrary: fc.record({
      Type: fc.constantFrom('Notification', 'SubscriptionConfirmation'),
      MessageId: junk, TopicArn: fc.constantFrom('arn:aws:sns:us-east-1:123456789012:rebote-test', 'arn:aws:sns:us-east-1:1:other'),
      Message: fc.constantFrom('{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"victim@example.com"}],"timestamp":"2026-01-01T00:00:00Z","feedbackId":"x"},"mail":{"messageId":"m","destination":["victim@example.com"]}}', ''),
      Timestamp: fc.constant('2026-01-01T00:00:00.000Z'), SignatureVersion: fc.constantFrom('1', '2', '3', ''),
      Signature: fc.base64String({ maxLength: 64 }),
      SigningCertURL: fc.constantFrom('https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem', 'https://evil.example/SimpleNotificationService-abc.pem', 'http://169.254.169.254/latest/meta-data/'),
      Token: junk, SubscribeURL: fc.constantFrom('https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=x', 'https://evil.example/', 'http://127.0.0.1:8000/'),
    }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  },
  {
    weight: 1,
    arbitrary: fc.record({ timestamp: fc.oneof(junk, fc.constant(String(Math.floor(Date.now() / 1000)))), token: junk, signature: fc.oneof(junk, fc.stringMatching(/^[0-9a-f]{64}$/)) })
      .map((signature) => JSON.stringify({ signature, 'event-data': { event: 'failed', severity: 'permanent', recipient: 'victim@example.com', timestamp: 1767225600, id: 'x' } })),
  },
);

/** The path: the provider's route, sometimes with an Azure-style `key` or noise in the query. */
const strangerPath = (provider: string) => fc.oneof(
  { weight: 10, arbitrary: fc.constant(`/webhooks/${provider}`) },
  { weight: 1, arbitrary: junk.map((k) => `/webhooks/${provider}?key=${encodeURIComponent(k.replace(/[\ud800-\udfff]/g, ''))}`) },
  { weight: 1, arbitrary: fc.constantFrom(`/webhooks/${provider}/`, `/webhooks/${provider.toUpperCase()}`, `/webhooks/${provider}?key=`, `/webhooks/${provider}?key=${'k'.repeat(5000)}`, `/webhooks/%2e%2e/${provider}`) },
);

describe.each(PROVIDERS.map((p) => [p] as const))('webhook %s', (provider) => {
  it(`refuses ${RUNS} requests from strangers and writes nothing`, async () => {
    // An AWS-looking certificate URL gets a real certificate of some other key: the signature fails.
    const someCertificate = (await makeSnsSigner()).certPem;
    const { app, effects } = countedApp({ fetchCertificate: async () => someCertificate });
    const statuses = new Map<number, number>();
    const count = await fuzzCases(fc.tuple(strangerPath(provider), strangerHeaders, strangerBody, fc.oneof({ weight: 10, arbitrary: fc.constant('POST') }, fc.constantFrom('PUT', 'GET', 'DELETE', 'PATCH'))), async ([path, headers, body, method]) => {
      const answer = await send(app, { method, path, headers, body }, refusedEnv);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expect([400, 401, 403, 404, 405, 413], `${method} ${path}`).toContain(answer.status);
    }, { afterBatch: () => expectEmpty(refusedEnv, `strangers on /webhooks/${provider}`) });
    // A signed-looking SNS body may reach the certificate check; only AWS URLs may ever be fetched.
    for (const url of effects.fetchCertificate) expect(url).toMatch(/^https:\/\/sns\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com\/SimpleNotificationService-[A-Za-z0-9]+\.pem$/);
    expect(effects.confirmSubscription).toEqual([]);
    console.log(`fuzz strangers /webhooks/${provider}: ${count} cases, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 120_000);
});

describe('unknown providers', () => {
  it(`answer 404 for ${RUNS} random names`, async () => {
    const { app, effects } = countedApp();
    const name = junk.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff/]/g, ''))).filter((s) => s !== '' && s !== '.' && s !== '..' && s !== 'dsn' && !PROVIDER_PLUGINS.has(decodeURIComponent(s)));
    await fuzzCases(fc.tuple(name, strangerBody), async ([n, body]) => {
      const answer = await send(app, { method: 'POST', path: `/webhooks/${n}`, headers: { authorization: 'Bearer ingest-test-token' }, body }, refusedEnv);
      expect(answer.status, n).toBe(404);
    }, { afterBatch: () => expectEmpty(refusedEnv, 'unknown providers') });
    expect(effects.fetchCertificate.length + effects.confirmSubscription.length).toBe(0);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// 2. Signed requests, mutated
// ---------------------------------------------------------------------------------------------

type Mutation =
  | { kind: 'redeliver' }
  | { kind: 'body'; at: number; xor: number }
  | { kind: 'auth'; slot: number; at: number; pick: number }
  | { kind: 'drop'; slot: number }
  | { kind: 'timestamp'; delta: number }
  | { kind: 'clock'; offset: number }
  | { kind: 'unset' };

/**
 * The mutations that apply to a provider: timestamps only where it signs one, the clock only where
 * it keeps a window. Authentic cases (redelivery, clock inside the window, a body change the
 * provider does not sign) write to the store and cost the most, so they are the smaller share.
 */
function mutationFor(provider: string): fc.Arbitrary<Mutation> {
  const timestamps = HEADER_TIMESTAMP[provider] !== undefined || BODY_TIMESTAMP[provider] !== undefined;
  const windowed = WINDOWS[provider] !== undefined;
  const choices: fc.WeightedArbitrary<Mutation>[] = [
    { weight: 1, arbitrary: fc.constant({ kind: 'redeliver' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('body' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('auth' as const), slot: fc.nat(), at: fc.nat(), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), slot: fc.nat() }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'unset' as const }) },
    { weight: timestamps ? 2 : 0, arbitrary: fc.record({ kind: fc.constant('timestamp' as const), delta: fc.oneof(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: -(10 ** 9), max: -1 })) }) },
    {
      weight: windowed ? 3 : 0,
      arbitrary: fc.record({
        kind: fc.constant('clock' as const),
        // Mostly outside any window (a day to decades either way), sometimes inside every one.
        offset: fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 90_010, max: 10 ** 9 }) }, { weight: 2, arbitrary: fc.integer({ min: -(10 ** 9), max: -910 }) }, { weight: 1, arbitrary: fc.integer({ min: -280, max: 280 }) }),
      }),
    },
  ];
  return fc.oneof(...choices.filter((c) => c.weight > 0));
}

/** The auth-carrying places of a request: headers that authenticate, and fields of the body. */
function authSlots(provider: string, req: ProviderRequest): ({ header: string } | { json: string[] } | { query: string })[] {
  const slots: ({ header: string } | { json: string[] } | { query: string })[] = Object.keys(req.headers)
    .filter((h) => !NOT_AUTH.has(h.toLowerCase())).map((header) => ({ header }));
  for (const path of BODY_AUTH[provider] ?? []) slots.push({ json: path });
  if (new URL(`https://x${req.path}`).searchParams.has('key')) slots.push({ query: 'key' });
  return slots;
}

/** Applies a mutation. `strict`: the result must be refused (401/403) and write nothing. */
function mutate(provider: string, req: ProviderRequest, m: Mutation): { req: ProviderRequest; strict: boolean } | null {
  const headers = { ...req.headers };
  switch (m.kind) {
    case 'redeliver':
    case 'clock':
    case 'unset':
      return { req, strict: m.kind === 'unset' };
    case 'body': {
      const b = new Uint8Array(bytes(req.body));
      if (b.length === 0) return null;
      const i = m.at % b.length;
      b[i] = b[i]! ^ m.xor;
      return { req: { ...req, body: b }, strict: SIGNS_RAW_BODY.has(provider) };
    }
    case 'auth':
    case 'drop': {
      const slots = authSlots(provider, req);
      if (slots.length === 0) return null;
      const slot = slots[m.slot % slots.length]!;
      if ('header' in slot) {
        const value = headers[slot.header]!;
        if (m.kind === 'drop') delete headers[slot.header];
        // Base64's last characters may only carry padding bits: flip before them.
        else headers[slot.header] = flipChar(value, m.at % Math.max(1, value.length - 3), m.pick);
        return { req: { ...req, headers }, strict: true };
      }
      if ('json' in slot) {
        const o = JSON.parse(text(req.body)) as Record<string, unknown>;
        const v = getPath(o, slot.json);
        if (typeof v !== 'string') return null;
        if (m.kind === 'drop') setPath(o, slot.json, undefined);
        else setPath(o, slot.json, flipChar(v, m.at % Math.max(1, v.length - 3), m.pick));
        return { req: { ...req, body: JSON.stringify(o) }, strict: true };
      }
      const url = new URL(`https://x${req.path}`);
      const key = url.searchParams.get(slot.query) ?? '';
      if (m.kind === 'drop') url.searchParams.delete(slot.query);
      else url.searchParams.set(slot.query, flipChar(key, m.at, m.pick));
      return { req: { ...req, path: `${url.pathname}${url.search}` }, strict: true };
    }
    case 'timestamp': {
      const header = HEADER_TIMESTAMP[provider];
      if (header && headers[header] !== undefined) {
        headers[header] = String(Number(headers[header]) + m.delta);
        return { req: { ...req, headers }, strict: true };
      }
      const path = BODY_TIMESTAMP[provider];
      if (!path) return null;
      const o = JSON.parse(text(req.body)) as Record<string, unknown>;
      const v = getPath(o, path);
      if (typeof v !== 'string') return null;
      const moved = /^\d+$/.test(v) ? String(Number(v) + m.delta) : new Date(Date.parse(v) + m.delta * 1000).toISOString();
      if (moved === v) return null;
      setPath(o, path, moved);
      return { req: { ...req, body: JSON.stringify(o) }, strict: true };
    }
  }
}

describe.each([...harnesses.values()].map((h) => [h.provider, h] as const))('signed %s requests, mutated', (provider, h) => {
  const files = h.labels.filter((l) => !l.invalid).map((l) => l.file);
  let wrongCertificate = '';

  beforeAll(async () => {
    // Any other SNS certificate URL gets a real certificate of another key: the signature fails (401)
    // rather than the fetch (which would be a retryable 503).
    wrongCertificate = (await makeSnsSigner()).certPem;
  });

  it(`keeps authentication for ${RUNS} mutated requests`, async () => {
    const seen = new Map<string, number>();
    // Signing is the costly part for SNS (RSA): providers without a clock window get one signed
    // request per sample, reused; the others are signed for every case.
    const cache = new Map<string, Promise<ProviderRequest>>();
    const signedFor = (file: string) => {
      if (WINDOWS[provider]) return h.signed(file);
      if (!cache.has(file)) cache.set(file, h.signed(file));
      return cache.get(file)!;
    };
    const count = await fuzzCases(fc.tuple(fc.constantFrom(...files), mutationFor(provider)), async ([file, m]) => {
      const signed = await signedFor(file);
      const mutated = mutate(provider, signed, m);
      const kind = mutated ? m.kind : 'redeliver';
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      const { req, strict } = mutated ?? { req: signed, strict: false };
      const window = WINDOWS[provider];
      const clockOffset = m.kind === 'clock' ? m.offset : 0;
      // The generator keeps clear of the window edges (by 10 s or more), so signing time does not matter.
      const outsideWindow = m.kind === 'clock' && window !== undefined && (clockOffset < window[0] || clockOffset > window[1]);
      const refused = (strict && kind !== 'redeliver') || outsideWindow;
      const { app, effects } = countedApp({
        ...h.deps,
        now: () => new Date(Date.now() + clockOffset * 1000),
        async fetchCertificate(url) {
          try {
            return await h.deps!.fetchCertificate!(url);
          } catch {
            return wrongCertificate;
          }
        },
        async confirmSubscription() {},
      });
      let env = refused ? refusedEnv : acceptEnv;
      if (m.kind === 'unset') env = { ...refusedEnv, ...Object.fromEntries(Object.keys(h.env).map((k) => [k, ''])) };
      const where = `${provider} ${file} ${JSON.stringify(m)}`;
      const first = await send(app, { method: 'POST', path: req.path, headers: req.headers, body: req.body }, env);
      if (refused) {
        // A body without its signature field (SNS, Mailgun) is also a malformed body: 400 is fine there.
        const statuses = m.kind === 'drop' && BODY_AUTH[provider] ? [400, 401, 403] : [401, 403];
        expect(statuses, `${where}: ${first.text.slice(0, 200)}`).toContain(first.status);
        if (provider !== 'ses') expect(effects.fetchCertificate, where).toEqual([]);
        return;
      }
      if (kind === 'redeliver' || (kind === 'clock' && !outsideWindow)) {
        expect(first.status, `${where}: ${first.text.slice(0, 300)}`).toBe(200);
        const again = await send(app, { method: 'POST', path: req.path, headers: req.headers, body: req.body }, env);
        const a = first.json as { accepted: number; duplicates: number };
        const b = again.json as { accepted: number; duplicates: number };
        expect(again.status, where).toBe(200);
        expect(b.accepted, `${where}: a redelivery stores nothing new`).toBe(0);
        expect(b.duplicates, where).toBe(a.accepted + a.duplicates);
      } else {
        // Still authentic (the provider does not sign what changed) or refused: never a 5xx (checked by send).
        expect([200, 400, 401, 403], where).toContain(first.status);
      }
      expect(effects.confirmSubscription.length, where).toBeLessThanOrEqual(provider === 'ses' ? 2 : 0);
      if (provider !== 'ses') expect(effects.fetchCertificate, where).toEqual([]);
    }, { afterBatch: () => expectEmpty(refusedEnv, `mutated ${provider} requests that were refused`) });
    console.log(`fuzz signed /webhooks/${provider}: ${count} cases, mutations ${JSON.stringify(Object.fromEntries(seen))}`);
  }, 180_000);
});

// ---------------------------------------------------------------------------------------------
// 3. MailerSend's published ping secret signs only pings
// ---------------------------------------------------------------------------------------------

describe('MailerSend ping secret', () => {
  const PING_SECRET = 'test_Am3L1GuOIc4blLUuHqAPxxwkZaJyEk8G';
  it(`never lets a body signed with the published secret store anything (${RUNS} cases)`, async () => {
    const { app } = countedApp();
    const event = fc.record({
      type: fc.constantFrom('webhook.test', 'activity.hard_bounced', 'activity.spam_complaint', ' webhook.test', 'WEBHOOK.TEST'),
      created_at: fc.constant('2026-01-01T12:00:00.000000Z'),
      data: fc.record({ id: junk, type: fc.constantFrom('hard_bounced', 'spam_complaint'), email: fc.record({ recipient: fc.record({ email: fc.constant('victim@example.com') }) }) }),
    }, { requiredKeys: ['type'] });
    const body = fc.oneof(
      event.map((e) => JSON.stringify(e)),
      // Duplicate keys: whichever "type" a parser keeps, it must be the one the check saw.
      event.map((e) => JSON.stringify(e).replace(/^\{/, '{"type":"activity.hard_bounced",')),
      event.map((e) => `${JSON.stringify(e).slice(0, -1)},"type":"activity.hard_bounced"}`),
      event.map((e) => `[${JSON.stringify(e)}]`),
    );
    await fuzzCases(body, async (b) => {
      const signature = toHex(await hmac('SHA-256', PING_SECRET, b));
      const answer = await send(app, { method: 'POST', path: '/webhooks/mailersend', headers: { 'content-type': 'application/json', signature }, body: b }, refusedEnv);
      expect([200, 400, 401], b).toContain(answer.status);
      if (answer.status === 200) expect(answer.json, b).toMatchObject({ accepted: 0, duplicates: 0 });
    }, { afterBatch: () => expectEmpty(refusedEnv, 'bodies signed with the MailerSend ping secret') });
  }, 120_000);
});

