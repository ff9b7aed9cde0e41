/**
 * Resend (Svix): every labelled file is posted as Svix would post it, signed with a secret generated
 * here and the current time. The Svix signature is computed here independently of
 * src/providers/resend/svix.ts, so a mistake there cannot be copied into the requests.
 */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';

const encoder = new TextEncoder();

function newSecret(): { secret: string; key: Uint8Array } {
  const key = crypto.getRandomValues(new Uint8Array(24));
  return { key, secret: `whsec_${btoa(String.fromCharCode(...key))}` };
}

async function sign(key: Uint8Array, id: string, timestamp: string, body: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(`${id}.${timestamp}.${body}`)));
  return `v1,${btoa(String.fromCharCode(...mac))}`;
}

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('resend');
  const mine = newSecret();
  const theirs = newSecret();
  const request = async (body: string, key: Uint8Array, file: string): Promise<ProviderRequest> => {
    // Svix keeps one message id across its retries.
    const id = `msg_${file.replace(/[^A-Za-z0-9]/g, '').slice(-27)}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      path: '/webhooks/resend',
      body,
      headers: {
        'content-type': 'application/json',
        'svix-id': id,
        'svix-timestamp': timestamp,
        'svix-signature': await sign(key, id, timestamp, body),
      },
    };
  };
  return {
    provider: 'resend',
    env: { RESEND_WEBHOOK_SECRET: mine.secret },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    signed: (file) => request(fixture(file), mine.key, file),
    forged: (file) => request(fixture(file), theirs.key, file),
    // Well-formed JSON in the wrong shape: `to` must list addresses.
    invalid: () => request('{"type":"email.bounced","created_at":"2024-01-01T00:00:00.000Z","data":{"email_id":"x","to":42}}', mine.key, 'invalid'),
  };
};

export default factory;
