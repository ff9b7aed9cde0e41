import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.js';
import { ADMIN_KEY, testEnv } from './helpers.js';

describe('the Worker', () => {
  it('answers /healthz without auth', async () => {
    const res = await SELF.fetch('https://rebote.test/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
  it('answers unknown routes with the JSON error body', async () => {
    const res = await SELF.fetch('https://rebote.test/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('provider URL checks', () => {
  it('answers Mandrill\'s HEAD check with 200, and GET with 405', async () => {
    const head = await SELF.fetch('https://rebote.test/webhooks/mandrill', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await SELF.fetch('https://rebote.test/webhooks/mandrill')).status).toBe(405);
  });
});

describe('DynamoDB Local as npm start runs it', () => {
  it('serves the table whatever region and access key the Worker signs with', async () => {
    // The table was created with region us-east-1 and key "local"; a user's own AWS settings
    // in the environment reach the Worker (npm start passes them on).
    const env = { ...testEnv, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEOTHER', AWS_SECRET_ACCESS_KEY: 'other' };
    const res = await worker.fetch(new Request('https://rebote.test/v1/suppressions/nobody@example.com', {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }), env);
    expect(res.status, await res.clone().text()).toBe(404);
  });
});

describe('a setting the Worker cannot run with', () => {
  it('is named in a JSON 500 on every request, not hidden behind "internal error"', async () => {
    const res = await worker.fetch(new Request('https://rebote.test/v1/suppressions/nobody@example.com', {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }), { ...testEnv, SOFT_BOUNCE_LIMIT: 'abc' });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'misconfigured', message: 'SOFT_BOUNCE_LIMIT must be a positive integer, got "abc"' } });
  });
});
