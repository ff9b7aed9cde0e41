/** Amazon SES through SNS: inner SES messages are wrapped in an SNS Notification and signed with a generated key. */
import type { HarnessFactory, ProviderRequest } from '../harness.js';
import { fixtureReader, parseLabels } from '../harness.js';
import { makeSnsSigner, snsHeaders, wrapSesMessage } from '../../helpers/sns-signer.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:rebote-contract';
const REAL_CERT = 'SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem';

const factory: HarnessFactory = async () => {
  const fixture = fixtureReader('ses');
  const signer = await makeSnsSigner();
  const request = (body: string): ProviderRequest => ({
    path: '/webhooks/ses', body, headers: Object.fromEntries(snsHeaders(body)),
  });
  /** The SNS envelope for a labelled file: real signed vectors as they are, anything else (re)signed by the test key. */
  const envelope = async (file: string): Promise<string> => {
    const text = fixture(file);
    if (file.startsWith('signature-test-vectors/')) return text;
    if (file.startsWith('ses-message-')) return signer.sign(wrapSesMessage(text, { topicArn: TOPIC }));
    const { Signature: _s, SigningCertURL: _u, SignatureVersion: _v, ...unsigned } = JSON.parse(text) as Record<string, string>;
    // Moved to the test topic, everywhere it is named (a SubscribeURL names it too).
    const moved = Object.fromEntries(Object.entries(unsigned).map(([k, v]) => [k, v.replaceAll(unsigned.TopicArn!, TOPIC)]));
    return signer.sign(moved);
  };
  return {
    provider: 'ses',
    env: {
      SNS_TOPIC_ARNS: [
        TOPIC,
        'arn:aws:sns:us-east-2:295079676684:publish-and-verify-892f85fe-4836-424d-8188-ab85bef0f362',
        'arn:aws:sns:us-east-2:295079676684:publish-and-verify-62674b1d-4295-426b-88e7-5fb75652a04e',
        'arn:aws:sns:us-east-1:364852123998:test-email',
      ].join(','),
    },
    labels: parseLabels(fixture('labels.jsonl')),
    fixture,
    deps: {
      async fetchCertificate(url) {
        if (url.endsWith(`/${REAL_CERT}`)) return fixture(`signature-test-vectors/${REAL_CERT}`);
        return signer.fetchCertificate(url);
      },
      // SubscriptionConfirmation samples: the handshake is tested in ses-webhook.test.ts.
      async confirmSubscription() {},
    },
    signed: async (file) => request(await envelope(file)),
    async forged(file) {
      const env = JSON.parse(await envelope(file)) as Record<string, string>;
      // Flip one character of the signed Message: the signature no longer matches.
      env.Message = `${env.Message} `;
      return request(JSON.stringify(env));
    },
    invalid: async () => request(await signer.sign(wrapSesMessage('{"notificationType":"Bounce","mail":{}}', { topicArn: TOPIC }))),
  };
};

export default factory;
