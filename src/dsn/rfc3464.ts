/**
 * RFC 3464 delivery status notifications (and RFC 6533's message/global-delivery-status): the
 * machine-readable part of a multipart/report. One per-message block, then one block per
 * recipient; fields may continue on lines that start with white space, address and diagnostic
 * values carry a type prefix ("rfc822;", "smtp;").
 *
 * Real reports bend the layout: blocks without the blank line between them, Action before
 * Final-Recipient, several recipients in one block. Records are therefore cut at each
 * Final-Recipient (with an Original-Recipient just before it), not only at blank lines.
 */
import type { BounceReason } from '../core/event.js';
import { addressIn, parseFields, unfold, type Field } from './text.js';
import { notice, type DsnAction, type Notice } from './types.js';

export interface DsnReport {
  /** Arrival-Date of the per-message block, raw. */
  arrival: string | null;
  notices: Notice[];
}

const ACTIONS: Readonly<Record<string, DsnAction>> = {
  failed: 'failed',
  failure: 'failed',
  delayed: 'delayed',
  delivered: 'delivered',
  relayed: 'relayed',
  expanded: 'expanded',
};

const STATUS = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
const TYPE_PREFIX = /^\s*[a-z][a-z0-9-]*\s*;\s*/i;

/** "5.1.1 (user unknown)" → "5.1.1"; null when no enhanced code is there. */
export function statusIn(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = STATUS.exec(value);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null;
}

/** "Failed (permanent)", "failed" → 'failed'. */
export function actionIn(value: string | null | undefined): DsnAction | null {
  if (!value) return null;
  const word = /^\s*([a-z]+)/i.exec(value)?.[1]?.toLowerCase();
  // Own keys only: an Action of "constructor" must not find Object.prototype's.
  return word !== undefined && Object.hasOwn(ACTIONS, word) ? ACTIONS[word]! : null;
}

/**
 * PowerMTA adds its own verdict to each recipient block: X-PowerMTA-BounceCategory, one of its
 * documented bounce categories. It becomes the format's hint (Notice.reason): it decides only
 * where the codes and the words name no reason, and it confirms a "user unknown" that the reply
 * alone would not prove. Categories that do not name one reason (routing-errors, bad-connection,
 * no-answer-from-host, protocol-errors, bad-configuration, other) give no hint.
 */
const POWERMTA_CATEGORIES: Readonly<Record<string, BounceReason>> = {
  'bad-mailbox': 'userunknown',
  'bad-domain': 'hostunknown',
  'inactive-mailbox': 'suspend',
  'quota-issues': 'mailboxfull',
  'message-expired': 'expired',
  'spam-related': 'spamdetected',
  'virus-related': 'virusdetected',
  'content-related': 'contenterror',
  'policy-related': 'policyviolation',
  'relaying-issues': 'norelaying',
  'invalid-sender': 'rejected',
};

/** "bad-mailbox" → 'userunknown'; null for any other value. */
export function powerMtaCategory(value: string | null): BounceReason | null {
  if (value === null) return null;
  const category = value.trim().toLowerCase();
  // Own keys only: a category of "constructor" must not find Object.prototype's.
  return Object.hasOwn(POWERMTA_CATEGORIES, category) ? POWERMTA_CATEGORIES[category]! : null;
}

/** Splits a report body into blocks of fields separated by empty lines. */
function blocks(body: string): Field[][] {
  const out: Field[][] = [];
  for (const chunk of body.split(/\n[ \t]*\n/)) {
    const fields = parseFields(chunk);
    if (fields.length > 0) out.push(fields);
  }
  return out;
}

const isRecipientField = (f: Field) => f.name === 'final-recipient' || f.name === 'original-recipient';

/** RFC 3464's per-recipient fields other than the recipient ones. */
const RECIPIENT_DETAILS = new Set(['action', 'status', 'remote-mta', 'diagnostic-code', 'last-attempt-date', 'final-log-id', 'will-retry-until']);

/**
 * Cuts one block into per-recipient records. When the block gives fields of the first recipient
 * before its address (Exim writes Action first; some gateways write Action and Status, then
 * Final-Recipient), every later field of that name starts the next recipient's record, so each
 * recipient keeps the fields written before its address. Otherwise a repeated recipient field does.
 */
function records(block: Field[]): Field[][] {
  const first = block.findIndex(isRecipientField);
  if (first === -1) return [];
  let leader: string | null = null;
  for (let i = 0; i < first && leader === null; i++) if (RECIPIENT_DETAILS.has(block[i]!.name)) leader = block[i]!.name;
  const plain = byRecipientField(block);
  if (leader === null || plain.length < 2) return plain;
  // Only when every recipient has that field: otherwise the layout is not that regular.
  const starts: number[] = [];
  for (let i = 0; i < block.length; i++) if (block[i]!.name === leader) starts.push(i);
  if (starts.length !== plain.length) return plain;
  const led = starts.map((s, k) => block.slice(k === 0 ? 0 : s, starts[k + 1] ?? block.length));
  return led.every((r) => byRecipientField(r).length === 1) ? led : plain;
}

