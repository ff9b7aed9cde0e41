/**
 * The MailView (what the bounce decoders read of an email) and how it is built from the parts a
 * MIME reader found. Both readers (the fast one in mime-fast.ts and mailparser in
 * mime-mailparser.ts) hand over the same MailParts, and this one function turns them into the
 * view, so the two can only differ in what they found, never in how it is presented.
 * Everything comes out as strings with LF line endings, whatever the input used.
 */
import { headerBlock } from './text.js';

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
  /** The bounce's own Subject, decoded, each run of white space one space. */
  subject: string;
  /**
   * The subject and text before the view evened them out (white space runs, the blank start of
   * an HTML notice): what names an email without a Message-ID (contentKeyOf), so that its events
   * keep the ids earlier versions gave them.
   */
  asRead: { subject: string; text: string };
  /** The bounce's own Date header, as an ISO instant, or null. */
  date: string | null;
  /** The bounce's own Message-ID (with angle brackets), or null. */
  messageId: string | null;
  /** Text of the notification: text/plain parts, else the HTML reduced to text. LF lines. */
  text: string;
  /**
   * `text` lower-cased, made on first use: decoders look for their format's fixed words in it
   * (String#includes) before they run a regex over the whole text.
   */
  readonly lower: string;
  /** Bodies of message/delivery-status (and message/global-delivery-status) parts. */
  deliveryStatus: readonly string[];
  /** Bodies of message/feedback-report parts (RFC 5965). */
  feedbackReports: readonly string[];
  /**
   * The returned message as attached (message/rfc822, text/rfc822-headers, message/global...),
   * or null when it is not a separate part (then it may still follow a marker inside `text`).
   */
  returned: string | null;
  /** The header block of `returned` (text.ts headerBlock), made on first use; null without one. */
  readonly returnedHead: string | null;
  /** Content-Type of the top-level entity, lower-case, without parameters. */
  contentType: string;
}

/** A raw top-level header line: its name (lower-case) and the line as read, folds joined by CRLF. */
export interface HeaderLine {
  key: string;
  /** The line as a binary string (one character per byte), continuation lines joined with CRLF. */
  line: string;
}

/** A part that is not read as text (a report, the returned message, any other attachment). */
export interface MailAttachment {
  /** Lower-case MIME type. */
  contentType: string;
  /** The part's bytes after the transfer decoding; null when the view never reads this type. */
  content: Uint8Array | null;
}

/** What a MIME reader hands over; `viewOf` makes the MailView of it. */
export interface MailParts {
  headerLines: readonly HeaderLine[];
  /** The text parts joined with LF between them, or null when there is no text part at all. */
  text: string | null;
  /** The HTML parts joined, when that is a non-empty string; else null. */
  html: string | null;
  /** Every part that is not inline text, in order. */
  attachments: readonly MailAttachment[];
  /** The From addresses (lower-case), and the first display name among them. */
  from: readonly string[];
  fromName: string;
  to: readonly string[];
  subject: string;
  date: string | null;
  messageId: string | null;
}

export const REPORT_TYPES: ReadonlySet<string> = new Set(['message/delivery-status', 'message/global-delivery-status']);
export const FEEDBACK_TYPE = 'message/feedback-report';
export const RETURNED_TYPES: ReadonlySet<string> = new Set([
  'message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers', 'message/partial',
]);

/** Whether the view reads the content of an attachment of this type. */
export const viewReads = (type: string): boolean => REPORT_TYPES.has(type) || type === FEEDBACK_TYPE || RETURNED_TYPES.has(type);

const utf8 = new TextDecoder('utf-8');

const CR = 13;
const LF = 10;

/**
 * mailparser splits lines on LF only, so a CR-only message (old Mac mail, some archives) would be
 * one long header. CR-only input (no LF at all, a CR in the first 8 KiB) is rewritten to LF;
 * CRLF and LF pass through untouched.
 */
export function normalizeLineEnds(raw: Uint8Array): Uint8Array {
  // Native searches: a byte loop here was a tenth of reading a message.
  if (raw.indexOf(LF) !== -1) return raw;
  const cr = raw.indexOf(CR);
  if (cr === -1 || cr >= 8192) return raw;
  const out = new Uint8Array(raw); // a copy (Buffer#slice would be a view)
  for (let i = cr; i !== -1; i = raw.indexOf(CR, i + 1)) out[i] = LF;
  return out;
}

export function decodeBytes(bytes: Uint8Array): string {
  return toLf(utf8.decode(bytes));
}

const CRLF_OR_CR = /\r\n?/g;
export function toLf(s: string): string {
  return s.indexOf('\r') === -1 ? s : s.replace(CRLF_OR_CR, '\n');
}

