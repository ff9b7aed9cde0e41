/**
 * Decoding a remote server's reply text: the basic reply code, the enhanced status code, the
 * SMTP command it answered, and a bounce reason from the codes and the words together.
 * Hot path (every bounce goes through it): regexes are compiled once, no allocation-heavy work.
 */
import { HARD_REASONS, type BounceReason } from '../core/event.js';
import { parseStatus, statusReason, subjectInfo, type ParsedStatus } from './enhanced-codes.js';
import { replyCodeInfo } from './reply-codes.js';
import { isMicrosoftDbeb, matchCommand, matchText, orangeCodeReason, providerCodeReason, userUnknownAfterData, type SmtpCommand } from './text-patterns.js';

export interface DecodedReply {
  /** Basic reply code, e.g. "550". */
  reply_code: string | null;
  /** Enhanced status code, e.g. "5.1.1". */
  status: string | null;
  reason: BounceReason | null;
  /** What decided the reason (see decideReason), null when nothing did. */
  rule: string | null;
  /** The human part: diagnostic-type prefix and per-line code prefixes removed, lines joined. */
  text: string;
  /** The SMTP command the reply answered, when the text says so. */
  command: SmtpCommand | null;
}

/** Longer texts are whole bounce bodies pasted into a field; the reply is near the top. */
const MAX_SCAN = 8192;

/** "smtp;", "SMTP; ", "X-Postfix;", "Diagnostic-Code: smtp;" in front of the reply. */
const TYPE_PREFIX = /^\s*(?:diagnostic-code:\s*)?[a-z][a-z0-9-]*;\s*/i;
/** A reply line's own code prefix: "550-5.1.1 ", "550 ", "4.2.2 ", "#550 5.1.1 ". */
const LINE_PREFIX = /^[ \t]*#?(?:[2-5][0-5]\d(?:[ \t]*-[ \t]*|[ \t]+|$)(?:#?[245]\.\d{1,3}\.\d{1,3}(?:[ \t]+|$))?|[245]\.\d{1,3}\.\d{1,3}(?:[ \t]+|$))/;
const LINE_BREAK = /\r\n|\r|\n/;
const SPACES = /\s+/g;
/** Whitespace that SPACES would change: a run of it, or any kind but a single space. */
const UNEVEN_SPACE = /[^\S ]| {2}/;

function singleSpaced(text: string): string {
  // Most replies are already single-spaced: testing is cheaper than a replace that copies.
  return UNEVEN_SPACE.test(text) ? text.replace(SPACES, ' ') : text;
}

/**
 * A reply code followed by an enhanced code: "550 5.1.1", "550-5.1.1", "550 #5.1.0", "550: 5.2.2",
 * and Amazon SES's quoting of the remote's reply, "Unknown address error 550-'5.2.2 ...'".
 * Not preceded by a word character, dot or dash, so IPs ("192.0.2.550 5.1.1") and ids do not count;
 * the status must not run on into more digits or dots ("5.1.1.1" is an address).
 */
