/** The suppression list: look up, list, bulk check, add and lift by hand, export and import (SPEC §4). */
import { createRoute, z } from '@hono/zod-openapi';
import { normalizeAddress, normalizeDomain } from '../core/address.js';
import { requestAddress, sentPathSegment } from '../http/address.js';
import { csvLine } from '../core/csv.js';
import { IMPORT_ROW_LIMIT, parseImport, suppressionReasonOf } from '../core/import-rows.js';
import { SUPPRESSION_REASONS, type Suppression } from '../core/policy.js';
import { badRequest, notFound } from '../http/errors.js';
import { readBody } from '../http/body.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { bodyErrorResponses, errorResponses, jsonBodyErrorResponses, Iso, Limit, newApi, security, SuppressionSchema } from '../http/openapi.js';
import { deleteSuppression, getSuppression, getSuppressions, putSuppression } from '../store/suppressions.js';
import { allSuppressions, importSuppressions, listSuppressions, type SuppressionCursor } from '../store/suppression-list.js';

export const CHECK_LIMIT = 1000;
const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;
const SKIPPED_REPORTED = 1000;
/** What to do with a list too big for one request, in its 413 and its too_many_rows alike. */
const SPLIT_ADVICE = 'split the file (npx rebote import does: it sends it in pieces)';

export const suppressionRoutes = newApi();

const Reason = z.enum(SUPPRESSION_REASONS as [string, ...string[]]);
const EmailParam = z.object({ email: z.string().openapi({ param: { name: 'email', in: 'path' }, example: 'jane@example.com' }) });

const address = (raw: string, sent: string) => requestAddress(raw, sent, `"${raw.slice(0, 320)}"`);

export const view = (s: Suppression) => ({
  email: s.email,
  reason: s.reason,
  created_at: s.created_at,
  updated_at: s.updated_at,
  ...(s.expires_at ? { expires_at: s.expires_at } : {}),
  ...(s.note ? { note: s.note } : {}),
  source: s.source,
});

const isCursor = (v: unknown): v is SuppressionCursor =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x === 'string');

suppressionRoutes.openapi(createRoute({
  method: 'get', path: '/', security, tags: ['suppressions'],
  summary: 'List suppressions, newest first',
  request: {
    query: z.object({
      reason: Reason.optional(),
      domain: z.string().optional().openapi({ example: 'example.com' }),
      since: Iso.optional(),
      until: Iso.optional(),
      limit: Limit(1000, 100),
      cursor: z.string().optional(),
    }),
  },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: z.object({ items: z.array(SuppressionSchema), next_cursor: z.string().nullable() }) } } },
    ...errorResponses,
  },
}), async (c) => {
  const q = c.req.valid('query');
  const domain = q.domain === undefined ? undefined : normalizeDomain(q.domain);
  if (domain === null) throw badRequest('domain is not a domain name', 'invalid_domain');
  if (q.since && q.until && q.since > q.until) throw badRequest('since is after until', 'invalid_range');
  const { items, next } = await listSuppressions(c.get('db'), c.get('config'), {
    limit: q.limit,
    ...(q.reason ? { reason: q.reason as Suppression['reason'] } : {}),
    ...(domain ? { domain } : {}),
    ...(q.since ? { since: q.since } : {}),
    ...(q.until ? { until: q.until } : {}),
  }, q.cursor ? decodeCursor(q.cursor, isCursor) : null, c.get('deps').now());
  return c.json({ items: items.map(view), next_cursor: next ? encodeCursor(next) : null }, 200);
});

