/**
 * Test-side SNS: a generated RSA key, a minimal self-signed X.509 certificate around it, and a
 * signer that produces SNS bodies exactly as AWS does (v1 SHA1withRSA, v2 SHA256withRSA). Uses
 * only WebCrypto and btoa, so it runs in Node and in workerd (worker integration tests).
 *
 * The string-to-sign is written here independently of src/providers/ses/sns.ts on purpose: a
 * mistake there must make these signatures fail, not be copied into them.
 */

export type SnsEnvelopeFields = Record<string, string>;

export interface SnsSigner {
  /** PEM of a self-signed certificate holding the signing key. */
  certPem: string;
  /** An SNS-looking SigningCertURL, unique to this signer (so per-URL key caches never mix signers). */
  certUrl: string;
  /** A `ProviderDeps.fetchCertificate`: serves `certPem` for `certUrl`, throws for any other URL. */
  fetchCertificate(url: string): Promise<string>;
  /** Every URL `fetchCertificate` was asked for, in order. */
  fetched: string[];
  /**
   * Signs the envelope and returns the JSON body. Sets SignatureVersion, SigningCertURL (unless
   * the envelope already has one: to test refused URLs) and Signature.
   */
  sign(envelope: SnsEnvelopeFields, version?: '1' | '2'): Promise<string>;
}

// ---- a tiny DER writer, enough for one certificate ----

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(content);
  const n = body.length;
  let length: number[];
  if (n < 0x80) length = [n];
  else if (n < 0x100) length = [0x81, n];
  else if (n < 0x10000) length = [0x82, n >> 8, n & 0xff];
  else length = [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concat([Uint8Array.of(tag, ...length), body]);
}

const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);
const ascii = (s: string) => new TextEncoder().encode(s);
const SHA256_WITH_RSA = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b);
const NULL = Uint8Array.of(0x05, 0x00);
const CN = Uint8Array.of(0x06, 0x03, 0x55, 0x04, 0x03);

function name(commonName: string): Uint8Array {
  return seq(tlv(0x31, seq(CN, tlv(0x0c, ascii(commonName)))));
}

async function selfSignedCertificate(spki: Uint8Array, signingKey: CryptoKey): Promise<Uint8Array> {
  const algorithm = seq(SHA256_WITH_RSA, NULL);
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Uint8Array.of(2))), // v3
    tlv(0x02, Uint8Array.of(0x01, 0x23, 0x45, 0x67)),
    algorithm,
    name('sns.amazonaws.com (rebote test)'),
    // Already expired, like the real vector's certificate: validity must never be checked.
    seq(tlv(0x17, ascii('200101000000Z')), tlv(0x17, ascii('210101000000Z'))),
    name('sns.amazonaws.com (rebote test)'),
    spki,
  );
  const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', signingKey, tbs));
  return seq(tbs, algorithm, tlv(0x03, Uint8Array.of(0), signature));
}

// ---- base64 / PEM ----

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

// ---- what SNS signs ----

/** `Key\nValue\n` for each signed key, in the order AWS documents. */
export function snsStringToSign(e: SnsEnvelopeFields): string {
  const keys = e.Type === 'Notification'
    ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return keys.filter((k) => e[k] !== undefined).map((k) => `${k}\n${e[k]}\n`).join('');
}

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

export async function makeSnsSigner(opts: { region?: string } = {}): Promise<SnsSigner> {
  const region = opts.region ?? 'us-east-1';
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  // A WebCrypto RSA key is bound to one hash: the same private key again, for SHA-1 (v1).
  const pkcs8 = (await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer;
  const sha1Key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }, false, ['sign']);
  const spki = new Uint8Array((await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer);
  const certPem = toPem(await selfSignedCertificate(spki, pair.privateKey));
  const certUrl = `https://sns.${region}.amazonaws.com/SimpleNotificationService-${randomHex(16)}.pem`;
  const fetched: string[] = [];

  return {
    certPem,
    certUrl,
    fetched,
    async fetchCertificate(url) {
      fetched.push(url);
      if (url !== certUrl) throw new Error(`test signer has no certificate at ${url}`);
      return certPem;
    },
    async sign(envelope, version = '2') {
      const e: SnsEnvelopeFields = { ...envelope, SignatureVersion: version, SigningCertURL: envelope.SigningCertURL ?? certUrl };
      const key = version === '1' ? sha1Key : pair.privateKey;
      const sig = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(snsStringToSign(e)));
      return JSON.stringify({ ...e, Signature: toBase64(new Uint8Array(sig)) });
    },
  };
}

export interface WrapOptions {
  topicArn: string;
  messageId?: string;
  timestamp?: string;
  /** Event publishing sends "Amazon SES Email Event Notification"; legacy notifications send none. */
  subject?: string;
}

/** An unsigned SNS Notification carrying an SES message (an object is JSON-encoded, a string kept as is). */
export function wrapSesMessage(inner: object | string, opts: WrapOptions): SnsEnvelopeFields {
  const region = opts.topicArn.split(':')[3] ?? 'us-east-1';
  return {
    Type: 'Notification',
    MessageId: opts.messageId ?? crypto.randomUUID(),
    TopicArn: opts.topicArn,
    ...(opts.subject !== undefined ? { Subject: opts.subject } : {}),
    Message: typeof inner === 'string' ? inner : JSON.stringify(inner),
    Timestamp: opts.timestamp ?? new Date().toISOString(),
    UnsubscribeURL: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${opts.topicArn}:${crypto.randomUUID()}`,
  };
}

/** An unsigned SNS SubscriptionConfirmation for `topicArn`, with a well-formed SubscribeURL. */
export function subscriptionConfirmation(opts: { topicArn: string; token?: string; subscribeUrl?: string }): SnsEnvelopeFields {
  const region = opts.topicArn.split(':')[3] ?? 'us-east-1';
  const token = opts.token ?? randomHex(64);
  return {
    Type: 'SubscriptionConfirmation',
    MessageId: crypto.randomUUID(),
    Token: token,
    TopicArn: opts.topicArn,
    Message: `You have chosen to subscribe to the topic ${opts.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: opts.subscribeUrl ??
      `https://sns.${region}.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${opts.topicArn}&Token=${token}`,
    Timestamp: new Date().toISOString(),
  };
}

/** The headers SNS sends with a body (x-amz-sns-message-type and friends). */
export function snsHeaders(body: string): Headers {
  const e = JSON.parse(body) as SnsEnvelopeFields;
  return new Headers({
    'content-type': 'text/plain; charset=UTF-8',
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': e.Type ?? '',
    'x-amz-sns-message-id': e.MessageId ?? '',
    'x-amz-sns-topic-arn': e.TopicArn ?? '',
  });
}