/** Cuts fields into records at each recipient field that starts a new one. */
function byRecipientField(block: Field[]): Field[][] {
  const out: Field[][] = [];
  let current: Field[] = [];
  let seen = new Set<string>();
  for (let i = 0; i < block.length; i++) {
    const f = block[i]!;
    if (isRecipientField(f)) {
      // Postfix writes Final- before Original-Recipient, RFC 3464 the other way round: only a
      // repeated field name starts the next recipient.
      const startsNew = seen.has(f.name);
      if (startsNew) {
        out.push(current);
        current = [];
        seen = new Set();
      }
      seen.add(f.name);
    }
    current.push(f);
  }
  out.push(current);
  return out.filter((r) => r.some(isRecipientField));
}

function value(record: Field[], name: string): string | null {
  for (const f of record) if (f.name === name && f.value !== '') return unfold(f.value);
  return null;
}

const REPLY_PREFIX = /^([245]\d\d)[ -](?:[245]\.\d{1,3}\.\d{1,3}\s+)?/;

/**
 * Diagnostic-Code without its type prefix ("smtp; 550 ..." → "550 ..."), on one line. A folded
 * multi-line reply repeats its code on every line ("550-5.7.1 ... multiple\n 550 5.7.1
 * addresses in From: ..."): the repeats are dropped so the words read as one sentence.
 */
function diagnosticIn(record: Field[]): string | null {
  const raw = record.find((f) => f.name === 'diagnostic-code' && f.value !== '')?.value ?? supplementaryReply(record);
  if (raw === undefined) return null;
  const [first, ...rest] = raw.replace(TYPE_PREFIX, '').split('\n').map((l) => l.trim());
  const prefix = REPLY_PREFIX.exec(first ?? '');
  const code = prefix?.[1];
  const lines = [first ?? '', ...rest.map((l) => (code !== undefined && l.startsWith(code) ? l.replace(REPLY_PREFIX, '') : l))];
  let text = lines.filter((l) => l !== '').join(' ').trim();
  // Some relays refold such a reply mid-line: "... multiple 550 5.7.1 addresses ...".
  const repeat = prefix ? prefix[0].trim().replace(/^(\d{3})-/, '$1 ') : '';
  if (repeat.includes(' ')) text = text.slice(0, prefix![0].length) + text.slice(prefix![0].length).split(` ${repeat} `).join(' ');
  return text === '' ? null : text;
}

/** Exchange's X-Supplementary-Info: "<mx.example.net #5.1.1 smtp;550 5.1.1 User unknown>". */
const SUPPLEMENTARY = /^\s*<[^\s<>#]*\s*#[245]\.\d{1,3}\.\d{1,3}\s*([\s\S]*?)>?\s*$/;

/**
 * The remote's reply that Exchange puts in X-Supplementary-Info (wrapped in the host and a
 * status) and that it then leaves out of the Diagnostic-Code: read as a Diagnostic-Code when
 * there is none.
 */
function supplementaryReply(record: Field[]): string | undefined {
  const raw = record.find((f) => f.name === 'x-supplementary-info' && f.value !== '')?.value;
  const reply = raw === undefined ? undefined : SUPPLEMENTARY.exec(raw)?.[1]?.trim();
  return reply === undefined || reply === '' ? undefined : reply;
}

/** "Status: 5.0.0 (recipient reached disk quota)": the comment is the only reason some servers give. */
function statusComment(status: string | null): string | null {
  const comment = status === null ? undefined : /\(([^()]*)\)/.exec(status)?.[1]?.trim();
  return comment !== undefined && /[A-Za-z]/.test(comment) ? comment : null;
}

const RECIPIENT_FIELDS = ['final-recipient', 'original-recipient', 'x-actual-recipient'] as const;

/**
 * A host's or mail store's local name, not an address the sender wrote: a domain with no dot (any
 * of the IDNA dots), an address literal ("[192.0.2.1]") or a name under localhost/localdomain/local.
 */
const LOCAL_NAME = /@(?:[^@.\u3002\uff0e\uff61]*|\[[^\]@]*\]?|[^@]*\.(?:localhost|localdomain|local)\.?)$/i;

/**
 * Final-Recipient, unless that is no address the sender wrote: a mail store's internal name
 * ("user@sims-ms-daemon", Sun's message store), a local alias target ("bob@localhost"), a pipe
 * or an X.400 name. The Original-Recipient (or X-Actual-Recipient) is then the address reported,
 * but it only stands in for the mailbox that failed (it may be a list), so it gets no class.
 * Failing all, the first address written.
 */
function recipientOf(record: Field[]): { address: string; standIn: boolean } | null {
  const finalGiven = value(record, 'final-recipient') !== null;
  let first: string | null = null;
  for (const name of RECIPIENT_FIELDS) {
    const address = addressIn(reportAddress(value(record, name)));
    if (address === null) continue;
    if (!LOCAL_NAME.test(address)) return { address, standIn: finalGiven && name !== 'final-recipient' };
    first ??= address;
  }
  return first === null ? null : { address: first, standIn: false };
}

