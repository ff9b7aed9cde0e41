/** Mailjet: every labelled file is posted with HTTP Basic credentials, as from a `https://user:password@...` callback URL. */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('mailjet');
  const credentials = `mailjet-hook:${crypto.randomUUID()}`;
  const request = (body: string, creds: string): ProviderRequest => ({
    path: '/webhooks/mailjet', body, headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(creds)}` },
  });
  return {
    provider: 'mailjet',
    env: { MAILJET_WEBHOOK_AUTH: credentials },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    signed: async (file) => request(fixture(file), credentials),
    forged: async (file) => request(fixture(file), 'mailjet-hook:wrong-password'),
    // A grouped callback whose items are not events.
    invalid: async () => request('[1, 2]', credentials),
  };
};

export default factory;
