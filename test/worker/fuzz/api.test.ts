/**
 * Property-based fuzzing of every /v1 route (and /healthz, /openapi.json, unknown paths):
 * random keys, path parameters, query strings, headers and bodies. Whatever the case: no 5xx,
 * the JSON error body on every 4xx, no CORS grant, no secret echoed, nothing fetched; without a
 * valid key 401 and nothing written; a read key never writes.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../src/http/cursor.js';
import { freshTableEnv } from '../helpers.js';
import {
  anyBody, apiAuth, countedApp, emailish, encodeLoose, expectNoEffects, fuzzEnv, headerValue, jsonish, junk, query, RUNS, send,
  snapshot, fuzzCases, type FuzzRequest,
} from './support.js';

interface Route {
  name: string;
  method: string;
  /** Path (and query) of a case. */
  path: fc.Arbitrary<string>;
  body?: fc.Arbitrary<string | Uint8Array>;
  /** Needs an admin key. */
  write: boolean;
  /** Under /v1 (needs a key at all). */
  auth: boolean;
  /** Statuses an admin may get (besides the invariants). */
  adminStatuses: number[];
}

const SEEDED = ['seed-one@example.com', 'seed-two@bücher.example', 'Seed.Three+tag@Example.COM'];

/** An address path segment: encoded, raw (so '/', '?' and '#' cut it), or a seeded address. */
const emailSegment = fc.oneof(
  { weight: 4, arbitrary: emailish.map(encodeLoose) },
  { weight: 1, arbitrary: emailish.map((e) => e.replace(/[%\s]/g, '')) },
  { weight: 1, arbitrary: fc.constantFrom(...SEEDED).map(encodeLoose) },
  { weight: 1, arbitrary: fc.constantFrom('', '%', '%E0%A4%A', '%2F', '..', '.', '%2e%2e', 'export', 'check', 'import', 'a%00b@example.com') },
);

const suppressionQuery = query(['reason', 'domain', 'since', 'until', 'limit', 'cursor']);
// Without the extreme years: a range of millennia makes the day walk allocate millions of days and
// takes the test Worker down (limits.test.ts shows that bug on its own).
const eventQuery = query(['email', 'type', 'provider', 'since', 'until', 'limit', 'cursor'], { extremeDates: false });
const statsQuery = query(['since', 'until', 'interval']);

/**
 * Events and stats read one or two partitions per day of their window (30 days by default): most
 * cases name a window of a day or two so the store round trips stay affordable; the rest keep the
 * defaults and the random ranges.
 */
const nearWindow = fc.tuple(fc.integer({ min: -400, max: 400 }), fc.integer({ min: 0, max: 48 }), fc.constantFrom('Z', '+02:00', '.123Z', '-11:30'))
  .map(([offset, hours, zone]) => {
    const since = new Date(Date.UTC(2026, 5, 1) + offset * 3_600_000);
    const until = new Date(since.getTime() + hours * 3_600_000);
    const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, zone);
    return `since=${encodeURIComponent(iso(since))}&until=${encodeURIComponent(iso(until))}`;
  });
const windowed = (q: fc.Arbitrary<string>) => fc.oneof(
  { weight: 2, arbitrary: fc.tuple(nearWindow, q).map(([w, rest]) => `?${w}${rest.replace(/^\?/, '&')}`) },
  { weight: 1, arbitrary: q },
);

const checkBody = fc.oneof(
  { weight: 2, arbitrary: fc.array(emailish, { maxLength: 8 }).map((emails) => JSON.stringify({ emails })) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }).map((emails) => JSON.stringify({ emails })) },
  { weight: 2, arbitrary: anyBody },
);

