/**
 * Property-based fuzzing of every provider parser through POST /v1/inspect?provider=<name>: the
 * labelled samples of each harness, mutated (values replaced by other types, removed, wrapped,
 * control characters and header injection in strings, bytes flipped, text cut). The parser sees
 * the same bytes a verified webhook would hand it, with no signature in the way.
 *
 * Whatever the case: 200 or 400 (never a 5xx: an exception in a parser is a crash on a verified
 * webhook), and every event a 200 gives is well formed, its recipient a normalized address.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../../src/core/address.js';
import { BOUNCE_REASONS, EVENT_TYPES } from '../../../src/core/event.js';
import { SUPPRESSION_REASONS } from '../../../src/core/policy.js';
import { PROVIDER_PLUGINS } from '../../../src/providers/registry.js';
import { countedApp, expectNoEffects, fuzzCases, harnesses, NASTY, RUNS, send } from './support.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Paths to every value of a JSON document (capped: big batches need only a sample). */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length >= 400) return out;
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function at(root: Json, path: (string | number)[]): Json {
  return path.reduce<Json>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, Json>)[k as string] ?? null : null), root);
}

/** A value put in place of another: other types, edge values, hostile strings, injected addresses. */
const replacement: fc.Arbitrary<(old: Json) => Json | undefined> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => () => v as Json),
  fc.constantFrom<Json>(null, '', ' ', 0, -1, 1.5, 1e308, -1e308, 9007199254740993, true, [], {}, [[]], '0', 'NaN', '2026-13-45T99:99:99Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'x'.repeat(20_000), '550 5.1.1 ' + 'user unknown '.repeat(2000))
    .map((v) => () => v),
  fc.constantFrom(...NASTY).map((n) => (old: Json) => (typeof old === 'string' ? `${old.slice(0, 3)}${n}${old.slice(3)}` : n)),
  fc.constantFrom('victim@example.com\r\nBcc: x@evil.example', 'a\u0000@example.com', 'jane@bücher.example', '<JANE@XN--BCHER-KVA.EXAMPLE>', 'x@y', '@', 'a@b@c.d', ' jane@example.com ')
    .map((v) => () => v),
  fc.constant((old: Json) => (old === null ? undefined : JSON.stringify(old))), // a value sent as its JSON text
  fc.constant((old: Json) => [old]), // wrapped in an array
  fc.constant(() => undefined), // removed
);

interface Op { pick: number; change: (old: Json) => Json | undefined }
const ops = fc.array(fc.record({ pick: fc.nat(), change: replacement }), { minLength: 1, maxLength: 4 });

function mutateJson(doc: Json, list: Op[]): Json {
  let root = structuredClone(doc);
  for (const { pick, change } of list) {
    const all = paths(root);
    const path = all[pick % all.length]!;
    // A copy: generated constants are shared between runs, and putting the same object in two
    // places (then mutating one) could make a document contain itself.
    const changed = change(at(root, path));
    const next = changed === undefined ? undefined : structuredClone(changed);
    if (path.length === 0) {
      root = next ?? null;
      continue;
    }
    const parent = at(root, path.slice(0, -1)) as Record<string, Json> | Json[];
    const key = path.at(-1)!;
    if (next === undefined) {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete (parent as Record<string, Json>)[key as string];
    } else (parent as Record<string, Json>)[key as string] = next;
  }
  return root;
}

/** Byte-level damage for text that is not JSON (forms, emails): flips, inserts, cuts, repeats. */
const textOps = fc.array(fc.record({
  kind: fc.constantFrom('flip', 'insert', 'cut', 'repeat', 'truncate'),
  at: fc.nat(),
  n: fc.integer({ min: 1, max: 200 }),
  piece: fc.constantFrom(...NASTY, '\r\n\r\n', '--', 'Content-Type: multipart/mixed; boundary=x\r\n', '=?UTF-8?B?', '=\r\n', '%', '&mandrill_events=', ':'),
}), { minLength: 1, maxLength: 4 });

function mutateText(s: string, list: { kind: string; at: number; n: number; piece: string }[]): string {
  for (const op of list) {
    const i = s.length === 0 ? 0 : op.at % s.length;
    if (op.kind === 'flip') s = s.slice(0, i) + String.fromCharCode((s.charCodeAt(i) ^ op.n) & 0xffff) + s.slice(i + 1);
    else if (op.kind === 'insert') s = s.slice(0, i) + op.piece + s.slice(i);
    else if (op.kind === 'cut') s = s.slice(0, i) + s.slice(i + op.n);
    else if (op.kind === 'repeat') s = s.slice(0, i) + s.slice(i, i + op.n).repeat(20) + s.slice(i);
    else s = s.slice(0, i);
  }
  return s;
}

