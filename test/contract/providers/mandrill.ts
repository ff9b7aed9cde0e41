/**
 * Mandrill: every labelled batch is posted as Mandrill posts it, a form with one field
 * `mandrill_events`, signed with the test key over the configured URL and the field.
 */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';
import { hmac, toBase64 } from '../../../src/crypto/hmac.js';

const KEY = 'contract-mandrill-key';
const URL_CONFIGURED = 'https://rebote.test/webhooks/mandrill';

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('mandrill');
  /**
   * The `mandrill_events` value a labelled file stands for: form bodies carry it, JSON arrays
   * are it, and Symfony's test wrapper (`{"mandrill_events": [...]}`) holds it as an array.
   */
  const eventsValue = (file: string): string => {
    const text = fixture(file);
    if (file.endsWith('.form-urlencoded.txt')) return new URLSearchParams(text).get('mandrill_events')!;
    if (text.trimStart().startsWith('{')) return JSON.stringify((JSON.parse(text) as { mandrill_events: unknown }).mandrill_events);
    return text;
  };
  const request = async (events: string, url = URL_CONFIGURED): Promise<ProviderRequest> => {
    const signature = toBase64(await hmac('SHA-1', KEY, `${url}mandrill_events${events}`));
    return {
      path: '/webhooks/mandrill',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-mandrill-signature': signature },
      body: new URLSearchParams({ mandrill_events: events }).toString(),
    };
  };
  return {
    provider: 'mandrill',
    env: { MANDRILL_WEBHOOK_KEY: KEY, MANDRILL_WEBHOOK_URL: URL_CONFIGURED },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    // Inspect takes the form body or a bare array; Symfony's wrapper is neither.
    inspectBody: (file) => (file.startsWith('symfony-fixtures/')
      ? new URLSearchParams({ mandrill_events: eventsValue(file) }).toString()
      : fixture(file)),
    signed: (file) => request(eventsValue(file)),
    // Signed for another URL (the published vector's negative case adds a query string).
    forged: (file) => request(eventsValue(file), `${URL_CONFIGURED}?oof=1`),
    invalid: () => request('{"event": "hard_bounce"}'),
  };
};

export default factory;
