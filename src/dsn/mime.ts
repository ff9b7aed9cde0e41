/**
 * MIME decoding of a bounce email with mailparser, reduced to what the bounce decoders read:
 * the top-level headers, the human-readable text, the machine-readable report parts
 * (message/delivery-status, message/feedback-report) and the returned message's headers.
 * Everything comes out as strings with LF line endings, whatever the input used.
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

/** The parts of a bounce email that the decoders look at. */
export interface MailView {
  /** Unfolded raw values of a top-level header, in order (name lower-case). */
  headers(name: string): readonly string[];
  /** The first value of a top-level header, or null. */
  header(name: string): string | null;
  /** The bounce's own From address, lower-case, or '' when it has none. */
  from: string;
  /** The bounce's own From display name, as decoded. */
  fromName: string;
  /** The bounce's own To addresses, lower-case. */
  to: readonly string[];
  subject: string;
  /** The bounce's own Date header, as an ISO instant, or null. */
  date: string | null;
  /** The bounce's own Message-ID (with angle brackets), or null. */
  messageId: string | null;
  /** Text of the notification: text/plain parts, else the HTML reduced to text. LF lines. */
  text: string;
  /** Bodies of message/delivery-status (and message/global-delivery-status) parts. */
  deliveryStatus: readonly string[];
  /** Bodies of message/feedback-report parts (RFC 5965). */
  feedbackReports: readonly string[];
  /**
   * The returned message as attached (message/rfc822, text/rfc822-headers, message/global...),
   * or null when it is not a separate part (then it may still follow a marker inside `text`).
   */
  returned: string | null;
  /** Content-Type of the top-level entity, lower-case, without parameters. */
  contentType: string;
}

const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  // Bounces rarely need HTML at all, never as rendered text with links: skipping these
  // conversions makes mailparser noticeably faster on bounce-sized messages.
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  // An attached message (the returned original, a wrapped bounce) stays one raw attachment even
  // when marked inline: its text must never mix with the notification's, and its headers are
  // read from it (mailsplit passes this option through).
  ignoreEmbedded: true,
} as const;

const REPORT_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_TYPES = new Set([
  'message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers', 'message/partial',
]);

const utf8 = new TextDecoder('utf-8');

/** mailparser wants a Node Buffer (workerd provides it under nodejs_compat). */
interface BufferStatic {
  from(data: ArrayBuffer, byteOffset: number, length: number): unknown;
}
const NodeBuffer = (globalThis as unknown as { Buffer: BufferStatic }).Buffer;

const CR = 13;
const LF = 10;

/**
 * mailparser splits lines on LF only, so a CR-only message (old Mac mail, some archives) would be
 * one long header. CR-only input is rewritten to LF; CRLF and LF pass through untouched.
 */
export function normalizeLineEnds(raw: Uint8Array): Uint8Array {
  const probe = Math.min(raw.length, 8192);
  let sawCr = false;
  for (let i = 0; i < probe; i++) {
    const c = raw[i];
    if (c === LF) return raw;
    if (c === CR) sawCr = true;
  }
  if (!sawCr || raw.indexOf(LF) !== -1) return raw;
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i] === CR ? LF : raw[i]!;
  return out;
}

export function decodeBytes(bytes: Uint8Array): string {
  return toLf(utf8.decode(bytes));
}

const CRLF_OR_CR = /\r\n?/g;
export function toLf(s: string): string {
  return s.indexOf('\r') === -1 ? s : s.replace(CRLF_OR_CR, '\n');
}

/** Unfolds a raw header line ("Name: value\r\n continued") into its value. */
function headerValue(line: string): string {
  const colon = line.indexOf(':');
  return line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').replace(/\r?\n/g, '').trim();
}

const TAGS = /<(?:script|style)[\s\S]*?<\/(?:script|style)>|<br\s*\/?>|<\/(?:p|div|tr|li|h\d|table)>|<[^>]*>/gi;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML-only notifications (some Exchange and webmail NDRs): tags out, line structure kept. */
export function htmlToText(html: string): string {
  return toLf(html)
    .replace(TAGS, (m) => (/^<(?:br|\/)/i.test(m) ? '\n' : ''))
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}

function addresses(value: AddressObject | AddressObject[] | undefined): { list: string[]; name: string } {
  const list: string[] = [];
  let name = '';
  for (const obj of Array.isArray(value) ? value : value ? [value] : []) {
    for (const a of obj.value) {
      if (a.address) list.push(a.address.toLowerCase());
      if (!name && a.name) name = a.name;
    }
  }
  return { list, name };
}

/** The bytes after the header block, as text. */
function bodyOf(bytes: Uint8Array): string {
  const s = decodeBytes(bytes);
  const end = s.indexOf('\n\n');
  return end === -1 ? '' : s.slice(end + 2);
}

/** Parses raw email bytes into a MailView. Throws only when mailparser itself fails. */
export async function readMail(raw: Uint8Array): Promise<MailView> {
  const bytes = normalizeLineEnds(raw);
  const mail: ParsedMail = await simpleParser(
    NodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength) as Parameters<typeof simpleParser>[0],
    PARSER_OPTIONS as Parameters<typeof simpleParser>[1],
  );

  const raws = new Map<string, string[]>();
  for (const { key, line } of mail.headerLines ?? []) {
    const list = raws.get(key);
    const value = headerValue(line);
    if (list) list.push(value);
    else raws.set(key, [value]);
  }

  const deliveryStatus: string[] = [];
  const feedbackReports: string[] = [];
  let returned: string | null = null;
  for (const a of mail.attachments) {
    const type = a.contentType.toLowerCase();
    if (REPORT_TYPES.has(type)) deliveryStatus.push(decodeBytes(a.content));
    else if (type === 'message/feedback-report') feedbackReports.push(decodeBytes(a.content));
    else if (returned === null && RETURNED_TYPES.has(type)) returned = decodeBytes(a.content);
  }

  let text = typeof mail.text === 'string' ? toLf(mail.text) : '';
  if (text.trim() === '' && typeof mail.html === 'string') text = htmlToText(mail.html);
  // A multipart whose boundary never occurs (seen in old sendmail reports): mailparser finds no
  // part at all, so the body itself is the text.
  if (text.trim() === '' && mail.attachments.length === 0) text = bodyOf(bytes);

  const from = addresses(mail.from);
  const to = addresses(mail.to);
  const messageId = mail.messageId ?? null;
  const contentType = raws.get('content-type')?.[0]?.split(';')[0]?.trim().toLowerCase() ?? 'text/plain';

  return {
    headers: (name) => raws.get(name) ?? [],
    header: (name) => raws.get(name)?.[0] ?? null,
    from: from.list[0] ?? '',
    fromName: from.name,
    to: to.list,
    subject: mail.subject ?? '',
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    messageId,
    text,
    deliveryStatus,
    feedbackReports,
    returned,
    contentType,
  };
}
