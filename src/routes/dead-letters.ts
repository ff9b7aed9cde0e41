/** Payloads that were authentic but unreadable: list them, and replay one after a fix (admin). */
import { createRoute, z } from '@hono/zod-openapi';
import { invalidCursor } from '../http/cursor.js';
import { HttpError, notFound } from '../http/errors.js';
import { errorResponses, Limit, newApi, security } from '../http/openapi.js';
import { providerPlugin } from '../providers/registry.js';
import { applyEvents } from '../store/apply.js';
import { forgetDeadLetter, listDeadLetters, readDeadLetter } from '../store/dead-letters.js';

export const deadLetterRoutes = newApi();

const Letter = z.object({
  id: z.string(), provider: z.string(), received_at: z.string(), bytes: z.number(),
  error: z.object({ code: z.string(), message: z.string() }),
}).openapi('DeadLetter');

deadLetterRoutes.openapi(createRoute({
  method: 'get', path: '/', security, tags: ['dead letters'],
  summary: 'Verified payloads that could not be parsed, newest first',
  request: { query: z.object({ limit: Limit(100, 50), cursor: z.string().optional() }) },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: z.object({ items: z.array(Letter), next_cursor: z.string().nullable() }) } } },
    ...errorResponses,
  },
}), async (c) => {
  const { limit, cursor } = c.req.valid('query');
  if (cursor !== undefined && !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#\d{17}-[0-9a-f]{8}$/.test(cursor)) throw invalidCursor();
  const { items, next } = await listDeadLetters(c.get('db'), c.get('config'), limit, cursor ?? null);
  return c.json({ items, next_cursor: next }, 200);
});

deadLetterRoutes.openapi(createRoute({
  method: 'post', path: '/{id}/replay', security, tags: ['dead letters'],
  summary: 'Parse a kept payload again and store its events; on success it leaves the list (admin)',
  request: { params: z.object({ id: z.string().regex(/^\d{17}-[0-9a-f]{8}$/).openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: {
    200: {
      description: 'Stored',
      content: { 'application/json': { schema: z.object({ accepted: z.number(), duplicates: z.number(), ignored: z.number(), rejected: z.number() }) } },
    },
    404: { description: 'No such dead letter', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } },
    422: { description: 'Still unreadable', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } },
    ...errorResponses,
  },
}), async (c) => {
  const db = c.get('db');
  const cfg = c.get('config');
  const found = await readDeadLetter(db, cfg, c.req.valid('param').id);
  if (!found) throw notFound('no such dead letter', 'no_dead_letter');
  const plugin = providerPlugin(found.letter.provider);
  if (!plugin) throw new HttpError(422, 'unknown_provider', `no parser for "${found.letter.provider}" any more`);
  let parsed;
  try {
    parsed = await plugin.parse(found.body, cfg, found.letter.received_at);
  } catch (err) {
    throw new HttpError(422, 'still_unparseable', err instanceof Error ? err.message : 'the parser failed');
  }
  const outcome = parsed.events.length > 0 ? await applyEvents(db, cfg, parsed.events, c.get('deps').now()) : { accepted: 0, duplicates: 0 };
  await forgetDeadLetter(db, cfg, found.letter);
  return c.json({ ...outcome, ignored: parsed.ignored, rejected: parsed.rejected }, 200);
});
