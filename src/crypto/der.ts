/**
 * Just enough ASN.1 DER to take the public key out of an X.509 certificate: Workers have no
 * X.509 parser, and WebCrypto imports keys as SubjectPublicKeyInfo ("spki"), not certificates.
 * Validity dates, the issuer and the certificate's own signature are deliberately not read: the
 * certificate is trusted because of where it was fetched from (an https URL on an AWS host).
 */
import { base64ToBytes } from './base64.js';

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One tag-length-value: `start` is the first byte of the tag, `body` the first byte of the value. */
export interface Tlv {
  tag: number;
  start: number;
  body: number;
  end: number;
}

const TAG_INTEGER = 0x02;
const TAG_BIT_STRING = 0x03;
const TAG_OID = 0x06;
const TAG_SEQUENCE = 0x30;
const TAG_VERSION = 0xa0; // [0] EXPLICIT, context-specific constructed

/** Reads the TLV at `offset`, which must end at or before `limit`. */
export function readTlv(der: Uint8Array, offset: number, limit: number = der.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated DER');
  const tag = der[offset]!;
  // Multi-byte tags never occur in the certificate fields we walk.
  if ((tag & 0x1f) === 0x1f) throw new DerError('unsupported high tag number');
  const first = der[offset + 1]!;
  let length: number;
  let body = offset + 2;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length: not DER. Four bytes is far beyond any certificate.
    if (count === 0 || count > 4) throw new DerError('unsupported DER length');
    if (body + count > limit) throw new DerError('truncated DER');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[body + i]!;
    body += count;
  }
  const end = body + length;
  if (end > limit) throw new DerError('DER value runs past its container');
  return { tag, start: offset, body, end };
}

function expect(tlv: Tlv, tag: number, what: string): Tlv {
  if (tlv.tag !== tag) throw new DerError(`expected ${what}`);
  return tlv;
}

// 1.2.840.113549.1.1.1, rsaEncryption, as DER content bytes.
const RSA_ENCRYPTION = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);

/**
 * The SubjectPublicKeyInfo of a DER certificate, as a fresh copy of its bytes:
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
 * signature, issuer, validity, subject, subjectPublicKeyInfo, ... }, ... } (RFC 5280 §4.1).
 */
export function spkiFromCertificate(der: Uint8Array): Uint8Array {
  const cert = expect(readTlv(der, 0), TAG_SEQUENCE, 'Certificate SEQUENCE');
  if (cert.end !== der.length) throw new DerError('trailing bytes after the certificate');
  const tbs = expect(readTlv(der, cert.body, cert.end), TAG_SEQUENCE, 'TBSCertificate SEQUENCE');
  let field = readTlv(der, tbs.body, tbs.end);
  if (field.tag === TAG_VERSION) field = readTlv(der, field.end, tbs.end);
  expect(field, TAG_INTEGER, 'serialNumber');
  const names = ['signature algorithm', 'issuer', 'validity', 'subject'];
  for (const name of names) field = expect(readTlv(der, field.end, tbs.end), TAG_SEQUENCE, name);
  const spki = expect(readTlv(der, field.end, tbs.end), TAG_SEQUENCE, 'SubjectPublicKeyInfo');
  return der.slice(spki.start, spki.end);
}

/** The algorithm OID's content bytes of a SubjectPublicKeyInfo. */
function spkiAlgorithm(spki: Uint8Array): Uint8Array {
  const outer = expect(readTlv(spki, 0), TAG_SEQUENCE, 'SubjectPublicKeyInfo');
  const alg = expect(readTlv(spki, outer.body, outer.end), TAG_SEQUENCE, 'AlgorithmIdentifier');
  const oid = expect(readTlv(spki, alg.body, alg.end), TAG_OID, 'algorithm OID');
  expect(readTlv(spki, alg.end, outer.end), TAG_BIT_STRING, 'subjectPublicKey BIT STRING');
  return spki.subarray(oid.body, oid.end);
}

export function isRsaSpki(spki: Uint8Array): boolean {
  const oid = spkiAlgorithm(spki);
  return oid.length === RSA_ENCRYPTION.length && oid.every((b, i) => b === RSA_ENCRYPTION[i]);
}

/** The DER bytes of the first PEM block with this label (e.g. CERTIFICATE). */
export function pemToDer(pem: string, label = 'CERTIFICATE'): Uint8Array {
  const begin = `-----BEGIN ${label}-----`;
  const endMarker = `-----END ${label}-----`;
  const from = pem.indexOf(begin);
  const to = from < 0 ? -1 : pem.indexOf(endMarker, from + begin.length);
  if (from < 0 || to < 0) throw new DerError(`no ${label} PEM block`);
  try {
    return base64ToBytes(pem.slice(from + begin.length, to));
  } catch {
    throw new DerError(`the ${label} PEM block is not base64`);
  }
}

/** PEM certificate → SubjectPublicKeyInfo DER, ready for `crypto.subtle.importKey('spki', ...)`. */
export function spkiFromCertificatePem(pem: string): Uint8Array {
  return spkiFromCertificate(pemToDer(pem, 'CERTIFICATE'));
}
