/** GET /v1/codes/{code}?lang=en|es — the catalog entry for 550, 5.1.1 or a whole SMTP reply line. */
import { createRoute, z } from '@hono/zod-openapi';
import { notFound } from '../http/errors.js';
import { errorResponses, newApi, security } from '../http/openapi.js';
import { lookupCode } from '../catalog/lookup.js';

export const codeRoutes = newApi();

codeRoutes.openapi(createRoute({
  method: 'get', path: '/{code}', security, tags: ['catalog'],
  summary: 'What an SMTP reply code, enhanced status code or reply line means',
  request: {
    params: z.object({ code: z.string().max(2000).openapi({ param: { name: 'code', in: 'path' }, example: '5.1.1' }) }),
    query: z.object({ lang: z.enum(['en', 'es']).default('en') }),
  },
  responses: {
    200: { description: 'The catalog entry', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    404: { description: 'Nothing known', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } },
    ...errorResponses,
  },
}), (c) => {
  const { code } = c.req.valid('param');
  const entry = lookupCode(code, c.req.valid('query').lang);
  if (!entry) throw notFound(`nothing in the catalog for "${code.slice(0, 100)}"`, 'unknown_code');
  return c.json(entry as unknown as Record<string, unknown>, 200);
});
