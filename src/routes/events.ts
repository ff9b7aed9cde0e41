/** GET /v1/events — the canonical events stored, newest first (SPEC §4). */
import { createRoute, z } from '@hono/zod-openapi';
import { requestAddress, sentQueryValue } from '../http/address.js';
import { EVENT_TYPES, PROVIDERS } from '../core/event.js';
import { DAY_MS } from '../core/time.js';
import { badRequest } from '../http/errors.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { errorResponses, EventSchema, Iso, Limit, newApi, security } from '../http/openapi.js';
import { BEFORE_ANY_EVENT, isEventCursor, listEvents } from '../store/events.js';

export const eventRoutes = newApi();

eventRoutes.openapi(createRoute({
  method: 'get', path: '/', security, tags: ['events'],
  summary: 'Stored events, newest first',
  description: 'Newest first. With `email`: by the time they happened. Without: day by day of occurrence, and within a day '
    + 'by the time Rebote received them, then by the time they happened. '
    + '`since` is included and `until` is not (as in /v1/stats); `until` defaults to a day ahead of now, and without `since` '
    + 'every stored event is listed, also one the provider dated long before it arrived (except, until they expire, late events stored '
    + 'by a version before 2026-11-30 and events stored under a longer EVENT_RETENTION_DAYS: give `since` for those). '
    + 'A page may be empty and still have a `next_cursor`: '
    + 'follow it until it is null. Besides the canonical types, '
    + 'a lifted suppression appears as type `unsuppressed` (provider `api`).',
  request: {
    query: z.object({
      email: z.string().optional(),
      type: z.enum([...EVENT_TYPES, 'unsuppressed'] as [string, ...string[]]).optional(),
      provider: z.enum([...PROVIDERS, 'api'] as [string, ...string[]]).optional(),
      since: Iso.optional(),
      until: Iso.optional(),
      limit: Limit(500, 50),
      cursor: z.string().optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page of events',
      content: { 'application/json': { schema: z.object({ items: z.array(EventSchema.extend({ received_at: z.string() })), next_cursor: z.string().nullable() }) } },
    },
    ...errorResponses,
  },
}), async (c) => {
  const q = c.req.valid('query');
  const cfg = c.get('config');
  const now = c.get('deps').now();
  const email = q.email === undefined ? undefined : requestAddress(q.email, sentQueryValue(c.req.url, 'email'), 'email');
  const cursor = q.cursor ? decodeCursor(q.cursor, isEventCursor) : null;
  // By default a day ahead of now: a provider whose clock runs a little ahead is still listed.
  // A default range is the first page's, carried in the cursor: it must not slide between pages.
  const until = q.until ?? cursor?.until ?? new Date(now.getTime() + DAY_MS).toISOString();
  // By default every stored event: an event the provider dated long before it came (a replayed
  // old sample, a dead letter replayed weeks later) is listed too (store/pages.ts, late pages).
  const since = q.since ?? cursor?.since ?? BEFORE_ANY_EVENT;
  if (since > until) throw badRequest('since is after until', 'invalid_range');
  const { items, next } = await listEvents(c.get('db'), cfg, {
    since, until, limit: q.limit,
    ...(email ? { email } : {}), ...(q.type ? { type: q.type } : {}), ...(q.provider ? { provider: q.provider } : {}),
  }, cursor, now);
  const carried = next === null ? null : { ...next, ...(q.since === undefined ? { since } : {}), ...(q.until === undefined ? { until } : {}) };
  return c.json({ items, next_cursor: carried ? encodeCursor(carried) : null }, 200);
});
