/**
 * Strict base64 (RFC 4648 §4, the standard alphabet) with the Web APIs that both workerd and
 * Node 20 have. Strict because a signature or a key that only decodes after "forgiving"
 * repairs is not what the sender signed.
 */

/**
 * The alphabet, then at most two "=": with a length that is a multiple of 4, exactly the
 * standard form. (Checked without a repeated group, which V8 matches with a stack that a few
 * MB of base64, such as a dead letter's body, overflows.)
 */
const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes standard base64; ASCII whitespace is ignored (PEM bodies are wrapped). Throws on anything else. */
export function base64ToBytes(text: string): Uint8Array {
  const compact = text.replace(/[\t\n\f\r ]+/g, '');
  if (compact.length % 4 !== 0 || !STANDARD.test(compact)) throw new TypeError('invalid base64');
  const binary = atob(compact);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  // Chunked so a large input does not blow the argument limit of String.fromCharCode.
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