/**
 * A recipient field's value made plain for addressIn: RFC 6533's escapes of a `utf-8` address
 * (`\x{E4}`, which also writes "+", "=" and "\") decoded, and RFC 5322 comments taken out, so
 * that "rfc822; bad@x (expanded from <list@x>)" names bad@x, not the list in the comment.
 * Parentheses inside a quoted local part are not comments.
 */
export function reportAddress(field: string | null): string | null {
  if (field === null) return null;
  const utf8 = /^\s*utf-8\s*;\s*/i.exec(field);
  const v = withoutComments(utf8 === null ? field : field.slice(utf8[0].length));
  if (utf8 === null) return v;
  // Only what RFC 6533 escapes: controls, space, "+", "=", "\\", DEL and non-ASCII.
  return v.replace(/\\x\{([0-9A-Fa-f]{1,6})\}/g, (m, hex: string) => {
    const c = parseInt(hex, 16);
    const escaped = c < 0x21 || c === 0x2b || c === 0x3d || c === 0x5c || c === 0x7f || (c >= 0x80 && c <= 0x10ffff);
    return c > 0 && escaped ? String.fromCodePoint(c) : m;
  });
}

/** RFC 5322 comments taken out (nested, with quoted pairs); parentheses in a quoted string stay. */
function withoutComments(v: string): string {
  if (!v.includes('(')) return v;
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += v.slice(i, i + 2);
      i++;
    } else if (depth === 0 && c === '"') {
      quoted = !quoted;
      out += c;
    } else if (!quoted && c === '(') {
      depth++;
    } else if (!quoted && c === ')' && depth > 0) {
      if (--depth === 0) out += ' ';
    } else if (depth === 0) {
      out += c;
    }
  }
  return out;
}

/** "X-Unix; |/usr/local/bin/filter": a local delivery to a program, named in place of a mailbox. */
const PROGRAM_RECIPIENT = /^[^;]*;\s*"?\|/;

/**
 * A delivery to a program (sendmail's X-Actual-Recipient, or a Final-Recipient that is one)
 * fails with the program's exit status ("Diagnostic-Code: X-Unix; 71"): a mailer error, for
 * when no words say more.
 */
function programFailure(record: Field[]): 'mailererror' | null {
  for (const name of ['x-actual-recipient', 'final-recipient'] as const) {
    if (PROGRAM_RECIPIENT.test(value(record, name) ?? '')) return 'mailererror';
  }
  return null;
}

/**
 * RFC 3464 2.3.6: a diagnostic-type other than "smtp" (X-Local, X-Unix, X-Notes...) is the
 * reporting MTA's own local delivery verdict, not a remote server's reply. With no Remote-MTA
 * and no quoted remote reply ("host ... said:", Domino's "SMTP Protocol Returned ...", a reply
 * with its enhanced code), its "no such user" is the mailbox store's own word: proof, as for a
 * local delivery agent's verdict in an MTA's text (Notice.local).
 */
const LOCAL_DIAGNOSTIC_TYPE = /^\s*x-(?:local|unix|notes)\s*;/i;
const QUOTES_REMOTE = /\bsaid:|\bhost \S+ said\b|smtp protocol returned|error transferring to|\bremote (?:server|host|mta)\b|(?<!\d)[245]\d\d[ -][245]\.\d/i;
function localVerdict(record: Field[]): boolean {
  const raw = value(record, 'diagnostic-code');
  if (raw === null || !LOCAL_DIAGNOSTIC_TYPE.test(raw) || QUOTES_REMOTE.test(raw)) return false;
  return value(record, 'remote-mta') === null;
}

/** Parses the delivery-status parts of one email. */
export function parseDeliveryStatus(bodies: readonly string[]): DsnReport {
  let arrival: string | null = null;
  const notices: Notice[] = [];
  for (const body of bodies) {
    for (const block of blocks(body)) {
      arrival ??= value(block, 'arrival-date');
      for (const record of records(block)) {
        const recipient = recipientOf(record);
        if (recipient === null) continue;
        notices.push(notice(recipient.address, {
          standIn: recipient.standIn,
          action: actionIn(value(record, 'action')),
          status: statusIn(value(record, 'status')),
          diagnostic: diagnosticIn(record),
          date: value(record, 'last-attempt-date'),
          command: null,
          reason: powerMtaCategory(value(record, 'x-powermta-bouncecategory')) ?? programFailure(record),
          statusComment: statusComment(value(record, 'status')),
          local: localVerdict(record),
        }));
      }
    }
  }
  return { arrival, notices };
}

/**
 * Some MTAs paste the report fields into the text part instead of a message/delivery-status
 * part (Amazon WorkMail's "Technical report:"). A text block counts only when it has a
 * Final-Recipient and an Action or Status field, like a real report.
 */
export function reportInText(text: string): DsnReport | null {
  if (!/^final-recipient\s*:/im.test(text)) return null;
  const report = parseDeliveryStatus([text]);
  const real = report.notices.filter((n) => n.action !== null || n.status !== null);
  return real.length > 0 ? { arrival: report.arrival, notices: real } : null;
}
