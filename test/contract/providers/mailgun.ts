/**
 * Mailgun webhooks: each labelled event is posted as Mailgun posts it, with a fresh token and
 * timestamp signed by the test signing key (bare `event-data` samples are wrapped first).
 */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';
import { hmac, toHex } from '../../../src/crypto/hmac.js';

const KEY = 'contract-mailgun-signing-key';

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('mailgun');
  const eventData = (file: string): unknown => {
    const json = JSON.parse(fixture(file)) as Record<string, unknown>;
    return 'event-data' in json ? json['event-data'] : json;
  };
  const request = async (data: unknown, key = KEY): Promise<ProviderRequest> => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    // Mailgun's tokens are 50 random characters, new for every request.
    const token = toHex(crypto.getRandomValues(new Uint8Array(25)));
    const signature = toHex(await hmac('SHA-256', key, timestamp + token));
    return {
      path: '/webhooks/mailgun',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': data }),
    };
  };
  return {
    provider: 'mailgun',
    env: { MAILGUN_WEBHOOK_SIGNING_KEY: KEY },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    replayedWithOtherEvents: (req) => {
      const body = JSON.parse(req.body as string) as { signature: unknown; 'event-data': Record<string, unknown> };
      return { ...req, body: JSON.stringify({ signature: body.signature, 'event-data': { ...body['event-data'], recipient: 'victim@replay.example' } }) };
    },
    signed: (file) => request(eventData(file)),
    forged: (file) => request(eventData(file), 'not-the-signing-key'),
    invalid: () => request('not an event'),
  };
};

export default factory;