suppressionRoutes.openapi(createRoute({
  method: 'get', path: '/export', security, tags: ['suppressions'],
  summary: 'The whole list, streamed as CSV or NDJSON',
  request: { query: z.object({ format: z.enum(['csv', 'ndjson']).default('csv') }) },
  responses: {
    200: { description: 'The list', content: { 'text/csv': { schema: z.string() }, 'application/x-ndjson': { schema: z.string() } } },
    ...errorResponses,
  },
}), async (c) => {
  const { format } = c.req.valid('query');
  const db = c.get('db');
  const cfg = c.get('config');
  const now = c.get('deps').now();
  const encoder = new TextEncoder();
  const pages = allSuppressions(db, cfg, now);
  // The first page is read before answering, so a store failure is still a clean 503.
  const first = await pages.next();
  const header = 'email,reason,created_at,updated_at,expires_at,note,source_provider,source_event_id,source_reply_code,source_status,source_reason\r\n';
  const line = (s: Suppression) => format === 'csv'
    ? csvLine([s.email, s.reason, s.created_at, s.updated_at, s.expires_at, s.note, s.source.provider, s.source.event_id, s.source.reply_code, s.source.status, s.source.reason])
    : `${JSON.stringify(view(s))}\n`;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      if (format === 'csv') controller.enqueue(encoder.encode(header));
      if (!first.done) controller.enqueue(encoder.encode(first.value.map(line).join('')));
    },
    async pull(controller) {
      try {
        const next = await pages.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value.map(line).join('')));
      } catch (err) {
        controller.error(err);
      }
    },
  });
  return c.body(stream, 200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
    'content-disposition': `attachment; filename="rebote-suppressions.${format === 'csv' ? 'csv' : 'ndjson'}"`,
  });
});

suppressionRoutes.openAPIRegistry.registerPath({
  method: 'post', path: '/import', security, tags: ['suppressions'],
  summary: `Import addresses (CSV, NDJSON, a JSON array or SES JSON; up to ${IMPORT_ROW_LIMIT} importable rows per request)`,
  description: 'Recognizes Rebote exports and the suppression exports of Amazon SES, SendGrid (CSV, or the JSON array its API answers with) '
    + 'and Postmark. A list may be CSV separated by commas, semicolons or tabs (whichever splits its first line most), with a column of addresses or '
    + 'one address per line; NDJSON, one object per line; a JSON array of such objects or of addresses; or SES '
    + 'list-suppressed-destinations JSON. '
    + 'Rows without a reason take `?reason=`. Addresses already suppressed are kept as they are. Skipped rows do not count '
    + 'towards the limit; `row` is the CSV record (the header is 1), the NDJSON line, or the item of a JSON array or SES list. '
    + 'The format is recognised from the text; a Content-Type of application/x-ndjson says it is NDJSON. '
    + `A body above ${IMPORT_BODY_LIMIT} bytes is refused (413), as is one of more than ${IMPORT_ROW_LIMIT} importable rows (400 too_many_rows): `
    + '`npx rebote import` sends a big file in pieces.',
  request: {
    query: z.object({
      reason: z.string().optional().openapi({ description: 'A suppression reason, or a provider\'s word for one (bounce, spam report, unsubscribe, ...)', example: 'hard_bounce' }),
    }),
    body: {
      content: {
        'text/csv': { schema: z.string() },
        'application/x-ndjson': { schema: z.string() },
        'application/json': {
          schema: z.union([
            z.array(z.union([
              z.object({ email: z.string(), reason: z.string().optional(), note: z.string().optional(), expires_at: z.string().optional() }),
              z.string(),
            ])),
            z.object({ SuppressedDestinationSummaries: z.array(z.object({ EmailAddress: z.string(), Reason: z.string() })) }),
          ]),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'What was imported, how many rows were skipped, and the first 1000 of them with why',
      content: { 'application/json': { schema: z.object({
        format: z.string(), imported: z.number(), already_suppressed: z.number(), skipped_count: z.number(),
        skipped: z.array(z.object({ row: z.number(), value: z.string(), why: z.string() })),
      }) } },
    },
    ...bodyErrorResponses,
  },
});
/** Content-Types that say the body is NDJSON; any other lets the text say what it is. */
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines']);

suppressionRoutes.post('/import', async (c) => {
  const reasonParam = c.req.query('reason');
  const fallback = reasonParam === undefined ? null : suppressionReasonOf(reasonParam);
  if (reasonParam !== undefined && fallback === null) throw badRequest(`reason must be one of: ${SUPPRESSION_REASONS.join(', ')}`, 'invalid_reason');
  const text = new TextDecoder().decode(await readBody(c.req.raw, IMPORT_BODY_LIMIT, SPLIT_ADVICE));
  let parsed;
  try {
    const declared = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    parsed = parseImport(text, fallback, c.get('deps').now(), NDJSON_TYPES.has(declared) ? 'ndjson' : undefined);
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : 'unreadable list', 'invalid_import');
  }
  if (parsed.rows.length > IMPORT_ROW_LIMIT) {
    throw badRequest(`at most ${IMPORT_ROW_LIMIT} rows per request (got ${parsed.rows.length}); ${SPLIT_ADVICE}`, 'too_many_rows');
  }
  const outcome = await importSuppressions(c.get('db'), c.get('config'), parsed.rows, c.get('deps').now());
  // The report lists the first skipped rows; a file of junk must not make a huge answer.
  return c.json({
    format: parsed.format, imported: outcome.imported, already_suppressed: outcome.already,
    skipped_count: parsed.skipped.length, skipped: parsed.skipped.slice(0, SKIPPED_REPORTED),
  });
});

suppressionRoutes.openapi(createRoute({
  method: 'post', path: '/check', security, tags: ['suppressions'],
  summary: `May I send? Checks up to ${CHECK_LIMIT} addresses, answers in input order`,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          // The example fills /docs' request body, so that Send works as it comes.
          schema: z.object({ emails: z.array(z.string()).max(CHECK_LIMIT) }).openapi({ example: { emails: ['jane@example.com', 'bob@example.org'] } }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'One result per address, in input order; `email` is the address as it is matched (trimmed, lower-cased, its domain in punycode)',
      content: { 'application/json': { schema: z.object({ results: z.array(z.object({ email: z.string(), suppressed: z.boolean(), reason: z.string().optional() })) }) } },
    },
    ...jsonBodyErrorResponses,
  },
}), async (c) => {
  const { emails } = c.req.valid('json');
  const normalized = emails.map((raw, i) => {
    const email = normalizeAddress(raw);
    if (email === null) throw badRequest(`emails[${i}] is not an email address`, 'invalid_address');
    return email;
  });
  const found = await getSuppressions(c.get('db'), c.get('config'), [...new Set(normalized)], c.get('deps').now());
  return c.json({
    results: normalized.map((email) => {
      const s = found.get(email);
      return s ? { email, suppressed: true, reason: s.reason } : { email, suppressed: false };
    }),
  }, 200);
});

