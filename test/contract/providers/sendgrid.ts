/**
 * SendGrid Event Webhook: every labelled batch is signed the way SendGrid signs it (ECDSA P-256
 * over timestamp + raw body, DER signature in base64) with a key pair generated here.
 */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';
import { bytesToBase64 } from '../../../src/crypto/base64.js';

/** WebCrypto signs in P1363 (`r || s`); SendGrid sends ASN.1 DER. */
function p1363ToDer(sig: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array): number[] => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const v = [...bytes.subarray(i)];
    if (v[0]! & 0x80) v.unshift(0);
    return [0x02, v.length, ...v];
  };
  const body = [...integer(sig.subarray(0, 32)), ...integer(sig.subarray(32))];
  return Uint8Array.of(0x30, body.length, ...body);
}

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('sendgrid');
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey) as ArrayBuffer);
  const encoder = new TextEncoder();

  const request = async (body: string, opts: { skewTimestamp?: boolean } = {}): Promise<ProviderRequest> => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = encoder.encode(timestamp + body);
    const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, signed));
    return {
      path: '/webhooks/sendgrid',
      body,
      headers: {
        'content-type': 'application/json',
        'x-twilio-email-event-webhook-signature': bytesToBase64(p1363ToDer(sig)),
        // A forged request claims another time than the one that was signed.
        'x-twilio-email-event-webhook-timestamp': opts.skewTimestamp ? String(Number(timestamp) - 1) : timestamp,
      },
    };
  };

  return {
    provider: 'sendgrid',
    env: { SENDGRID_WEBHOOK_PUBLIC_KEY: bytesToBase64(spki) },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    signed: (file) => request(fixture(file)),
    forged: (file) => request(fixture(file), { skewTimestamp: true }),
    invalid: () => request('{"event":"bounce","email":"someone@example.com"}'),
  };
};

export default factory;