const PAIR = /(?<![\w.\-])([2-5][0-5]\d)(?:[ \t]*[-:][ \t]*'?|[ \t]+)#?([245]\.[0-7]\.\d{1,3})(?!\d|\.\d)/g;
/** An enhanced code on its own: "#5.1.1", "(5.7.1)", "status=5.1.1". */
const STATUS = /(?<![\w.\-])#?([245]\.[0-7]\.\d{1,3})(?!\d|\.\d)/g;
/** A candidate basic reply code on its own; its context is checked in code (isReplyToken). */
const REPLY = /(?<![\w.\-/%&=+@$])([2-5][0-5]\d)(?![\w@]|\.\d)/g;

const AFTER_REPLY = /[\s,:;'")\]>-]/;
const BEFORE_REPLY = /['"<>(\[#]/;
const DIGIT = /\d/;
/**
 * A reply quoted after the words that say it is one: Lotus Domino's "SMTP Protocol Returned a
 * Permanent Error 550 ..." (its localized reports keep these English words), "Fatal error 554",
 * "transient error 451". A bare "error 404" is not enough: only with the permanence said, and
 * only a failure's code (4xx, 5xx): "temporary error 300 seconds" names no reply.
 */
const ERROR_BEFORE_REPLY = /\b(?:permanent|temporary|transient|fatal)[ \t]+error[ \t]*$/i;

interface Extracted {
  reply: string | null;
  status: ParsedStatus | null;
}

function isReplyToken(text: string, start: number, end: number): boolean {
  const next = text.charAt(end);
  if (next !== '' && !AFTER_REPLY.test(next)) return false;
  if (next === ':' && DIGIT.test(text.charAt(end + 1))) return false;
  // The previous visible character decides: a line start, "said: ", "TO:", a quote or bracket.
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i < 0) return true;
  const prev = text.charAt(i);
  if (prev === '\n' || prev === '\r') return true;
  if (prev === '[' && next === ']') return false; // "[416]": a reference number, not a reply
  // "10:550" is a time or a counter, not a reply after a colon.
  if (prev === ':' || prev === ';') return !DIGIT.test(text.charAt(i - 1));
  if (BEFORE_REPLY.test(prev)) return true;
  const first = text.charAt(start);
  return (first === '4' || first === '5') && ERROR_BEFORE_REPLY.test(text.slice(Math.max(0, i - 24), i + 1));
}

/**
 * Picks the reply code and enhanced code that best describe the failure. Preference: a pair whose
 * classes agree (the remote's own "550 5.1.1"), then any pair, then the first enhanced code with a
 * detail other than 0 (SES wraps "5.2.2 Mailbox Full" in its own "5.1.0 - Unknown address
 * error"), then any enhanced code. The reply code comes from the chosen pair or is the first
 * standalone one.
 */
function extract(text: string): Extracted {
  let agreeing: [string, string] | null = null;
  let anyPair: [string, string] | null = null;
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m !== null; m = PAIR.exec(text)) {
    const reply = m[1]!;
    const status = m[2]!;
    if (anyPair === null) anyPair = [reply, status];
    if (reply.charAt(0) === status.charAt(0)) { agreeing = [reply, status]; break; }
  }
  const pair = agreeing ?? anyPair;
  if (pair) return { reply: pair[0], status: parseStatus(pair[1]) };

  let status: ParsedStatus | null = null;
  STATUS.lastIndex = 0;
  for (let m = STATUS.exec(text); m !== null; m = STATUS.exec(text)) {
    const parsed = parseStatus(m[1]!);
    if (parsed === null) continue;
    if (status === null) status = parsed;
    if (parsed.detail !== 0) { status = parsed; break; }
  }

  let reply: string | null = null;
  REPLY.lastIndex = 0;
  for (let m = REPLY.exec(text); m !== null; m = REPLY.exec(text)) {
    if (isReplyToken(text, m.index, m.index + 3)) { reply = m[1]!; break; }
  }
  return { reply, status };
}

/** Each line's own code prefix off, lines joined by single spaces. */
function humanText(body: string): string {
  // One line (most providers' diagnostics): the same result without splitting and joining.
  if (body.indexOf('\n') < 0 && body.indexOf('\r') < 0) return singleSpaced(body.replace(LINE_PREFIX, '').trim());
  const lines = body.split(LINE_BREAK);
  const out: string[] = [];
  for (const line of lines) {
    const stripped = line.replace(LINE_PREFIX, '').trim();
    if (stripped.length > 0) out.push(stripped);
  }
  return singleSpaced(out.join(' '));
}

export interface Analysis {
  reply: string | null;
  status: ParsedStatus | null;
  text: string;
  lower: string;
  command: SmtpCommand | null;
  /**
   * The status of a relay's translation around the remote's reply (see RELAYED), when the text
   * is one: it says whether the failure was permanent, not what it was about.
   */
  relayed: ParsedStatus | null;
}

/**
 * Exchange's translation of a remote reply that came without an enhanced code: "550 5.1.351
 * Remote server returned unknown recipient or mailbox unavailable -> 550 <the remote's words>".
 * Its status and stock words are Exchange's, given for any refusal whose reply has no enhanced
 * code, the sender-side ones included: only the quoted reply after "->" says what happened.
 */
const RELAYED = /(?<![\w.])([2-5][0-5]\d)[ -]#?([245]\.\d{1,3}\.\d{1,3}) remote server returned [^\n]{0,120}? -> ?(?=[2-5][0-5]\d\b)/i;

/** Codes, human text and command of a reply text, before any reason is decided. */
export function analyzeReply(input: string): Analysis {
  const raw = input.length > MAX_SCAN ? input.slice(0, MAX_SCAN) : input;
  let body = raw.replace(TYPE_PREFIX, '');
  let relayed: ParsedStatus | null = null;
  const wrapper = body.indexOf('->') === -1 ? null : RELAYED.exec(body);
  if (wrapper !== null) {
    relayed = parseStatus(wrapper[2]!);
    // Exchange's own label in front ("Remote Server returned '") stays: it says nothing.
    body = body.slice(0, wrapper.index) + body.slice(wrapper.index + wrapper[0].length);
  }
  const { reply, status } = extract(body);
  const text = withoutRepeatedCodes(humanText(body), reply, body);
  const lower = plainApostrophes(text.toLowerCase());
  return { reply, status, text, lower, command: matchCommand(lower), relayed };
}

/** A typographic apostrophe or modifier letter (a word processor's, an HTML notice's "doesn’t"). */
const CURLY_APOSTROPHE = /[\u2018\u2019\u02bc]/g;

/** The rules are written with ASCII apostrophes: "doesn’t exist" reads as "doesn't exist". */
const plainApostrophes = (lower: string): string =>
  lower.indexOf('\u2019') === -1 && lower.indexOf('\u2018') === -1 && lower.indexOf('\u02bc') === -1 ? lower : lower.replace(CURLY_APOSTROPHE, "'");

const REPEATED_CODE = /(?<=\s)([2-5][0-5]\d)[ -](?:#?[245]\.\d{1,3}\.\d{1,3} )?/g;
/** A reply that opens the text as the first line of a multi-line one ("550-5.7.1 ..."). */
const MULTI_LINE_START = /^[ \t]*#?([2-5][0-5]\d)-/;

/**
 * A multi-line reply joined into one line by whoever quoted it ("550-5.7.1 ... multiple 550-5.7.1
 * addresses in From ...") keeps each line's code in the middle of its words: after the reply's
 * first line, they go, so the words read as one sentence. Only the reply's own code is taken out.
 */
function withoutRepeatedCodes(text: string, reply: string | null, body: string): string {
  // Most replies: their one code is already off the text.
  if (reply === null || text.indexOf(reply) === -1) return text;
  // When the reply's first line opened the body, its code is already off the text too.
  const first = MULTI_LINE_START.exec(body)?.[1] === reply ? 0 : text.indexOf(`${reply}-`) + 4;
  if (first === 3 || text.indexOf(reply, first) === -1) return text;
  const rest = text.slice(first).replace(REPEATED_CODE, (m, c: string) => (c === reply ? '' : m));
  return text.slice(0, first) + rest;
}

export interface ReasonDecision {
  reason: BounceReason | null;
  rule: string | null;
}

function isTransient(reply: string | null, status: ParsedStatus | null): boolean {
  return status?.klass === '4' || reply?.charAt(0) === '4';
}

/** Recipient-side reasons that, said in answer to MAIL FROM, are about the sender instead. */
const RECIPIENT_ADDRESS_REASONS: ReadonlySet<BounceReason> = new Set<BounceReason>([
  'userunknown', 'hostunknown', 'hasmoved', 'notaccept', 'suspend',
]);

/**
 * Reply codes whose catalogued reason is not taken on the code alone: 521 and 556 mean "takes no
 * mail" by RFC 7504, but mail gateways answer them to refuse the sender too ("521 access denied",
 * "521 Block permanently (Sender Filtering)"). A host that takes no mail says so in words (a null
 * MX, "does not accept mail") or with X.3.2 / X.1.10, which decide by themselves.
 */
const UNPROVEN_REPLY_REASONS: ReadonlySet<string> = new Set(['521', '556']);

/** Microsoft's Directory-Based Edge Blocking, read as a strong text match (isMicrosoftDbeb). */
const DBEB = { reason: 'userunknown', strong: true } as const;

/**
 * Decides the reason from codes, lower-cased text and the SMTP command, in this order:
 * 1. a strong text pattern (wins over the code: "text:blocked>status:5.1.1");
 * 2. the reason the enhanced code names ("status:5.1.1");
 * 3. a weak text pattern ("text:userunknown");
 * 4. the command alone: refused at MAIL FROM → rejected, at connection/HELO → blocked;
 * 5. the reason the basic reply code names (530 → securityerror: "reply:530"; not 521 or 556);
 * 6. the enhanced code's subject (5.7.x → securityerror: "subject:5.7").
 * A weak pattern that would name the recipient's address bad ("Address rejected") does not
 * outweigh a security or policy status (X.7.x): "554 5.7.1 Address rejected" is a rule of the
 * recipient's side refusing the message (filtered), not a mailbox that is not there.
 * Then the command corrects the reason: a "user unknown" answered to MAIL FROM is the sender's
 * address, one answered at the greeting or HELO a block of the connecting host, and one
 * answered after DATA (when no 5.1.1 said so) is a content filter, unless the
 * words are ones a mailbox provider uses only for a missing mailbox (Yahoo's "dd" refusals).
 */
export function decideReason(
  reply: string | null,
  status: ParsedStatus | null,
  lower: string,
  command: SmtpCommand | null,
): ReasonDecision {
  // Microsoft's edge blocking is known by its words with its status as well as by its words alone;
  // Orange's and La Poste's codes say more than their words.
  const coded = orangeCodeReason(lower) ?? providerCodeReason(lower);
  const fromText = coded !== null ? { reason: coded, strong: true } : isMicrosoftDbeb(lower, status?.code ?? null) ? DBEB : matchText(lower);
  const fromStatus = status ? statusReason(status) : null;
  let reason: BounceReason | null = null;
  let rule: string | null = null;

  if (fromText?.strong) {
    reason = fromText.reason;
    rule = fromStatus !== null && fromStatus !== fromText.reason
      ? `text:${fromText.reason}>status:${status!.code}`
      : fromStatus !== null ? `status:${status!.code}` : `text:${fromText.reason}`;
  } else if (fromStatus === 'userunknown' && reply === '552') {
    // "552 5.1.1" with no strong words (weak ones such as "mailbox unavailable" say no more): 552
    // says a storage allowance was exceeded (Orange's full mailbox), so the codes disagree and
    // neither proves the address bad.
    reason = 'mailboxfull';
    rule = `reply:552>status:${status!.code}`;
  } else if (fromStatus !== null) {
    reason = fromStatus;
    rule = `status:${status!.code}`;
  } else if (fromText && status?.subject === 7 && command !== 'MAIL' && HARD_REASONS.has(fromText.reason)) {
    reason = 'filtered';
    rule = `subject:${status.klass}.7>text:${fromText.reason}`;
  } else if (fromText) {
    reason = fromText.reason;
    rule = `text:${fromText.reason}`;
  } else if (command === 'MAIL') {
    return { reason: 'rejected', rule: 'command:MAIL' };
  } else if ((command === 'CONN' || command === 'HELO') && !isTransient(reply, status)) {
    return { reason: 'blocked', rule: `command:${command}` };
  } else {
    const byReply = reply && !UNPROVEN_REPLY_REASONS.has(reply) ? replyCodeInfo(reply)?.reason ?? null : null;
    const bySubject = status ? subjectInfo(status.subject)?.reason ?? null : null;
    if (byReply !== null) {
      reason = byReply;
      rule = `reply:${reply}`;
    } else if (bySubject !== null) {
      reason = bySubject;
      rule = `subject:${status!.klass}.${status!.subject}`;
    }
  }

  // 503 is "bad sequence of commands": whatever the words, not a verdict on the mailbox (Mimecast's "503 User unknown").
  if (reason === 'userunknown' && reply === '503' && status?.subject !== 1) {
    return { reason: 'syntaxerror', rule: `reply:503>${rule}` };
  }
  // 535 answers AUTH (RFC 4954): its "user unknown" is the sender's login, never a mailbox.
  if (reason !== null && reply === '535' && RECIPIENT_ADDRESS_REASONS.has(reason)) {
    return { reason: 'securityerror', rule: `reply:535>${rule}` };
  }
  // X.1.7 and X.1.8 are the sender's address (RFC 3463): its "invalid address" is not the recipient's.
  if (reason !== null && status?.subject === 1 && (status.detail === 7 || status.detail === 8) && RECIPIENT_ADDRESS_REASONS.has(reason)) {
    return { reason: 'rejected', rule: `status:${status.code}>${rule}` };
  }
  if (reason !== null && command === 'MAIL' && RECIPIENT_ADDRESS_REASONS.has(reason)) {
    return { reason: 'rejected', rule: `command:MAIL>${rule}` };
  }
  // Before any RCPT (at the greeting or HELO) there is no recipient to say unknown: a refusal of
  // the connecting host.
  if (reason !== null && (command === 'CONN' || command === 'HELO') && RECIPIENT_ADDRESS_REASONS.has(reason)) {
    return { reason: 'blocked', rule: `command:${command}>${rule}` };
  }
  if (reason === 'userunknown' && command === 'DATA' && !(status && status.subject === 1 && status.detail === 1) &&
      !userUnknownAfterData(lower)) {
    return { reason: 'filtered', rule: `command:DATA>${rule}` };
  }
  return { reason, rule };
}

/** Decodes one reply text, e.g. "smtp; 550-5.1.1 The email account that you tried to reach does not exist". */
export function decodeReply(text: string): DecodedReply {
  const a = analyzeReply(text);
  const { reason, rule } = decideReason(a.reply, a.status, a.lower, a.command);
  return {
    reply_code: a.reply,
    status: a.status?.code ?? null,
    reason,
    rule,
    text: a.text,
    command: a.command,
  };
}
