/** Cloudflare Email Routing: a bounce email delivered to the Worker's email() handler. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp, defaultDeps } from '../../src/app.js';
import worker from '../../src/index.js';
import { handleEmail, type IncomingEmail } from '../../src/email.js';
import { fixtureReader } from '../contract/harness.js';
import { ADMIN_KEY, freshTableEnv } from './helpers.js';

const fixture = fixtureReader('dsn');
const labels = fixture('labels.jsonl').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { file: string; events: { type: string; recipient: string; suppress: boolean }[] });

/** What Email Routing hands the handler: the raw bytes as a stream, and forward(). */
function incoming(raw: string): IncomingEmail & { forwarded: string[] } {
  const bytes = new TextEncoder().encode(raw);
  const forwarded: string[] = [];
  return {
    from: 'mailer-daemon@mx.example', to: 'bounces@sender.example', rawSize: bytes.byteLength, forwarded,
    raw: new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } }),
    async forward(to: string) { forwarded.push(to); },
  };
}

describe('email() handler', () => {
  it('stores the bounce of a routed email like the webhook does, and forwards it when FORWARD_TO is set', async () => {
    const label = labels.find((l) => l.events.some((e) => e.type === 'bounced' && e.suppress))!;
    const testEnv = { ...(await freshTableEnv()), FORWARD_TO: 'postmaster@sender.example' };
    const message = incoming(fixture(label.file));
    await worker.email(message, testEnv);
    expect(message.forwarded).toEqual(['postmaster@sender.example']);
    const hard = label.events.find((e) => e.suppress)!;
    const res = await worker.fetch(new Request(`https://rebote.test/v1/suppressions/${hard.recipient}`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }), testEnv);
    expect(await res.json()).toMatchObject({ source: { provider: 'dsn' } });
  });

  it('stores an unsubscribe request by email as an unsubscribe of its sender', async () => {
    const testEnv = await freshTableEnv();
    await worker.email(incoming(['From: Jane <jane@example.org>', 'To: unsubscribe@sender.example', 'Subject: unsubscribe',
      'X-Apple-Unsubscribe: true', '', 'Apple Mail sent this email to unsubscribe.', ''].join('\n')), testEnv);
    const res = await worker.fetch(new Request('https://rebote.test/v1/suppressions/jane@example.org', {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }), testEnv);
    expect(await res.json()).toMatchObject({ reason: 'unsubscribed', source: { provider: 'dsn' } });
  });

  it('dates a bounce whose Date cannot be read by its arrival, not 1970', async () => {
    const testEnv = await freshTableEnv();
    const raw = ['From: MAILER-DAEMON@mx.example', 'To: bounces@sender.example', 'Date: Mon, 1 Jan 2024 00:00:00 JST', 'Subject: failure notice', '',
      'Hi. This is the qmail-send program at mx.example.', "I'm afraid I wasn't able to deliver your message to the following addresses.", '',
      '<gone@example.org>:', 'Remote host said: 550 5.1.1 no such user', '', '--- Below this line is a copy of the message.', ''].join('\n');
    await handleEmail(incoming(raw), testEnv, () => new Date('2026-11-02T10:00:00.000Z'));
    const res = await worker.fetch(new Request('https://rebote.test/v1/events?email=gone@example.org&since=2026-11-01T00:00:00Z&until=2026-11-03T00:00:00Z', {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }), testEnv);
    expect(await res.json()).toMatchObject({ items: [{ type: 'bounced', occurred_at: '2026-11-02T10:00:00.000Z' }] });
  });

  it('dates a bounce without any date of its own by the request\'s arrival on /webhooks/dsn and /v1/inspect', async () => {
    const testEnv = { ...(await freshTableEnv()), INGEST_TOKEN: 'ingest-test-token' };
    const app = createApp({ ...defaultDeps, now: () => new Date('2026-11-02T11:00:00.000Z') });
    const raw = ['From: MAILER-DAEMON@mx.example', 'To: bounces@sender.example', 'Subject: failure notice', '',
      'Hi. This is the qmail-send program at mx.example.', "I'm afraid I wasn't able to deliver your message to the following addresses.", '',
      '<later@example.org>:', 'Remote host said: 550 5.1.1 no such user', '', '--- Below this line is a copy of the message.', ''].join('\n');
    const inspect = await app.fetch(new Request('https://rebote.test/v1/inspect?provider=dsn', {
      method: 'POST', body: raw, headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }), testEnv);
    expect(await inspect.json()).toMatchObject({ events: [{ recipient: 'later@example.org', occurred_at: '2026-11-02T11:00:00.000Z' }] });
    const hook = await app.fetch(new Request('https://rebote.test/webhooks/dsn', {
      method: 'POST', body: raw, headers: { authorization: 'Bearer ingest-test-token' },
    }), testEnv);
    expect(await hook.json()).toMatchObject({ accepted: 1 });
    const res = await app.fetch(new Request('https://rebote.test/v1/events?email=later@example.org&since=2026-11-01T00:00:00Z&until=2026-11-03T00:00:00Z', {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }), testEnv);
    expect(await res.json()).toMatchObject({ items: [{ type: 'bounced', occurred_at: '2026-11-02T11:00:00.000Z' }] });
  });

  it('keeps an email it cannot read as a dead letter instead of dropping it', async () => {
    const testEnv = await freshTableEnv();
    await worker.email(incoming('this is not an email at all'), testEnv);
    const res = await worker.fetch(new Request('https://rebote.test/v1/dead-letters', { headers: { authorization: `Bearer ${ADMIN_KEY}` } }), testEnv);
    expect((await res.json<{ items: { provider: string }[] }>()).items).toEqual([expect.objectContaining({ provider: 'dsn' })]);
  });

  it('keeps an email whose MIME reader gives up (more parts than mailparser takes) as a dead letter', async () => {
    const testEnv = await freshTableEnv();
    const parts = Array.from({ length: 1100 }, (_, i) => `--b\nContent-Type: text/plain\n\npart ${i}\n`).join('');
    const raw = `From: MAILER-DAEMON@mx.example\nTo: bounces@sender.example\nSubject: Undelivered Mail\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n${parts}--b--\n`;
    const message = { ...incoming(raw), forwarded: [] as string[] };
    await worker.email(message, { ...testEnv, FORWARD_TO: 'postmaster@sender.example' });
    const res = await worker.fetch(new Request('https://rebote.test/v1/dead-letters', { headers: { authorization: `Bearer ${ADMIN_KEY}` } }), testEnv);
    expect(await res.json()).toMatchObject({ items: [{ provider: 'dsn', bytes: new TextEncoder().encode(raw).byteLength }] });
  });

  it('fails (so the sending server retries) when the store is down', async () => {
    const label = labels.find((l) => l.events.length > 0)!;
    await expect(worker.email(incoming(fixture(label.file)), { ...env, DDB_ENDPOINT: 'http://127.0.0.1:9' } as Record<string, unknown>)).rejects.toThrow();
  });
});
