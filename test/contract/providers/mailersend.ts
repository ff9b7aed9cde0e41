/**
 * MailerSend: every labelled file is posted with its `Signature` header, an HMAC made here with a
 * generated webhook secret, except the `webhook.test` ping, which MailerSend signs with its
 * published test secret and which must pass all the same.
 */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';

const PING_SECRET = 'test_Am3L1GuOIc4blLUuHqAPxxwkZaJyEk8G';

async function hexHmac(secret: string, body: string): Promise<string> {
  const enc = new TextEncoder();
  const k = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return Array.from(new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(body))), (b) => b.toString(16).padStart(2, '0')).join('');
}

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('mailersend');
  const secret = crypto.randomUUID().replaceAll('-', '');
  const request = async (body: string, key: string): Promise<ProviderRequest> => ({
    path: '/webhooks/mailersend', body, headers: { 'content-type': 'application/json', signature: await hexHmac(key, body) },
  });
  const keyFor = (file: string) => (file.endsWith('webhook.test-ping.body.bin') ? PING_SECRET : secret);
  return {
    provider: 'mailersend',
    env: { MAILERSEND_WEBHOOK_SECRET: secret },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    signed: (file) => request(fixture(file), keyFor(file)),
    // The published test secret is what a forger would reach for first.
    forged: (file) => request(fixture(file), PING_SECRET),
    invalid: () => request('{"type":"activity.hard_bounced","created_at":"2024-01-01T12:00:00.000000Z","data":{"id":"x","email":42}}', secret),
  };
};

export default factory;
