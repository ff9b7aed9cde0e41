/**
 * Security properties of the HTTP surface as a whole: CORS stays closed on every route (no
 * Access-Control-* grant, no preflight answered with a grant), configured secrets never appear in
 * an answer, error bodies carry no internals, and the built-in pages (/dashboard, /docs) carry
 * their security headers.
 */
import { describe, expect, it } from 'vitest';
import { createApp, defaultDeps } from '../../src/app.js';
import { PROVIDER_PLUGINS } from '../../src/providers/registry.js';
import { countedApp, fuzzEnv, harnesses, SECRETS, send } from './fuzz/support.js';

const ORIGIN = 'https://evil.example';

/** Every route (method, path) the Worker serves, plus the pages' assets. */
const ROUTES: [string, string][] = [
  ['GET', '/healthz'], ['GET', '/openapi.json'], ['GET', '/docs'], ['GET', '/docs/app.js'], ['GET', '/docs/app.css'],
  ['GET', '/dashboard'], ['GET', '/dashboard/app.js'], ['GET', '/dashboard/app.css'],
  ['GET', '/v1/suppressions/jane%40example.com'], ['PUT', '/v1/suppressions/jane%40example.com'], ['DELETE', '/v1/suppressions/jane%40example.com'],
  ['GET', '/v1/suppressions'], ['GET', '/v1/suppressions/export'], ['POST', '/v1/suppressions/check'], ['POST', '/v1/suppressions/import'],
  ['GET', '/v1/events'], ['GET', '/v1/stats'], ['POST', '/v1/inspect?provider=ses'], ['GET', '/v1/codes/550'],
  ['GET', '/v1/dead-letters'], ['POST', '/v1/dead-letters/00000000000000000-00000000/replay'],
  ...[...PROVIDER_PLUGINS.keys()].map((p): [string, string] => ['POST', `/webhooks/${p}`]),
  ['HEAD', '/webhooks/mandrill'], ['GET', '/nope'],
];

const noCors = (headers: Headers, where: string) => {
  for (const [name] of headers) expect(name.toLowerCase().startsWith('access-control-'), `${where}: ${name}`).toBe(false);
};

describe('CORS is closed', () => {
  it.each(ROUTES)('%s %s: a cross-origin request gets no Access-Control-* header', async (method, path) => {
    const { app } = countedApp();
    for (const authorization of [undefined, 'Bearer admin-test-key']) {
      const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
      const hasBody = method !== 'GET' && method !== 'HEAD' && method !== 'DELETE';
      const res = await app.fetch(new Request(`https://rebote.test${path}`, { method, headers, ...(hasBody ? { body: '{}' } : {}) }), fuzzEnv);
      noCors(res.headers, `${method} ${path}`);
      await res.arrayBuffer();
    }
  });

  it.each(ROUTES)('%s %s: a preflight is not granted', async (method, path) => {
    const { app } = countedApp();
    const res = await app.fetch(new Request(`https://rebote.test${path}`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
    }), fuzzEnv);
    noCors(res.headers, `OPTIONS ${path}`);
    expect(res.status, `OPTIONS ${path}`).toBeGreaterThanOrEqual(400);
    await res.arrayBuffer();
  });

  it("Event Grid's OPTIONS handshake on /webhooks/azure is not a CORS grant", async () => {
    const { app } = countedApp();
    const secret = harnesses.get('azure')!.env.AZURE_WEBHOOK_SECRET!;
    const res = await app.fetch(new Request(`https://rebote.test/webhooks/azure?key=${encodeURIComponent(secret)}`, {
      method: 'OPTIONS', headers: { origin: ORIGIN, 'webhook-request-origin': 'eventgrid.azure.net', 'access-control-request-method': 'POST' },
    }), fuzzEnv);
    noCors(res.headers, 'OPTIONS /webhooks/azure');
    await res.arrayBuffer();
  });
});

