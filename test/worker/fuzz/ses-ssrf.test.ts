/**
 * SNS messages are the only input that makes the Worker fetch a URL it was given: the signing
 * certificate (SigningCertURL) and the subscription confirmation (SubscribeURL). Both are
 * fuzzed here with correctly signed messages (test signer, listed topic) whose URLs point off AWS,
 * at look-alike hosts, internal addresses, other schemes, ports, credentials, dot segments and
 * encodings. The injected effects count every fetch: nothing but an AWS SNS URL may ever reach them.
 *
 * What may be fetched is written out here, independently of src/providers/ses/sns.ts.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSnsSigner, snsHeaders, subscriptionConfirmation, wrapSesMessage, type SnsSigner } from '../../helpers/sns-signer.js';
import { freshTableEnv } from '../helpers.js';
import { countedApp, fuzzCases, fuzzEnv, RUNS, send } from './support.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:rebote-ssrf';
const REGION = /^sns\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com(?:\.cn)?$/;

/** A certificate URL SNS could really use. */
const awsCertUrl = (u: string) => /^https:\/\/sns\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com(?:\.cn)?\/SimpleNotificationService-[A-Za-z0-9]+\.pem$/.test(u);

/**
 * A URL that leads to the ConfirmSubscription action of SNS for TOPIC, however it is spelled
 * (only these may ever be fetched).
 */
function awsSubscribeUrl(u: string): boolean {
  if (/[\s\\]/.test(u)) return false;
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return false;
  }
  // An explicit :443 is the default port of https (URL drops it): the same place.
  return url.protocol === 'https:' && REGION.test(url.hostname) && url.port === '' && url.username === '' && url.password === ''
    && url.hash === '' && url.pathname === '/' && url.searchParams.getAll('Action').join() === 'ConfirmSubscription' && url.searchParams.get('Token') !== null && url.searchParams.get('Token') !== ''
    && url.searchParams.getAll('TopicArn').every((t) => t === TOPIC) && url.searchParams.getAll('TopicArn').length <= 1;
}

/** A SubscribeURL as SNS writes it (these must be confirmed). */
const canonicalSubscribeUrl = (u: string) => /^https:\/\/sns\.[a-z0-9.-]+\/\?[^#\s\\]*$/.test(u) && awsSubscribeUrl(u);

const HOSTS = [
  'evil.example', 'sns.us-east-1.amazonaws.com.evil.example', 'sns.us-east-1.amazonaws.com@evil.example', 'evil.example#@sns.us-east-1.amazonaws.com',
  'evil.example?.sns.us-east-1.amazonaws.com', 'sns.s3.amazonaws.com', 'sns.s3-us-west-2.amazonaws.com', 'sns-us-east-1.amazonaws.com', 'sns.us-east-1.amazonaws.co',
  'sns.us-east-1.amazonaws.com:443', 'sns.us-east-1.amazonaws.com:8443', 'SNS.US-EAST-1.AMAZONAWS.COM', 'sns.us-east-1.amazonaws.com.', 'sns.us-eаst-1.amazonaws.com',
  'sns.us-east-1.amazonaws.com%2Eevil.example', 'sns.us-east-1.amazonaws.com\\@evil.example', 'user:pass@sns.us-east-1.amazonaws.com', '169.254.169.254', '127.0.0.1',
  '[::1]', 'localhost', '0x7f000001', '2130706433', 'metadata.google.internal', 'sns.us-east-1.amazonaws.com.cn.evil.example', 'xn--sns-us-east-1-amazonaws-com.example',
  'sns.us-east-1.amazonaws.com', 'sns.eu-west-3.amazonaws.com', 'sns.cn-north-1.amazonaws.com.cn', 'sns.us-gov-west-1.amazonaws.com',
];
const SCHEMES = ['https://', 'http://', 'HTTPS://', 'https:/', 'https:\\\\', '//', 'file://', 'ftp://', 'data:text/plain,', 'javascript:', 'https://\t', ' https://'];
const CERT_PATHS = ['/SimpleNotificationService-abc123.pem', '/SimpleNotificationService-abc123.pem?x=1', '/SimpleNotificationService-abc123.pem#f', '/a/../SimpleNotificationService-abc123.pem',
  '/%53impleNotificationService-abc123.pem', '/SimpleNotificationService-abc123.pem/..', '/SimpleNotificationService-.pem', '/SimpleNotificationService-abc/../../etc/passwd.pem', '/', ''];
const SUBSCRIBE_PATHS = [`/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=t0k3n`, '/?Action=ConfirmSubscription&Token=t0k3n', `/?Action=ConfirmSubscription&Action=Publish&Token=t`,
  '/?Action=ConfirmSubscription', '/x?Action=ConfirmSubscription&Token=t', '/?Action=confirmsubscription&Token=t', `/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:1:other&Token=t`,
  '/?Action=ConfirmSubscription&Token=t#x', '/..%2F?Action=ConfirmSubscription&Token=t', '/?Action=ConfirmSubscription&Token=t&redirect=https://evil.example/'];

const AWS_HOSTS = ['sns.us-east-1.amazonaws.com', 'sns.eu-west-3.amazonaws.com', 'sns.cn-north-1.amazonaws.com.cn', 'sns.us-gov-west-1.amazonaws.com'];
const urlFrom = (paths: string[]) => fc.oneof(
  // Real AWS URLs too, so the positive path is exercised (and only it fetches).
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...AWS_HOSTS), fc.constantFrom(...paths.slice(0, 2))).map(([h, p]) => `https://${h}${p}`) },
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...SCHEMES), fc.constantFrom(...HOSTS), fc.constantFrom(...paths)).map(([s, h, p]) => `${s}${h}${p}`) },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

