/** POST /webhooks/:provider — verify, parse, store; answer with counts (SPEC §1). */
import { Hono } from 'hono';
import type { AppEnv } from '../app.js';
import type { Context } from 'hono';
import { HttpError, notFound } from '../http/errors.js';
import { readBody } from '../http/body.js';
import { providerPlugin } from '../providers/registry.js';
import { applyEvents } from '../store/apply.js';
import { claimOnce } from '../store/replay.js';
import { keepDeadLetter, parseFailure } from '../store/dead-letters.js';
import { answerWebhookOptions } from '../providers/azure/handshake.js';
import type { ProviderParseResult, ProviderPlugin } from '../providers/types.js';

/** Providers batch up to about 1 MB (SendGrid: 768 KB); anything far beyond is not a webhook. */
export const WEBHOOK_BODY_LIMIT = 2 * 1024 * 1024;

export const webhookRoutes = new Hono<AppEnv>();

/**
 * Mandrill checks a webhook URL with an unsigned HEAD when it is added and needs a 200. Hono
 * dispatches HEAD to GET routes, so this GET route answers HEAD only.
 */
webhookRoutes.get('/mandrill', (c) => {
  if (c.req.method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', 'use POST');
  return c.body(null, 200);
});

// Event Grid's CloudEvents schema validates an endpoint with an OPTIONS request first.
webhookRoutes.on('OPTIONS', '/azure', (c) => {
  const answer = answerWebhookOptions(c.req.url, c.req.raw.headers, c.get('config'));
  return c.body(null, answer.status, answer.headers);
});

webhookRoutes.post('/:provider', async (c) => {
  const plugin = providerPlugin(c.req.param('provider'));
  if (!plugin) throw notFound(`unknown provider "${c.req.param('provider')}"`, 'unknown_provider');
  const cfg = c.get('config');
  const db = c.get('db');
  const deps = c.get('deps');
  plugin.precheck?.({ method: c.req.method, url: c.req.url, headers: c.req.raw.headers }, cfg);
  const body = await readBody(c.req.raw, plugin.bodyLimit ?? WEBHOOK_BODY_LIMIT);
  await plugin.verify(
    { method: c.req.method, url: c.req.url, headers: c.req.raw.headers, body },
    cfg,
    { fetchCertificate: deps.fetchCertificate, now: deps.now, claimOnce: (claim) => claimOnce(db, cfg, claim, deps.now()) },
  );
  const parsed = await parseOrKeep(c, plugin, body);
  if (parsed.rejected > 0) console.warn(`webhook ${plugin.name}: ${parsed.rejected} recipient(s) were not addresses`);
  if (parsed.handshake?.confirmUrl) await deps.confirmSubscription(parsed.handshake.confirmUrl);
  const outcome = parsed.events.length > 0
    ? await applyEvents(db, cfg, parsed.events, deps.now())
    : { accepted: 0, duplicates: 0 };
  if (parsed.handshake?.response !== undefined) return c.json(parsed.handshake.response as object);
  return c.json({ ...outcome, ignored: parsed.ignored, rejected: parsed.rejected });
});

/**
 * Parses a verified body. When the provider really sent it but it cannot be read, the body is kept
 * as a dead letter (listed and replayable under /v1/dead-letters) before the 400 goes out: some
 * providers never resend after a 4xx, and nothing they sent may be lost.
 */
async function parseOrKeep(c: Context<AppEnv>, plugin: ProviderPlugin, body: Uint8Array): Promise<ProviderParseResult> {
  try {
    return await plugin.parse(body, c.get('config'), c.get('deps').now().toISOString());
  } catch (err) {
    const letter = await keepDeadLetter(c.get('db'), c.get('config'), plugin.name, body, parseFailure(err, `webhook ${plugin.name}`), c.get('deps').now());
    if (err instanceof HttpError && err.status === 400) {
      throw new HttpError(400, err.code, `${err.message} (kept as dead letter ${letter.id})`);
    }
    throw new HttpError(400, 'unparseable', `the payload could not be read; kept as dead letter ${letter.id}`);
  }
}
