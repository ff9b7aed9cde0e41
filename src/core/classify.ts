/**
 * The one place where a failed delivery gets its class and reason (SPEC §2, §3): from the SMTP
 * codes and the remote server's words, falling back to the provider's own verdict only when
 * those say nothing. Pure: no I/O.
 */
import { analyzeReply, decideReason, type Analysis } from '../catalog/decode.js';
import { parseStatus, type ParsedStatus } from '../catalog/enhanced-codes.js';
import { normalizeCommand, postfixRcptUnknown, userUnknownAfterData, userUnknownUnstated } from '../catalog/text-patterns.js';
import { HARD_REASONS, NOT_FAILURE_REASONS, type BounceClass, type BounceDetail, type BounceReason } from './event.js';

export interface ProviderHint {
  /** The provider's class mapped by the plugin; 'undetermined' when the provider says so. */
  class?: BounceClass | null;
  reason?: BounceReason | null;
}

export interface ClassifyInput {
  type: 'bounced' | 'deferred' | 'dropped';
  /** Remote server text; may itself carry the codes. */
  diagnostic?: string | null;
  /** When the provider gives the basic code as its own field. */
  reply_code?: string | number | null;
  /** When the provider gives the enhanced code as its own field. */
  status?: string | null;
  /** The provider's own verdict, kept verbatim. */
  provider_class?: string | null;
  /** The provider's verdict mapped by the plugin: used only when codes and text decide nothing. */
  provider_hint?: ProviderHint | null;
  /** The SMTP command that was refused (RCPT, MAIL, DATA, ...), when the input says. */
  smtp_command?: string | null;
  /**
   * Raw bounce emails: "user unknown" words prove that the mailbox does not exist only when they
   * answered RCPT TO or come with an addressing status (x.1.x). Otherwise (after DATA, or at a
   * stage the bounce does not name) content filters and gateways use the same words, so the
   * bounce is read as `filtered`, which never suppresses. A provider hint of userunknown (a
   * format's own verdict) still decides, and so do the few wordings that prove it by themselves
   * (text-patterns.ts: userUnknownUnstated, userUnknownAfterData).
   */
  strict_user_unknown?: boolean;
  /** The reporting MTA's own verdict, no remote server's reply (dsn/types.ts Notice.local): its "user unknown" is proof. */
  local_verdict?: boolean;
}

const REPLY_CODE = /^[2-5][0-5]\d$/;

const EMPTY: Analysis = { reply: null, status: null, text: '', lower: '', command: null, relayed: null };

function normalizeReplyCode(input: string | number | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  const s = String(input).trim();
  // Providers put their own numbers here too (Mailgun 498, 605): only SMTP replies count.
  return REPLY_CODE.test(s) ? s : null;
}

/**
 * The text's own codes win: they belong to the reply the text quotes. A separate field fills in
 * when the text has none, and also replaces a vaguer code of the same class in the text (a DSN's
 * "Status: 5.3.0" next to "Diagnostic-Code: smtp; 550 5.0.0 ... Insufficient permission").
 */
function pickStatus(fromText: ParsedStatus | null, field: ParsedStatus | null): ParsedStatus | null {
  if (fromText === null) return field;
  if (field !== null && field.klass === fromText.klass && specificity(field) > specificity(fromText)) return field;
  return fromText;
}

function specificity(s: ParsedStatus): number {
  return (s.subject !== 0 ? 1 : 0) + (s.detail !== 0 ? 1 : 0);
}

/**
 * What an event keeps of the remote's words and the provider's verdict. A reply is a few hundred
 * characters; a whole pasted bounce body is not, and one event too large for a DynamoDB item
 * (400 KB) would fail its whole batch on every redelivery.
 */
const MAX_DIAGNOSTIC = 8192;
const MAX_PROVIDER_CLASS = 512;

