/**
 * The SES plugin end to end (envelope → SES message → classifier → canonical events) against
 * the hand-labelled samples of the corpus (copied to test/fixtures/ses/labels.jsonl), and the
 * plugin's verify + parse on signed requests.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { HttpError } from '../../../src/http/errors.js';
import { ses } from '../../../src/providers/ses/index.js';
import type { WebhookRequest } from '../../../src/providers/types.js';
import { makeSnsSigner, snsHeaders, wrapSesMessage } from '../../helpers/sns-signer.js';
import { fixtureText, realCertPem, sesLabels } from './fixtures.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-feedback';
const config = readConfig({ SNS_TOPIC_ARNS: TOPIC });
const enc = (s: string) => new TextEncoder().encode(s);
const BOUNCE_TYPES = new Set(['bounced', 'deferred', 'dropped']);

/** The body SNS would POST for a labelled file: inner SES messages get an (unsigned) envelope. */
function bodyFor(file: string): string {
  const text = fixtureText(file);
  if (!file.startsWith('ses-message-')) return text;
  const subject = file.startsWith('ses-message-eventType/') ? 'Amazon SES Email Event Notification' : undefined;
  return JSON.stringify({
    ...wrapSesMessage(text, { topicArn: TOPIC, subject, timestamp: '2024-01-01T00:00:00.000Z' }),
    SignatureVersion: '1',
    Signature: 'unsigned',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-unsigned.pem',
  });
}

describe('every labelled SES sample gives the labelled events', () => {
  const rows = sesLabels();
  it('has the samples to check', () => {
    expect(rows.length).toBeGreaterThanOrEqual(19);
  });

  for (const row of rows) {
    it(row.file, () => {
      const body = enc(bodyFor(row.file));
      if (row.invalid) {
        expect(() => ses.parse(body, config)).toThrow(HttpError);
        return;
      }
      const out = ses.parse(body, config);
      expect(out.ignored, 'ignored').toBe(row.ignored);
      expect(out.rejected, 'rejected').toBe(0);
      expect(out.events.map((e) => [e.type, e.recipient])).toEqual(row.events.map((e) => [e.type, e.recipient]));
      row.events.forEach((label, i) => {
        const event = out.events[i]!;
        const where = `${row.file} event ${i}`;
        expect(event.provider).toBe('ses');
        expect(event.occurred_at, where).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        if (!BOUNCE_TYPES.has(label.type)) {
          expect(event.bounce, where).toBeUndefined();
          return;
        }
        expect(event.bounce, where).toBeDefined();
        if (label.class !== null) expect(event.bounce!.class, `${where} class`).toBe(label.class);
        if (label.reason !== null) expect(event.bounce!.reason, `${where} reason`).toBe(label.reason);
        if (label.reply_code) expect(event.bounce!.reply_code, `${where} reply_code`).toBe(label.reply_code);
        if (label.status) expect(event.bounce!.status, `${where} status`).toBe(label.status);
      });
    });
  }
});

describe('the ses plugin', () => {
  const request = (body: string, headers = snsHeaders(body)): WebhookRequest =>
    ({ method: 'POST', url: 'https://rebote.example/webhooks/ses', headers, body: enc(body) });

  it('verifies and parses a real AWS-signed bounce', async () => {
    const body = fixtureText('signature-test-vectors/django-ses-real-sns-v1-notification-bounce.json');
    const topic = (JSON.parse(body) as { TopicArn: string }).TopicArn;
    const deps = { fetchCertificate: async () => realCertPem(), now: () => new Date(), claimOnce: async () => true };
    await ses.verify(request(body), readConfig({ SNS_TOPIC_ARNS: topic }), deps);
    const out = ses.parse(enc(body), readConfig({ SNS_TOPIC_ARNS: topic }));
    expect(out.events).toEqual([expect.objectContaining({
      type: 'bounced', recipient: 'bounce@simulator.amazonses.com', occurred_at: '2022-04-01T21:24:49.000Z',
      message_id: '0100017fe7043e8e-fc9c357d-a9a4-49bc-a4b4-fa984009d568-000000',
    })]);
    expect(out.events[0]!.bounce).toMatchObject({ class: 'hard', status: '5.1.1', provider_class: 'Permanent/General' });
  });

  it('refuses every message when SNS_TOPIC_ARNS is unset', async () => {
    const signer = await makeSnsSigner();
    const body = await signer.sign(wrapSesMessage(fixtureText('ses-message-eventType/bounce.json'), { topicArn: TOPIC }));
    const deps = { fetchCertificate: (u: string) => signer.fetchCertificate(u), now: () => new Date(), claimOnce: async () => true };
    await expect(ses.verify(request(body), readConfig({}), deps)).rejects.toMatchObject({ status: 401, code: 'not_configured' });
    await expect(ses.verify(request(body), config, deps)).resolves.toBeUndefined();
  });

  it('answers a malformed body with 400 from parse as well as from verify', async () => {
    const deps = { fetchCertificate: async () => realCertPem(), now: () => new Date(), claimOnce: async () => true };
    expect(() => ses.parse(enc('{"Type":"Notification"'), config)).toThrow(expect.objectContaining({ status: 400 }));
    await expect(ses.verify(request('nope', new Headers()), config, deps)).rejects.toMatchObject({ status: 400 });
  });
});