/**
 * Unfolds a raw header line ("Name: value\r\n continued") into its value, with each run of white
 * space one space: a fold after a space ("Delivery \r\n status") or a tab is one space to the
 * decoders, whose patterns are written with single spaces.
 */
export function headerValue(line: string): string {
  const value = line.slice(line.indexOf(':') + 1);
  return oneSpaced(value.indexOf('\n') < 0 ? value : value.replace(/\r?\n(?![ \t])/g, '')).trim();
}

const SPACE_RUN = /[ \t\r\n]{2,}|[\t\r\n]/;
const SPACE_RUNS = /[ \t\r\n]+/g;
/** Each run of spaces, tabs and line ends as one space (most values have none: tested first). */
function oneSpaced(value: string): string {
  return SPACE_RUN.test(value) ? value.replace(SPACE_RUNS, ' ') : value;
}

const TAGS = /<(?:script|style)[\s\S]*?<\/(?:script|style)>|<br\s*\/?>|<\/(?:p|div|tr|li|h\d|table)>|<[^<>]*>/gi;
/**
 * TAGS without its script and style blocks, for the text after the last "</script>" or "</style>":
 * there no such block can close, and trying one at each "<script" or "<style" would scan to the
 * end each time (quadratic on a page of unclosed style tags).
 */
const TAGS_AFTER_BLOCKS = /<br\s*\/?>|<\/(?:p|div|tr|li|h\d|table)>|<[^<>]*>/gi;
/** A line-breaking tag ends a line; any other ("</a>", "</span>", "<b>") leaves nothing. */
const tagText = (m: string): string => (LINE_END_TAG.test(m) ? '\n' : '');
const LINE_END_TAG = /^<(?:br\b|\/(?:p|div|tr|li|h\d|table|pre)\s*>)/i;

/** The HTML without its tags: script and style blocks go whole, line-breaking tags leave a line break. */
function withoutTags(html: string): string {
  const lower = html.toLowerCase();
  const script = lower.lastIndexOf('</script>');
  const style = lower.lastIndexOf('</style>');
  const cut = script > style ? script + 9 : style >= 0 ? style + 8 : 0;
  return html.slice(0, cut).replace(TAGS, tagText) + html.slice(cut).replace(TAGS_AFTER_BLOCKS, tagText);
}
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * HTML outside <pre>: white space, line ends included, is one space, as a browser shows it, and
 * only line-breaking tags end a line (a "<br>" at the end of a source line is one line end, not two).
 */
function flowText(html: string): string {
  // (A single space, most of the runs, is left as it is. Runs of spaces go before the trimming
  // around line ends, which would be quadratic in a long run.)
  return withoutTags(html.replace(/[\t\n\f][ \t\n\f]*| [ \t\n\f]+/g, ' ')).replace(/ {2,}/g, ' ').replace(/ ?\n ?/g, '\n');
}

const PRE_OPEN = /<pre[\s/>]/gi;
const PRE_CLOSE = /<\/pre\b[^<>]*>?/gi;

/**
 * The tags withoutTags ends a line at; HTML without any is text labelled text/html (or with
 * only paragraph openers, "<p>", which it does not break at), whose own lines are kept.
 */
const LINE_BREAKING = /<br\b|<\/(?:p|div|tr|li|h\d|table|pre)>/i;
/**
 * In such text, "<jane@example.net>" is an address and "<<< 550 ..." a transcript, not tags:
 * they are kept as text (only "<" before a letter, "/" or "!" can open a tag).
 */
const BARE_ADDRESS = /<([^<>\s"@]+@[^<>\s"]+)>/g;
const NOT_A_TAG = /<(?![a-z/!])/gi;

/** How much of an HTML-only notice is read as its text. */
const HTML_TEXT_LIMIT = 1024 * 1024;

/** HTML-only notifications (some Exchange and webmail NDRs): tags out, line structure kept. */
export function htmlToText(html: string): string {
  return htmlTexts(html).text;
}

/**
 * The text of an HTML notice twice: `text`, where each run of flowing text starts where its first
 * line does (the white space before it, "<body>\n This is the mail system", shows nothing, and a
 * decoder anchored at a line start must find it), and `asRead`, with that space, as earlier
 * versions read it (see MailView.asRead).
 */
