/** HMAC with WebCrypto, for the providers that sign with a shared secret. */
import { bytesToBase64 } from './base64.js';

const encoder = new TextEncoder();
const toBytes = (v: string | Uint8Array) => (typeof v === 'string' ? encoder.encode(v) : v);

export async function hmac(hash: 'SHA-1' | 'SHA-256', key: string | Uint8Array, data: string | Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', toBytes(key), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, toBytes(data)));
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export const toBase64 = bytesToBase64;
