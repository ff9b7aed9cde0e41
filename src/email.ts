/**
 * Cloudflare Email Routing: a bounce addressed to the envelope sender arrives here as a raw
 * message. It goes through the same decoder and the same store path as POST /webhooks/dsn; with
 * FORWARD_TO set, a person still receives the bounce afterwards.
 */
import { readConfig, type Env } from './config.js';
import type { CanonicalEvent } from './core/event.js';
import { dsn, DSN_BODY_LIMIT } from './providers/dsn/index.js';
import { applyEvents } from './store/apply.js';
import { dynamoClient } from './store/client.js';
import { keepDeadLetter, parseFailure } from './store/dead-letters.js';
import { readBody } from './http/body.js';

/** The part of Cloudflare's ForwardableEmailMessage this handler uses. */
export interface IncomingEmail {
  readonly from: string;
  readonly to: string;
  readonly raw: ReadableStream<Uint8Array>;
  readonly rawSize: number;
  forward(rcptTo: string, headers?: Headers): Promise<unknown>;
}

export async function handleEmail(message: IncomingEmail, env: Env, now: () => Date = () => new Date()): Promise<void> {
  const cfg = readConfig(env);
  const db = dynamoClient(cfg);
  const body = await readBody(new Request('https://email.invalid/', { method: 'POST', body: message.raw }), DSN_BODY_LIMIT);
  let events: CanonicalEvent[] = [];
  try {
    events = (await dsn.parse(body, cfg, now().toISOString())).events;
  } catch (err) {
    // A message the decoder cannot read, whatever the reason (mailparser's own limits included),
    // is kept, never dropped, as POST /webhooks/dsn keeps it.
    await keepDeadLetter(db, cfg, 'dsn', body, parseFailure(err, 'email'), now());
  }
  // A store failure propagates: Email Routing then refuses the message temporarily and the
  // sending server retries.
  if (events.length > 0) await applyEvents(db, cfg, events, now());
  if (cfg.forwardTo) {
    await message.forward(cfg.forwardTo).catch((err: unknown) => {
      console.warn(`email: could not forward the bounce to FORWARD_TO: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
}
