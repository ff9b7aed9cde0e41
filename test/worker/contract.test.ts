/**
 * The contract every provider plugin keeps (DESIGN.md), run against each harness in
 * test/contract/providers/: labelled samples give their labelled events through /v1/inspect and
 * through the signed webhook; a forged signature gets 401 and writes nothing; a provider without
 * its secret refuses; a redelivery changes nothing; an invalid body gets 400.
 */
import { describe, expect, it } from 'vitest';
import { createApp, defaultDeps } from '../../src/app.js';
import type { HarnessFactory, ProviderHarness, ProviderRequest } from '../contract/harness.js';
import { ADMIN_KEY, freshTableEnv, tableItems, testEnv } from './helpers.js';

const factories = import.meta.glob<HarnessFactory>('../contract/providers/*.ts', { import: 'default', eager: true });
const harnesses = await Promise.all(Object.values(factories).map((f) => f()));

const BOUNCE_LIKE = new Set(['bounced', 'deferred', 'dropped']);

async function send(h: ProviderHarness, req: ProviderRequest, env: Record<string, string>): Promise<Response> {
  const app = createApp({ ...defaultDeps, ...h.deps });
  return app.fetch(new Request(`https://rebote.test${req.path}`, { method: 'POST', headers: req.headers, body: req.body }), env);
}

describe.each(harnesses.map((h) => [h.provider, h] as const))('provider contract: %s', (_name, h) => {
  const valid = h.labels.filter((l) => !l.invalid);
  const withEvents = valid.filter((l) => l.events.length > 0);
  const envWith = (env: Record<string, string>) => ({ ...env, ...h.env });

  it.each(h.labels.map((l) => [l.file, l] as const))('inspect %s gives the labelled events', async (_f, label) => {
    const app = createApp({ ...defaultDeps, ...h.deps });
    const res = await app.fetch(new Request(`https://rebote.test/v1/inspect?provider=${h.provider}`, {
      method: 'POST', body: h.inspectBody ? h.inspectBody(label.file) : h.fixture(label.file),
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }), envWith(testEnv));
    expect(res.status).toBe(label.invalid ? 400 : 200);
    if (label.invalid) return;
    const out = await res.json<{ events: Record<string, any>[]; ignored: number }>();
    expect(out.ignored).toBe(label.ignored);
    expect(out.events.map((e) => [e.type, e.recipient])).toEqual(label.events.map((e) => [e.type, e.recipient]));
    if (label.ambiguous) return;
    label.events.forEach((want, i) => {
      const got = out.events[i]!;
      expect(got.suppression, `suppression of event ${i}`).toBe(want.suppress ? want.suppression_reason : null);
      if (!BOUNCE_LIKE.has(want.type) || want.class === null) return;
      expect(got.bounce, `bounce of event ${i}`).toMatchObject({ class: want.class, ...(want.reason ? { reason: want.reason } : {}) });
      if (want.reply_code) expect(got.bounce.reply_code).toBe(want.reply_code);
      if (want.status) expect(got.bounce.status).toBe(want.status);
    });
  });

  it.each(valid.map((l) => [l.file, l] as const))('signed %s is accepted and stores the labelled suppressions', async (_f, label) => {
    const env = envWith(await freshTableEnv());
    const res = await send(h, await h.signed(label.file), env);
    expect(res.status).toBe(200);
    const counts = await res.json<{ accepted: number; duplicates: number; ignored: number }>();
    expect(counts.accepted + counts.duplicates).toBe(label.events.length);
    expect(counts.ignored).toBe(label.ignored);
    if (label.ambiguous) return;
    const app = createApp({ ...defaultDeps, ...h.deps });
    for (const email of new Set(label.events.map((e) => e.recipient))) {
      const mine = label.events.filter((e) => e.recipient === email);
      const got = await app.fetch(new Request(`https://rebote.test/v1/suppressions/${encodeURIComponent(email)}`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      }), env);
      const reasons = mine.filter((e) => e.suppress).map((e) => e.suppression_reason);
      if (reasons.length > 0) expect(reasons).toContain((await got.json<{ reason: string }>()).reason);
      else expect(got.status, `${email} should not be suppressed`).toBe(404);
    }
  });

  it.runIf(withEvents.length > 0)('refuses a forged signature with 401 and writes nothing', async () => {
    const env = envWith(await freshTableEnv());
    for (const label of withEvents) {
      const res = await send(h, await h.forged(label.file), env);
      expect(res.status, label.file).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
      expect(await tableItems(env)).toEqual([]);
    }
  });

  it.runIf(withEvents.length > 0)('refuses everything when its secret is not configured (fail closed)', async () => {
    const env = await freshTableEnv();
    const unset = Object.fromEntries(Object.keys(h.env).map((k) => [k, '']));
    const label = withEvents[0]!;
    const res = await send(h, await h.signed(label.file), { ...env, ...unset });
    expect([401, 403]).toContain(res.status);
    expect(await tableItems(env)).toEqual([]);
  });

  it.runIf(withEvents.length > 0)('changes nothing on redelivery', async () => {
    const env = envWith(await freshTableEnv());
    for (const label of withEvents) {
      const req = await h.signed(label.file);
      expect((await send(h, req, env)).status).toBe(200);
      const before = await tableItems(env);
      const again = await send(h, req, env);
      expect(await again.json()).toMatchObject({ accepted: 0, duplicates: label.events.length });
      expect(await tableItems(env)).toEqual(before);
      if (h.replayedWithOtherEvents) {
        const replay = await send(h, h.replayedWithOtherEvents(req), env);
        expect(replay.status).toBe(401);
        expect(await tableItems(env)).toEqual(before);
      }
    }
  });

  it.runIf(withEvents.length > 0 && h.replayedWithOtherEvents !== undefined)('lets one of two racing requests with one token through', async () => {
    const env = envWith(await freshTableEnv());
    const req = await h.signed(withEvents[0]!.file);
    const answers = await Promise.all([send(h, req, env), send(h, h.replayedWithOtherEvents!(req), env)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
  });

  it('answers an invalid body with 400', async () => {
    const res = await send(h, await h.invalid(), envWith(testEnv));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });
});
