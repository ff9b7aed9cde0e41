import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors.js';
import type { SnsDeps as ProviderDeps } from '../../../src/providers/ses/sns.js';
import {
  clearCertificateCache, isAllowedCertUrl, isAllowedSubscribeUrl, parseEnvelope, stringToSign, verifySnsRequest,
} from '../../../src/providers/ses/sns.js';
import {
  makeSnsSigner, snsHeaders, subscriptionConfirmation, wrapSesMessage, type SnsSigner,
} from '../../helpers/sns-signer.js';
import { REAL_VECTORS, fixtureText, realCertPem, syncError } from './fixtures.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-feedback';
const enc = (s: string) => new TextEncoder().encode(s);

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected an HttpError, but the promise resolved');
}

function depsFor(signer: Pick<SnsSigner, 'fetchCertificate'>): ProviderDeps {
  return { fetchCertificate: (url) => signer.fetchCertificate(url), now: () => new Date() };
}

/** Serves the real AWS certificate, and records what was asked for. */
function realCertDeps(): ProviderDeps & { fetched: string[] } {
  const fetched: string[] = [];
  return {
    fetched,
    async fetchCertificate(url) {
      fetched.push(url);
      return realCertPem();
    },
    now: () => new Date(),
  };
}

const verify = (body: string, topics: string[], deps: ProviderDeps, headers: Headers = snsHeaders(body)) =>
  verifySnsRequest(enc(body), headers, topics, deps);

describe('real AWS-signed SNS messages', () => {
  // Two vectors share a certificate URL: start each test with an empty key cache.
  beforeEach(() => clearCertificateCache());

  for (const file of REAL_VECTORS) {
    it(`verifies ${file} with the real, expired certificate`, async () => {
      const body = fixtureText(file);
      const env = JSON.parse(body) as Record<string, string>;
      const deps = realCertDeps();
      const out = await verify(body, [env.TopicArn!], deps);
      expect(out.MessageId).toBe(env.MessageId);
      expect(deps.fetched).toEqual([env.SigningCertURL]);
    });
  }

  const signedFields = ['Message', 'MessageId', 'Timestamp', 'TopicArn', 'Subject'];
  for (const field of signedFields) {
    it(`refuses the real complaint with ${field} tampered (401)`, async () => {
      const env = JSON.parse(fixtureText(REAL_VECTORS[2])) as Record<string, string>;
      const original = env.TopicArn!;
      env[field] = field === 'Timestamp' ? '2022-03-28T23:59:34.713Z' : `${env[field]}x`;
      // Both topics allowed, so the refusal can only come from the signature.
      const err = await rejection(verify(JSON.stringify(env), [original, env.TopicArn!], realCertDeps()));
      expect([err.status, err.code]).toEqual([401, 'bad_signature']);
    });
  }

  it('refuses a message whose Subject was removed, or added where none was signed', async () => {
    const withSubject = JSON.parse(fixtureText(REAL_VECTORS[2])) as Record<string, string>;
    delete withSubject.Subject;
    const withoutSubject = JSON.parse(fixtureText(REAL_VECTORS[3])) as Record<string, string>;
    withoutSubject.Subject = 'Amazon SES Email Event Notification';
    for (const env of [withSubject, withoutSubject]) {
      const err = await rejection(verify(JSON.stringify(env), [env.TopicArn!], realCertDeps()));
      expect(err.status).toBe(401);
    }
  });

  it('refuses a v1 signature presented as v2 and a v2 one presented as v1', async () => {
    for (const [file, version] of [[REAL_VECTORS[0], '2'], [REAL_VECTORS[1], '1']] as const) {
      const env = JSON.parse(fixtureText(file)) as Record<string, string>;
      env.SignatureVersion = version;
      const err = await rejection(verify(JSON.stringify(env), [env.TopicArn!], realCertDeps()));
      expect([err.status, err.code]).toEqual([401, 'bad_signature']);
    }
  });

  it('does not care about fields SNS does not sign (UnsubscribeURL, JSON whitespace)', async () => {
    const env = JSON.parse(fixtureText(REAL_VECTORS[3])) as Record<string, string>;
    env.UnsubscribeURL = 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=other';
    await expect(verify(JSON.stringify(env, null, 7), [env.TopicArn!], realCertDeps())).resolves.toBeDefined();
  });
});

