/**
 * Resend's Svix signatures: the published Svix vector, signatures made here with generated
 * secrets (computed independently of src/), the 5-minute tolerance both ways, secret rotation,
 * and failing closed.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { resend } from '../../../src/providers/resend/index.js';
import { svixSignature } from '../../../src/providers/resend/svix.js';
import type { ProviderDeps, WebhookRequest } from '../../../src/providers/types.js';
import { enc, fixtures } from './labelled-samples.js';

const fx = fixtures('resend');
const vector = JSON.parse(fx.text('signature-test-vectors/svix-spec-vector.json')) as {
  secret: string; headers: Record<string, string>; body_exact: string;
};
const VECTOR_TIME = Number(vector.headers['svix-timestamp']) * 1000;

const depsAt = (ms: number): ProviderDeps => ({
  now: () => new Date(ms),
  fetchCertificate: async () => { throw new Error('not used'); },
  claimOnce: async () => true,
});

const request = (headers: Record<string, string>, body: Uint8Array): WebhookRequest =>
  ({ method: 'POST', url: 'https://rebote.example/webhooks/resend', headers: new Headers(headers), body });

const configWith = (secret: string | undefined) => readConfig(secret === undefined ? {} : { RESEND_WEBHOOK_SECRET: secret });

/** A `whsec_` secret and its key, generated per test. */
function newSecret() {
  const key = crypto.getRandomValues(new Uint8Array(24));
  return { key, secret: `whsec_${Buffer.from(key).toString('base64')}` };
}

/** Svix's signing, written from its docs: base64 HMAC-SHA256 over `id.timestamp.body`. */
async function sign(key: Uint8Array, id: string, ts: string, body: Uint8Array): Promise<string> {
  const { createHmac } = await import('node:crypto');
  return `v1,${createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest('base64')}`;
}

describe('the published Svix test vector', () => {
  const body = fx.bytes('signature-test-vectors/svix-spec-vector.body.bin');

  it('is the body the vector names, byte for byte', () => {
    expect(new TextDecoder().decode(body)).toBe(vector.body_exact);
  });

  it('verifies at its own time and at both edges of the 5-minute tolerance', async () => {
    for (const at of [VECTOR_TIME, VECTOR_TIME - 300_000, VECTOR_TIME + 300_000]) {
      await expect(resend.verify(request(vector.headers, body), configWith(vector.secret), depsAt(at))).resolves.toBeUndefined();
    }
  });

  it('is refused one second beyond the tolerance, in either direction', async () => {
    for (const at of [VECTOR_TIME - 301_000, VECTOR_TIME + 301_000]) {
      await expect(resend.verify(request(vector.headers, body), configWith(vector.secret), depsAt(at)))
        .rejects.toMatchObject({ status: 401, code: 'stale_timestamp' });
    }
  });

  it('is what svixSignature computes', async () => {
    const key = new Uint8Array(Buffer.from(vector.secret.slice('whsec_'.length), 'base64'));
    expect(await svixSignature(key, vector.headers['svix-id']!, vector.headers['svix-timestamp']!, body)).toBe(vector.headers['svix-signature']);
  });

  it('is refused when one byte of the body, the id or the timestamp changes', async () => {
    const cfg = configWith(vector.secret);
    const deps = depsAt(VECTOR_TIME);
    const tampered = enc(vector.body_exact.replace('2432232314', '2432232315'));
    await expect(resend.verify(request(vector.headers, tampered), cfg, deps)).rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    await expect(resend.verify(request({ ...vector.headers, 'svix-id': 'msg_p5jXN8AQM9LWM0D4loKWxJeK' }, body), cfg, deps))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
    await expect(resend.verify(request({ ...vector.headers, 'svix-timestamp': '1614265331' }, body), cfg, deps))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });

  it('is refused with another secret', async () => {
    await expect(resend.verify(request(vector.headers, body), configWith(newSecret().secret), depsAt(VECTOR_TIME)))
      .rejects.toMatchObject({ status: 401, code: 'bad_signature' });
  });
});

