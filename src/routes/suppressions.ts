/** The suppression list: look up, bulk check, add and lift by hand (SPEC §4). */
import { Hono } from 'hono';
import type { AppEnv } from '../app.js';
import { normalizeAddress } from '../core/address.js';
import { SUPPRESSION_REASONS, type Suppression, type SuppressionReason } from '../core/policy.js';
import { badRequest, notFound } from '../http/errors.js';
import { parseJson, readBody } from '../http/body.js';
import { requireAdmin } from '../http/auth.js';
import { deleteSuppression, getSuppression, getSuppressions, putSuppression } from '../store/suppressions.js';

const API_BODY_LIMIT = 256 * 1024;
export const CHECK_LIMIT = 1000;

export const suppressionRoutes = new Hono<AppEnv>();

function addressParam(raw: string): string {
  const email = normalizeAddress(raw);
  if (email === null) throw badRequest(`"${raw.slice(0, 320)}" is not an email address`, 'invalid_address');
  return email;
}

const view = (s: Suppression) => ({
  email: s.email,
  reason: s.reason,
  created_at: s.created_at,
  updated_at: s.updated_at,
  ...(s.expires_at ? { expires_at: s.expires_at } : {}),
  ...(s.note ? { note: s.note } : {}),
  source: s.source,
});

suppressionRoutes.post('/check', async (c) => {
  const body = parseJson(await readBody(c.req.raw, API_BODY_LIMIT));
  const emails = (body as { emails?: unknown } | null)?.emails;
  if (!Array.isArray(emails)) throw badRequest('the body must be {"emails": [...]}', 'invalid_body');
  if (emails.length > CHECK_LIMIT) throw badRequest(`at most ${CHECK_LIMIT} addresses per request`, 'too_many_addresses');
  const normalized = emails.map((raw, i) => {
    const email = normalizeAddress(raw);
    if (email === null) throw badRequest(`emails[${i}] is not an email address`, 'invalid_address');
    return email;
  });
  const cfg = c.get('config');
  const found = await getSuppressions(c.get('db'), cfg, [...new Set(normalized)], c.get('deps').now());
  return c.json({
    results: normalized.map((email) => {
      const s = found.get(email);
      return s ? { email, suppressed: true, reason: s.reason } : { email, suppressed: false };
    }),
  });
});

suppressionRoutes.get('/:email', async (c) => {
  const email = addressParam(c.req.param('email'));
  const s = await getSuppression(c.get('db'), c.get('config'), email, c.get('deps').now());
  if (!s) throw notFound(`${email} is not suppressed`, 'not_suppressed');
  return c.json(view(s));
});

suppressionRoutes.put('/:email', async (c) => {
  requireAdmin(c.get('scope'));
  const email = addressParam(c.req.param('email'));
  const raw = await readBody(c.req.raw, API_BODY_LIMIT);
  const body = raw.length === 0 ? {} : parseJson(raw);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be a JSON object', 'invalid_body');
  const { reason = 'manual', note = null } = body as { reason?: unknown; note?: unknown };
  if (!SUPPRESSION_REASONS.includes(reason as SuppressionReason)) {
    throw badRequest(`reason must be one of: ${SUPPRESSION_REASONS.join(', ')}`, 'invalid_reason');
  }
  if (note !== null && (typeof note !== 'string' || note.length > 1000)) {
    throw badRequest('note must be a string of at most 1000 characters', 'invalid_note');
  }
  const s = await putSuppression(c.get('db'), c.get('config'), email, reason as SuppressionReason, note, c.get('deps').now());
  return c.json(view(s));
});

suppressionRoutes.delete('/:email', async (c) => {
  requireAdmin(c.get('scope'));
  const email = addressParam(c.req.param('email'));
  const lifted = await deleteSuppression(c.get('db'), c.get('config'), email, c.get('deps').now());
  if (!lifted) throw notFound(`${email} is not suppressed`, 'not_suppressed');
  return c.body(null, 204);
});