describe('SNS signature with a generated key', () => {
  let signer: SnsSigner;
  beforeAll(async () => {
    signer = await makeSnsSigner();
  });

  for (const version of ['1', '2'] as const) {
    it(`accepts SignatureVersion ${version} Notifications, with and without Subject`, async () => {
      for (const subject of [undefined, 'Amazon SES Email Event Notification']) {
        const body = await signer.sign(wrapSesMessage({ eventType: 'Send', note: 'ünïcode\nand newlines' }, { topicArn: TOPIC, subject }), version);
        await expect(verify(body, [TOPIC], depsFor(signer))).resolves.toMatchObject({ Type: 'Notification' });
      }
    });
  }

  it('accepts signed SubscriptionConfirmation and UnsubscribeConfirmation messages', async () => {
    const sub = subscriptionConfirmation({ topicArn: TOPIC });
    await expect(verify(await signer.sign(sub, '1'), [TOPIC], depsFor(signer))).resolves.toMatchObject({ Type: 'SubscriptionConfirmation' });
    const unsub = { ...sub, Type: 'UnsubscribeConfirmation' };
    await expect(verify(await signer.sign(unsub, '2'), [TOPIC], depsFor(signer))).resolves.toMatchObject({ Type: 'UnsubscribeConfirmation' });
  });

  it('refuses a confirmation whose Type, Token or SubscribeURL was changed after signing', async () => {
    const signed = JSON.parse(await signer.sign(subscriptionConfirmation({ topicArn: TOPIC }), '2')) as Record<string, string>;
    const tampered: Array<Record<string, string>> = [
      { ...signed, Type: 'UnsubscribeConfirmation' },
      { ...signed, Token: `${signed.Token}0` },
      { ...signed, SubscribeURL: `${signed.SubscribeURL}0` },
    ];
    for (const env of tampered) {
      const err = await rejection(verify(JSON.stringify(env), [TOPIC], depsFor(signer)));
      expect([err.status, err.code], env.Type).toEqual([401, 'bad_signature']);
    }
  });

  it('refuses a signature made with another key', async () => {
    const other = await makeSnsSigner();
    const env = JSON.parse(await other.sign(wrapSesMessage('hi', { topicArn: TOPIC }))) as Record<string, string>;
    env.SigningCertURL = signer.certUrl; // claims our certificate
    const err = await rejection(verify(JSON.stringify(env), [TOPIC], depsFor(signer)));
    expect([err.status, err.code]).toEqual([401, 'bad_signature']);
  });

  it('refuses any SignatureVersion other than 1 and 2 without fetching anything', async () => {
    const counting = await makeSnsSigner();
    for (const version of ['3', '0', '', ' 2', '2.0', 'v2']) {
      const env = JSON.parse(await counting.sign(wrapSesMessage('hi', { topicArn: TOPIC }))) as Record<string, string>;
      env.SignatureVersion = version;
      const err = await rejection(verify(JSON.stringify(env), [TOPIC], depsFor(counting)));
      expect([err.status, err.code], version).toEqual([401, version === '' ? 'missing_signature' : 'bad_signature_version']);
    }
    expect(counting.fetched).toEqual([]);
  });

  it('answers a message without its signature fields with 401 (SPEC §1: missing signature)', async () => {
    for (const key of ['Signature', 'SignatureVersion', 'SigningCertURL']) {
      const env = JSON.parse(await signer.sign(wrapSesMessage('hi', { topicArn: TOPIC }))) as Record<string, string>;
      delete env[key];
      const err = await rejection(verify(JSON.stringify(env), [TOPIC], depsFor(signer)));
      expect([err.status, err.code], key).toEqual([401, 'missing_signature']);
    }
  });

  it('refuses a Signature that is not base64', async () => {
    const env = JSON.parse(await signer.sign(wrapSesMessage('hi', { topicArn: TOPIC }))) as Record<string, string>;
    env.Signature = `${env.Signature}*`;
    const err = await rejection(verify(JSON.stringify(env), [TOPIC], depsFor(signer)));
    expect([err.status, err.code]).toEqual([401, 'bad_signature']);
  });

  it('refuses certificate URLs off AWS SNS without ever fetching them', async () => {
    const name = 'SimpleNotificationService-0123456789abcdef.pem';
    const urls = [
      `http://sns.us-east-1.amazonaws.com/${name}`,
      `https://example.com/${name}`,
      `https://sns.us-east-1.amazonaws.com.evil.com/${name}`,
      `https://sns.us-east-1.amazonaws.com/../evil/${name}`,
      `https://sns.us-east-1.amazonaws.com/%2e%2e/${name}`,
      `https://evil.com@sns.us-east-1.amazonaws.com/${name}`,
      `https://sns.us-east-1.amazonaws.com:8443/${name}`,
      `https://sns.us-east-1.amazonaws.com/${name}?x=1`,
      `https://sns.s3.amazonaws.com/${name}`,
    ];
    for (const url of urls) {
      const fetched: string[] = [];
      const deps: ProviderDeps = { async fetchCertificate(u) { fetched.push(u); return signer.certPem; }, now: () => new Date() };
      const body = await signer.sign({ ...wrapSesMessage('hi', { topicArn: TOPIC }), SigningCertURL: url });
      const err = await rejection(verify(body, [TOPIC], deps));
      expect([err.status, err.code], url).toEqual([401, 'bad_certificate_url']);
      expect(fetched, url).toEqual([]);
    }
  });

  it('answers 401 topic_not_allowed for a genuine message from a topic that is not configured', async () => {
    const body = await signer.sign(wrapSesMessage('hi', { topicArn: `${TOPIC}-other` }));
    const err = await rejection(verify(body, [TOPIC], depsFor(signer)));
    expect([err.status, err.code]).toEqual([401, 'topic_not_allowed']);
  });

  it('fails closed: with no topics configured, even a valid message is refused, before any fetch', async () => {
    const counting = await makeSnsSigner();
    const body = await counting.sign(wrapSesMessage('hi', { topicArn: TOPIC }));
    const err = await rejection(verify(body, [], depsFor(counting)));
    expect([err.status, err.code]).toEqual([401, 'not_configured']);
    expect(counting.fetched).toEqual([]);
  });

  it('fetches a certificate once and reuses the key for later messages', async () => {
    const counting = await makeSnsSigner();
    for (const version of ['2', '2', '2'] as const) {
      await verify(await counting.sign(wrapSesMessage('hi', { topicArn: TOPIC }), version), [TOPIC], depsFor(counting));
    }
    expect(counting.fetched).toEqual([counting.certUrl]);
  });

  it('answers 503 when the certificate cannot be fetched, and tries again next time', async () => {
    const flaky = await makeSnsSigner();
    const body = await flaky.sign(wrapSesMessage('hi', { topicArn: TOPIC }));
    const down: ProviderDeps = { fetchCertificate: () => Promise.reject(new Error('network down')), now: () => new Date() };
    const err = await rejection(verify(body, [TOPIC], down));
    expect([err.status, err.code]).toEqual([503, 'certificate_unavailable']);
    expect(err.headers['Retry-After']).toBeDefined();
    await expect(verify(body, [TOPIC], depsFor(flaky))).resolves.toBeDefined();
  });

  it('refuses a certificate URL that serves something other than an RSA certificate', async () => {
    const liar = await makeSnsSigner();
    const body = await liar.sign(wrapSesMessage('hi', { topicArn: TOPIC }));
    const deps: ProviderDeps = { fetchCertificate: async () => '<html>not a certificate</html>', now: () => new Date() };
    const err = await rejection(verify(body, [TOPIC], deps));
    expect([err.status, err.code]).toEqual([401, 'bad_certificate']);
  });

  it('checks x-amz-sns-message-type against the body Type when the header is there', async () => {
    const body = await signer.sign(wrapSesMessage('hi', { topicArn: TOPIC }));
    await expect(verify(body, [TOPIC], depsFor(signer), new Headers())).resolves.toBeDefined();
    const err = await rejection(verify(body, [TOPIC], depsFor(signer), new Headers({ 'x-amz-sns-message-type': 'SubscriptionConfirmation' })));
    expect([err.status, err.code]).toEqual([400, 'malformed']);
  });

  it('refuses raw message delivery (no envelope, nothing signed) with 400', async () => {
    const err = await rejection(verify('{"eventType":"Bounce"}', [TOPIC], depsFor(signer), new Headers({ 'x-amz-sns-rawdelivery': 'true' })));
    expect(err.status).toBe(400);
  });

  it('refuses a signed SubscriptionConfirmation whose SubscribeURL is not an SNS ConfirmSubscription URL', async () => {
    const bad = [
      'https://evil.example/?Action=ConfirmSubscription&Token=1',
      `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&TopicArn=${TOPIC}&Token=1`,
    ];
    for (const subscribeUrl of bad) {
      const body = await signer.sign(subscriptionConfirmation({ topicArn: TOPIC, subscribeUrl }));
      const err = await rejection(verify(body, [TOPIC], depsFor(signer)));
      expect([err.status, err.code], subscribeUrl).toEqual([401, 'bad_subscribe_url']);
    }
  });
});

