/**
 * CPU of verify + parse + classify for a 1000-event SendGrid batch (signed with a key made here),
 * against JSON.parse of the same body: the cost of Rebote's work on top of merely reading it.
 */
import { readConfig } from '../src/config.js';
import { sendgrid } from '../src/providers/sendgrid/index.js';
import { sendgridBatch } from './mix.js';

export function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/**
 * CPU per call of each function, measured in alternating blocks after a warm-up of both. Blocks
 * alternate so that garbage collection (which runs partly on other threads, and later than the
 * allocation it pays for) lands on both sides alike, not on whichever runs second.
 */
async function cpuPerEach(rounds: number, fns: ReadonlyArray<() => unknown>): Promise<number[]> {
  for (const fn of fns) for (let i = 0; i < Math.max(3, rounds / 10); i++) await fn(); // warm up
  const total = fns.map(() => 0);
  const block = 10;
  for (let done = 0; done < rounds; done += block) {
    for (const [k, fn] of fns.entries()) {
      const start = cpuMicros();
      for (let i = 0; i < block; i++) await fn();
      total[k]! += cpuMicros() - start;
    }
  }
  return total.map((t) => t / (Math.ceil(rounds / block) * block));
}

/**
 * The batch as SendGrid sends it: its events happened at different times (here one per second
 * or so over the last five minutes), not all in the same second as the mix writes them.
 */
function spreadTimes(text: string, at: number): string {
  let i = 0;
  return text.replaceAll(`"timestamp":${at},`, () => `"timestamp":${at - ((i++ * 7) % 300)},`);
}

/**
 * A signed SendGrid webhook request carrying a batch of the reference mix (`size` events, their
 * times spread as a real batch's are), and what verify and parse need besides: the key made here,
 * as config. Also used by bench/worker-cpu-probe.ts.
 */
export async function signedSendgridBatch(size: number) {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey) as ArrayBuffer);
  const config = readConfig({ SENDGRID_WEBHOOK_PUBLIC_KEY: btoa(String.fromCharCode(...spki)) });
  const at = Math.floor(Date.now() / 1000);
  const text = spreadTimes(sendgridBatch(size, at), at);
  const body = new TextEncoder().encode(text);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(timestamp + text)));
  const headers = new Headers({
    'x-twilio-email-event-webhook-signature': btoa(String.fromCharCode(...p1363ToDer(raw))),
    'x-twilio-email-event-webhook-timestamp': timestamp,
  });
  const deps = { fetchCertificate: async () => '', now: () => new Date(), claimOnce: async () => true };
  const request = { method: 'POST', url: 'https://rebote.example/webhooks/sendgrid', headers, body };
  /** What the Worker does with the request before storing: verify, then parse (and classify). */
  const handle = async () => {
    await sendgrid.verify(request, config, deps);
    return sendgrid.parse(body, config);
  };
  return { text, handle };
}

export async function measureCpu(size = 1000): Promise<{ ours_us: number; json_parse_us: number; ratio: number }> {
  const { text, handle } = await signedSendgridBatch(size);
  const [ours, json] = await cpuPerEach(200, [handle, () => JSON.parse(text)]) as [number, number];
  return { ours_us: Math.round(ours), json_parse_us: Math.round(json), ratio: ours / json };
}

/** WebCrypto signs in r||s form; SendGrid sends DER. */
function p1363ToDer(sig: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return v[0]! & 0x80 ? Uint8Array.of(0x02, v.length + 1, 0, ...v) : Uint8Array.of(0x02, v.length, ...v);
  };
  const r = int(sig.subarray(0, 32));
  const s = int(sig.subarray(32));
  return Uint8Array.of(0x30, r.length + s.length, ...r, ...s);
}
