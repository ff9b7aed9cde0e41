/** Authentic but unreadable payloads are kept, listed and replayable; nothing a provider sent is lost. */
import { describe, expect, it } from 'vitest';
import { createApp, defaultDeps } from '../../src/app.js';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { readConfig } from '../../src/config.js';
import { bytesToBase64 } from '../../src/crypto/base64.js';
import { dynamoClient } from '../../src/store/client.js';
import { keepDeadLetter, readDeadLetter } from '../../src/store/dead-letters.js';
import { fixtureReader } from '../contract/harness.js';
import { makeSnsSigner, snsHeaders, wrapSesMessage } from '../helpers/sns-signer.js';
import { ADMIN_KEY, freshTableEnv, partitionItems, READ_KEY } from './helpers.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:rebote-test';
const fixture = fixtureReader('ses');

describe('dead letters', () => {
  it('keeps a verified payload that does not parse, lists it, and replays a readable one into events', async () => {
    const env = await freshTableEnv();
    const signer = await makeSnsSigner();
    const app = createApp({ ...defaultDeps, fetchCertificate: (u) => signer.fetchCertificate(u) });
    const api = (path: string, init: RequestInit = {}, key = ADMIN_KEY) =>
      app.fetch(new Request(`https://rebote.test${path}`, { ...init, headers: { authorization: `Bearer ${key}` } }), env);

    const broken = await signer.sign(wrapSesMessage('{"notificationType":"Bounce","mail":{}}', { topicArn: TOPIC }));
    const res = await app.fetch(new Request('https://rebote.test/webhooks/ses', { method: 'POST', body: broken, headers: snsHeaders(broken) }), env);
    expect(res.status).toBe(400);
    const { error } = await res.json<{ error: { message: string } }>();
    const id = /dead letter (\d{17}-[0-9a-f]{8})/.exec(error.message)?.[1];
    expect(id).toMatch(/^\d{17}-[0-9a-f]{8}$/);

    // A forged payload is never kept: only what passed verification.
    const forged = JSON.parse(broken);
    forged.Message += ' ';
    await app.fetch(new Request('https://rebote.test/webhooks/ses', { method: 'POST', body: JSON.stringify(forged), headers: snsHeaders(broken) }), env);

    const list = await (await api('/v1/dead-letters', {}, READ_KEY)).json<{ items: { id: string; provider: string; bytes: number }[] }>();
    expect(list.items).toEqual([expect.objectContaining({ id, provider: 'ses', bytes: new TextEncoder().encode(broken).byteLength })]);
    expect((await api(`/v1/dead-letters/${id}/replay`, { method: 'POST' }, READ_KEY)).status).toBe(403);
    expect((await api(`/v1/dead-letters/${id}/replay`, { method: 'POST' })).status).toBe(422);

    // As if the parser had been fixed since: a kept payload that now reads is stored and leaves the list.
    const cfg = readConfig(env);
    const readable = new TextEncoder().encode(fixture('ses-message-eventType/bounce.json'));
    const kept = await keepDeadLetter(dynamoClient(cfg), cfg, 'ses', readable, { code: 'x', message: 'y' }, new Date());
    const replay = await api(`/v1/dead-letters/${kept.id}/replay`, { method: 'POST' });
    expect(await replay.json()).toEqual({ accepted: 1, duplicates: 0, ignored: 0, rejected: 0 });
    expect(await (await api('/v1/suppressions/recipient@example.com')).json()).toMatchObject({ reason: 'hard_bounce' });
    const after = await (await api('/v1/dead-letters')).json<{ items: { id: string }[] }>();
    expect(after.items.map((i) => i.id)).toEqual([id]);
  });

  it('replays a kept raw email with no date of its own at the time it first arrived', async () => {
    const env = await freshTableEnv();
    const app = createApp({ ...defaultDeps, now: () => new Date('2026-11-05T09:00:00.000Z') });
    const cfg = readConfig(env);
    const raw = new TextEncoder().encode(['From: MAILER-DAEMON@mx.example', 'To: bounces@sender.example', 'Subject: failure notice', '',
      'Hi. This is the qmail-send program at mx.example.', "I'm afraid I wasn't able to deliver your message to the following addresses.", '',
      '<kept@example.org>:', 'Remote host said: 550 5.1.1 no such user', '', '--- Below this line is a copy of the message.', ''].join('\n'));
    const kept = await keepDeadLetter(dynamoClient(cfg), cfg, 'dsn', raw, { code: 'x', message: 'y' }, new Date('2026-11-02T08:30:00.000Z'));
    const api = (path: string, init: RequestInit = {}) =>
      app.fetch(new Request(`https://rebote.test${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_KEY}` } }), env);
    expect(await (await api(`/v1/dead-letters/${kept.id}/replay`, { method: 'POST' })).json()).toMatchObject({ accepted: 1 });
    const events = await (await api('/v1/events?email=kept@example.org&since=2026-11-01T00:00:00Z&until=2026-11-06T00:00:00Z')).json();
    expect(events).toMatchObject({ items: [{ type: 'bounced', occurred_at: '2026-11-02T08:30:00.000Z' }] });
  });

  it('reads back a body larger than one Query answers (1 MB), byte for byte', async () => {
    const env = await freshTableEnv();
    const cfg = readConfig(env);
    const db = dynamoClient(cfg);
    // 1.5 MB of varied bytes: seven parts of base64, more than one 1 MB answer.
    const body = new Uint8Array(1_500_000);
    for (let i = 0; i < body.length; i++) body[i] = (i * 131 + (i >> 9)) & 0xff;
    const letter = await keepDeadLetter(db, cfg, 'sendgrid', body, { code: 'malformed', message: 'test' }, new Date());
    const read = await readDeadLetter(db, cfg, letter.id);
    expect(read?.body.byteLength).toBe(body.byteLength);
    expect(read!.body.every((b, i) => b === body[i])).toBe(true);
    // Each part under a partition key of its own (one key takes about 1,000 write units a second
    // on DynamoDB: a 25 MB email's parts under one key could not be written in time).
    // 1.5 MB is 2,000,000 characters of base64: 7 parts of at most 300,000.
    const parts = await partitionItems(env, Array.from({ length: 9 }, (_, n) => `DLB#${letter.id}#${String(n).padStart(4, '0')}`));
    expect(parts.map((p) => String(p.pk).slice(-4))).toEqual(['0000', '0001', '0002', '0003', '0004', '0005', '0006']);
    expect(await partitionItems(env, [`DLB#${letter.id}`])).toEqual([]);
    // A part gone (expired apart from its header): never replayed in part.
    await db.send(new DeleteItemCommand({ TableName: cfg.ddbTable, Key: { pk: { S: `DLB#${letter.id}#0002` }, sk: { S: 'P' } } }));
    await expect(readDeadLetter(db, cfg, letter.id)).rejects.toMatchObject({ status: 422, code: 'dead_letter_incomplete' });
  }, 60_000);

  it('keeps and reads back a body of many MB (a large raw email), byte for byte', async () => {
    const env = await freshTableEnv();
    const cfg = readConfig(env);
    const db = dynamoClient(cfg);
    // 12 MB: 16 million characters of base64 in 54 parts, more than one BatchGetItem answer (16 MB).
    const body = new Uint8Array(12 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 131 + (i >> 9)) & 0xff;
    const letter = await keepDeadLetter(db, cfg, 'dsn', body, { code: 'parser_failed', message: 'test' }, new Date());
    const read = await readDeadLetter(db, cfg, letter.id);
    expect(read?.body.byteLength).toBe(body.byteLength);
    expect(read!.body.every((b, i) => b === body[i])).toBe(true);
  }, 120_000);

  it('still reads a dead letter kept with every part under one key, as before', async () => {
    const env = await freshTableEnv();
    const cfg = readConfig(env);
    const db = dynamoClient(cfg);
    const body = new TextEncoder().encode('{"not": "json"'.repeat(30_000)); // 420 KB: two parts
    const text = bytesToBase64(body);
    const id = '20261101120000000-0ldlay0t';
    const receivedAt = '2026-11-01T12:00:00.000Z';
    const ttl = Math.floor(Date.now() / 1000) + 86_400;
    for (const [n, data] of [[0, text.slice(0, 300_000)], [1, text.slice(300_000)]] as const) {
      await db.send(new PutItemCommand({ TableName: cfg.ddbTable, Item: { pk: { S: `DLB#${id}` }, sk: { S: `P#000${n}` }, data: { S: data }, ttl: { N: String(ttl) } } }));
    }
    await db.send(new PutItemCommand({
      TableName: cfg.ddbTable,
      Item: {
        pk: { S: 'DL' }, sk: { S: `${receivedAt}#${id}` }, id: { S: id }, provider: { S: 'postmark' }, received_at: { S: receivedAt },
        error: { M: { code: { S: 'malformed_json' }, message: { S: 'test' } } }, bytes: { N: String(body.byteLength) }, ttl: { N: String(ttl) },
      },
    }));
    const read = await readDeadLetter(db, cfg, id);
    expect(read?.letter).toMatchObject({ id, provider: 'postmark', bytes: body.byteLength });
    expect(read!.body.every((b, i) => b === body[i])).toBe(true);
  });
});