describe('isAllowedCertUrl', () => {
  const name = 'SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem';
  it('accepts SNS certificate URLs in commercial, GovCloud and China regions', () => {
    for (const url of [
      `https://sns.us-east-1.amazonaws.com/${name}`,
      `https://sns.ap-southeast-2.amazonaws.com/${name}`,
      `https://sns.us-gov-west-1.amazonaws.com/${name}`,
      `https://sns.cn-north-1.amazonaws.com.cn/${name}`,
    ]) expect(isAllowedCertUrl(url), url).toBe(true);
  });
  it('refuses everything else', () => {
    for (const url of [
      `http://sns.us-east-1.amazonaws.com/${name}`,
      `https://sns.us-east-1.amazonaws.com.evil.com/${name}`,
      `https://sns.us-east-1.amazonaws.com/${name}#x`,
      `https://sns.us-east-1.amazonaws.com/a/${name}`,
      `https://sns.us-east-1.amazonaws.com\\@evil.com/${name}`,
      `https://user:pw@sns.us-east-1.amazonaws.com/${name}`,
      `https://sns.us-east-1.amazonaws.com:443/${name}`,
      `https://SNS.US-EAST-1.AMAZONAWS.COM/${name}`,
      `https://sns.us-east-1.amazonaws.com/${name} `,
      `https://sns.s3-us-west-2.amazonaws.com/${name}`,
      `https://sns.s3-website-us-east-1.amazonaws.com/${name}`,
      `https://sqs.us-east-1.amazonaws.com/${name}`,
      'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-.pem',
      'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem.exe',
      'https://sns.us-east-1.amazonaws.com/evil.pem',
      '',
    ]) expect(isAllowedCertUrl(url), url).toBe(false);
  });
});

