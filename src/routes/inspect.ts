/** POST /v1/inspect?provider= — what a payload would give, with the rule behind each decision; stores nothing. */
import { createRoute, z } from '@hono/zod-openapi';
import { suppressionWithoutHistory } from '../core/policy.js';
import { badRequest, HttpError } from '../http/errors.js';
import { readBody } from '../http/body.js';
import { bodyErrorResponses, EventSchema, newApi, security } from '../http/openapi.js';
import { providerPlugin, PROVIDER_PLUGINS } from '../providers/registry.js';
import { WEBHOOK_BODY_LIMIT } from './webhooks.js';

export const inspectRoutes = newApi();

inspectRoutes.openAPIRegistry.registerPath({
  method: 'post', path: '/', security, tags: ['inspect'],
  summary: 'The events a provider payload (or, with provider=dsn, a raw email) would give; nothing is stored',
  request: {
    query: z.object({ provider: z.string().openapi({ example: 'ses' }) }),
    body: { content: { 'application/json': { schema: z.unknown() }, 'message/rfc822': { schema: z.string() } } },
  },
  responses: {
    200: {
      description: 'Events, each with the suppression it would cause for an address with no history',
      content: { 'application/json': { schema: z.object({ events: z.array(EventSchema.extend({ suppression: z.string().nullable() })), ignored: z.number(), rejected: z.number() }) } },
    },
    ...bodyErrorResponses,
  },
});

inspectRoutes.post('/', async (c) => {
  const name = c.req.query('provider') ?? '';
  const plugin = providerPlugin(name);
  if (!plugin) {
    throw badRequest(`provider must be one of: ${[...PROVIDER_PLUGINS.keys()].join(', ')}`, 'unknown_provider');
  }
  const cfg = c.get('config');
  const body = await readBody(c.req.raw, plugin.bodyLimit ?? WEBHOOK_BODY_LIMIT);
  let parsed;
  try {
    parsed = await plugin.parse(body, cfg, c.get('deps').now().toISOString());
  } catch (err) {
    if (err instanceof HttpError) throw err;
    // A parser's own limit (e.g. too many MIME parts) is about this input, not the service.
    console.warn(`inspect ${plugin.name}: parser failed: ${err instanceof Error ? err.message : String(err)}`);
    throw badRequest('the payload could not be read', 'unparseable');
  }
  return c.json({
    events: parsed.events.map((e) => ({ ...e, suppression: suppressionWithoutHistory(e, cfg) })),
    ignored: parsed.ignored,
    rejected: parsed.rejected,
  });
});
