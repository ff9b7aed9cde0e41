/**
 * Brevo: every labelled file is posted with the credentials Brevo would send, HTTP Basic (from a
 * `https://user:password@...` URL) for some files and `Authorization: Bearer user:password` (its
 * token option) for the others, so the contract covers both.
 */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('brevo');
  const credentials = `brevo-hook:${crypto.randomUUID()}`;
  const request = (body: string, authorization: string): ProviderRequest => ({
    path: '/webhooks/brevo', body, headers: { 'content-type': 'application/json', authorization },
  });
  const authFor = (file: string, creds: string) =>
    (file.startsWith('symfony-fixtures/') ? `Bearer ${creds}` : `Basic ${btoa(creds)}`);
  return {
    provider: 'brevo',
    env: { BREVO_WEBHOOK_AUTH: credentials },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    signed: async (file) => request(fixture(file), authFor(file, credentials)),
    forged: async (file) => request(fixture(file), authFor(file, `brevo-hook:${crypto.randomUUID()}`)),
    // An event Rebote records, without any of Brevo's times.
    invalid: async () => request('{"event":"hard_bounce","email":"someone@example.com","reason":"550 5.1.1 no such user"}', `Basic ${btoa(credentials)}`),
  };
};

export default factory;
