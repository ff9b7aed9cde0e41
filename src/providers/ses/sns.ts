/**
 * The Amazon SNS HTTP envelope: shape, signature (v1 SHA1withRSA, v2 SHA256withRSA), where the
 * signing certificate may come from, which topics are accepted, and which SubscribeURL may be
 * confirmed. Pure apart from `deps.fetchCertificate`, which the caller injects.
 *
 * Status codes matter more than usual here: SNS treats every 4xx as delivered and never retries
 * it, so only a request that is definitely not acceptable gets a 4xx; a certificate we could not
 * fetch is our problem, not the sender's, and gets a 503 so SNS tries again.
 */
import { HttpError, unauthorized } from '../../http/errors.js';
import { base64ToBytes } from '../../crypto/base64.js';
import { isRsaSpki, spkiFromCertificatePem } from '../../crypto/der.js';
import { lookup, malformed } from '../shared/payload.js';
import type { ProviderDeps } from '../types.js';

/** SNS needs only the certificate fetch and the clock. */
export type SnsDeps = Pick<ProviderDeps, 'fetchCertificate' | 'now'>;

export const SNS_MESSAGE_TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;
export type SnsMessageType = (typeof SNS_MESSAGE_TYPES)[number];

export interface SnsEnvelope {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  /** Present (and signed) on SubscriptionConfirmation and UnsubscribeConfirmation. */
  Token?: string;
  SubscribeURL?: string;
  UnsubscribeURL?: string;
}

const REQUIRED = ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp'] as const;
/** Absent ones are kept as '' so that verification refuses them as a missing signature (401). */
const SIGNATURE_FIELDS = ['SignatureVersion', 'Signature', 'SigningCertURL'] as const;
const CONFIRMATION_REQUIRED = ['Token', 'SubscribeURL'] as const;
const OPTIONAL = ['Subject', 'UnsubscribeURL'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const isMessageType = (v: string): v is SnsMessageType => (SNS_MESSAGE_TYPES as readonly string[]).includes(v);

/**
 * Parses and shape-checks an SNS body (no signature check). Throws 400 'malformed' on anything
 * that is not an SNS envelope, including raw message delivery (which has no envelope).
 */
export function parseEnvelope(body: Uint8Array | string): SnsEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === 'string' ? body : utf8.decode(body));
  } catch {
    throw malformed('the body is not JSON (SNS raw message delivery must be off)');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed('the body is not an SNS message object');
  }
  const raw = value as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const key of REQUIRED) {
    const v = raw[key];
    if (typeof v !== 'string') throw malformed(`SNS field ${key} is missing or not a string`);
    out[key] = v;
  }
  for (const key of SIGNATURE_FIELDS) {
    const v = raw[key] ?? '';
    if (typeof v !== 'string') throw malformed(`SNS field ${key} is not a string`);
    out[key] = v;
  }
  if (!isMessageType(out.Type!)) throw malformed(`unknown SNS message Type "${out.Type}"`);
  if (out.Type !== 'Notification') {
    for (const key of CONFIRMATION_REQUIRED) {
      const v = raw[key];
      if (typeof v !== 'string') throw malformed(`SNS field ${key} is missing or not a string`);
      out[key] = v;
    }
  } else if (typeof raw.Token === 'string') {
    out.Token = raw.Token;
  }
  for (const key of OPTIONAL) {
    const v = raw[key];
    // SNS omits an absent Subject; a null is treated the same, as nothing is signed for it.
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw malformed(`SNS field ${key} is not a string`);
    out[key] = v;
  }
  if (Number.isNaN(Date.parse(out.Timestamp!))) throw malformed('SNS Timestamp is not a date');
  return out as unknown as SnsEnvelope;
}

/**
 * The exact bytes SNS signs: `Key\nValue\n` for each signed key, in this order. Subject only
 * counts for a Notification and only when present.
 */
export function stringToSign(env: SnsEnvelope): string {
  const keys: ReadonlyArray<keyof SnsEnvelope> = env.Type === 'Notification'
    ? ['Message', 'MessageId', ...(env.Subject !== undefined ? ['Subject' as const] : []), 'Timestamp', 'TopicArn', 'Type']
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let s = '';
  for (const key of keys) s += `${key}\n${env[key] ?? ''}\n`;
  return s;
}

/*
 * AWS regions look like us-east-1, us-gov-west-1, cn-northwest-1. Requiring that shape, not just
 * any label, matters: `sns.<label>.amazonaws.com` also matches S3 virtual-hosted buckets such as
 * sns.s3.amazonaws.com or sns.s3-us-west-2.amazonaws.com, i.e. a bucket anyone could own.
 */
const SNS_HOST = /^sns\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com(?:\.cn)?$/;
const CERT_URL = /^https:\/\/sns\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/SimpleNotificationService-[A-Za-z0-9]+\.pem$/;

function plainHttpsUrl(text: string): URL | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  if (url.hash !== '' || !SNS_HOST.test(url.hostname)) return null;
  return url;
}

/** Whether a SigningCertURL may be fetched: an SNS certificate on an SNS host, nothing else. */
export function isAllowedCertUrl(text: string): boolean {
  // Both checks: the pattern on the raw text rejects anything a URL parser would "repair"
  // (backslashes, dot segments, percent-encoding), the parser rejects what a pattern can miss.
  if (!CERT_URL.test(text)) return false;
  const url = plainHttpsUrl(text);
  return url !== null && url.search === '' && url.href === text;
}

/**
 * Whether a SubscribeURL may be confirmed by GETting it: the ConfirmSubscription action on an SNS
 * host, for the topic the message came from when the URL names one.
 */
