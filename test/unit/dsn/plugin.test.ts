import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { HttpError } from '../../../src/http/errors.js';
import { dsn } from '../../../src/providers/dsn/index.js';
import type { ProviderDeps, WebhookRequest } from '../../../src/providers/types.js';
import { fixtureBytes } from './fixtures.js';

const deps: ProviderDeps = {
  fetchCertificate: async () => { throw new Error('no network in tests'); },
  now: () => new Date('2024-01-01T00:00:00Z'),
  claimOnce: async () => true,
};

function request(authorization?: string, body = fixtureBytes('lhost-sendmail-01.eml')): WebhookRequest {
  const headers = new Headers({ 'content-type': 'message/rfc822' });
  if (authorization !== undefined) headers.set('authorization', authorization);
  return { method: 'POST', url: 'https://rebote.example/webhooks/dsn', headers, body };
}

async function status(p: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof HttpError) return err.status;
    throw err;
  }
}

describe('the dsn provider plugin', () => {
  const config = readConfig({ INGEST_TOKEN: 'ingest-secret' });

  it('accepts the configured Bearer token only', async () => {
    expect(await status(dsn.verify(request('Bearer ingest-secret'), config, deps))).toBe('ok');
    expect(await status(dsn.verify(request('bearer ingest-secret'), config, deps))).toBe('ok');
    expect(await status(dsn.verify(request('Bearer ingest-secreT'), config, deps))).toBe(401);
    expect(await status(dsn.verify(request('Bearer ingest-secret-and-more'), config, deps))).toBe(401);
    expect(await status(dsn.verify(request('Basic aW5nZXN0LXNlY3JldA=='), config, deps))).toBe(401);
    expect(await status(dsn.verify(request(), config, deps))).toBe(401);
  });

  it('refuses everything when INGEST_TOKEN is not set', async () => {
    expect(await status(dsn.verify(request('Bearer '), readConfig({}), deps))).toBe(401);
    expect(await status(dsn.verify(request('Bearer anything'), readConfig({}), deps))).toBe(401);
  });

  it('parses a bounce into events and refuses a body that is not an email', async () => {
    const parsed = await dsn.parse(fixtureBytes('lhost-sendmail-01.eml'), config);
    expect(parsed).toMatchObject({ ignored: 0, rejected: 0 });
    expect(parsed.events.map((e) => [e.provider, e.type, e.recipient])).toEqual([['dsn', 'bounced', 'userunknown@bouncehammer.jp']]);
    expect(await status(Promise.resolve().then(() => dsn.parse(new TextEncoder().encode('{"not": "an email"}'), config)))).toBe(400);
    expect(await status(Promise.resolve().then(() => dsn.parse(new Uint8Array(0), config)))).toBe(400);
  });

  it('counts a message that is not a bounce as ignored', async () => {
    expect(await dsn.parse(fixtureBytes('is-not-bounce-01.eml'), config)).toEqual({ events: [], ignored: 1, rejected: 0 });
  });
});