describe('signatures made with a generated secret', () => {
  const now = Date.UTC(2025, 0, 2, 3, 4, 5);
  const ts = String(now / 1000);
  const body = fx.bytes('docs-resend-com/email.bounced.json');

  it('verifies, with or without the whsec_ prefix on the configured secret', async () => {
    const { key, secret } = newSecret();
    const headers = { 'svix-id': 'msg_1', 'svix-timestamp': ts, 'svix-signature': await sign(key, 'msg_1', ts, body) };
    await expect(resend.verify(request(headers, body), configWith(secret), depsAt(now))).resolves.toBeUndefined();
    await expect(resend.verify(request(headers, body), configWith(secret.slice(6)), depsAt(now))).resolves.toBeUndefined();
  });

  it('accepts any one matching entry of a rotated signature list, and ignores v1a entries', async () => {
    const old = newSecret();
    const current = newSecret();
    const sigs = [
      `v1a,${Buffer.from(crypto.getRandomValues(new Uint8Array(64))).toString('base64')}`,
      await sign(old.key, 'msg_2', ts, body),
      await sign(current.key, 'msg_2', ts, body),
    ].join(' ');
    const headers = { 'svix-id': 'msg_2', 'svix-timestamp': ts, 'svix-signature': sigs };
    await expect(resend.verify(request(headers, body), configWith(current.secret), depsAt(now))).resolves.toBeUndefined();
    await expect(resend.verify(request(headers, body), configWith(old.secret), depsAt(now))).resolves.toBeUndefined();
    await expect(resend.verify(request(headers, body), configWith(newSecret().secret), depsAt(now))).rejects.toMatchObject({ status: 401 });
  });

  it('does not take a v1a entry carrying the HMAC for a v1 signature', async () => {
    const { key, secret } = newSecret();
    const sig = (await sign(key, 'msg_3', ts, body)).replace(/^v1,/, 'v1a,');
    const headers = { 'svix-id': 'msg_3', 'svix-timestamp': ts, 'svix-signature': sig };
    await expect(resend.verify(request(headers, body), configWith(secret), depsAt(now))).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a request without any one of the three headers', async () => {
    const { key, secret } = newSecret();
    const full = { 'svix-id': 'msg_4', 'svix-timestamp': ts, 'svix-signature': await sign(key, 'msg_4', ts, body) };
    for (const missing of Object.keys(full)) {
      const headers: Record<string, string> = { ...full };
      delete headers[missing];
      await expect(resend.verify(request(headers, body), configWith(secret), depsAt(now)))
        .rejects.toMatchObject({ status: 401, code: 'missing_signature' });
    }
  });

  it('refuses a timestamp that is not whole seconds', async () => {
    const { key, secret } = newSecret();
    const ms = String(now);
    const headers = { 'svix-id': 'msg_5', 'svix-timestamp': `${ts}.5`, 'svix-signature': await sign(key, 'msg_5', `${ts}.5`, body) };
    await expect(resend.verify(request(headers, body), configWith(secret), depsAt(now))).rejects.toMatchObject({ status: 401, code: 'bad_timestamp' });
    // Milliseconds are a timestamp 50 000 years away, not a format to guess at.
    const inMs = { 'svix-id': 'msg_5', 'svix-timestamp': ms, 'svix-signature': await sign(key, 'msg_5', ms, body) };
    await expect(resend.verify(request(inMs, body), configWith(secret), depsAt(now))).rejects.toMatchObject({ status: 401 });
  });
});

describe('failing closed', () => {
  it('refuses even the published vector when RESEND_WEBHOOK_SECRET is unset', async () => {
    const body = fx.bytes('signature-test-vectors/svix-spec-vector.body.bin');
    await expect(resend.verify(request(vector.headers, body), configWith(undefined), depsAt(VECTOR_TIME)))
      .rejects.toMatchObject({ status: 401, code: 'not_configured' });
  });

  it('refuses everything when the secret is not base64', async () => {
    const body = fx.bytes('signature-test-vectors/svix-spec-vector.body.bin');
    await expect(resend.verify(request(vector.headers, body), configWith('whsec_not base64!'), depsAt(VECTOR_TIME)))
      .rejects.toMatchObject({ status: 401, code: 'not_configured' });
  });
});
