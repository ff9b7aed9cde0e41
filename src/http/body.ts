/** Reads a request body as bytes, refusing more than `limit` bytes with a 413 before buffering it all. */
import { HttpError } from './errors.js';

/** `advice`, when given, ends the 413's message: what to do instead (e.g. where to split a file). */
export async function readBody(req: Request, limit: number, advice?: string): Promise<Uint8Array> {
  const tooLarge = () => new HttpError(413, 'payload_too_large', `the body is larger than ${limit} bytes${advice ? `; ${advice}` : ''}`);
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new HttpError(400, 'malformed_json', 'the body is not valid JSON');
  }
}
