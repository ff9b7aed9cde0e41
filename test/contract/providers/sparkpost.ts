/** SparkPost: batches are posted as they are, with the webhook's HTTP Basic credentials. */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';

const AUTH = 'sparkpost-hook:contract-sparkpost-secret';

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('sparkpost');
  const request = (body: string, auth = AUTH): ProviderRequest => ({
    path: '/webhooks/sparkpost',
    headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(auth)}` },
    body,
  });
  return {
    provider: 'sparkpost',
    env: { SPARKPOST_WEBHOOK_AUTH: AUTH },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    signed: async (file) => request(fixture(file)),
    forged: async (file) => request(fixture(file), 'sparkpost-hook:wrong-secret'),
    // One event, not the array SparkPost always sends.
    invalid: async () => request('{"msys": {"message_event": {"type": "bounce"}}}'),
  };
};

export default factory;
