/**
 * Route definitions with zod: the same schemas validate input and produce /openapi.json.
 * A failed validation becomes the usual JSON 400 (thrown, so onError shapes it).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app.js';
import { parseApiDate } from '../core/time.js';
import { badRequest } from './errors.js';

export function newApi(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        throw badRequest(`${where}${issue?.message ?? 'invalid request'}`, 'invalid_request');
      }
    },
  });
}

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
}).openapi('Error');

/** Every route, /healthz included, answers so while a setting is one the Worker cannot run with. */
export const misconfiguredResponse = {
  500: { description: 'misconfigured: a setting the Worker cannot run with (named in the message)', content: { 'application/json': { schema: ErrorBody } } },
} as const;

export const errorResponses = {
  400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorBody } } },
  401: { description: 'Missing or invalid API key', content: { 'application/json': { schema: ErrorBody } } },
  403: { description: 'A read key tried to write', content: { 'application/json': { schema: ErrorBody } } },
  ...misconfiguredResponse,
  503: { description: 'The store is unavailable; retry', content: { 'application/json': { schema: ErrorBody } } },
} as const;

/** Routes that take a body: also too large (413). */
export const bodyErrorResponses = {
  ...errorResponses,
  413: { description: 'Body too large', content: { 'application/json': { schema: ErrorBody } } },
} as const;

/** Routes that take a JSON body: also not sent as JSON (415). */
export const jsonBodyErrorResponses = {
  ...bodyErrorResponses,
  415: { description: 'The body is not sent as application/json', content: { 'application/json': { schema: ErrorBody } } },
} as const;

export const security = [{ bearer: [] as string[] }];

/**
 * An ISO 8601 date or time (parseApiDate), years 1970..9999 only: keys hold plain ISO strings,
 * whose order breaks outside that range.
 */
const plainIso = (s: string) => {
  const t = parseApiDate(s);
  return t !== null && t >= 0 && t < Date.UTC(10000, 0, 1);
};

export const Iso = z.string().max(40).refine(plainIso, 'must be an ISO 8601 date or time (2026-11-01, 2026-11-01T10:00:00Z) between 1970 and 9999')
  .transform((s) => new Date(parseApiDate(s)!).toISOString())
  .openapi({ type: 'string', format: 'date-time', example: '2026-11-01T00:00:00Z' });

export const Limit = (max: number, dflt: number) =>
  z.coerce.number().int().min(1).max(max).default(dflt).openapi({ type: 'integer', minimum: 1, maximum: max, default: dflt });

export const SuppressionSchema = z.object({
  email: z.string(),
  reason: z.enum(['hard_bounce', 'complaint', 'unsubscribed', 'soft_bounce_limit', 'invalid', 'manual']),
  created_at: z.string(),
  updated_at: z.string(),
  expires_at: z.string().optional(),
  note: z.string().optional(),
  source: z.object({
    provider: z.string(), event_id: z.string().nullable(), reply_code: z.string().nullable(),
    status: z.string().nullable(), reason: z.string().nullable(),
  }),
}).openapi('Suppression');

export const BounceSchema = z.object({
  class: z.enum(['hard', 'soft', 'undetermined']),
  reason: z.string(),
  reply_code: z.string().nullable(),
  status: z.string().nullable(),
  diagnostic: z.string().nullable(),
  provider_class: z.string().nullable(),
  rule: z.string(),
}).openapi('Bounce');

export const EventSchema = z.object({
  id: z.string(),
  provider: z.string(),
  type: z.string(),
  recipient: z.string(),
  occurred_at: z.string(),
  message_id: z.string().nullable(),
  bounce: BounceSchema.optional(),
  complaint: z.object({ feedback_type: z.string().nullable() }).optional(),
}).openapi('Event');
