/** Postmark: records are posted as they are, with the HTTP Basic credentials of the webhook URL. */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';

const AUTH = 'postmark-hook:contract-postmark-secret';

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('postmark');
  const request = (body: string, auth = AUTH): ProviderRequest => ({
    path: '/webhooks/postmark',
    headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(auth)}` },
    body,
  });
  return {
    provider: 'postmark',
    env: { POSTMARK_WEBHOOK_AUTH: AUTH },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    signed: async (file) => request(fixture(file)),
    forged: async (file) => request(fixture(file), 'postmark-hook:wrong-secret'),
    invalid: async () => request('{"RecordType": "Bounce", "Email": '),
  };
};

export default factory;
