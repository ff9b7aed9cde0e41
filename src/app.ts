/**
 * The HTTP surface. Routes are thin: check input, call one function, shape the answer. Errors are
 * thrown as HttpError and become the JSON body of SPEC §1 in one place (onError).
 */
import { Hono } from 'hono';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readConfig, type Config, type Env, type Scope } from './config.js';
import { HttpError } from './http/errors.js';
import { authenticate } from './http/auth.js';
import { dynamoClient } from './store/client.js';
import { webhookRoutes } from './routes/webhooks.js';
import { suppressionRoutes } from './routes/suppressions.js';
import { inspectRoutes } from './routes/inspect.js';
import { codeRoutes } from './routes/codes.js';

/** Effects the app needs from the outside world, injectable so tests need no network. */
export interface AppDeps {
  /** Fetches a PEM certificate (SNS SigningCertURL); the URL has already been validated. */
  fetchCertificate(url: string): Promise<string>;
  /** Completes an SNS subscription handshake by GETting its (validated) SubscribeURL. */
  confirmSubscription(url: string): Promise<void>;
  now(): Date;
}

export type AppEnv = {
  Bindings: Env;
  Variables: { config: Config; db: DynamoDBClient; deps: AppDeps; scope: Scope };
};

export const defaultDeps: AppDeps = {
  async fetchCertificate(url) {
    // The URL was validated; a redirect would lead somewhere that was not.
    const res = await fetch(url, { redirect: 'error' });
    if (!res.ok) throw new HttpError(503, 'certificate_unavailable', 'the signing certificate could not be fetched; retry later');
    return res.text();
  },
  async confirmSubscription(url) {
    const res = await fetch(url, { redirect: 'error' });
    if (!res.ok) throw new HttpError(503, 'confirmation_failed', `confirming the subscription failed (${res.status}); retry later`);
  },
  now: () => new Date(),
};

export function createApp(deps: AppDeps = defaultDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const config = readConfig(c.env ?? {});
    c.set('config', config);
    c.set('db', dynamoClient(config));
    c.set('deps', deps);
    await next();
  });

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.route('/webhooks', webhookRoutes);

  app.use('/v1/*', async (c, next) => {
    c.set('scope', authenticate(c.get('config'), c.req.header('authorization')));
    await next();
  });
  app.route('/v1/suppressions', suppressionRoutes);
  app.route('/v1/inspect', inspectRoutes);
  app.route('/v1/codes', codeRoutes);

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      return c.json({ error: { code: err.code, message: err.message } }, err.status, err.headers);
    }
    console.error(`unhandled error on ${c.req.method} ${new URL(c.req.url).pathname}:`, err instanceof Error ? err.stack : err);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });

  return app;
}
