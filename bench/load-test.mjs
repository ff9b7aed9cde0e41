#!/usr/bin/env node
// Load test: starts Rebote locally (npm start: wrangler dev + DynamoDB Local) with test secrets,
// then drives it for DURATION seconds (default 60) with a realistic mix of signed provider
// webhooks and "may I send?" checks, and prints req/s, p50/p99 latency and the error count.
// Usage: npm run bench:load [-- <seconds>]
import { spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../scripts/dynamodb-local.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DURATION = Number(process.argv[2] ?? process.env.DURATION ?? 60);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);

const ecdsa = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const secrets = {
  API_KEYS: 'load-admin-key',
  SENDGRID_WEBHOOK_PUBLIC_KEY: ecdsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  MAILGUN_WEBHOOK_SIGNING_KEY: 'load-mailgun-key',
  POSTMARK_WEBHOOK_AUTH: 'pm:load-password',
  MAILJET_WEBHOOK_AUTH: 'mj:load-password',
  RESEND_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
};

const domains = ['gmail.example', 'yahoo.example', 'outlook.example', 'corp.example', 'mail.example'];
const address = () => `user${Math.floor(Math.random() * 50_000)}@${domains[Math.floor(Math.random() * domains.length)]}`;
/** The reference mix: 90 % delivered, 4 % soft bounce, 3 % hard bounce, 1 % complaint, 2 % deferred. */
function pick() {
  const r = Math.random();
  return r < 0.9 ? 'delivered' : r < 0.94 ? 'soft' : r < 0.97 ? 'hard' : r < 0.98 ? 'complaint' : 'deferred';
}

function sendgridBatch(n) {
  const now = Math.floor(Date.now() / 1000);
  const events = Array.from({ length: n }, () => {
    const kind = pick();
    const base = { email: address(), timestamp: now, sg_event_id: randomUUID(), sg_message_id: randomUUID() };
    switch (kind) {
      case 'delivered': return { ...base, event: 'delivered', response: '250 2.0.0 OK' };
      case 'soft': return { ...base, event: 'bounce', type: 'blocked', status: '4.2.2', reason: '452 4.2.2 mailbox full' };
      case 'hard': return { ...base, event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 5.1.1 user unknown' };
      case 'complaint': return { ...base, event: 'spamreport' };
      default: return { ...base, event: 'deferred', response: '421 4.7.0 try again later', attempt: '1' };
    }
  });
  const body = JSON.stringify(events);
  const ts = String(now);
  const signature = sign('sha256', Buffer.from(ts + body), ecdsa.privateKey).toString('base64');
  return { method: 'POST', path: '/webhooks/sendgrid', body, headers: {
    'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': ts,
  } };
}

function mailgun() {
  const kind = pick();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const token = randomBytes(25).toString('hex');
  const eventData = {
    id: randomUUID(), timestamp: Number(timestamp), recipient: address(),
    message: { headers: { 'message-id': `${randomUUID()}@mg.example` } },
    ...(kind === 'delivered' ? { event: 'delivered', 'delivery-status': { code: 250, message: 'OK' } }
      : kind === 'complaint' ? { event: 'complained' }
        : { event: 'failed', severity: kind === 'hard' ? 'permanent' : 'temporary', reason: 'generic',
          'delivery-status': kind === 'hard' ? { code: 550, 'enhanced-code': '5.1.1', message: 'user unknown' } : { code: 452, 'enhanced-code': '4.2.2', message: 'mailbox full' } }),
  };
  const signature = createHmac('sha256', secrets.MAILGUN_WEBHOOK_SIGNING_KEY).update(timestamp + token).digest('hex');
  return { method: 'POST', path: '/webhooks/mailgun', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': eventData }) };
}

function postmark() {
  const kind = pick();
  const at = new Date().toISOString();
  const body = kind === 'delivered'
    ? { RecordType: 'Delivery', MessageID: randomUUID(), Recipient: address(), DeliveredAt: at, Details: 'Test delivery' }
    : kind === 'complaint'
      ? { RecordType: 'SpamComplaint', ID: Math.floor(Math.random() * 1e9), Type: 'SpamComplaint', TypeCode: 512, MessageID: randomUUID(), Email: address(), BouncedAt: at }
      : { RecordType: 'Bounce', ID: Math.floor(Math.random() * 1e9), Type: kind === 'hard' ? 'HardBounce' : 'SoftBounce', TypeCode: kind === 'hard' ? 1 : 4096,
        MessageID: randomUUID(), Email: address(), BouncedAt: at, Inactive: kind === 'hard',
        Details: kind === 'hard' ? 'smtp;550 5.1.1 user unknown' : 'smtp;452 4.2.2 mailbox full' };
  return { method: 'POST', path: '/webhooks/postmark', body: JSON.stringify(body), headers: {
    'content-type': 'application/json', authorization: `Basic ${Buffer.from(secrets.POSTMARK_WEBHOOK_AUTH).toString('base64')}`,
  } };
}

function check() {
  return { method: 'POST', path: '/v1/suppressions/check', body: JSON.stringify({ emails: Array.from({ length: 20 }, address) }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.API_KEYS}` } };
}

/** Weighted mix per request: mostly single-event providers, some SendGrid batches, and checks. */
function nextRequest() {
  const r = Math.random();
  return r < 0.3 ? mailgun() : r < 0.6 ? postmark() : r < 0.75 ? sendgridBatch(10) : check();
}

async function main() {
  const port = await freePort();
  const ddbPort = await freePort();
  console.log(`load test: starting Rebote on :${port} (DynamoDB Local on :${ddbPort})…`);
  const server = spawn(process.execPath, [`${ROOT}scripts/start.mjs`], {
    cwd: ROOT, env: { ...process.env, ...secrets, PORT: String(port), DDB_PORT: String(ddbPort) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let log = '';
  server.stdout.on('data', (d) => { log += d; });
  server.stderr.on('data', (d) => { log += d; });
  const stop = () => { try { process.kill(-server.pid, 'SIGINT'); } catch { /* gone */ } };
  process.on('exit', stop);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (log.includes('rebote: ready')) break;
    if (i > 600 || server.exitCode !== null) throw new Error(`Rebote did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  console.log(`load test: ${CONNECTIONS} connections for ${DURATION} s…`);
  const statuses = {};
  const result = await autocannon({
    url, connections: CONNECTIONS, duration: DURATION,
    requests: [{ setupRequest: (req) => ({ ...req, ...nextRequest() }), onResponse: (status) => { statuses[status] = (statuses[status] ?? 0) + 1; } }],
  });
  stop();
  const errors = result.errors + result.timeouts + result.non2xx;
  const figures = {
    duration_s: DURATION, connections: CONNECTIONS, requests: result.requests.total, req_per_s: Math.round(result.requests.average),
    latency_p50_ms: result.latency.p50, latency_p99_ms: result.latency.p99, errors, statuses,
  };
  console.log(`\nrequests: ${figures.requests} in ${DURATION} s = ${figures.req_per_s} req/s`);
  console.log(`latency: p50 ${figures.latency_p50_ms} ms, p99 ${figures.latency_p99_ms} ms`);
  console.log(`errors (connection errors + timeouts + non-2xx): ${errors}  statuses: ${JSON.stringify(statuses)}`);
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/load.json`, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(JSON.stringify(figures));
  process.exit(errors === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
