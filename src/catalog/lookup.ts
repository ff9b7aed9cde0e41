/**
 * GET /v1/codes/{code}?lang=en|es: the catalog entry for a basic reply code ("550"), an enhanced
 * status code ("5.1.1") or a whole reply line ("550-5.1.1 The email account ... does not exist").
 */
import { SENDER_CAUSED_REASONS, type BounceClass, type BounceReason } from '../core/event.js';
import { classForReason } from '../core/classify.js';
import { decodeReply, type DecodedReply } from './decode.js';
import { classInfo, enhancedCodeInfo, parseStatus, subjectInfo, type ParsedStatus } from './enhanced-codes.js';
import { reasonInfo, type ReasonGroup } from './reasons.js';
import { replyCodeInfo } from './reply-codes.js';
import type { Lang, Permanence, Side } from './types.js';

export interface ReplyCodeEntry {
  code: string;
  meaning: string;
  permanence: Permanence;
  side: Side;
  ref: string;
}

export interface StatusEntry {
  code: string;
  /** "Permanent failure: The mailbox is full: it has gone over its quota." */
  meaning: string;
  /** The class alone ("Permanent failure") and the subject alone ("Mailbox status"). */
  class_meaning: string;
  subject_meaning: string;
  permanence: Permanence;
  side: Side;
  /** false for details outside the IANA registry (e.g. Microsoft's 5.7.606): read by subject. */
  registered: boolean;
  ref: string | null;
}

export interface ReasonEntry {
  name: BounceReason;
  meaning: string;
  group: ReasonGroup;
  /** Whether the reason blames the sender (never suppresses the recipient, SPEC §3). */
  sender_caused: boolean;
  /** The class Rebote gives a bounce with this reason and these codes. */
  class: BounceClass;
}

export interface CodeLookup {
  query: string;
  kind: 'reply_code' | 'enhanced' | 'reply_line';
  reply_code?: ReplyCodeEntry;
  status?: StatusEntry;
  reason?: ReasonEntry;
  /** For a reply line: what decodeReply made of it. */
  decoded?: DecodedReply;
}

const BARE_REPLY = /^\d{3}$/;
const BARE_STATUS = /^\d\.\d{1,3}\.\d{1,3}$/;

function replyEntry(code: string, lang: Lang): ReplyCodeEntry | undefined {
  const info = replyCodeInfo(code);
  if (!info) return undefined;
  return { code, meaning: info.meaning[lang], permanence: info.permanence, side: info.side, ref: info.ref };
}

function statusEntry(status: ParsedStatus, lang: Lang): StatusEntry | undefined {
  const cls = classInfo(status.klass);
  const subject = subjectInfo(status.subject);
  if (!cls || !subject) return undefined;
  const info = enhancedCodeInfo(status);
  const detail = info ? info.meaning[lang] : subject.meaning[lang];
  return {
    code: status.code,
    meaning: `${cls.meaning[lang]}: ${detail}`,
    class_meaning: cls.meaning[lang],
    subject_meaning: subject.meaning[lang],
    permanence: cls.permanence,
    side: info?.side ?? subject.side,
    registered: info !== undefined,
    ref: info?.ref ?? null,
  };
}

function reasonEntry(reason: BounceReason, reply: string | null, status: string | null, lang: Lang): ReasonEntry {
  const info = reasonInfo(reason);
  const transient = reply?.charAt(0) === '4' || status?.charAt(0) === '4';
  const klass = classForReason(reason, transient);
  return {
    name: reason,
    meaning: info.meaning[lang],
    group: info.group,
    sender_caused: SENDER_CAUSED_REASONS.has(reason),
    class: klass,
  };
}

/** The catalog entry for a code or a reply line, or null when nothing in it is known. */
export function lookupCode(input: string, lang: Lang = 'en'): CodeLookup | null {
  const query = input.trim();
  if (query === '') return null;

  if (BARE_REPLY.test(query)) {
    const reply_code = replyEntry(query, lang);
    if (!reply_code) return null;
    // The reason the classifier takes from this code alone (decodeReply), which is not always the
    // one the code's definition names: a bare 521 or 556 decides nothing (see decideReason).
    const reason = decodeReply(query).reason;
    return {
      query,
      kind: 'reply_code',
      reply_code,
      ...(reason ? { reason: reasonEntry(reason, query, null, lang) } : {}),
    };
  }

  if (BARE_STATUS.test(query)) {
    const parsed = parseStatus(query);
    const status = parsed ? statusEntry(parsed, lang) : undefined;
    if (!parsed || !status) return null;
    const decoded = decodeReply(query);
    return {
      query,
      kind: 'enhanced',
      status,
      ...(decoded.reason ? { reason: reasonEntry(decoded.reason, null, parsed.code, lang) } : {}),
    };
  }

  const decoded = decodeReply(query);
  const parsed = decoded.status ? parseStatus(decoded.status) : null;
  const reply_code = decoded.reply_code ? replyEntry(decoded.reply_code, lang) : undefined;
  const status = parsed ? statusEntry(parsed, lang) : undefined;
  if (!reply_code && !status && !decoded.reason) return null;
  return {
    query,
    kind: 'reply_line',
    ...(reply_code ? { reply_code } : {}),
    ...(status ? { status } : {}),
    ...(decoded.reason ? { reason: reasonEntry(decoded.reason, decoded.reply_code, decoded.status, lang) } : {}),
    decoded,
  };
}
