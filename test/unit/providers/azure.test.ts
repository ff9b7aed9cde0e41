/**
 * Azure Communication Services Email through Event Grid: the shared secret, the subscription
 * validation handshake (also through the webhook route), the CloudEvents OPTIONS handshake, the
 * labelled samples, status mapping and envelope shapes.
 */
import { describe, expect, it } from 'vitest';
import { createApp, defaultDeps } from '../../../src/app.js';
import { readConfig } from '../../../src/config.js';
import { answerWebhookOptions } from '../../../src/providers/azure/handshake.js';
import { azure } from '../../../src/providers/azure/index.js';
import { parseAzure } from '../../../src/providers/azure/parse.js';
import type { ProviderDeps, WebhookRequest } from '../../../src/providers/types.js';
import { enc, expectLabelled, fixtures, statusThrown } from './labelled-samples.js';

const fx = fixtures('azure');
const deps: ProviderDeps = { now: () => new Date(), fetchCertificate: async () => '', claimOnce: async () => true };
const SECRET = crypto.randomUUID();
const config = readConfig({ AZURE_WEBHOOK_SECRET: SECRET });
const DELIVERY = 'Microsoft.Communication.EmailDeliveryReportReceived';

/** The validation event as Event Grid sends it (its docs' example), with the code of the docs' response. */
const validationCode = (JSON.parse(fx.text('docs-microsoft/SubscriptionValidation.response.json')) as { validationResponse: string }).validationResponse;
const validationEvent = JSON.stringify([{
  id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
  topic: '/subscriptions/xx/resourceGroups/rg/providers/microsoft.communication/communicationservices/acs',
  subject: '',
  data: { validationCode, validationUrl: 'https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/rebote/validate?id=x&t=y&apiVersion=2018-05-01-preview&token=z' },
  eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
  eventTime: '2018-01-25T22:12:19.4556811Z',
  metadataVersion: '1',
  dataVersion: '1',
}]);

const req = (url: string, headers: Record<string, string> = {}): WebhookRequest =>
  ({ method: 'POST', url, headers: new Headers(headers), body: enc(validationEvent) });

describe('the Azure shared secret', () => {
  it('is accepted as the key query parameter or as the X-Webhook-Secret header', async () => {
    await expect(azure.verify(req(`https://rebote.example/webhooks/azure?key=${encodeURIComponent(SECRET)}`), config, deps)).resolves.toBeUndefined();
    await expect(azure.verify(req('https://rebote.example/webhooks/azure', { 'x-webhook-secret': SECRET }), config, deps)).resolves.toBeUndefined();
  });

  it('is refused when wrong, a prefix, or missing', async () => {
    for (const [url, headers] of [
      ['https://rebote.example/webhooks/azure?key=wrong', {}],
      [`https://rebote.example/webhooks/azure?key=${SECRET.slice(0, -1)}`, {}],
      ['https://rebote.example/webhooks/azure', { 'x-webhook-secret': SECRET.toUpperCase() }],
      ['https://rebote.example/webhooks/azure?key=wrong', { 'x-webhook-secret': 'also-wrong' }],
    ] as const) {
      await expect(azure.verify(req(url, headers), config, deps), url).rejects.toMatchObject({ status: 401, code: 'bad_credentials' });
    }
    // Azure Functions' `code` parameter is not Rebote's `key`.
    for (const url of ['https://rebote.example/webhooks/azure', `https://rebote.example/webhooks/azure?code=${SECRET}`]) {
      await expect(azure.verify(req(url), config, deps), url).rejects.toMatchObject({ status: 401, code: 'missing_credentials' });
    }
  });

  it('refuses everything, the validation handshake included, when AZURE_WEBHOOK_SECRET is unset', async () => {
    await expect(azure.verify(req(`https://rebote.example/webhooks/azure?key=${SECRET}`), readConfig({}), deps))
      .rejects.toMatchObject({ status: 401, code: 'not_configured' });
  });
});