function htmlTexts(html: string): { text: string; asRead: string } {
  const src = toLf(html);
  // Text with no line-breaking tag keeps its lines: it was written as text.
  if (!LINE_BREAKING.test(src)) {
    const text = plainText(withoutTags(src.replace(BARE_ADDRESS, '&lt;$1&gt;').replace(NOT_A_TAG, '&lt;')));
    return { text, asRead: text };
  }
  let text = '';
  let asRead = '';
  const flow = (chunk: string) => {
    const t = flowText(chunk);
    asRead += t;
    text += t.startsWith(' ') ? t.slice(1) : t;
  };
  let done = 0;
  // <pre> blocks keep their white space. Each search starts where the last ended, and an
  // unclosed "<pre" ends them: one scan of the text in all.
  PRE_OPEN.lastIndex = 0;
  for (let open = PRE_OPEN.exec(src); open !== null; open = PRE_OPEN.exec(src)) {
    PRE_CLOSE.lastIndex = open.index;
    const close = PRE_CLOSE.exec(src);
    if (close === null) break;
    const stop = close.index + close[0].length;
    flow(src.slice(done, open.index));
    const pre = withoutTags(src.slice(open.index, stop));
    asRead += pre;
    text += pre;
    done = stop;
    PRE_OPEN.lastIndex = stop;
  }
  flow(src.slice(done));
  return { text: plainText(text), asRead: plainText(asRead) };
}

/** Entities decoded, trailing white space and runs of empty lines gone. */
function plainText(text: string): string {
  return text
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      // Own keys only: '&constructor;' must stay text, not become Object's source.
      const name = e.toLowerCase();
      return Object.hasOwn(ENTITIES, name) ? ENTITIES[name]! : m;
    })
    .replace(/(?<![ \t])[ \t]+\n/g, '\n') // a match starts only where a run starts: linear
    .replace(/\n{3,}/g, '\n\n');
}

/** The bytes after the header block, as text. */
function bodyOf(bytes: Uint8Array): string {
  const s = decodeBytes(bytes);
  const end = s.indexOf('\n\n');
  return end === -1 ? '' : s.slice(end + 2);
}

const EMPTY: readonly string[] = Object.freeze([]);
const COMMENTS_AND_SPACE = /\([^()]*\)|\s+/g;

/** The MailView of what a reader found in `bytes` (the email after `normalizeLineEnds`). */
export function viewOf(parts: MailParts, bytes: Uint8Array): MailView {
  // Headers are unfolded when asked for: the decoders read a handful of the dozens a bounce has.
  const lines = parts.headerLines;
  const unfolded = new Map<string, readonly string[]>();
  const headers = (name: string): readonly string[] => {
    let values = unfolded.get(name);
    if (values === undefined) {
      const found: string[] = [];
      for (const l of lines) if (l.key === name) found.push(headerValue(l.line));
      values = found.length > 0 ? found : EMPTY;
      unfolded.set(name, values);
    }
    return values;
  };

  const deliveryStatus: string[] = [];
  const feedbackReports: string[] = [];
  let returned: string | null = null;
  for (const a of parts.attachments) {
    const type = a.contentType;
    if (a.content === null) continue;
    if (REPORT_TYPES.has(type)) deliveryStatus.push(decodeBytes(a.content));
    else if (type === FEEDBACK_TYPE) feedbackReports.push(decodeBytes(a.content));
    else if (returned === null && RETURNED_TYPES.has(type)) returned = decodeBytes(a.content);
  }

  let text = parts.text !== null ? toLf(parts.text) : '';
  let textAsRead = text;
  // A notice's words come first, and HTML notices are tens of KiB: converting megabytes of HTML
  // (its copies, one per step) would outgrow the Worker's 128 MB.
  if (text.trim() === '' && parts.html !== null) {
    ({ text, asRead: textAsRead } = htmlTexts(parts.html.length > HTML_TEXT_LIMIT ? parts.html.slice(0, HTML_TEXT_LIMIT) : parts.html));
  }
  // A multipart whose boundary never occurs (seen in old sendmail reports): no part is found at
  // all, so the body itself is the text.
  if (text.trim() === '' && parts.attachments.length === 0) text = textAsRead = bodyOf(bytes);

  // RFC 2045 allows comments and white space around the "/": "multipart/report (DSN)".
  const contentType = headers('content-type')[0]?.split(';')[0]?.replace(COMMENTS_AND_SPACE, '').toLowerCase() || 'text/plain';

  let lower: string | null = null;
  let returnedHead: string | null | undefined;
  return {
    headers,
    header: (name) => headers(name)[0] ?? null,
    get lower() {
      return (lower ??= text.toLowerCase());
    },
    get returnedHead() {
      if (returnedHead === undefined) returnedHead = returned === null ? null : headerBlock(returned);
      return returnedHead;
    },
    from: parts.from[0] ?? '',
    fromName: parts.fromName,
    to: parts.to,
    subject: oneSpaced(parts.subject),
    asRead: { subject: parts.subject, text: textAsRead },
    date: parts.date,
    messageId: parts.messageId,
    text,
    deliveryStatus,
    feedbackReports,
    returned,
    contentType,
  };
}
