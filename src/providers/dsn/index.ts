/**
 * Raw bounce emails posted to `POST /webhooks/dsn` (SPEC §1): RFC 5322 bytes of an RFC 3464
 * DSN, an ARF complaint or a non-standard MTA bounce. Authenticated with `Authorization: Bearer
 * <INGEST_TOKEN>`, compared in constant time; without INGEST_TOKEN every request is refused.
 * The Email Routing handler calls `parseBounceEmail` directly (Cloudflare has routed it).
 */
import { parseBounceEmail } from '../../dsn/index.js';
import { timingSafeEqual } from '../../crypto/timing-safe.js';
import { bearerToken } from '../../http/auth.js';
import { badRequest, unauthorized } from '../../http/errors.js';
import type { Config } from '../../config.js';
import type { ProviderParseResult, ProviderPlugin } from '../types.js';

/** Shorter than any real email: a header field, a blank line and a body. */
const MIN_EMAIL_BYTES = 16;

/** Cloudflare Email Routing takes messages up to 25 MiB; a bounce that returns a big original comes near. */
export const DSN_BODY_LIMIT = 25 * 1024 * 1024;

export const dsn: ProviderPlugin = {
  name: 'dsn',
  bodyLimit: DSN_BODY_LIMIT,
  precheck: checkIngestToken,
  async verify(req, config) {
    checkIngestToken(req, config);
  },
  async parse(body, _config, receivedAt): Promise<ProviderParseResult> {
    if (body.length < MIN_EMAIL_BYTES || !looksLikeEmail(body)) {
      throw badRequest('the body is not an email: expected RFC 5322 header fields, a blank line and a body', 'malformed');
    }
    const { events, ignored, rejected } = await parseBounceEmail(body, { receivedAt: receivedAt ?? null });
    return { events, ignored, rejected };
  },
};

function checkIngestToken(req: { headers: Headers }, config: Config): void {
  const expected = config.ingestToken;
  if (expected === undefined || expected === '') {
    throw unauthorized('raw bounce ingestion is disabled: INGEST_TOKEN is not configured', 'not_configured');
  }
  const token = bearerToken(req.headers.get('authorization'));
  if (token === null) throw unauthorized('Authorization: Bearer <INGEST_TOKEN> is required');
  if (!timingSafeEqual(token, expected)) throw unauthorized('the ingest token is not valid');
}

/** An email starts with a header field ("Name: value") or an mbox "From " line. */
function looksLikeEmail(body: Uint8Array): boolean {
  const head = new TextDecoder('utf-8').decode(body.subarray(0, 512)).replace(/^\uFEFF/, '').replace(/^\s+/, '');
  return /^(?:From [^\r\n]*\r?\n)?[A-Za-z0-9][A-Za-z0-9-]*[ \t]*:/.test(head);
}
