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
