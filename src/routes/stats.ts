/** GET /v1/stats — counts per hour or day by type, class, reason and provider; top bouncing domains. */
import { createRoute, z } from '@hono/zod-openapi';
import { DAY_MS } from '../core/time.js';
import { badRequest } from '../http/errors.js';
import { errorResponses, Iso, newApi, security } from '../http/openapi.js';
import { MAX_STATS_DAYS, readStats } from '../store/stats.js';

export const statsRoutes = newApi();

const Counts = z.record(z.string(), z.number());
const Breakdown = z.object({ total: z.number(), by_type: Counts, by_class: Counts, by_reason: Counts, by_provider: Counts });

statsRoutes.openapi(createRoute({
  method: 'get', path: '/', security, tags: ['stats'],
  summary: 'Counts per interval; defaults to the last 30 days by day',
  request: {
    query: z.object({ since: Iso.optional(), until: Iso.optional(), interval: z.enum(['hour', 'day']).default('day') }),
  },
  responses: {
    200: {
      description: 'Buckets (only intervals with events), totals and the top bouncing domains',
      content: {
        'application/json': {
          schema: z.object({
            since: z.string(), until: z.string(), interval: z.enum(['hour', 'day']),
            buckets: z.array(Breakdown.extend({ start: z.string() })),
            totals: Breakdown,
            top_domains: z.array(z.object({ domain: z.string(), bounced: z.number(), complained: z.number(), dropped: z.number(), total: z.number() })),
          }),
        },
      },
    },
    ...errorResponses,
  },
}), async (c) => {
  const q = c.req.valid('query');
  const until = new Date(q.until ?? c.get('deps').now().toISOString());
  const since = new Date(q.since ?? until.getTime() - 30 * DAY_MS);
  if (since > until) throw badRequest('since is after until', 'invalid_range');
  if (until.getTime() - since.getTime() > MAX_STATS_DAYS * DAY_MS) throw badRequest(`at most ${MAX_STATS_DAYS} days per request`, 'range_too_long');
  const stats = await readStats(c.get('db'), c.get('config'), since, until, q.interval);
  return c.json({ since: since.toISOString(), until: until.toISOString(), interval: q.interval, ...stats }, 200);
});
