/** POST /v1/inspect?provider= — what a payload would give, with the rule behind each decision; stores nothing. */
import { Hono } from 'hono';
import type { AppEnv } from '../app.js';
import { badRequest } from '../http/errors.js';
import { readBody } from '../http/body.js';
import { providerPlugin, PROVIDER_PLUGINS } from '../providers/registry.js';
import { suppressionWithoutHistory } from '../core/policy.js';
import { WEBHOOK_BODY_LIMIT } from './webhooks.js';

export const inspectRoutes = new Hono<AppEnv>();

inspectRoutes.post('/', async (c) => {
  const name = c.req.query('provider') ?? '';
  const plugin = providerPlugin(name);
  if (!plugin) {
    throw badRequest(`provider must be one of: ${[...PROVIDER_PLUGINS.keys()].join(', ')}`, 'unknown_provider');
  }
  const cfg = c.get('config');
  const parsed = plugin.parse(await readBody(c.req.raw, WEBHOOK_BODY_LIMIT), cfg);
  return c.json({
    events: parsed.events.map((e) => ({ ...e, suppression: suppressionWithoutHistory(e, cfg) })),
    ignored: parsed.ignored,
    rejected: parsed.rejected,
  });
});
