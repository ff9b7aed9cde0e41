/**
 * ECDSA signatures as SendGrid sends them (ASN.1 DER, `SEQUENCE { INTEGER r, INTEGER s }`)
 * turned into what WebCrypto verifies (IEEE P1363: r and s as fixed-width big-endian, `r || s`).
 */
import { DerError, readTlv } from '../../crypto/der.js';

const TAG_SEQUENCE = 0x30;
const TAG_INTEGER = 0x02;

/** One DER INTEGER as `size` big-endian bytes; it must be positive and fit. */
function integer(der: Uint8Array, body: number, end: number, size: number): Uint8Array {
  if (end <= body) throw new DerError('empty INTEGER');
  // A set top bit would make the INTEGER negative: r and s are never negative.
  if ((der[body]! & 0x80) !== 0) throw new DerError('negative INTEGER');
  let from = body;
  // DER adds one 0x00 in front of a value whose top bit is set; skip any leading zeros.
  while (from < end - 1 && der[from] === 0) from++;
  const length = end - from;
  if (length > size) throw new DerError('INTEGER larger than the curve');
  const out = new Uint8Array(size);
  out.set(der.subarray(from, end), size - length);
  return out;
}

/** DER ECDSA-Sig-Value → P1363 `r || s` for a curve of `size`-byte scalars (32 for P-256). */
export function derSignatureToP1363(der: Uint8Array, size = 32): Uint8Array {
  const seq = readTlv(der, 0);
  if (seq.tag !== TAG_SEQUENCE || seq.end !== der.length) throw new DerError('expected one SEQUENCE');
  const r = readTlv(der, seq.body, seq.end);
  const s = readTlv(der, r.end, seq.end);
  if (r.tag !== TAG_INTEGER || s.tag !== TAG_INTEGER || s.end !== seq.end) throw new DerError('expected SEQUENCE { INTEGER, INTEGER }');
  const out = new Uint8Array(size * 2);
  out.set(integer(der, r.body, r.end, size), 0);
  out.set(integer(der, s.body, s.end, size), size);
  return out;
}
