/** Cloudflare Email Routing: a bounce email delivered to the Worker's email() handler. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.js';
import type { IncomingEmail } from '../../src/email.js';
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

  it('stores every bounce of an mbox file and an unsubscribe request by email', async () => {
    const testEnv = await freshTableEnv();
    const bounce = (id: string, recipient: string) => [
      `From MAILER-DAEMON  Thu Jul  2 12:0${id}:05 2020`, 'From: MAILER-DAEMON@mx.sender.example (Mail Delivery System)',
      'To: bounces@sender.example', 'Subject: Undelivered Mail Returned to Sender', `Message-Id: <${id}@mx.sender.example>`, '',
      'This is the mail system at host mx.sender.example.', '', '                   The mail system', '',
      `<${recipient}>: host mx.example.org[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)`, '', '',
    ].join('\n');
    await worker.email(incoming(bounce('1', 'ann@example.org') + bounce('2', 'bob@example.org')), testEnv);
    await worker.email(incoming(['From: Jane <jane@example.org>', 'To: unsubscribe@sender.example', 'Subject: unsubscribe',
      'X-Apple-Unsubscribe: true', '', 'Apple Mail sent this email to unsubscribe.', ''].join('\n')), testEnv);
    const reasons: Record<string, unknown> = {};
    for (const address of ['ann@example.org', 'bob@example.org', 'jane@example.org']) {
      const res = await worker.fetch(new Request(`https://rebote.test/v1/suppressions/${address}`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      }), testEnv);
      reasons[address] = res.status === 200 ? (await res.json<{ reason: string }>()).reason : res.status;
    }
    expect(reasons).toEqual({ 'ann@example.org': 'hard_bounce', 'bob@example.org': 'hard_bounce', 'jane@example.org': 'unsubscribed' });
  });

  it('keeps an email it cannot read as a dead letter instead of dropping it', async () => {
    const testEnv = await freshTableEnv();
    await worker.email(incoming('this is not an email at all'), testEnv);
    const res = await worker.fetch(new Request('https://rebote.test/v1/dead-letters', { headers: { authorization: `Bearer ${ADMIN_KEY}` } }), testEnv);
    expect((await res.json<{ items: { provider: string }[] }>()).items).toEqual([expect.objectContaining({ provider: 'dsn' })]);
  });

  it('fails (so the sending server retries) when the store is down', async () => {
    const label = labels.find((l) => l.events.length > 0)!;
    await expect(worker.email(incoming(fixture(label.file)), { ...env, DDB_ENDPOINT: 'http://127.0.0.1:9' } as Record<string, unknown>)).rejects.toThrow();
  });
});
