/**
 * Constant-time comparison for secrets and MACs. Strings are compared as their UTF-8 bytes.
 * The loop always runs over the longer input, so the time depends only on the lengths, never
 * on where the first difference is.
 */

const encoder = new TextEncoder();

export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? encoder.encode(a) : a;
  const y = typeof b === 'string' ? encoder.encode(b) : b;
  const n = Math.max(x.length, y.length);
  let diff = x.length ^ y.length;
  for (let i = 0; i < n; i++) {
    // Out-of-range reads give undefined → 0; the length term above already makes the result false.
    diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  }
  return diff === 0;
}
