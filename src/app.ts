/**
 * The HTTP surface. Routes are thin: check input, call one function, shape the answer. Errors are
 * thrown as HttpError and become the JSON body of SPEC §1 in one place (onError).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError, readConfig, type Config, type Env, type Scope } from './config.js';
import { HttpError } from './http/errors.js';
import { authenticate, isWrite, requireAdmin } from './http/auth.js';
import { dynamoClient } from './store/client.js';
import { webhookRoutes } from './routes/webhooks.js';
import { suppressionRoutes } from './routes/suppressions.js';
import { inspectRoutes } from './routes/inspect.js';
import { codeRoutes } from './routes/codes.js';
import { eventRoutes } from './routes/events.js';
import { statsRoutes } from './routes/stats.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { uiRoutes } from './ui/index.js';
import { ErrorBody, misconfiguredResponse } from './http/openapi.js';

/** Effects the app needs from the outside world, injectable so tests need no network. */
export interface AppDeps {
  /** Fetches a PEM certificate (SNS SigningCertURL); the URL has already been validated. */
  fetchCertificate(url: string): Promise<string>;
  /** Completes an SNS subscription handshake by GETting its (validated) SubscribeURL. */
  confirmSubscription(url: string): Promise<void>;
  now(): Date;
}

const API_JSON_LIMIT = 256 * 1024;

export type AppEnv = {
  Bindings: Env;
  Variables: { config: Config; db: DynamoDBClient; deps: AppDeps; scope: Scope };
};

/** Answers that may pass: a timeout, a rate limit, a server error, a redirect (never followed). */
const passing = (status: number) => status < 400 || status === 408 || status === 429 || status >= 500;

/**
 * How long a call to AWS (the signing certificate, a subscription's confirmation) may take, its
 * answer's body included: one that hangs fails, and SNS retries the 503 it becomes, well inside
 * its own timeout.
 */
const AWS_CALL_MS = 5000;

export const defaultDeps: AppDeps = {
  async fetchCertificate(url) {
    // The URL was validated; a redirect would lead somewhere that was not, so none is followed
    // ('manual': workerd refuses 'error', and a 3xx is then an answer like any other). A fetch
    // that fails or times out is a 503 where the certificate is used (loadKey in sns.ts).
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(AWS_CALL_MS) });
    if (res.ok) return res.text();
    // AWS saying there is no such certificate is final (SNS treats the 4xx as delivered).
    if (!passing(res.status)) throw new HttpError(401, 'bad_certificate', `the signing certificate is not there (${res.status})`);
    throw new HttpError(503, 'certificate_unavailable', `the signing certificate could not be fetched (${res.status}); retry later`, { 'Retry-After': '30' });
  },
  async confirmSubscription(url) {
    let status: number;
    try {
      status = (await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(AWS_CALL_MS) })).status;
    } catch {
      status = 0;
    }
    if (status < 200 || status >= 300) {
      throw new HttpError(503, 'confirmation_failed', `confirming the subscription failed (${status || 'no answer'}); retry later`, { 'Retry-After': '30' });
    }
  },
  now: () => new Date(),
};

export function createApp(deps: AppDeps = defaultDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', async (c, next) => {
    const config = readConfig(c.env ?? {});
    c.set('config', config);
    c.set('db', dynamoClient(config));
    c.set('deps', deps);
    await next();
  });

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.route('/webhooks', webhookRoutes);

  // The key and its scope are checked before anything reads the request, so a read key gets 403
  // on a write whatever the body says.
  app.use('/v1/*', async (c, next) => {
    const scope = authenticate(c.get('config'), c.req.header('authorization'));
    if (isWrite(c.req.method, new URL(c.req.url).pathname)) requireAdmin(scope);
    c.set('scope', scope);
    await next();
  });
  // JSON bodies of the API are small; routes that read raw bodies enforce their own limits.
  const jsonLimit = bodyLimit({
    maxSize: API_JSON_LIMIT,
    onError: () => { throw new HttpError(413, 'payload_too_large', `the body is larger than ${API_JSON_LIMIT} bytes`); },
  });
  app.use('/v1/suppressions/check', jsonLimit);
  app.on('PUT', '/v1/suppressions/*', jsonLimit);
  app.route('/v1/suppressions', suppressionRoutes);
  app.route('/v1/events', eventRoutes);
  app.route('/v1/stats', statsRoutes);
  app.route('/v1/inspect', inspectRoutes);
  app.route('/v1/codes', codeRoutes);
  app.route('/v1/dead-letters', deadLetterRoutes);

  documentUnvalidatedRoutes(app);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Rebote',
      version: '0.1.0',
      description: 'Bounce processing: provider webhooks and bounce emails in; a suppression list, events and stats out.',
    },
  });

  app.route('/', uiRoutes);

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      return c.json({ error: { code: err.code, message: err.message } }, err.status, err.headers);
    }
    // An operator's mistake, said plainly (names and values of settings, never secrets); a
    // provider retries the 500 and gets through once the setting is fixed.
    if (err instanceof ConfigError) return c.json({ error: { code: 'misconfigured', message: err.message } }, 500);
    // hono's own refusals (e.g. a JSON body that does not parse) keep their 4xx status.
    if (err instanceof HTTPException && err.status === 415) {
      return c.json({ error: { code: 'unsupported_media_type', message: 'send the body as JSON, with Content-Type: application/json' } }, 415);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code = /json/i.test(err.message) ? 'malformed_json' : 'bad_request';
      return c.json({ error: { code, message: err.message || 'bad request' } }, err.status);
    }
    console.error(`unhandled error on ${c.req.method} ${new URL(c.req.url).pathname}:`, err instanceof Error ? err.stack : err);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });

  return app;
}

/** Routes that read raw bodies (signatures cover the exact bytes) are described, not validated. */
function documentUnvalidatedRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'A key from API_KEYS' });
  app.openAPIRegistry.registerPath({
    method: 'get', path: '/healthz', tags: ['service'], summary: 'Liveness, no auth',
    responses: { 200: { description: 'Up', content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } } }, ...misconfiguredResponse },
  });
  app.openAPIRegistry.registerPath({
    method: 'post', path: '/webhooks/{provider}', tags: ['webhooks'],
    summary: 'A provider webhook (authenticated as that provider does: signature, Basic or token)',
    request: {
      params: z.object({ provider: z.string().openapi({ param: { name: 'provider', in: 'path' }, example: 'ses' }) }),
      body: { content: { 'application/json': { schema: z.unknown() } } },
    },
    responses: {
      200: {
        description: 'Stored',
        content: { 'application/json': { schema: z.object({ accepted: z.number(), duplicates: z.number(), ignored: z.number(), rejected: z.number() }) } },
      },
      400: { description: 'Malformed body', content: { 'application/json': { schema: ErrorBody } } },
      401: { description: 'Bad or missing signature or credentials, the provider\'s secret is not set, or (SES) the SNS topic is not in SNS_TOPIC_ARNS', content: { 'application/json': { schema: ErrorBody } } },
      404: { description: 'Unknown provider', content: { 'application/json': { schema: ErrorBody } } },
      413: { description: 'Body too large', content: { 'application/json': { schema: ErrorBody } } },
      ...misconfiguredResponse,
      503: { description: 'Store unavailable: retry (Retry-After)', content: { 'application/json': { schema: ErrorBody } } },
    },
  });
}