const tryJson = (s: string): Json | undefined => {
  try {
    return JSON.parse(s) as Json;
  } catch {
    return undefined;
  }
};

/** A mutated sample: JSON mutated as JSON (SNS Message and Mandrill's form field inside out), other text as text. */
function mutatedSample(seeds: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), ops, textOps, fc.nat(9)).map(([seed, jsonOps, tOps, mode]) => {
    if (mode === 0) return mutateText(seed, tOps); // raw damage, whatever the format
    const json = tryJson(seed);
    if (json !== undefined) {
      // An SNS envelope: mutate the SES message inside it most of the time.
      if (json !== null && typeof json === 'object' && !Array.isArray(json) && typeof json.Message === 'string' && mode > 3) {
        const inner = tryJson(json.Message);
        if (inner !== undefined) return JSON.stringify({ ...json, Message: JSON.stringify(mutateJson(inner, jsonOps)) });
      }
      return JSON.stringify(mutateJson(json, jsonOps));
    }
    const form = new URLSearchParams(seed);
    const events = form.get('mandrill_events');
    const inner = events === null ? undefined : tryJson(events);
    if (inner !== undefined) {
      form.set('mandrill_events', JSON.stringify(mutateJson(inner, jsonOps)));
      return form.toString();
    }
    return mutateText(seed, tOps);
  });
}

describe.each([...PROVIDER_PLUGINS.keys()].map((p) => [p] as const))('inspect %s', (provider) => {
  const h = harnesses.get(provider);
  it(`parses ${RUNS} mutated samples into 200 with well-formed events, or 400`, async () => {
    expect(h, `a harness for ${provider} in test/contract/providers`).toBeDefined();
    const seeds = h!.labels.map((l) => (h!.inspectBody ? h!.inspectBody(l.file) : h!.fixture(l.file)));
    const { app, effects } = countedApp();
    const statuses = new Map<number, number>();
    const count = await fuzzCases(mutatedSample(seeds), async (body) => {
      const answer = await send(app, { method: 'POST', path: `/v1/inspect?provider=${provider}`, headers: { authorization: 'Bearer read-test-key' }, body });
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expect([200, 400], body.slice(0, 300)).toContain(answer.status);
      if (answer.status !== 200) return;
      const out = answer.json as { events: Record<string, unknown>[]; ignored: number; rejected: number };
      expect(Number.isInteger(out.ignored) && out.ignored >= 0 && Number.isInteger(out.rejected) && out.rejected >= 0).toBe(true);
      for (const e of out.events) {
        const where = `${JSON.stringify(e).slice(0, 300)} from ${body.slice(0, 200)}`;
        expect(e.provider, where).toBe(provider);
        expect(EVENT_TYPES as readonly unknown[], where).toContain(e.type);
        expect(typeof e.recipient === 'string' && normalizeAddress(e.recipient) === e.recipient, `recipient is a normalized address: ${where}`).toBe(true);
        expect(typeof e.id === 'string' && e.id.length > 0 && e.id.length <= 1024, `id: ${where}`).toBe(true);
        expect(typeof e.occurred_at === 'string' && !Number.isNaN(Date.parse(e.occurred_at)), `occurred_at: ${where}`).toBe(true);
        expect(e.suppression === null || (SUPPRESSION_REASONS as readonly unknown[]).includes(e.suppression), `suppression: ${where}`).toBe(true);
        const bounce = e.bounce as { class?: unknown; reason?: unknown } | undefined;
        if (bounce) {
          expect(['hard', 'soft', 'undetermined'], where).toContain(bounce.class);
          expect(BOUNCE_REASONS as readonly unknown[], where).toContain(bounce.reason);
        }
      }
    });
    expectNoEffects(effects);
    console.log(`fuzz inspect ${provider}: ${count} cases, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 120_000);
});

describe('inputs the fuzzing found', () => {
  // src/dsn/mime-mailparser.ts calls contentType.toLowerCase() on a part whose Content-Type header
  // is empty (mailparser leaves it unset): TypeError, a 500 on /v1/inspect and a dead letter for a
  // genuine bounce on /webhooks/dsn. Found by the dsn property above (a sample cut after "content-type: ").
  it.each([
    ['an empty Content-Type in a part', 'From: mailer-daemon@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type:\n\nx\n--b--\n'],
    ['a report cut after "content-type: "', 'From: mailer-daemon@example.com\nSubject: Undelivered\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n--b\ncontent-type: text/plain\n\nfailed\n\n--b\ncontent-type: '],
  ])('dsn: %s gives 200 or 400', async (_what, body) => {
    const { app } = countedApp();
    const answer = await send(app, { method: 'POST', path: '/v1/inspect?provider=dsn', headers: { authorization: 'Bearer read-test-key' }, body });
    expect([200, 400]).toContain(answer.status);
  });
});