describe('isAllowedSubscribeUrl', () => {
  const topic = 'arn:aws:sns:us-west-2:123456789012:MyTopic';
  it('accepts the documented SubscribeURL', () => {
    const doc = JSON.parse(fixtureText('sns-envelopes/subscription-confirmation.json')) as Record<string, string>;
    expect(isAllowedSubscribeUrl(doc.SubscribeURL!, doc.TopicArn!)).toBe(true);
    expect(isAllowedSubscribeUrl(`https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=abc&TopicArn=${encodeURIComponent(topic)}`, topic)).toBe(true);
  });
  it('refuses other hosts, actions, paths and topics', () => {
    for (const url of [
      `http://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic}&Token=abc`,
      `https://sns.us-west-2.amazonaws.com.evil.com/?Action=ConfirmSubscription&TopicArn=${topic}&Token=abc`,
      `https://user@sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic}&Token=abc`,
      `https://sns.us-west-2.amazonaws.com:8443/?Action=ConfirmSubscription&TopicArn=${topic}&Token=abc`,
      `https://sns.us-west-2.amazonaws.com/x?Action=ConfirmSubscription&TopicArn=${topic}&Token=abc`,
      `https://sns.us-west-2.amazonaws.com/?Action=Publish&TopicArn=${topic}&Token=abc`,
      `https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Action=Publish&TopicArn=${topic}&Token=abc`,
      `https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic}-other&Token=abc`,
      `https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic}`,
      `https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic}&Token=abc#frag`,
    ]) expect(isAllowedSubscribeUrl(url, topic), url).toBe(false);
  });
});