describe('the subscription validation handshake', () => {
  it('answers with the validation code and stores nothing', () => {
    const out = parseAzure(enc(validationEvent));
    expect(out.handshake).toEqual({ response: JSON.parse(fx.text('docs-microsoft/SubscriptionValidation.response.json')) });
    expect(out.events).toEqual([]);
  });

  it('is a 400 without a validation code', () => {
    const noCode = validationEvent.replace(`"validationCode":"${validationCode}",`, '');
    expect(statusThrown(() => parseAzure(enc(noCode)))).toBe(400);
  });

  it('goes through the webhook route: 200 with exactly {"validationResponse": code}, and 401 without the key', async () => {
    const app = createApp(defaultDeps);
    // No store call is made: a DynamoDB Local address that nothing answers on (without one, the
    // Worker would ask for AWS credentials).
    const env = { AZURE_WEBHOOK_SECRET: SECRET, DDB_TABLE: 'unused', DDB_ENDPOINT: 'http://127.0.0.1:9', API_KEYS: 'k' };
    const post = (path: string) => app.fetch(new Request(`https://rebote.example${path}`, {
      method: 'POST', body: validationEvent, headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' },
    }), env);
    const ok = await post(`/webhooks/azure?key=${encodeURIComponent(SECRET)}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ validationResponse: validationCode });
    const refused = await post('/webhooks/azure');
    expect(refused.status).toBe(401);
  });
});

describe('the CloudEvents OPTIONS handshake', () => {
  it('allows the requesting origin when the secret is right', () => {
    const answer = answerWebhookOptions(`https://rebote.example/webhooks/azure?key=${SECRET}`, new Headers({ 'WebHook-Request-Origin': 'eventgrid.azure.net' }), config);
    expect(answer).toMatchObject({ status: 200, headers: { 'WebHook-Allowed-Origin': 'eventgrid.azure.net' } });
  });

  it('is refused without the secret, and is a 400 without an origin', () => {
    expect(statusThrown(() => answerWebhookOptions('https://rebote.example/webhooks/azure', new Headers({ 'WebHook-Request-Origin': 'eventgrid.azure.net' }), config))).toBe(401);
    expect(statusThrown(() => answerWebhookOptions('https://rebote.example/webhooks/azure', new Headers({ 'WebHook-Request-Origin': 'eventgrid.azure.net' }), readConfig({})))).toBe(401);
    expect(statusThrown(() => answerWebhookOptions(`https://rebote.example/webhooks/azure?key=${SECRET}`, new Headers(), config))).toBe(400);
  });
});

describe('every labelled Azure sample gives the labelled events', () => {
  const rows = fx.labels();
  it('has the samples', () => expect(rows.length).toBe(3));
  for (const row of rows) {
    it(row.file, () => {
      if (row.invalid) {
        expect(statusThrown(() => parseAzure(fx.bytes(row.file)))).toBe(400);
        return;
      }
      expectLabelled(parseAzure(fx.bytes(row.file)), row, 'azure');
    });
  }
});

const report = (status: string, extra: Record<string, unknown> = {}, id = '0e0df3cb-ff8f-4f0a-9830-cfe76145d517') => ({
  id,
  subject: 'sender/DoNotReply@x.azurecomm.net/message/fb9e3380-428f-4e59-95a1-fc82e99a5219',
  eventType: DELIVERY,
  eventTime: '2026-08-19T23:28:55.2532364Z',
  data: {
    sender: 'DoNotReply@x.azurecomm.net', recipient: 'Someone@Example.com', messageId: 'fb9e3380-428f-4e59-95a1-fc82e99a5219',
    status, deliveryAttemptTimestamp: '2026-08-19T23:26:32.99+00:00', ...extra,
  },
});
const one = (value: unknown) => parseAzure(enc(JSON.stringify(value)));

describe('ACS delivery statuses', () => {
  it('Delivered is a delivery whatever the status message says', () => {
    expect(one([report('Delivered', { deliveryStatusDetails: { statusMessage: 'DestinationMailboxFull' } })]).events[0])
      .toMatchObject({ type: 'delivered', recipient: 'someone@example.com', occurred_at: '2026-08-19T23:26:32.990Z', message_id: 'fb9e3380-428f-4e59-95a1-fc82e99a5219' });
  });

  it('Failed is classified from the status message, undetermined when it says nothing', () => {
    expect(one([report('Failed', { deliveryStatusDetails: { statusMessage: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup' } })]).events[0]!.bounce)
      .toMatchObject({ class: 'hard', reason: 'userunknown', reply_code: '550', status: '5.1.10', provider_class: 'Failed' });
    expect(one([report('Failed')]).events[0]!.bounce).toMatchObject({ class: 'undetermined', rule: 'none' });
  });

  it('Bounced is hard when the message says nothing', () => {
    expect(one([report('Bounced')]).events[0]!.bounce).toMatchObject({ class: 'hard', rule: 'provider:hint' });
  });

  it('Suppressed is a drop with a hard_bounce suppression (ACS\'s managed list holds hard-bounced addresses)', () => {
    expect(one([report('Suppressed', { deliveryStatusDetails: { statusMessage: 'Recipient is suppressed' } })]).events[0])
      .toMatchObject({ type: 'dropped', provider_suppression: 'hard_bounce', bounce: { diagnostic: null } });
  });

  it('FilteredSpam and Quarantined are sender-side spam refusals: soft, never suppressing', () => {
    for (const status of ['FilteredSpam', 'Quarantined']) {
      expect(one([report(status)]).events[0]!.bounce, status).toMatchObject({ class: 'soft', reason: 'spamdetected' });
    }
  });

  it('Expanded, engagement reports and other event types are ignored', () => {
    const out = one([report('Expanded'), { ...report('Delivered'), eventType: 'Microsoft.Communication.EmailEngagementTrackingReportReceived' }, { id: 'x', eventType: 'Microsoft.EventGrid.SubscriptionDeletedEvent', data: {} }]);
    expect(out).toEqual({ events: [], ignored: 3, rejected: 0 });
  });

  it('accepts the old deliveryAttemptTimeStamp spelling, and falls back to the event time', () => {
    const { deliveryAttemptTimestamp: _d, ...data } = report('Delivered').data;
    expect(one([{ ...report('Delivered'), data: { ...data, deliveryAttemptTimeStamp: '2020-09-18T00:22:20.2855749Z' } }]).events[0]!.occurred_at).toBe('2020-09-18T00:22:20.285Z');
    expect(one([{ ...report('Delivered'), data }]).events[0]!.occurred_at).toBe('2026-08-19T23:28:55.253Z');
  });
});

describe('Event Grid shapes and ids', () => {
  it('takes a CloudEvents event (type, time) and a CloudEvents batch like Event Grid events', () => {
    const { eventType: _e, eventTime: _t, ...rest } = report('Delivered');
    const cloud = { ...rest, specversion: '1.0', type: DELIVERY, source: '/subscriptions/x', time: '2026-08-19T23:28:55Z' };
    const single = one(cloud).events;
    expect(single.map((e) => e.type)).toEqual(['delivered']);
    expect(one([cloud, { ...cloud, id: 'another' }]).events).toHaveLength(2);
    // The same event id in either schema is the same event.
    expect(single[0]!.id).toBe(one([report('Delivered')]).events[0]!.id);
  });

  it('finds the event type in either key when both are present (Azure SDK samples put a placeholder in one)', () => {
    const { eventType: _e, ...rest } = report('Failed');
    expect(one({ ...rest, type: 'type', eventType: DELIVERY, specversion: '1.0', source: 'source' }).events.map((e) => e.type)).toEqual(['bounced']);
    expect(one({ ...rest, type: DELIVERY, eventType: 'eventType' }).events.map((e) => e.type)).toEqual(['bounced']);
  });

  it('keeps the Event Grid id across redeliveries; another event id is another event', () => {
    expect(one([report('Failed')]).events[0]!.id).toBe(one([report('Failed')]).events[0]!.id);
    expect(one([report('Failed', {}, 'other-id')]).events[0]!.id).not.toBe(one([report('Failed')]).events[0]!.id);
  });

  it('takes a bare delivery-report data object (for /v1/inspect), with a content id', () => {
    const bare = parseAzure(fx.bytes('real-captures/EmailDeliveryReportReceived-Failed-icloud-HM08.data-only.json'));
    expect(bare.events[0]).toMatchObject({ type: 'bounced', recipient: 'frays.arctic0@icloud.com', occurred_at: '2025-11-11T21:17:05.360Z' });
    expect(parseAzure(fx.bytes('real-captures/EmailDeliveryReportReceived-Failed-icloud-HM08.data-only.json')).events[0]!.id).toBe(bare.events[0]!.id);
  });

  it.each([
    ['the 2022 docs sample with its trailing comma', fx.text('docs-microsoft/EmailDeliveryReportReceived.2022-docs.VERBATIM-INVALID-JSON-trailing-comma.txt')],
    ['an object that is no event', '{"hello": "world"}'],
    ['an array with a non-object', '[1]'],
    ['a report without data', JSON.stringify([{ id: 'x', eventType: DELIVERY, eventTime: '2024-01-01T00:00:00Z' }])],
    ['a report without status', JSON.stringify([{ id: 'x', eventType: DELIVERY, eventTime: '2024-01-01T00:00:00Z', data: { recipient: 'a@example.com' } }])],
    ['a report without any time', JSON.stringify([{ id: 'x', eventType: DELIVERY, data: { recipient: 'a@example.com', status: 'Failed' } }])],
  ])('%s is 400', (_name, body) => {
    expect(statusThrown(() => parseAzure(enc(body)))).toBe(400);
  });
});