let signer: SnsSigner;
let otherCert: string;
let env: Record<string, string>;

beforeAll(async () => {
  signer = await makeSnsSigner();
  otherCert = (await makeSnsSigner()).certPem;
  const t = await freshTableEnv();
  env = { ...fuzzEnv, DDB_TABLE: t.DDB_TABLE!, SNS_TOPIC_ARNS: TOPIC };
});

describe('SNS URLs off AWS are never fetched (SSRF)', () => {
  it(`signed messages with ${RUNS} hostile SigningCertURLs and SubscribeURLs`, async () => {
    const fetched: string[] = [];
    const confirmed: string[] = [];
    const { app } = countedApp({
      async fetchCertificate(url) {
        fetched.push(url);
        // The signer's own URL has its certificate; any other AWS-looking URL gets someone else's.
        return url === signer.certUrl ? signer.certPem : otherCert;
      },
      async confirmSubscription(url) {
        confirmed.push(url);
      },
    });
    const kinds = new Map<string, number>();
    const count = await fuzzCases(fc.oneof(
      fc.record({ kind: fc.constant('cert' as const), url: urlFrom(CERT_PATHS), type: fc.constantFrom('Notification', 'SubscriptionConfirmation') }),
      fc.record({ kind: fc.constant('subscribe' as const), url: urlFrom(SUBSCRIBE_PATHS), type: fc.constant('SubscriptionConfirmation') }),
    ), async (c) => {
      const fields = c.type === 'Notification'
        ? wrapSesMessage('{"notificationType":"Delivery","mail":{"messageId":"m","timestamp":"2026-01-01T00:00:00Z","destination":["a@example.com"]},"delivery":{"timestamp":"2026-01-01T00:00:00Z","recipients":["a@example.com"]}}', { topicArn: TOPIC })
        : subscriptionConfirmation({ topicArn: TOPIC, ...(c.kind === 'subscribe' ? { subscribeUrl: c.url } : {}) });
      if (c.kind === 'cert') fields.SigningCertURL = c.url;
      const body = await signer.sign(fields);
      const before = { fetched: fetched.length, confirmed: confirmed.length };
      const answer = await send(app, { method: 'POST', path: '/webhooks/ses', headers: Object.fromEntries(snsHeaders(body)), body }, env);
      const newFetches = fetched.slice(before.fetched);
      const newConfirms = confirmed.slice(before.confirmed);
      const allowed = c.kind === 'cert' ? awsCertUrl(c.url) : awsSubscribeUrl(c.url);
      const canonical = c.kind === 'subscribe' && canonicalSubscribeUrl(c.url);
      const label = `${c.kind}:${!allowed ? 'off-aws' : c.kind === 'cert' || canonical ? 'aws' : 'aws-odd-spelling'}`;
      kinds.set(label, (kinds.get(label) ?? 0) + 1);
      const where = `${c.kind} ${JSON.stringify(c.url)} → ${answer.status} ${answer.text.slice(0, 160)}`;
      // Concurrent cases share the logs: only URLs of this case count here.
      const mine = (urls: string[]) => urls.filter((u) => u === c.url);
      if (c.kind === 'cert') {
        for (const u of newFetches) expect(u === signer.certUrl || awsCertUrl(u), `fetched only AWS certificate URLs: ${u}`).toBe(true);
        if (!allowed) {
          expect(mine(newFetches), where).toEqual([]);
          expect(answer.status, where).toBe(401);
        } else {
          expect(answer.status, where).toBe(c.url === signer.certUrl ? 200 : 401);
        }
      } else {
        for (const u of newConfirms) expect(awsSubscribeUrl(u), `confirmed only AWS ConfirmSubscription URLs: ${u}`).toBe(true);
        if (!allowed) {
          expect(mine(newConfirms), where).toEqual([]);
          expect(answer.status, where).toBe(401);
        } else if (canonical) {
          expect(answer.status, where).toBe(200);
          expect(confirmed, where).toContain(c.url);
        } else {
          // An odd spelling of an AWS URL (upper-case scheme, :443, a single slash): refusing it is fine.
          expect([200, 401], where).toContain(answer.status);
        }
      }
    });
    for (const u of fetched) expect(u === signer.certUrl || awsCertUrl(u), u).toBe(true);
    for (const u of confirmed) expect(awsSubscribeUrl(u), u).toBe(true);
    console.log(`fuzz SNS URLs: ${count} cases ${JSON.stringify(Object.fromEntries(kinds))}; fetched ${fetched.length}, confirmed ${confirmed.length}`);
  }, 180_000);
});