export function isAllowedSubscribeUrl(text: string, topicArn: string): boolean {
  if (/[\s\\]/.test(text) || !text.startsWith('https://sns.')) return false;
  const url = plainHttpsUrl(text);
  if (url === null || url.pathname !== '/') return false;
  if (url.searchParams.getAll('Action').join() !== 'ConfirmSubscription') return false;
  if (!url.searchParams.get('Token')) return false;
  const topics = url.searchParams.getAll('TopicArn');
  return topics.length === 0 || (topics.length === 1 && topics[0] === topicArn);
}

const HASHES: Readonly<Record<string, 'SHA-1' | 'SHA-256'>> = { '1': 'SHA-1', '2': 'SHA-256' };

/* Imported keys by hash + URL. Only settled keys are kept: in workerd a promise created while
 * serving one request must not be awaited by another, so concurrent first requests each fetch.
 * Bounded: SNS uses a handful of certificates, and only URLs that passed isAllowedCertUrl get
 * here. A failed fetch is not remembered, so the next request tries again. */
const KEY_CACHE_LIMIT = 32;
const keyCache = new Map<string, CryptoKey>();

async function loadKey(url: string, hash: 'SHA-1' | 'SHA-256', deps: SnsDeps): Promise<CryptoKey> {
  let pem: string;
  try {
    pem = await deps.fetchCertificate(url);
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(503, 'certificate_unavailable', 'could not fetch the SNS signing certificate; retry later', {
      'Retry-After': '30',
    });
  }
  let spki: Uint8Array;
  try {
    spki = spkiFromCertificatePem(pem);
    if (!isRsaSpki(spki)) throw new Error('not RSA');
  } catch {
    throw unauthorized('the SNS signing certificate has no RSA public key', 'bad_certificate');
  }
  try {
    return await crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
  } catch {
    throw unauthorized('the SNS signing certificate key cannot be imported', 'bad_certificate');
  }
}

async function cachedKey(url: string, hash: 'SHA-1' | 'SHA-256', deps: SnsDeps): Promise<CryptoKey> {
  const cacheKey = `${hash} ${url}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const key = await loadKey(url, hash, deps);
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
  keyCache.set(cacheKey, key);
  return key;
}

/** Checks SignatureVersion, SigningCertURL and the signature itself. Throws 401 (or 503, see above). */
export async function verifySignature(env: SnsEnvelope, deps: SnsDeps): Promise<void> {
  if (env.Signature === '' || env.SignatureVersion === '' || env.SigningCertURL === '') {
    throw unauthorized('the SNS message carries no signature', 'missing_signature');
  }
  const hash = lookup(HASHES, env.SignatureVersion);
  if (hash === null) {
    throw unauthorized(`unsupported SNS SignatureVersion "${env.SignatureVersion}"`, 'bad_signature_version');
  }
  if (!isAllowedCertUrl(env.SigningCertURL)) {
    throw unauthorized('SigningCertURL is not an Amazon SNS certificate URL', 'bad_certificate_url');
  }
  let signature: Uint8Array;
  try {
    signature = base64ToBytes(env.Signature);
  } catch {
    throw unauthorized('SNS Signature is not base64', 'bad_signature');
  }
  const key = await cachedKey(env.SigningCertURL, hash, deps);
  const ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, new TextEncoder().encode(stringToSign(env)));
  if (!ok) throw unauthorized('SNS signature does not verify', 'bad_signature');
}

/** Fail closed: with no topics configured, nothing is accepted (401, as for any provider's missing secret). */
function requireTopics(allowed: readonly string[]): void {
  if (allowed.length === 0) throw new HttpError(401, 'not_configured', 'SNS_TOPIC_ARNS is not set: refusing every SNS message');
}

export function checkTopic(env: SnsEnvelope, allowed: readonly string[]): void {
  requireTopics(allowed);
  // SPEC §1 lists the topic among the credentials: a topic not allowed is refused as they are (401).
  if (!allowed.includes(env.TopicArn)) throw unauthorized(`SNS topic ${env.TopicArn} is not in SNS_TOPIC_ARNS`, 'topic_not_allowed');
}

/**
 * The whole check for one SNS request, cheapest first, so nothing is fetched for a request that
 * is refused anyway. Returns the envelope for callers that want it.
 */
export async function verifySnsRequest(
  body: Uint8Array, headers: Headers, allowedTopics: readonly string[], deps: SnsDeps,
): Promise<SnsEnvelope> {
  requireTopics(allowedTopics);
  if (headers.get('x-amz-sns-rawdelivery')?.toLowerCase() === 'true') {
    throw malformed('SNS raw message delivery carries no signature: turn it off for this subscription');
  }
  const env = parseEnvelope(body);
  const declared = headers.get('x-amz-sns-message-type');
  if (declared !== null && declared !== env.Type) {
    throw malformed(`x-amz-sns-message-type "${declared}" does not match the body Type "${env.Type}"`);
  }
  await verifySignature(env, deps);
  // After the signature: `topic_not_allowed` then means "a genuine SNS message from a topic you did not allow".
  checkTopic(env, allowedTopics);
  if (env.Type === 'SubscriptionConfirmation' && !isAllowedSubscribeUrl(env.SubscribeURL ?? '', env.TopicArn)) {
    throw unauthorized('SubscribeURL is not an Amazon SNS ConfirmSubscription URL', 'bad_subscribe_url');
  }
  return env;
}

/** For tests: forget every cached key. */
export function clearCertificateCache(): void {
  keyCache.clear();
}
