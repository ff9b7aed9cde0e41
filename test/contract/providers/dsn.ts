/**
 * The provider-contract harness for `dsn` (raw bounce emails).
 *
 * Labels: test/fixtures/dsn/labels.jsonl (ASCII-only emails: the suite reads fixtures as text).
 */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';

const TOKEN = 'contract-dsn-ingest-token';

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('dsn');
  const request = (body: string, token = TOKEN): ProviderRequest => ({
    path: '/webhooks/dsn',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` },
    body,
  });
  return {
    provider: 'dsn',
    env: { INGEST_TOKEN: TOKEN },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    signed: async (file) => request(fixture(file)),
    forged: async (file) => request(fixture(file), `${TOKEN}-wrong`),
    invalid: async () => request('{"this": "is JSON, not an email"}'),
  };
};

export default factory;