function bounded(text: string | null, max: number): string | null {
  return text !== null && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function classifyBounce(input: ClassifyInput): BounceDetail {
  const diagnostic = typeof input.diagnostic === 'string' && input.diagnostic.trim() !== '' ? input.diagnostic.trim() : null;
  const a = diagnostic !== null ? analyzeReply(diagnostic) : EMPTY;
  const reply = a.reply ?? normalizeReplyCode(input.reply_code);
  // A status field that repeats a relay's translation (a DSN's "Status: 5.1.351") is no more the
  // remote's verdict than the translation is: it only tells permanent from temporary.
  const field = input.status ? parseStatus(input.status) : null;
  const status = pickStatus(a.status, field !== null && field.code !== a.relayed?.code ? field : null);
  const permanence = status ?? a.relayed ?? field;
  const command = normalizeCommand(input.smtp_command) ?? a.command;
  const hint = input.provider_hint ?? null;

  const decided = decideReason(reply, status, a.lower, command);
  let reason: BounceReason | null = decided.reason;
  let rule = decided.rule;
  // Words that prove the mailbox missing whatever the stage when the bounce names none; after a
  // named command other than RCPT (DATA, HELO...), only Yahoo's documented refusal after DATA.
  const proven = input.local_verdict === true || (command === null
    ? userUnknownUnstated(a.lower, status?.code ?? null, reply) || postfixRcptUnknown(a.lower, status?.subject ?? null)
    : userUnknownAfterData(a.lower));
  if (input.strict_user_unknown && reason === 'userunknown' && command !== 'RCPT' && status?.subject !== 1 &&
      hint?.reason !== 'userunknown' && !proven) {
    reason = 'filtered';
    rule = `${rule}>unconfirmed`;
  }

  const transient = permanence?.klass === '4' || reply?.charAt(0) === '4';
  const permanent = !transient && (permanence?.klass === '5' || reply?.charAt(0) === '5');
  const code = permanence?.code ?? reply;

  let klass: BounceClass;
  if (reason === null) {
    if (hint?.reason) {
      reason = hint.reason;
      rule = 'provider:hint';
      // The provider's "hard" makes its reason hard only when that reason is about the address:
      // a sender-side reason or a full mailbox stays what SPEC §3 says it is, whoever calls it hard.
      klass = hint.class === 'hard' && !HARD_REASONS.has(reason) ? classOf(reason) : hint.class ?? classOf(reason);
    } else if (input.type === 'bounced' && transient) {
      // A final bounce that carries a temporary code: the sender retried until it gave up.
      reason = 'expired';
      klass = 'soft';
      rule = `transient:${code}`;
    } else if (permanent) {
      // A permanent code with words we cannot read. Not hard: suppressing at once on a reason we
      // do not know could drop a good address for a sender-side refusal. Soft counts it towards
      // SOFT_BOUNCE_LIMIT, so an address that keeps failing is still suppressed. The provider's
      // own class, when it has one, knows more than we do.
      reason = 'undefined';
      klass = hint?.class ?? 'soft';
      rule = hint?.class ? `code:${code}+provider:hint` : `code:${code}`;
    } else if (hint?.class) {
      reason = 'undefined';
      klass = hint.class;
      rule = code !== null ? `code:${code}+provider:hint` : 'provider:hint';
    } else {
      reason = 'undefined';
      klass = code !== null ? 'soft' : 'undetermined';
      rule = code !== null ? `code:${code}` : 'none';
    }
  } else {
    klass = classOf(reason);
  }

  // A deferral or a temporary code is never a hard bounce, whatever the words say.
  if (klass === 'hard' && (input.type === 'deferred' || transient)) {
    klass = 'soft';
    if (input.type === 'deferred') rule = `${rule}+type:deferred`;
  }

  return {
    class: klass,
    reason,
    reply_code: reply,
    status: permanence?.code ?? null,
    diagnostic: bounded(diagnostic, MAX_DIAGNOSTIC),
    provider_class: bounded(input.provider_class ?? null, MAX_PROVIDER_CLASS),
    rule: rule ?? 'none',
  };
}

function classOf(reason: BounceReason): BounceClass {
  if (NOT_FAILURE_REASONS.has(reason)) return 'undetermined';
  if (reason === 'undefined' || reason === 'onhold') return 'undetermined';
  return HARD_REASONS.has(reason) ? 'hard' : 'soft';
}

/** The class a reason gets on its own (hard only when the code is not a temporary one). */
export function classForReason(reason: BounceReason, transient: boolean): BounceClass {
  const klass = classOf(reason);
  return klass === 'hard' && transient ? 'soft' : klass;
}
