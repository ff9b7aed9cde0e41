/**
 * POST /v1/suppressions/import through the app in Node: the answers that come before the store is
 * used (a list that is none of the formats, a body too large) and what /openapi.json says.
 */
import { describe, expect, it } from 'vitest';
import { createApp, defaultDeps } from '../../src/app.js';

// No store call is made: a DynamoDB Local address that nothing answers on.
const env = { DDB_TABLE: 'unused', DDB_ENDPOINT: 'http://127.0.0.1:9', API_KEYS: 'admin-key' };

function post(body: BodyInit, contentType = 'application/json') {
  return createApp(defaultDeps).fetch(new Request('https://rebote.example/v1/suppressions/import?reason=manual', {
    method: 'POST', body, headers: { authorization: 'Bearer admin-key', 'content-type': contentType }, duplex: 'half',
  } as RequestInit), env);
}

describe('POST /v1/suppressions/import', () => {
  it('refuses a list that is none of the formats with a 400 that says what a list may be', async () => {
    const res = await post('Name;Phone\nJane;555-0100\n', 'text/csv');
    expect(res.status).toBe(400);
    const { error } = await res.json() as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_import');
    expect(error.message).toMatch(/^no column of email addresses .*semicolons or tabs.*NDJSON.*a JSON array of such objects or of addresses.*SES/);
  });

  it('answers a body too large with a 413 that names the command that splits a file, declared or streamed', async () => {
    const big = `email\n${'x@x.example\n'.repeat(500_000)}`;
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    for (const body of [big, streamed]) {
      const res = await post(body, 'text/csv');
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: 'the body is larger than 5242880 bytes; split the file (npx rebote import does: it sends it in pieces)' } });
    }
  });

  it('is described in /openapi.json with the formats it takes, a JSON array among them', async () => {
    const doc = await (await createApp(defaultDeps).fetch(new Request('https://rebote.example/openapi.json'), env)).json() as {
      paths: Record<string, { post: { summary: string; description: string; requestBody: { content: Record<string, unknown> } } }>;
    };
    const route = doc.paths['/v1/suppressions/import']!.post;
    expect(route.summary).toContain('a JSON array');
    expect(route.description).toMatch(/semicolons or tabs.*a JSON array of such objects or of addresses.*\(413\).*`npx rebote import` sends a big file in pieces/);
    expect(Object.keys(route.requestBody.content)).toEqual(['text/csv', 'application/x-ndjson', 'application/json']);
  });
});
