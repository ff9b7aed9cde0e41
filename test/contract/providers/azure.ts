/**
 * Azure Communication Services Email through Event Grid: every labelled file is posted as Event
 * Grid would post it (Event Grid schema, an array), with the shared secret as `?key=` or as the
 * `X-Webhook-Secret` delivery header. A labelled bare `data` object (how Azure's logs show a
 * report) is wrapped in the event Event Grid would deliver it in.
 */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';

const EVENT_TYPE = 'Microsoft.Communication.EmailDeliveryReportReceived';

/** A fixed, file-derived event id: Event Grid keeps an event's id across its retries. */
async function eventId(file: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(file)));
  const hex = Array.from(hash.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('azure');
  const secret = crypto.randomUUID();
  const bodyFor = async (file: string): Promise<string> => {
    const text = fixture(file);
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value)) return text;
    const data = value as Record<string, unknown>;
    return JSON.stringify([{
      id: await eventId(file),
      topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rebote/providers/microsoft.communication/communicationservices/rebote-test',
      subject: `sender/${String(data.sender)}/message/${String(data.messageId)}`,
      data,
      eventType: EVENT_TYPE,
      dataVersion: '1.0',
      metadataVersion: '1',
      eventTime: data.deliveryAttemptTimestamp,
    }]);
  };
  const request = (body: string, key: string, asHeader: boolean): ProviderRequest => ({
    path: asHeader ? '/webhooks/azure' : `/webhooks/azure?key=${encodeURIComponent(key)}`,
    body,
    headers: {
      'content-type': 'application/json',
      'aeg-event-type': 'Notification',
      ...(asHeader ? { 'x-webhook-secret': key } : {}),
    },
  });
  const asHeader = (file: string) => file.includes('data-only');
  return {
    provider: 'azure',
    env: { AZURE_WEBHOOK_SECRET: secret },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    signed: async (file) => request(await bodyFor(file), secret, asHeader(file)),
    forged: async (file) => request(await bodyFor(file), crypto.randomUUID(), asHeader(file)),
    // A delivery report without a status.
    invalid: async () => request(JSON.stringify([{ id: 'x', eventType: EVENT_TYPE, eventTime: '2024-01-01T00:00:00Z', data: { recipient: 'someone@example.com' } }]), secret, false),
  };
};

export default factory;
