import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.js';
import { fixtureReader } from '../contract/harness.js';
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

describe('AWS settings the store would refuse on every call', () => {
  const get = (env: Record<string, string>, path = '/v1/suppressions/nobody@example.com') =>
    worker.fetch(new Request(`https://rebote.test${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }), env);

  it('names a table that is not there (DDB_TABLE or AWS_REGION) in a 500, not a 503 "retry later"', async () => {
    const env = { ...testEnv, DDB_TABLE: `missing_${crypto.randomUUID().slice(0, 8)}` };
    const res = await get(env);
    expect(res.status).toBe(500);
    const body = await res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('misconfigured');
    expect(body.error.message).toContain('DDB_TABLE');
    // A webhook too: the provider retries the 500 and gets through once the table is right.
    const hook = await worker.fetch(new Request('https://rebote.test/webhooks/dsn', {
      method: 'POST', headers: { authorization: `Bearer ${testEnv.INGEST_TOKEN}`, 'content-type': 'message/rfc822' },
      body: fixtureReader('dsn')('lhost-exim-01.eml'),
    }), env);
    expect(hook.status).toBe(500);
    expect(((await hook.json()) as { error: { code: string } }).error.code).toBe('misconfigured');
  });

  it('names missing AWS credentials on every route when no DynamoDB Local is set', async () => {
    const { DDB_ENDPOINT: _local, AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...aws } = testEnv;
    for (const path of ['/healthz', '/v1/suppressions/nobody@example.com']) {
      const res = await get(aws, path);
      expect(res.status, path).toBe(500);
      expect(await res.json(), path).toEqual({ error: { code: 'misconfigured', message: expect.stringContaining('AWS_ACCESS_KEY_ID') } });
    }
    const region = await get({ ...aws, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east' });
    expect(await region.json()).toEqual({ error: { code: 'misconfigured', message: 'AWS_REGION must be an AWS region such as us-east-1, got "us-east"' } });
  });

  it('refuses a SUPPRESS_UNSUBSCRIBES that is neither true nor false', async () => {
    const res = await get({ ...testEnv, SUPPRESS_UNSUBSCRIBES: 'no' });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'misconfigured', message: 'SUPPRESS_UNSUBSCRIBES must be true or false, got "no"' } });
    expect((await get({ ...testEnv, SUPPRESS_UNSUBSCRIBES: 'FALSE' })).status).toBe(404);
  });
});
