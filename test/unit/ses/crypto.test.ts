import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../../src/crypto/base64.js';
import { DerError, isRsaSpki, pemToDer, readTlv, spkiFromCertificate, spkiFromCertificatePem } from '../../../src/crypto/der.js';
import { timingSafeEqual } from '../../../src/crypto/timing-safe.js';
import { makeSnsSigner } from '../../helpers/sns-signer.js';
import { fixtureText, realCertPem } from './fixtures.js';

describe('base64', () => {
  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
  });
  it('ignores line wrapping but refuses other characters and bad padding', () => {
    expect(base64ToBytes('aGVs\nbG8=')).toEqual(new TextEncoder().encode('hello'));
    for (const bad of ['aGVsbG8', 'aGVs*G8=', 'aGVsbG8==', 'a===', 'aGVsbG8-', '====', 'aG=s', 'aGVsbG8=aGVs', '=aGV']) {
      expect(() => base64ToBytes(bad), bad).toThrow();
    }
    for (const good of ['', 'aGVsbG8=', 'aGVsbA==', 'aGVs']) expect(() => base64ToBytes(good), good).not.toThrow();
  });
  it('decodes tens of MB (a dead letter of a 25 MB email) without running out of stack', () => {
    const big = new Uint8Array(6 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 11)) & 0xff;
    const back = base64ToBytes(bytesToBase64(big));
    expect(back.byteLength).toBe(big.byteLength);
    expect(back.every((b, i) => b === big[i])).toBe(true);
  });
});

describe('timingSafeEqual', () => {
  it('is true only for equal inputs', () => {
    expect(timingSafeEqual('secret', 'secret')).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual('secret', 'secreT')).toBe(false);
    expect(timingSafeEqual('Secret', 'secret')).toBe(false);
  });
  it('treats a prefix, or trailing zero bytes, as different', () => {
    expect(timingSafeEqual('secret', 'secret1')).toBe(false);
    expect(timingSafeEqual('', 'a')).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
  });
  it('compares strings as UTF-8 and mixes strings with bytes', () => {
    expect(timingSafeEqual('é', new Uint8Array([0xc3, 0xa9]))).toBe(true);
    expect(timingSafeEqual('é', 'e')).toBe(false);
  });
});

describe('DER certificate → SubjectPublicKeyInfo', () => {
  it('extracts exactly the SPKI of the real (expired) SNS certificate', () => {
    const expected = pemToDer(fixtureText('signature-test-vectors/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.spki.pem'), 'PUBLIC KEY');
    const spki = spkiFromCertificatePem(realCertPem());
    expect(spki).toEqual(expected);
    expect(isRsaSpki(spki)).toBe(true);
  });

  it('extracts a key WebCrypto accepts from a generated certificate', async () => {
    const signer = await makeSnsSigner();
    const spki = spkiFromCertificatePem(signer.certPem);
    await expect(crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']))
      .resolves.toBeDefined();
  });

  it('refuses truncated, padded and non-certificate input', () => {
    const der = pemToDer(realCertPem());
    expect(() => spkiFromCertificate(der.subarray(0, der.length - 1))).toThrow(DerError);
    expect(() => spkiFromCertificate(Uint8Array.of(...der, 0))).toThrow(DerError);
    expect(() => spkiFromCertificate(Uint8Array.of(0x30, 0x80, 0, 0))).toThrow(DerError); // BER indefinite length
    expect(() => spkiFromCertificate(Uint8Array.of(0x02, 0x01, 0x05))).toThrow(DerError);
    expect(() => spkiFromCertificate(new Uint8Array(0))).toThrow(DerError);
    // The SPKI alone is a SEQUENCE too, but not a certificate.
    expect(() => spkiFromCertificate(spkiFromCertificatePem(realCertPem()))).toThrow(DerError);
  });

  it('reads long-form lengths and refuses values that run past their container', () => {
    const long = Uint8Array.of(0x04, 0x82, 0x01, 0x00, ...new Uint8Array(256));
    expect(readTlv(long, 0)).toEqual({ tag: 0x04, start: 0, body: 4, end: 260 });
    expect(() => readTlv(long, 0, 100)).toThrow(DerError);
  });

  it('finds the PEM block by label and refuses a missing or corrupt one', () => {
    const pem = realCertPem();
    expect(pemToDer(`junk before\n${pem}\njunk after`)).toEqual(pemToDer(pem));
    expect(() => pemToDer(pem, 'PUBLIC KEY')).toThrow(DerError);
    expect(() => pemToDer(pem.replace(/[A-Za-z]{8}\n/, '!!!!!!!!\n'))).toThrow(DerError);
  });
});