suppressionRoutes.openapi(createRoute({
  method: 'get', path: '/{email}', security, tags: ['suppressions'],
  summary: 'Is this address suppressed?',
  request: { params: EmailParam },
  responses: {
    200: { description: 'Suppressed', content: { 'application/json': { schema: SuppressionSchema } } },
    404: { description: 'Not suppressed', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } },
    ...errorResponses,
  },
}), async (c) => {
  const email = address(c.req.valid('param').email, sentPathSegment(c.req.url));
  const s = await getSuppression(c.get('db'), c.get('config'), email, c.get('deps').now());
  if (!s) throw notFound(`${email} is not suppressed`, 'not_suppressed');
  return c.json(view(s), 200);
});

suppressionRoutes.openapi(createRoute({
  method: 'put', path: '/{email}', security, tags: ['suppressions'],
  summary: 'Suppress an address by hand (admin)',
  request: {
    params: EmailParam,
    body: {
      required: false,
      content: { 'application/json': { schema: z.object({ reason: Reason.default('manual'), note: z.string().max(1000).nullable().default(null) }) } },
    },
  },
  responses: {
    200: { description: 'The suppression', content: { 'application/json': { schema: SuppressionSchema } } },
    409: { description: 'would_expire: the address is suppressed for good; DELETE it before adding one that ends', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } },
    ...jsonBodyErrorResponses,
  },
}), async (c) => {
  const email = address(c.req.valid('param').email, sentPathSegment(c.req.url));
  const body = c.req.valid('json') ?? { reason: 'manual', note: null };
  const s = await putSuppression(c.get('db'), c.get('config'), email, (body.reason ?? 'manual') as Suppression['reason'], body.note ?? null, c.get('deps').now());
  return c.json(view(s), 200);
});

suppressionRoutes.openapi(createRoute({
  method: 'delete', path: '/{email}', security, tags: ['suppressions'],
  summary: 'Lift a suppression (admin); recorded in the address history',
  request: { params: EmailParam },
  responses: {
    204: { description: 'Lifted; or the address was not suppressed (or its suppression had ended), and nothing changed or was recorded' },
    409: { description: 'Changed by another request meanwhile; try again', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } },
    ...errorResponses,
  },
}), async (c) => {
  const email = address(c.req.valid('param').email, sentPathSegment(c.req.url));
  // SPEC §4 answers 204 either way: a DELETE is idempotent, and a second one (a retry after a
  // lost answer) must not look like a failure. Only a real lift is recorded.
  await deleteSuppression(c.get('db'), c.get('config'), email, c.get('deps').now());
  return c.body(null, 204);
});