const putBody = fc.oneof(
  { weight: 2, arbitrary: fc.record({ reason: fc.oneof(fc.constantFrom('manual', 'hard_bounce', 'complaint', 'unsubscribed', 'soft_bounce_limit', 'invalid', 'nope', ''), junk), note: fc.oneof(junk, fc.constant(null), fc.string({ minLength: 995, maxLength: 1005 })) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: anyBody },
  { weight: 1, arbitrary: fc.constant('') },
);

const importBody = fc.oneof(
  { weight: 2, arbitrary: fc.array(fc.tuple(emailish, fc.oneof(junk, fc.constantFrom('bounce', 'complaint', 'manual', 'Hard Bounce', ''))), { maxLength: 8 }).map((rows) => `email,reason\r\n${rows.map(([e, r]) => `"${e.replaceAll('"', '""')}",${r.replace(/[\r\n,"]/g, '')}`).join('\r\n')}`) },
  { weight: 1, arbitrary: fc.array(fc.record({ email: emailish, reason: junk }), { maxLength: 6 }).map((rows) => rows.map((r) => JSON.stringify(r)).join('\n')) },
  { weight: 1, arbitrary: fc.array(fc.record({ EmailAddress: emailish, Reason: fc.constantFrom('BOUNCE', 'COMPLAINT', 'x') }), { maxLength: 4 }).map((l) => JSON.stringify({ SuppressedDestinationSummaries: l })) },
  { weight: 2, arbitrary: anyBody },
);

const inspectBody = fc.oneof(anyBody, jsonish);

const codeSegment = fc.oneof(
  fc.constantFrom('550', '5.1.1', '421', '4.7.0', '599', '5.9.9', '0', '-1', '5.1', '5.1.1.1', '%35%35%30', '550%205.1.1%20user%20unknown'),
  junk.map(encodeLoose),
  fc.string({ minLength: 1990, maxLength: 2010 }).map(encodeLoose),
);

const deadLetterId = fc.oneof(
  fc.constantFrom('00000000000000000-00000000', '99999999999999999-ffffffff', '12345678901234567-abcdef01'),
  fc.tuple(fc.stringMatching(/^\d{17}$/), fc.stringMatching(/^[0-9a-f]{8}$/)).map(([a, b]) => `${a}-${b}`),
  junk.map(encodeLoose),
);

const ROUTES: Route[] = [
  { name: 'GET /healthz', method: 'GET', path: query(['x']).map((q) => `/healthz${q}`), write: false, auth: false, adminStatuses: [200] },
  { name: 'GET /openapi.json', method: 'GET', path: query(['x']).map((q) => `/openapi.json${q}`), write: false, auth: false, adminStatuses: [200] },
  { name: 'GET /v1/suppressions/{email}', method: 'GET', path: emailSegment.map((e) => `/v1/suppressions/${e}`), write: false, auth: true, adminStatuses: [200, 400, 404] },
  { name: 'GET /v1/suppressions', method: 'GET', path: suppressionQuery.map((q) => `/v1/suppressions${q}`), write: false, auth: true, adminStatuses: [200, 400] },
  { name: 'GET /v1/suppressions/export', method: 'GET', path: query(['format']).map((q) => `/v1/suppressions/export${q}`), write: false, auth: true, adminStatuses: [200, 400] },
  { name: 'POST /v1/suppressions/check', method: 'POST', path: fc.constant('/v1/suppressions/check'), body: checkBody, write: false, auth: true, adminStatuses: [200, 400, 415] },
  { name: 'PUT /v1/suppressions/{email}', method: 'PUT', path: emailSegment.map((e) => `/v1/suppressions/${e}`), body: putBody, write: true, auth: true, adminStatuses: [200, 400, 404, 415] },
  { name: 'DELETE /v1/suppressions/{email}', method: 'DELETE', path: emailSegment.map((e) => `/v1/suppressions/${e}`), write: true, auth: true, adminStatuses: [204, 400, 404] },
  { name: 'POST /v1/suppressions/import', method: 'POST', path: query(['reason']).map((q) => `/v1/suppressions/import${q}`), body: importBody, write: true, auth: true, adminStatuses: [200, 400] },
  { name: 'GET /v1/events', method: 'GET', path: windowed(eventQuery).map((q) => `/v1/events${q}`), write: false, auth: true, adminStatuses: [200, 400] },
  { name: 'GET /v1/stats', method: 'GET', path: windowed(statsQuery).map((q) => `/v1/stats${q}`), write: false, auth: true, adminStatuses: [200, 400] },
  { name: 'POST /v1/inspect', method: 'POST', path: query(['provider']).map((q) => `/v1/inspect${q}`), body: inspectBody, write: false, auth: true, adminStatuses: [200, 400] },
  { name: 'GET /v1/codes/{code}', method: 'GET', path: fc.tuple(codeSegment, query(['lang'])).map(([c, q]) => `/v1/codes/${c}${q}`), write: false, auth: true, adminStatuses: [200, 400, 404] },
  { name: 'GET /v1/dead-letters', method: 'GET', path: query(['limit', 'cursor']).map((q) => `/v1/dead-letters${q}`), write: false, auth: true, adminStatuses: [200, 400] },
  { name: 'POST /v1/dead-letters/{id}/replay', method: 'POST', path: deadLetterId.map((id) => `/v1/dead-letters/${id}/replay`), write: true, auth: true, adminStatuses: [200, 400, 404, 422] },
  {
    name: 'any other path and method',
    method: 'ANY',
    path: fc.oneof(
      junk.map((s) => `/${encodeLoose(s)}`),
      fc.constantFrom('/v1', '/v1/', '/v1/nope', '/v2/suppressions', '/webhooks', '/webhooks/', '/V1/suppressions', '/v1//suppressions', '/v1/suppressions/a@b.co/x', '/%2e%2e/v1/events', '/.env', '/wrangler.toml'),
    ),
    body: anyBody,
    write: true,
    auth: false,
    // 403: a read key using a write method anywhere under /v1 is refused before routing.
    adminStatuses: [200, 401, 403, 404, 405],
  },
];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;

const extraHeaders = fc.record({
  'content-type': fc.oneof(
    fc.constantFrom('application/json', 'text/plain', 'text/csv', 'application/x-ndjson', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'message/rfc822'),
    headerValue,
  ),
  origin: fc.constantFrom('https://evil.example', 'null', 'https://rebote.test'),
  'x-forwarded-for': headerValue,
}, { requiredKeys: [] });

let refusedEnv: Record<string, string>;
let adminEnv: Record<string, string>;
let seeded: Record<string, unknown>[];

beforeAll(async () => {
  [refusedEnv, adminEnv] = await Promise.all([freshTableEnv().then((e) => ({ ...fuzzEnv, DDB_TABLE: e.DDB_TABLE! })), freshTableEnv().then((e) => ({ ...fuzzEnv, DDB_TABLE: e.DDB_TABLE! }))]);
  // The refused table holds suppressions, events and history, so a refused write has something to change.
  const { app } = countedApp();
  for (const email of SEEDED) {
    const put = await send(app, { method: 'PUT', path: `/v1/suppressions/${encodeURIComponent(email)}`, headers: { authorization: 'Bearer admin-test-key', 'content-type': 'application/json' }, body: '{"note":"seed"}' }, refusedEnv);
    expect(put.status).toBe(200);
  }
  await send(app, { method: 'DELETE', path: `/v1/suppressions/${encodeURIComponent(SEEDED[0]!)}`, headers: { authorization: 'Bearer admin-test-key' } }, refusedEnv);
  seeded = await snapshot(refusedEnv);
  expect(seeded.length).toBeGreaterThanOrEqual(3);
}, 30_000);

describe.each(ROUTES.map((r) => [r.name, r] as const))('fuzz %s', (_name, route) => {
  it(`keeps its properties for ${RUNS} random requests`, async () => {
    const { app, effects } = countedApp();
    const statuses = new Map<number, number>();
    const caseArb = fc.tuple(apiAuth, route.path, route.body ?? fc.constant(undefined), extraHeaders, fc.constantFrom(...METHODS));
    let refusedWrites = false;
    const count = await fuzzCases(caseArb, async ([auth, path, body, headers, anyMethod]) => {
      const method = route.method === 'ANY' ? anyMethod : route.method;
      const refused = route.auth && (auth.kind === 'none' || auth.kind === 'bad' || (route.write && auth.kind === 'read'));
      refusedWrites ||= refused && route.write;
      const req: FuzzRequest = { method, path, headers: { ...headers, ...auth.headers }, body: body ?? null };
      const answer = await send(app, req, refused ? refusedEnv : adminEnv);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const where = `${auth.kind} key, ${method} ${path.slice(0, 120)}`;
      if (route.auth && (auth.kind === 'none' || auth.kind === 'bad')) expect(answer.status, where).toBe(401);
      // A read key on a write route: refused (403), or refused earlier as malformed or unrouted.
      else if (refused) expect([400, 403, 404, 413, 415], where).toContain(answer.status);
      else if (method !== 'HEAD' && method !== 'OPTIONS') expect(route.adminStatuses, where).toContain(answer.status);
      if (method === 'OPTIONS') expect(answer.status, `a preflight is never granted: ${where}`).toBeGreaterThanOrEqual(400);
    }, {
      afterBatch: async () => {
        if (!refusedWrites) return;
        refusedWrites = false;
        expect(await snapshot(refusedEnv), 'a refused request wrote nothing').toEqual(seeded);
      },
    });
    expectNoEffects(effects);
    expect(await snapshot(refusedEnv), 'refused requests wrote nothing').toEqual(seeded);
    console.log(`fuzz ${route.name}: ${count} cases, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  }, 120_000);
});

describe('scopes', () => {
  /** Write requests on paths that route (encoded segments, well-formed ids), any body. */
  const routed = emailish.map(encodeLoose).filter((e) => e !== '' && e !== '.' && e !== '..');
  const WRITES: { method: string; path: fc.Arbitrary<string>; body: fc.Arbitrary<string | Uint8Array | undefined> }[] = [
    { method: 'PUT', path: routed.map((e) => `/v1/suppressions/${e}`), body: fc.option(putBody, { nil: undefined }) },
    { method: 'DELETE', path: routed.map((e) => `/v1/suppressions/${e}`), body: fc.constant(undefined) },
    { method: 'POST', path: query(['reason']).map((q) => `/v1/suppressions/import${q}`), body: importBody },
    { method: 'POST', path: deadLetterId.map((id) => `/v1/dead-letters/${id}/replay`), body: fc.constant(undefined) },
  ];

  it(`a read key gets 403 on every write route, whatever the request (${RUNS} cases)`, async () => {
    const { app } = countedApp();
    const writes = fc.constantFrom(...WRITES).chain((w) => fc.tuple(fc.constant(w.method), w.path, w.body));
    await fuzzCases(writes, async ([method, path, body]) => {
      const answer = await send(app, { method, path, headers: { authorization: 'Bearer read-test-key', 'content-type': 'application/json' }, body: body ?? null }, refusedEnv);
      expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 200)}`).toBe(403);
    }, { afterBatch: async () => expect(await snapshot(refusedEnv)).toEqual(seeded) });
  }, 120_000);
});

describe('forged pagination cursors', () => {
  // A cursor is opaque base64url JSON that comes back from the client: whatever it holds, the
  // answer is a page (200) or invalid_cursor (400). A cursor that reaches DynamoDB as a bad
  // ExclusiveStartKey must not come back as 503 store_unavailable (providers and clients retry a 503).
  const value = fc.oneof(junk, fc.constantFrom('', 'zzz', '0000', 'SUP', 'A#', 'x'.repeat(3000), '2026-06-01T00:00:00.000Z#a@example.com', '2026-06-01', 'E#2026'));
  const instant = fc.oneof(value, fc.constantFrom('2026-06-01T00:00:00.000Z', '2026-05-31T23:59:59Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999Z', '2026-99-99T00:00:00Z', '2026-02-30T00:00:00Z'));
  const eventsCursor = fc.record({
    part: fc.oneof(value, fc.constantFrom('2026-06-01', '2026-06', '2026-05', '1970-01-01', '0000-01', '9999-12-31', '2026-05-99', '2026-00', '2026-13')),
    after: fc.oneof(fc.array(value, { maxLength: 4 }), fc.tuple(instant, instant, value)),
    since: instant,
    until: instant,
  }, { requiredKeys: [] });
  const suppressionCursor = fc.dictionary(
    fc.oneof(fc.constantFrom('r:manual', 'r:hard_bounce', 'r:complaint', 'r:unsubscribed', 'r:soft_bounce_limit', 'r:invalid', 'd:example.com'), junk),
    fc.option(value, { nil: null }), { maxKeys: 4 },
  );
  const cases = fc.oneof(
    fc.tuple(eventsCursor, fc.constantFrom('', '&email=a%40example.com', '&since=2026-05-30T00:00:00Z&until=2026-06-02T00:00:00Z', '&type=bounced'))
      .map(([c, q]) => `/v1/events?cursor=${encodeCursor(c)}${q}`),
    fc.tuple(suppressionCursor, fc.constantFrom('', '&reason=manual', '&domain=example.com', '&domain=example.com&reason=manual', '&since=2026-01-01T00:00:00Z'))
      .map(([c, q]) => `/v1/suppressions?cursor=${encodeCursor(c)}${q}`),
  );

  it(`answer 200 or 400, never 5xx (${RUNS} cases)`, async () => {
    const { app } = countedApp();
    await fuzzCases(cases, async (path) => {
      const answer = await send(app, { method: 'GET', path, headers: { authorization: 'Bearer read-test-key' } }, adminEnv);
      expect([200, 400], path).toContain(answer.status);
    });
  }, 120_000);
});

describe('inputs the fuzzing found', () => {
  // Each reaches DynamoDB as a request it rejects (ValidationException), which src/store/client.ts
  // storeCall turns into 503 store_unavailable: a client error answered as an outage, retried by
  // clients. They should be 400 (or an empty page).
  it.each([
    ['GET /v1/suppressions with since after until (BETWEEN bounds reversed)', '/v1/suppressions?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z'],
    ['GET /v1/suppressions with an extended-year until (sorts before "0000")', '/v1/suppressions?until=%2B275760-09-13T00:00:00Z'],
    ['GET /v1/suppressions with a negative-year since', '/v1/suppressions?since=-000001-01-01T00:00:00Z'],
    ['GET /v1/suppressions with a cursor outside the key range', `/v1/suppressions?cursor=${encodeCursor({ 'r:manual': 'zzz' })}`],
    ['GET /v1/suppressions with a cursor holding CRLF', `/v1/suppressions?cursor=${encodeCursor({ 'r:manual': '\r\n' })}`],
    ['GET /v1/events with a cursor key of other attributes', `/v1/events?cursor=${encodeCursor({ key: { foo: 'bar' } })}`],
    ['GET /v1/events with a cursor key of an empty pk', `/v1/events?cursor=${encodeCursor({ key: { pk: '' } })}`],
  ])('%s: 200 or 400, not 503', async (_what, path) => {
    const { app } = countedApp();
    const answer = await send(app, { method: 'GET', path, headers: { authorization: 'Bearer read-test-key' } }, adminEnv);
    expect([200, 400]).toContain(answer.status);
  });

  // Days and months that do not exist in a cursor: Date threw a RangeError (500) on them, or the
  // walk went back month by month from "2026-00" until its budget ran out.
  it.each([
    ['an until of month 99', `/v1/events?cursor=${encodeCursor({ part: '2026-06-01', until: '2026-99-99T00:00:00Z' })}`],
    ['a day 99 inside the range', `/v1/events?since=2026-05-01T00:00:00Z&until=2026-06-02T00:00:00Z&cursor=${encodeCursor({ part: '2026-05-99' })}`],
    ['a month 00, by address', `/v1/events?email=a%40example.com&since=2025-01-01T00:00:00Z&until=2026-06-02T00:00:00Z&cursor=${encodeCursor({ part: '2026-00' })}`],
  ])('an events cursor with %s is invalid_cursor, before any store call', async (_what, path) => {
    const { app } = countedApp();
    // A table that does not exist: any store call would answer 500 misconfigured.
    const answer = await send(app, { method: 'GET', path, headers: { authorization: 'Bearer read-test-key' } }, { ...adminEnv, DDB_TABLE: 'no_such_table' });
    expect(answer.status, answer.text).toBe(400);
    expect(JSON.parse(answer.text).error.code).toBe('invalid_cursor');
  });

  // Date.parse takes these and reads them as another time: a window the caller did not ask for.
  it.each([
    '/v1/events?since=2026-02-30', '/v1/events?until=10%2F05%2F2026', '/v1/stats?since=May%2010', '/v1/stats?until=12',
    '/v1/suppressions?since=2026-11-01T24:00:00Z', '/v1/events?since=2026-11-01T10:00:00%2B25:00',
  ])('%s is a 400, not a silently different window', async (path) => {
    const { app } = countedApp();
    const answer = await send(app, { method: 'GET', path, headers: { authorization: 'Bearer read-test-key' } }, { ...adminEnv, DDB_TABLE: 'no_such_table' });
    expect(answer.status, answer.text).toBe(400);
  });

  it.each([
    ['/v1/stats?since=2026-11-01&until=2026-11-02', 200],
    ['/v1/stats?since=2026-11-01T10:00&until=2026-11-01T12:00:00%2B02:00', 200],
  ])('%s is read', async (path, status) => {
    const { app } = countedApp();
    const answer = await send(app, { method: 'GET', path, headers: { authorization: 'Bearer read-test-key' } }, adminEnv);
    expect(answer.status, answer.text).toBe(status);
  });

});