describe('secrets are never echoed', () => {
  it('every configured secret is at least 8 characters, so the checks below mean something', () => {
    expect(SECRETS.length).toBeGreaterThanOrEqual(10);
  });

  it.each([...harnesses.values()].map((h) => [h.provider, h] as const))('%s: signed, forged, invalid and unconfigured requests', async (provider, h) => {
    const { app } = countedApp({ ...h.deps, async confirmSubscription() {} });
    const file = h.labels.find((l) => !l.invalid)!.file;
    const unset = { ...fuzzEnv, ...Object.fromEntries(Object.keys(h.env).map((k) => [k, ''])) };
    for (const [req, env] of [[await h.signed(file), fuzzEnv], [await h.forged(file), fuzzEnv], [await h.invalid(), fuzzEnv], [await h.signed(file), unset]] as const) {
      // send() fails on any secret in the body or headers of the answer.
      await send(app, { method: 'POST', path: req.path, headers: req.headers, body: req.body }, env);
    }
    // Near misses of each secret: the answer never completes or corrects them.
    for (const secret of SECRETS) {
      for (const attempt of [secret.slice(0, -1), `${secret}x`, secret.toUpperCase()]) {
        await send(app, { method: 'POST', path: `/webhooks/${provider}`, headers: { authorization: `Bearer ${attempt}`, 'x-webhook-secret': attempt, signature: attempt, 'content-type': 'application/json' }, body: '{}' });
        await send(app, { method: 'GET', path: '/v1/events', headers: { authorization: `Bearer ${attempt}` } });
      }
    }
  });

  it('store failures (503) name no secret, endpoint or stack', async () => {
    const app = createApp(defaultDeps);
    const down: Record<string, string> = { ...fuzzEnv, DDB_ENDPOINT: 'http://127.0.0.1:9' };
    for (const [method, path, body] of [['GET', '/v1/suppressions/jane%40example.com', null], ['POST', '/v1/suppressions/check', '{"emails":["a@example.com"]}'], ['GET', '/v1/events', null]] as const) {
      const res = await app.fetch(new Request(`https://rebote.test${path}`, { method, headers: { authorization: 'Bearer admin-test-key', 'content-type': 'application/json' }, ...(body ? { body } : {}) }), down);
      const text = await res.text();
      expect(res.status, text).toBe(503);
      expect(res.headers.get('retry-after')).not.toBeNull();
      expect(JSON.parse(text)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      for (const leak of [...SECRETS, '127.0.0.1:9', down.DDB_TABLE!, ' at ', 'Error:', 'amazonaws']) expect(text, leak).not.toContain(leak);
    }
  }, 60_000);

  it('the built-in pages carry no secret', async () => {
    const { app } = countedApp();
    for (const path of ['/dashboard', '/dashboard/app.js', '/docs', '/docs/app.js', '/openapi.json']) await send(app, { method: 'GET', path });
  });
});

describe('security headers of the built-in pages', () => {
  it.each(['/dashboard', '/docs', '/dashboard/app.js', '/dashboard/app.css', '/docs/app.js', '/docs/app.css'])('%s', async (path) => {
    const { app } = countedApp();
    const res = await send(app, { method: 'GET', path });
    expect(res.status).toBe(200);
    const h = res.headers;
    const csp = h.get('content-security-policy') ?? '';
    expect(csp).toMatch(/(^|;\s*)default-src 'none'/);
    expect(csp).toMatch(/(^|;\s*)script-src 'self'(;|$)/);
    expect(csp).toMatch(/(^|;\s*)frame-ancestors 'none'/);
    expect(csp).toMatch(/(^|;\s*)base-uri 'none'/);
    expect(csp).toMatch(/(^|;\s*)form-action 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('content-type')).toMatch(path.endsWith('.js') ? /^text\/javascript/ : path.endsWith('.css') ? /^text\/css/ : /^text\/html/);
  });

  it('the pages load no script or style from elsewhere and inline none', async () => {
    const { app } = countedApp();
    for (const path of ['/dashboard', '/docs']) {
      const html = (await send(app, { method: 'GET', path })).text;
      for (const m of html.matchAll(/<script\b[^>]*>/gi)) expect(m[0], path).toMatch(/\bsrc="\/[^/]/);
      expect(html, path).not.toMatch(/<script\b[^>]*>[^<\s]/i);
      expect(html, path).not.toMatch(/\bon[a-z]+\s*=/i);
      expect(html, path).not.toMatch(/(src|href)="(https?:)?\/\//i);
    }
  });
});
