import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../src/core/event.js';
import { applyEvents } from '../../src/store/apply.js';
import { dynamoClient } from '../../src/store/client.js';
import { addressItems, api, READ_KEY, testConfig, uniqueEmail } from './helpers.js';

describe('API keys and scopes', () => {
  it('refuses /v1 without a key or with an unknown key (401, JSON error)', async () => {
    for (const key of [null, 'not-a-key']) {
      const res = await api('/v1/suppressions/someone@example.com', { key });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('lets a read key look up but not write (403)', async () => {
    const email = uniqueEmail();
    expect((await api(`/v1/suppressions/${email}`, { key: READ_KEY })).status).toBe(404);
    const put = await api(`/v1/suppressions/${email}`, { method: 'PUT', body: '{}', key: READ_KEY });
    expect(put.status).toBe(403);
    expect((await api(`/v1/suppressions/${email}`, { method: 'DELETE', key: READ_KEY })).status).toBe(403);
    expect(await addressItems(email)).toEqual([]);
  });
});

describe('bodies sent as something else than JSON', () => {
  it('are refused with 415 unsupported_media_type, and the answer is described in /openapi.json', async () => {
    const email = uniqueEmail('form');
    const put = await api(`/v1/suppressions/${email}`, { method: 'PUT', body: 'reason=manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(put.status).toBe(415);
    expect(await put.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    expect(await addressItems(email)).toEqual([]);
    const doc = await (await api('/openapi.json', { key: null })).json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>();
    expect(Object.keys(doc.paths['/v1/suppressions/{email}']!.put!.responses)).toEqual(expect.arrayContaining(['413', '415']));
    expect(Object.keys(doc.paths['/v1/suppressions/{email}']!.delete!.responses)).toContain('409');
    expect(Object.keys(doc.paths['/webhooks/{provider}']!.post!.responses)).toEqual(expect.arrayContaining(['401', '500']));
    // SPEC §1 lists no 403 for a webhook (an SNS topic not allowed is a 401).
    expect(Object.keys(doc.paths['/webhooks/{provider}']!.post!.responses)).not.toContain('403');
  });
});

describe('suppressions by hand', () => {
  it('adds, reads, checks and lifts a suppression; the lift is recorded as an event', async () => {
    const email = uniqueEmail('Manual');
    const put = await api(`/v1/suppressions/${email.toUpperCase()}`, { method: 'PUT', body: JSON.stringify({ note: 'asked by phone' }) });
    expect(put.status).toBe(200);
    const got = await api(`/v1/suppressions/${encodeURIComponent(`  ${email}  `)}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ email: email.toLowerCase(), reason: 'manual', note: 'asked by phone', source: { provider: 'api' } });

    const other = uniqueEmail();
    const check = await api('/v1/suppressions/check', { method: 'POST', body: JSON.stringify({ emails: [other, email, email.toLowerCase()] }) });
    expect(await check.json()).toEqual({
      results: [
        { email: other, suppressed: false },
        { email: email.toLowerCase(), suppressed: true, reason: 'manual' },
        { email: email.toLowerCase(), suppressed: true, reason: 'manual' },
      ],
    });

    expect((await api(`/v1/suppressions/${email}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/v1/suppressions/${email}`)).status).toBe(404);
    // Again: still 204 (idempotent), and nothing more is recorded.
    expect((await api(`/v1/suppressions/${email}`, { method: 'DELETE' })).status).toBe(204);
    const items = await addressItems(email.toLowerCase());
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'unsuppressed', provider: 'api', previous_reason: 'manual' });
  });

  it('never gives an end to a suppression that has none: a PUT that would is refused until a DELETE', async () => {
    const email = uniqueEmail('forever');
    expect((await api(`/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason: 'hard_bounce' }) })).status).toBe(200);
    const expiring = await api(`/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason: 'soft_bounce_limit' }) });
    expect(expiring.status).toBe(409);
    expect(await expiring.json()).toMatchObject({ error: { code: 'would_expire' } });
    const kept = await (await api(`/v1/suppressions/${email}`)).json<Record<string, unknown>>();
    expect(kept).toMatchObject({ reason: 'hard_bounce' });
    expect(kept).not.toHaveProperty('expires_at');
    // Another lasting reason replaces it; after a DELETE, an expiring one may be added.
    expect((await api(`/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason: 'manual' }) })).status).toBe(200);
    expect((await api(`/v1/suppressions/${email}`, { method: 'DELETE' })).status).toBe(204);
    const fresh = await api(`/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason: 'soft_bounce_limit' }) });
    expect(await fresh.json()).toHaveProperty('expires_at');
  });

  it('keeps a lasting suppression lasting when an expiring PUT races with it', async () => {
    const emails = Array.from({ length: 20 }, () => uniqueEmail('race'));
    await Promise.all(emails.map((email) => Promise.all([
      api(`/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason: 'soft_bounce_limit' }) }),
      api(`/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason: 'hard_bounce' }) }),
    ])));
    for (const email of emails) {
      const s = await (await api(`/v1/suppressions/${email}`)).json<Record<string, unknown>>();
      expect(s, email).toMatchObject({ reason: 'hard_bounce' });
      expect(s, email).not.toHaveProperty('expires_at');
    }
  });

  it('never lets an import replace a suppression stored while it ran', async () => {
    const emails = Array.from({ length: 20 }, () => uniqueEmail('import-race'));
    const answers = await Promise.all(emails.map(async (email) => (await Promise.all([
      api('/v1/suppressions/import', { method: 'POST', body: `email,reason\n${email},soft_bounce_limit\n`, headers: { 'content-type': 'text/csv' } }),
      api(`/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason: 'hard_bounce' }) }),
    ]))[0]!.json<{ imported: number; already_suppressed: number }>()));
    for (const [i, email] of emails.entries()) {
      const s = await (await api(`/v1/suppressions/${email}`)).json<Record<string, unknown>>();
      expect(s, email).toMatchObject({ reason: 'hard_bounce' });
      expect(s, email).not.toHaveProperty('expires_at');
      expect(answers[i]!.imported + answers[i]!.already_suppressed, email).toBe(1);
    }
  });

  it('starts the soft-bounce count afresh when a soft_bounce_limit suppression is lifted', async () => {
    const email = uniqueEmail('soft');
    const cfg = testConfig();
    const soft = (day: string): CanonicalEvent => ({
      id: `test:${email}:${day}`, provider: 'sendgrid', type: 'bounced', recipient: email, occurred_at: new Date(Date.now() - Number(day) * 3_600_000).toISOString(), message_id: null,
      bounce: { class: 'soft', reason: 'mailboxfull', reply_code: '452', status: '4.2.2', diagnostic: null, provider_class: null, rule: 'test' },
    });
    await applyEvents(dynamoClient(cfg), cfg, [soft('5'), soft('4'), soft('3')], new Date());
    expect(await (await api(`/v1/suppressions/${email}`)).json()).toMatchObject({ reason: 'soft_bounce_limit' });
    expect((await api(`/v1/suppressions/${email}`, { method: 'DELETE' })).status).toBe(204);
    await applyEvents(dynamoClient(cfg), cfg, [soft('1')], new Date());
    expect((await api(`/v1/suppressions/${email}`)).status).toBe(404);
  });

  it('takes a reason from the vocabulary and refuses others', async () => {
    const email = uniqueEmail();
    const bad = await api(`/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason: 'because' }) });
    expect(bad.status).toBe(400);
    expect(await addressItems(email)).toEqual([]);
    const ok = await api(`/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason: 'complaint' }) });
    expect(await ok.json()).toMatchObject({ reason: 'complaint' });
  });

  it('answers 400 for what is not an address, and for bad bodies', async () => {
    expect((await api('/v1/suppressions/not-an-address')).status).toBe(400);
    expect((await api(`/v1/suppressions/${encodeURIComponent('a@example.com\r\nBcc: b@example.com')}`, { method: 'PUT', body: '{}' })).status).toBe(400);
    expect((await api('/v1/suppressions/check', { method: 'POST', body: '{"emails": ' })).status).toBe(400);
    expect((await api('/v1/suppressions/check', { method: 'POST', body: '{"emails": "a@example.com"}' })).status).toBe(400);
    const bad = await api('/v1/suppressions/check', { method: 'POST', body: JSON.stringify({ emails: ['ok@example.com', 'nope'] }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_address', message: expect.stringContaining('emails[1]') } });
  });

  it('checks up to 1000 addresses in one request (BatchGetItem in pages of 100), and no more', async () => {
    const suppressed = [uniqueEmail('bulk'), uniqueEmail('bulk')];
    for (const e of suppressed) await api(`/v1/suppressions/${e}`, { method: 'PUT', body: '{}' });
    const emails = Array.from({ length: 1000 }, (_, i) => (i === 17 ? suppressed[0]! : i === 998 ? suppressed[1]! : uniqueEmail('bulk')));
    const res = await api('/v1/suppressions/check', { method: 'POST', body: JSON.stringify({ emails }) });
    expect(res.status).toBe(200);
    const { results } = await res.json<{ results: { email: string; suppressed: boolean }[] }>();
    expect(results.map((r) => r.email)).toEqual(emails);
    expect(results.filter((r) => r.suppressed).map((r) => r.email)).toEqual(suppressed);
    const over = await api('/v1/suppressions/check', { method: 'POST', body: JSON.stringify({ emails: [...emails, uniqueEmail()] }) });
    expect(over.status).toBe(400);
  });
});
