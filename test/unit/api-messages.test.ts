/**
 * Answers the app gives before any store call, through the app in Node: what an error message
 * tells the caller to do, and the example /docs fills a request with.
 */
import { describe, expect, it } from 'vitest';
import { createApp, defaultDeps } from '../../src/app.js';
import { encodeCursor } from '../../src/http/cursor.js';

// No store call is made: a DynamoDB Local address that nothing answers on.
const env = { DDB_TABLE: 'unused', DDB_ENDPOINT: 'http://127.0.0.1:9', API_KEYS: 'admin-key' };

async function get(path: string, authorization: string | null = 'Bearer admin-key') {
  const res = await createApp(defaultDeps).fetch(new Request(`https://rebote.example${path}`, {
    headers: authorization === null ? {} : { authorization },
  }), env);
  return { status: res.status, body: await res.json() as { error?: { code: string; message: string } } & Record<string, unknown> };
}

describe('error messages that say what to fix', () => {
  it('tells a malformed Authorization header from a missing one', async () => {
    const missing = await get('/v1/suppressions/a%40b.example', null);
    expect(missing.status).toBe(401);
    expect(missing.body.error!.message).toBe('an API key is required: Authorization: Bearer <key>');
    for (const header of ['Bearer two words', 'Basic YTpi', 'admin-key']) {
      const bad = await get('/v1/suppressions/a%40b.example', header);
      expect(bad.status, header).toBe(401);
      expect(bad.body.error!.message, header).toMatch(/not "Bearer <key>"/);
    }
  });

  it('says how to use a cursor given for other filters', async () => {
    const cursor = encodeCursor({ part: 'not-a-day' });
    const { status, body } = await get(`/v1/events?cursor=${cursor}`);
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: 'invalid_cursor', message: expect.stringMatching(/with the same query, or leave it out to start again$/) });
  });
});

describe('/openapi.json', () => {
  it('lists the 500 misconfigured answer on /healthz and the API routes, as on the webhooks', async () => {
    const doc = (await get('/openapi.json', null)).body as { paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>> };
    for (const [path, method] of [['/healthz', 'get'], ['/v1/suppressions/{email}', 'get'], ['/v1/events', 'get'], ['/webhooks/{provider}', 'post']] as const) {
      expect(doc.paths[path]![method]!.responses['500']?.description, `${method} ${path}`).toMatch(/^misconfigured/);
    }
  });

  it('gives the bulk check an example body of addresses, which /docs sends as it comes', async () => {
    const doc = (await get('/openapi.json', null)).body as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { example?: unknown } }> } }>> };
    const example = doc.paths['/v1/suppressions/check']!.post!.requestBody.content['application/json']!.schema.example as { emails: string[] };
    expect(example.emails.length).toBeGreaterThan(0);
    for (const e of example.emails) expect(e).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });
});
