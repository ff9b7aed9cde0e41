/** GET /v1/codes/:code?lang=en|es — the catalog entry for 550, 5.1.1 or a whole SMTP reply line. */
import { Hono } from 'hono';
import type { AppEnv } from '../app.js';
import { badRequest, notFound } from '../http/errors.js';
import { lookupCode } from '../catalog/lookup.js';

export const codeRoutes = new Hono<AppEnv>();

codeRoutes.get('/:code', (c) => {
  const lang = c.req.query('lang') ?? 'en';
  if (lang !== 'en' && lang !== 'es') throw badRequest('lang must be en or es', 'invalid_lang');
  const query = c.req.param('code');
  if (query.length > 2000) throw badRequest('the code or reply line is too long', 'invalid_code');
  const entry = lookupCode(query, lang);
  if (!entry) throw notFound(`nothing in the catalog for "${query.slice(0, 100)}"`, 'unknown_code');
  return c.json(entry);
});
