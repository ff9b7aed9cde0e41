/**
 * Amazon SES through SNS, end to end in workerd against DynamoDB Local: the real AWS-signed
 * vectors, refused signatures, the subscription handshake, redelivery, the soft-bounce rule and a
 * store that fails. (The labelled samples run in the provider contract suite.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, defaultDeps, type AppDeps } from '../../src/app.js';
import { bucketOf } from '../../src/store/pages.js';
import { key } from '../../src/store/schema.js';
import { makeSnsSigner, snsHeaders, subscriptionConfirmation, wrapSesMessage, type SnsSigner } from '../helpers/sns-signer.js';
import { fixtureReader } from '../contract/harness.js';
import { addressItems, ADMIN_KEY, freshTableEnv, partitionItems, testEnv, uniqueEmail } from './helpers.js';

const fixture = fixtureReader('ses');

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:rebote-test';
const REAL_CERT_URL = 'https://sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem';
const REAL_CERT_URL_EAST1 = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem';

let signer: SnsSigner;
let fetched: string[];
let confirmed: string[];
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  signer = await makeSnsSigner();
  fetched = [];
  confirmed = [];
  const deps: AppDeps = {
    ...defaultDeps,
    async fetchCertificate(url) {
      fetched.push(url);
      if (url === REAL_CERT_URL || url === REAL_CERT_URL_EAST1) return fixture(`signature-test-vectors/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem`);
      return signer.fetchCertificate(url);
    },
    async confirmSubscription(url) {
      confirmed.push(url);
    },
  };
  app = createApp(deps);
});

async function post(body: string, env: Record<string, string> = testEnv, headers = snsHeaders(body)): Promise<Response> {
  return app.fetch(new Request('https://rebote.test/webhooks/ses', { method: 'POST', body, headers }), env);
}

function bounceMessage(recipient: string, opts: { feedbackId: string; at: string; type?: 'Permanent' | 'Transient'; diagnostic?: string; status?: string }) {
  const inner = JSON.parse(fixture('ses-message-notificationType/bounce-permanent-general-with-dsn.json'));
  inner.bounce.bounceType = opts.type ?? 'Permanent';
  inner.bounce.bounceSubType = opts.type === 'Transient' ? 'MailboxFull' : 'General';
  inner.bounce.feedbackId = opts.feedbackId;
  inner.bounce.timestamp = opts.at;
  inner.bounce.bouncedRecipients = [{
    emailAddress: recipient, action: 'failed', status: opts.status ?? '5.1.1',
    diagnosticCode: opts.diagnostic ?? `smtp; 550 5.1.1 <${recipient}>... User unknown`,
  }];
  inner.mail.destination = [recipient];
  return inner;
}

describe('SNS authenticity', () => {
  it('accepts the real AWS-signed vectors (v1 SHA1 and v2 SHA256) with the real certificate', async () => {
    for (const file of ['aws-sdk-ruby-real-sns-v1-sha1-notification.json', 'aws-sdk-ruby-real-sns-v2-sha256-notification.json']) {
      const res = await post(fixture(`signature-test-vectors/${file}`));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, ignored: 1, rejected: 0 });
    }
  });

  it('refuses a forged message (401) and writes nothing', async () => {
    const email = uniqueEmail('forged');
    const signed = JSON.parse(await signer.sign(wrapSesMessage(bounceMessage(uniqueEmail(), { feedbackId: crypto.randomUUID(), at: '2026-06-01T00:00:00Z' }), { topicArn: TOPIC })));
    signed.Message = JSON.stringify(bounceMessage(email, { feedbackId: crypto.randomUUID(), at: '2026-06-01T00:00:00Z' }));
    const res = await post(JSON.stringify(signed));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_signature' } });
    expect(await addressItems(email)).toEqual([]);
  });

  it('refuses a topic that is not in SNS_TOPIC_ARNS (401 topic_not_allowed) and writes nothing', async () => {
    const email = uniqueEmail('topic');
    const body = await signer.sign(wrapSesMessage(bounceMessage(email, { feedbackId: crypto.randomUUID(), at: '2026-06-01T00:00:00Z' }), { topicArn: 'arn:aws:sns:us-east-1:123456789012:someone-else' }));
    const res = await post(body);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'topic_not_allowed' } });
    expect(await addressItems(email)).toEqual([]);
  });

  it('refuses certificate URLs off AWS (401) without fetching them, and writes nothing', async () => {
    const email = uniqueEmail('certurl');
    for (const url of [
      'https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-abc.pem',
      'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
      'https://evil.example/SimpleNotificationService-abc.pem',
      'https://sns.us-east-1.amazonaws.com@evil.example/SimpleNotificationService-abc.pem',
    ]) {
      const before = fetched.length;
      const envelope = wrapSesMessage(bounceMessage(email, { feedbackId: crypto.randomUUID(), at: '2026-06-01T00:00:00Z' }), { topicArn: TOPIC });
      const res = await post(await signer.sign({ ...envelope, SigningCertURL: url }));
      expect(res.status).toBe(401);
      expect(fetched.length).toBe(before);
    }
    expect(await addressItems(email)).toEqual([]);
  });

  it('confirms a subscription only for a listed topic, through its SNS SubscribeURL', async () => {
    const ok = subscriptionConfirmation({ topicArn: TOPIC });
    const res = await post(await signer.sign(ok));
    expect(res.status).toBe(200);
    expect(confirmed).toContain(ok.SubscribeURL);
    const other = subscriptionConfirmation({ topicArn: 'arn:aws:sns:us-east-1:123456789012:not-ours' });
    expect((await post(await signer.sign(other))).status).toBe(401);
    expect(confirmed).not.toContain(other.SubscribeURL);
  });
});

describe('store behaviour through the SES webhook', () => {
  it('leaves the same state when the same notification arrives three times', async () => {
    const env = await freshTableEnv();
    const email = uniqueEmail('thrice');
    const at = '2026-06-01T10:00:00.000Z';
    const body = await signer.sign(wrapSesMessage(bounceMessage(email, { feedbackId: crypto.randomUUID(), at }), { topicArn: TOPIC }));
    const partitions = [key.address(email), key.eventPage('2026-06', bucketOf(email)), key.counterMonth('2026-06'), key.domainCounterMonth('2026-06')];
    const answers = [];
    const states = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(body, env);
      answers.push(await res.json());
      states.push(await partitionItems(env, partitions));
    }
    expect(answers).toEqual([
      { accepted: 1, duplicates: 0, ignored: 0, rejected: 0 },
      { accepted: 0, duplicates: 1, ignored: 0, rejected: 0 },
      { accepted: 0, duplicates: 1, ignored: 0, rejected: 0 },
    ]);
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
    const kinds = states[0]!.map((i) => String(i.sk).split('#')[0]);
    expect(kinds.sort()).toEqual(['01|10|ses|bounced|hard|userunknown', '01|example.com|bounced', '2026-06-01', 'SUP']);
    expect(states[0]!.find((i) => String(i.pk).startsWith('EP#'))).toMatchObject({ n: 1 });
    expect(states[0]!.find((i) => String(i.sk).startsWith('01|10|'))).toMatchObject({ n: 1 });
  });

  it('suppresses after three soft bounces in the window, for SOFT_SUPPRESSION_DAYS; a delivery in between resets', async () => {
    const env = await freshTableEnv();
    const soft = (email: string, day: string) => signer.sign(wrapSesMessage(bounceMessage(email, {
      feedbackId: crypto.randomUUID(), at: `2026-11-${day}T08:00:00.000Z`, type: 'Transient', status: '4.2.2',
      diagnostic: 'smtp; 452 4.2.2 The email account that you tried to reach is over quota',
    }), { topicArn: TOPIC }));
    const lookup = (email: string) => app.fetch(new Request(`https://rebote.test/v1/suppressions/${email}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }), env);

    const full = uniqueEmail('full');
    for (const day of ['20', '22', '24']) expect((await post(await soft(full, day), env)).status).toBe(200);
    expect(await (await lookup(full)).json()).toMatchObject({ reason: 'soft_bounce_limit', expires_at: '2026-12-24T08:00:00.000Z' });

    const reset = uniqueEmail('reset');
    await post(await soft(reset, '20'), env);
    await post(await soft(reset, '21'), env);
    const delivery = JSON.parse(fixture('ses-message-notificationType/delivery.json'));
    delivery.delivery.recipients = [reset];
    delivery.delivery.timestamp = '2026-11-22T08:00:00.000Z';
    delivery.mail.messageId = crypto.randomUUID();
    expect((await post(await signer.sign(wrapSesMessage(delivery, { topicArn: TOPIC })), env)).status).toBe(200);
    await post(await soft(reset, '23'), env);
    expect((await lookup(reset)).status).toBe(404);
  });

  it('answers 503 with Retry-After, never a 4xx, when the store refuses connections, hangs, or stops mid-answer', async () => {
    for (const endpoint of ['http://127.0.0.1:9', testEnv.BLACK_HOLE_ENDPOINT!, testEnv.STALLED_ENDPOINT!]) {
      const email = uniqueEmail('down');
      const body = await signer.sign(wrapSesMessage(bounceMessage(email, { feedbackId: crypto.randomUUID(), at: '2026-06-01T00:00:00Z' }), { topicArn: TOPIC }));
      const res = await post(body, { ...testEnv, DDB_ENDPOINT: endpoint });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await res.json()).toMatchObject({ error: { code: 'store_unavailable' } });
      // Once the store is back, the provider's retry stores the event.
      expect(await (await post(body)).json()).toMatchObject({ accepted: 1 });
    }
  }, 60_000);
});

describe('the outbound calls of the deployed Worker, in workerd', () => {
  it('fetch a certificate and confirm a subscription with options workerd accepts, and answer by status', async () => {
    // DynamoDB Local stands in for a host that has no such certificate: it answers GET with an error.
    const url = `${testEnv.DDB_ENDPOINT}/SimpleNotificationService-test.pem`;
    const err = await defaultDeps.fetchCertificate(url).then(() => null, (e: unknown) => e);
    expect(err, String(err)).toMatchObject({ name: 'HttpError' });
    // A handshake that did not go through is retried: 503 with Retry-After, never a 4xx or a 500.
    await expect(defaultDeps.confirmSubscription(url)).rejects.toMatchObject({ status: 503, headers: { 'Retry-After': '30' } });
    // A certificate host that stops mid-answer fails the fetch (which the SNS check answers with
    // a 503), rather than holding the request.
    await expect(defaultDeps.fetchCertificate(`${testEnv.STALLED_ENDPOINT!}/SimpleNotificationService-test.pem`))
      .rejects.toMatchObject({ name: 'TimeoutError' });
  }, 30_000);
});