describe('parseEnvelope', () => {
  const valid = JSON.parse(fixtureText(REAL_VECTORS[3])) as Record<string, unknown>;
  const code = (body: string | Uint8Array) => {
    const err = syncError(() => parseEnvelope(body));
    return [err.status, err.code];
  };

  it('refuses what is not an SNS envelope with 400 malformed', () => {
    for (const body of ['', 'not json', '[]', 'null', '"Notification"', '{}']) {
      expect(code(body), body).toEqual([400, 'malformed']);
    }
    expect(code(Uint8Array.of(0x7b, 0xff, 0x7d))).toEqual([400, 'malformed']); // not UTF-8
  });

  it('requires every signed field as a string', () => {
    for (const key of ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']) {
      expect(code(JSON.stringify({ ...valid, [key]: 1 })), key).toEqual([400, 'malformed']);
    }
    for (const key of ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp']) {
      const missing = { ...valid };
      delete missing[key];
      expect(code(JSON.stringify(missing)), key).toEqual([400, 'malformed']);
    }
    expect(code(JSON.stringify({ ...valid, Subject: 42 }))).toEqual([400, 'malformed']);
    expect(code(JSON.stringify({ ...valid, Timestamp: 'yesterday' }))).toEqual([400, 'malformed']);
  });

  it('knows three message types, and confirmations need Token and SubscribeURL', () => {
    expect(code(JSON.stringify({ ...valid, Type: 'Publish' }))).toEqual([400, 'malformed']);
    const doc = JSON.parse(fixtureText('sns-envelopes/subscription-confirmation.json')) as Record<string, unknown>;
    expect(parseEnvelope(JSON.stringify(doc)).Type).toBe('SubscriptionConfirmation');
    for (const key of ['Token', 'SubscribeURL']) {
      const missing = { ...doc };
      delete missing[key];
      expect(code(JSON.stringify(missing)), key).toEqual([400, 'malformed']);
    }
  });

  it('treats a null Subject as absent', () => {
    expect(parseEnvelope(JSON.stringify({ ...valid, Subject: null })).Subject).toBeUndefined();
  });
});

describe('stringToSign', () => {
  it('builds the documented layout for a confirmation', () => {
    const doc = parseEnvelope(fixtureText('sns-envelopes/subscription-confirmation.json'));
    expect(stringToSign(doc)).toBe([
      'Message', doc.Message, 'MessageId', doc.MessageId, 'SubscribeURL', doc.SubscribeURL,
      'Timestamp', doc.Timestamp, 'Token', doc.Token, 'TopicArn', doc.TopicArn, 'Type', doc.Type, '',
    ].join('\n'));
  });
  it('leaves Token and SubscribeURL out of a Notification even when present', () => {
    const env = parseEnvelope(JSON.stringify({ ...JSON.parse(fixtureText(REAL_VECTORS[0])), Token: 't' }));
    expect(stringToSign(env)).toBe(`Message\nHello world\nMessageId\n${env.MessageId}\nTimestamp\n${env.Timestamp}\nTopicArn\n${env.TopicArn}\nType\nNotification\n`);
  });
});
