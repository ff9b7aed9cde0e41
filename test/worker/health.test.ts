import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

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
