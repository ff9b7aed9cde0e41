/**
 * A fast MIME reader for the shapes bounce emails come in, giving the same MailParts as the
 * mailparser reader (mime-mailparser.ts, which is the reference: test/unit/dsn/mime-fast.test.ts
 * holds the two equal). It reads RFC 5322 headers (folding, RFC 2047 encoded words), RFC 2045
 * transfer encodings (base64, quoted-printable, 7bit, 8bit, binary), RFC 2046 multipart nesting
 * (multipart/report with message/delivery-status, message/feedback-report, message/rfc822 and
 * text/rfc822-headers parts), RFC 3676 format=flowed text, and the charsets bounces are written
 * in (UTF-8, US-ASCII, ISO-8859-x, Windows-125x, ISO-2022-JP).
 *
 * Whenever it meets something it is not sure it reads exactly as mailparser does (an unknown
 * charset, RFC 2231 parameters, comments in MIME headers, an unusual address list, malformed
 * base64...), it gives up: `readMailFast` returns null and the caller uses mailparser.
 *
 * The message is scanned as a binary string (one character per byte), so an offset into it is an
 * offset into the bytes: body parts are decoded straight from the bytes.
 */
import {
  viewOf, viewReads, type HeaderLine, type MailAttachment, type MailParts, type MailView,
} from './mail-view.js';

/** Thrown (never escapes this module) when the reader is not sure; the reason is for diagnostics. */
class NotSure {
  constructor(readonly reason: string) {}
}
const notSure = (reason: string): never => {
  throw new NotSure(reason);
};

/** The MailView of `bytes` (after normalizeLineEnds), or null when mailparser must read it. */
export function readMailFast(bytes: Uint8Array): MailView | null {
  const parts = readPartsFast(bytes);
  return parts === null ? null : viewOf(parts, bytes);
}

/** The MailParts of `bytes`, or null when mailparser must read it. */
export function readPartsFast(bytes: Uint8Array): MailParts | null {
  try {
    return readParts(bytes);
  } catch {
    // Not sure, or an unexpected error: either way mailparser decides, never a failure here.
    return null;
  }
}

/** Why the fast reader declines an email (null when it does not): for tests and the corpus check. */
export function whyNotFast(bytes: Uint8Array): string | null {
  try {
    readParts(bytes);
    return null;
  } catch (err) {
    return err instanceof NotSure ? err.reason : `error: ${err instanceof Error ? err.message : String(err)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Bytes and binary strings

const utf8Keep = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A native one-character-per-byte decoder, where the runtime has one: Node's "latin1" decoder
 * is ISO-8859-1 proper (WHATWG makes the label Windows-1252, which maps 0x80-0x9F elsewhere).
 * Checked on every byte value before use.
 */
const latin1Native: TextDecoder | null = (() => {
  try {
    const d = new TextDecoder('latin1');
    const all = d.decode(Uint8Array.from({ length: 256 }, (_, i) => i));
    for (let i = 0; i < 256; i++) if (all.charCodeAt(i) !== i) return null;
    return all.length === 256 ? d : null;
  } catch {
    return null;
  }
})();

/** Node's Buffer (Node, workerd under nodejs_compat): native base64, and latin1 as ISO-8859-1. */
interface NativeBufferStatic {
  from(data: string, encoding: 'base64' | 'latin1'): Uint8Array;
  from(data: ArrayBufferLike, byteOffset: number, length: number): { latin1Slice?: (start: number, end: number) => string; toString(encoding: 'latin1'): string };
}
const NativeBuffer = (globalThis as { Buffer?: NativeBufferStatic }).Buffer;

/** Buffer's latin1 is one character per byte (ISO-8859-1 proper), checked on every byte value before use. */
const bufferLatin1: boolean = (() => {
  if (NativeBuffer === undefined) return false;
  try {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = NativeBuffer.from(all.buffer, 0, 256).toString('latin1');
    if (text.length !== 256) return false;
    for (let i = 0; i < 256; i++) if (text.charCodeAt(i) !== i) return false;
    return true;
  } catch {
    return false;
  }
})();

/** The bytes as a binary string: one character (U+0000-U+00FF) per byte. */
function binaryOf(bytes: Uint8Array, start: number, end: number): string {
  if (bufferLatin1) return NativeBuffer!.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
  const slice = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  // ASCII (the common case) decodes as UTF-8 to one character per byte, natively.
  if (slice.length < 64 || !hasHigh(slice)) {
    try {
      const text = utf8Fatal.decode(slice);
      if (text.length === slice.length) return text;
    } catch {
      // not UTF-8: 8-bit bytes, read one by one below
    }
  }
  if (latin1Native !== null) return latin1Native.decode(slice);
  let out = '';
  for (let p = 0; p < slice.length; p += 0x2000) {
    out += String.fromCharCode.apply(null, slice.subarray(p, Math.min(slice.length, p + 0x2000)) as unknown as number[]);
  }
  return out;
}

/** A quick look for 8-bit bytes in the first and last 32 bytes (a miss only costs a retry). */
function hasHigh(b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if ((b[i]! | b[b.length - 1 - i]!) >= 0x80) return true;
  return false;
}

function bytesOfBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** A binary string read as UTF-8 (invalid sequences become U+FFFD, a BOM is kept). */
function utf8OfBinary(s: string): string {
  return NON_ASCII.test(s) ? utf8Keep.decode(bytesOfBinary(s)) : s;
}

// ---------------------------------------------------------------------------------------------
// Charsets

/**
 * Charset names read here, by lower-case name, with the charset their text is decoded as. The
 * names follow mailparser's resolution (libmime): US-ASCII and ISO-8859-1 are read as
 * Windows-1252, ISO-8859-9 as Windows-1254, and UTF-7 as UTF-8. The value is mailparser's name
 * for the charset (encoded words are joined only when those names agree). Any other is declined.
 */
export const CHARSETS: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const n of ['utf-8', 'utf8', 'unicode-1-1-utf-8']) m.set(n, 'UTF-8');
  for (const n of ['utf-7', 'utf7']) m.set(n, 'UTF-7');
  m.set('unicode-1-1-utf-7', 'UNICODE-1-1-UTF-7');
  for (const n of ['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1', 'cp819',
    'windows-1252', 'cp1252']) m.set(n, 'windows-1252');
  for (const d of [2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15]) {
    for (const n of [`iso-8859-${d}`, `iso8859-${d}`, `iso_8859-${d}`]) m.set(n, `ISO-8859-${d}`);
  }
  for (const n of ['iso-8859-9', 'iso8859-9', 'iso_8859-9', 'latin5', 'l5']) m.set(n, 'windows-1254');
  for (const d of [0, 1, 2, 3, 4, 5, 6, 7, 8]) {
    for (const n of [`windows-125${d}`, `cp125${d}`]) m.set(n, `windows-125${d}`);
  }
  m.set('iso-2022-jp', 'ISO-2022-JP');
  return m;
})();

function charsetOf(name: string): string {
  return CHARSETS.get(name.toLowerCase().trim()) ?? notSure(`charset ${name}`);
}

// Windows-1252 0x80-0x9F (five positions are unassigned and read as U+FFFD, as mailparser does).
const W1252_C1 = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
  0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
];

/**
 * Bytes the Windows code pages leave unassigned (Unicode's CP125x mapping tables, which
 * mailparser's decoder follows: it reads them as U+FFFD). Runtime decoders differ there (ICU
 * passes some through, or maps them to a look-alike), so the reader declines them.
 */
const UNASSIGNED: Readonly<Record<string, readonly number[]>> = {
  'windows-1250': [0x81, 0x83, 0x88, 0x90, 0x98],
  'windows-1251': [0x98],
  'windows-1253': [0x81, 0x88, 0x8a, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x98, 0x9a, 0x9c, 0x9d, 0x9e, 0x9f, 0xaa, 0xd2, 0xff],
  'windows-1254': [0x81, 0x8d, 0x8e, 0x8f, 0x90, 0x9d, 0x9e],
  'windows-1255': [0x81, 0x8a, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9c, 0x9d, 0x9e, 0x9f, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xfb, 0xfc, 0xff],
  'windows-1256': [],
  'windows-1257': [0x81, 0x83, 0x88, 0x8a, 0x8c, 0x90, 0x98, 0x9a, 0x9c, 0x9f, 0xa1, 0xa5],
  'windows-1258': [0x81, 0x8a, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9d, 0x9e],
};

const tables = new Map<string, readonly string[] | null>();

/**
 * The 0x80-0xFF half of a single-byte charset, '' where the reader is not sure. Built once per
 * charset: Windows-1252 from its definition, the others from the runtime's TextDecoder, whose
 * legacy tables differ between runtimes exactly where a charset leaves a byte unassigned (and,
 * for ISO-8859-x, in 0x80-0x9F, which those charsets leave to the C1 controls): such bytes are
 * declined rather than guessed.
 */
function highHalf(charset: string): readonly string[] | null {
  let table = tables.get(charset);
  if (table !== undefined) return table;
  table = null;
  if (charset === 'windows-1252') {
    table = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i < 32 ? W1252_C1[i]! : 0x80 + i));
  } else {
    try {
      const all = new TextDecoder(charset).decode(Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i));
      if (all.length === 128) {
        const iso = charset.startsWith('ISO-8859-');
        const unassigned = UNASSIGNED[charset] ?? [];
        table = Array.from({ length: 128 }, (_, i) => {
          if (iso && i < 32) return String.fromCharCode(0x80 + i);
          const c = all.charCodeAt(i);
          return c === 0xfffd || (c >= 0x80 && c < 0xa0) || unassigned.includes(0x80 + i) ? '' : String.fromCharCode(c);
        });
      }
    } catch {
      table = null; // this runtime has no decoder for it
    }
  }
  tables.set(charset, table);
  return table;
}

function decodeSingleByte(bytes: Uint8Array, charset: string): string {
  const table = highHalf(charset) ?? notSure(`no decoder for ${charset}`);
  let out = '';
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const ch = table[b - 0x80]!;
    if (ch === '') notSure(`byte 0x${b.toString(16)} in ${charset}`);
    if (i > run) out += binaryOf(bytes, run, i);
    out += ch;
    run = i + 1;
  }
  return run === 0 ? binaryOf(bytes, 0, bytes.length) : out + binaryOf(bytes, run, bytes.length);
}

let jisDecoder: TextDecoder | null | undefined;

/**
 * ISO-2022-JP (RFC 1468) as mailparser reads it. Text outside JIS X 0208 (after ESC ( B or
 * ESC ( J) is taken byte for byte; the runs after ESC $ B or ESC $ @ go through the runtime's
 * decoder, for the codes both read the same: JIS X 0208 rows 1-84 without NEC's and IBM's
 * additions. Half-width katakana (ESC ( I), JIS X 0212 and any other escape are declined.
 * 8-bit bytes (mislabelled text, often UTF-8) make mailparser read the whole as UTF-8 without
 * checking it, which `looseUtf8` repeats.
 */
function decodeIso2022jp(bytes: Uint8Array): string {
  const pieces: (Uint8Array | string)[] = [];
  const n = bytes.length;
  // Native searches (for 8-bit bytes anywhere, for each escape), not a loop over every byte.
  const eight = NON_ASCII.test(binaryOf(bytes, 0, n));
  let i = 0;
  while (i < n) {
    let j = bytes.indexOf(0x1b, i);
    if (j < 0) j = n;
    if (j > i) pieces.push(bytes.subarray(i, j));
    if (j >= n) break;
    const b1 = bytes[j + 1];
    const b2 = bytes[j + 2];
    i = j + 3;
    if (b1 === 0x28 && (b2 === 0x42 || b2 === 0x4a)) continue; // ASCII, JIS-Roman: read as ASCII
    if (b1 !== 0x24 || (b2 !== 0x42 && b2 !== 0x40)) notSure('ISO-2022-JP escape');
    j = i;
    while (j < n && bytes[j] !== 0x1b) {
      const lead = bytes[j]!;
      const trail = bytes[j + 1];
      if (lead < 0x21 || lead > 0x74 || trail === undefined || trail < 0x21 || trail > 0x7e || (lead === 0x2d && trail >= 0x70)) {
        notSure('ISO-2022-JP two-byte code');
      }
      j += 2;
    }
    if (j > i) pieces.push(jis0208(bytes.subarray(i, j)));
    i = j;
  }
  if (!eight) return pieces.map((p) => (typeof p === 'string' ? p : binaryOf(p, 0, p.length))).join('');
  const parts = pieces.map((p) => (typeof p === 'string' ? utf8Encoder.encode(p) : p));
  const all = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return looseUtf8(all);
}

/**
 * UTF-8 read without checks, as mailparser's Japanese decoder does: the lead byte alone says how
 * many bytes follow (their top bits are not looked at), a stray continuation byte is skipped,
 * and code units wrap at 16 bits. Unpaired surrogates then become U+FFFD, as on mailparser's way
 * back to UTF-8.
 */
function looseUtf8(b: Uint8Array): string {
  const units = new Uint16Array(b.length * 2);
  let u = 0;
  let i = 0;
  const at = (k: number): number => (k < b.length ? b[k]! : 0);
  while (i < b.length) {
    const c = b[i++]!;
    const top = c >> 4;
    let code: number;
    if (top <= 7) code = c;
    else if (top === 12 || top === 13) {
      code = ((c & 0x1f) << 6) | (at(i) & 0x3f);
      i += 1;
    } else if (top === 14) {
      code = ((c & 0x0f) << 12) | ((at(i) & 0x3f) << 6) | (at(i + 1) & 0x3f);
      i += 2;
    } else if (top === 15) {
      code = ((c & 0x07) << 18) | ((at(i) & 0x3f) << 12) | ((at(i + 1) & 0x3f) << 6) | (at(i + 2) & 0x3f);
      i += 3;
    } else continue;
    if (code <= 0xffff) units[u++] = code;
    else {
      code -= 0x10000;
      units[u++] = (code >> 10) + 0xd800;
      units[u++] = (code % 0x400) + 0xdc00;
    }
  }
  let text = '';
  for (let p = 0; p < u; p += 0x2000) text += String.fromCharCode.apply(null, units.subarray(p, Math.min(u, p + 0x2000)) as unknown as number[]);
  return utf8Keep.decode(utf8Encoder.encode(text));
}

const ESC_JIS0208 = [0x1b, 0x24, 0x42];

function jis0208(pairs: Uint8Array): string {
  if (jisDecoder === undefined) {
    try {
      jisDecoder = new TextDecoder('iso-2022-jp');
    } catch {
      jisDecoder = null;
    }
  }
  if (jisDecoder === null) notSure('no ISO-2022-JP decoder');
  const input = new Uint8Array(pairs.length + 3);
  input.set(ESC_JIS0208);
  input.set(pairs, 3);
  const out = jisDecoder!.decode(input);
  if (out.length !== pairs.length / 2 || out.includes('\ufffd')) notSure('ISO-2022-JP code');
  return out;
}

/** Bytes in a charset (a name as in a Content-Type) as text, or null when the reader declines. */
export function decodeTextFast(bytes: Uint8Array, charset: string): string | null {
  try {
    return decodeCharset(bytes, charsetOf(charset));
  } catch (err) {
    if (err instanceof NotSure) return null;
    throw err;
  }
}

/** Bytes in a charset (as resolved by `charsetOf`) as text. */
function decodeCharset(bytes: Uint8Array, charset: string): string {
  switch (charset) {
    case 'UTF-8':
    case 'UTF-7': // refused by mailparser (it can smuggle markup past filters): read as UTF-8
    case 'UNICODE-1-1-UTF-7':
      return utf8Keep.decode(bytes);
    case 'ISO-2022-JP':
      return decodeIso2022jp(bytes);
    default:
      return decodeSingleByte(bytes, charset);
  }
}

// ---------------------------------------------------------------------------------------------
// Transfer encodings

const B64 = (() => {
  const t = new Int8Array(256).fill(-1);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[abc.charCodeAt(i)] = i;
  for (const c of [9, 10, 13, 32]) t[c] = -2; // whitespace
  t[61] = -3; // '='
  return t;
})();

const BASE64_BODY = /^[A-Za-z0-9+/\t\n\r ]*(?:=[=\t\n\r ]*)?$/;

/** A base64 body: only the alphabet and white space, padding only at the end. */
function base64Body(s: string, start: number, end: number): Uint8Array {
  if (NativeBuffer === undefined || end - start < 256) return base64(s, start, end, true);
  const text = s.slice(start, end);
  if (!BASE64_BODY.test(text)) notSure('base64 body');
  // For such text Node's decoder gives what `base64` gives: white space skipped, a final group
  // of 2 or 3 characters read as 1 or 2 bytes, one of 1 dropped.
  return NativeBuffer.from(text, 'base64');
}

/**
 * Decodes base64 (RFC 2045 6.8) between `start` and `end` of `s`: whitespace anywhere, padding
 * only at the end. A final group of 2 or 3 characters gives 1 or 2 bytes, one of 1 nothing.
 */
function base64(s: string, start: number, end: number, strictEnd: boolean): Uint8Array {
  const out = new Uint8Array(Math.ceil(((end - start) * 3) / 4));
  let o = 0;
  let acc = 0;
  let n = 0;
  let i = start;
  for (; i < end; i++) {
    const v = B64[s.charCodeAt(i) & 0xff]!;
    if (s.charCodeAt(i) > 0xff || v === -1) notSure('base64 character');
    if (v === -2) continue;
    if (v === -3) break;
    acc = (acc << 6) | v;
    if (++n === 4) {
      out[o++] = acc >>> 16;
      out[o++] = (acc >>> 8) & 0xff;
      out[o++] = acc & 0xff;
      acc = 0;
      n = 0;
    }
  }
  if (n === 2) out[o++] = acc >>> 4;
  else if (n === 3) {
    out[o++] = acc >>> 10;
    out[o++] = (acc >>> 2) & 0xff;
  }
  if (strictEnd) {
    for (; i < end; i++) {
      const v = B64[s.charCodeAt(i) & 0xff];
      if (v !== -2 && v !== -3) notSure('base64 after padding');
    }
  }
  return out.subarray(0, o);
}

const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;

/**
 * Quoted-printable (RFC 2045 6.7) as mailparser reads it: whitespace at the end of a line is
 * dropped, then soft line breaks ("=" at the end of a line or of the input), then every "=XX"
 * becomes its byte and anything else stays as it is.
 */
function quotedPrintable(text: string): Uint8Array {
  let t = text;
  if (/[ \t](?:[\r\n]|$)/.test(t)) t = t.replace(/(^|[^ \t])[ \t]+(?=[\r\n]|$)/g, '$1');
  // `text` is a binary string (one character per byte), and so is every step above.
  if (t.indexOf('=') < 0) return latin1Bytes(t);
  t = t.replace(/=(?:\r?\n|$)/g, '');
  // Decoded in place: each "=XX" becomes its byte and the text since the previous one moves
  // down with a native copy, so the work in script is per escape, not per byte.
  const bytes = latin1Bytes(t);
  const n = bytes.length;
  let o = 0;
  let run = 0;
  for (let i = bytes.indexOf(61); i !== -1 && i < n - 2; i = bytes.indexOf(61, i + 1)) {
    const hi = hexValue(bytes[i + 1]!);
    const lo = hexValue(bytes[i + 2]!);
    if (hi < 0 || lo < 0) continue;
    if (i > run) bytes.copyWithin(o, run, i);
    o += i - run;
    bytes[o++] = hi * 16 + lo;
    run = i + 3;
    i += 2;
  }
  if (n > run) bytes.copyWithin(o, run, n);
  o += n - run;
  return bytes.subarray(0, o);
}

/** A binary string's bytes, in a new array the caller may change. */
function latin1Bytes(s: string): Uint8Array {
  return bufferLatin1 ? NativeBuffer!.from(s, 'latin1') : bytesOfBinary(s);
}

/**
 * RFC 3676 format=flowed, over a binary string: a line ending in a space continues on the next
 * line of the same quote depth (the signature separator "-- " excepted); with DelSp=yes that
 * space goes, else a space-stuffed continuation loses its stuffing. Paragraphs are rebuilt with
 * their quote marker, then a stuffed space at the start of any line is dropped.
 */
function unflow(text: string, delSp: boolean): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let para = '';
  let depth = 0;
  let marker = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let d = 0;
    while (line.charCodeAt(d) === 0x3e) d++;
    const cut = d > 0 && line.charCodeAt(d) === 0x20 ? d + 1 : d;
    const content = line.slice(cut);
    if (d === depth && para.endsWith(' ') && para !== '-- ') {
      if (delSp) para = para.slice(0, -1) + content;
      else para += d > 0 ? content : content.startsWith(' ') ? content.slice(1) : content;
      continue;
    }
    if (i > 0) out.push(marker + para);
    para = content;
    depth = d;
    marker = line.slice(0, cut);
  }
  if (para !== '' || marker !== '') out.push(marker + para);
  return out.join('\n').replace(/^ /gm, '');
}

// ---------------------------------------------------------------------------------------------
// Headers

/**
 * The header lines of a block (mailsplit's reading): the block without its trailing line breaks,
 * split at LF (a CR before it goes too), continuation lines (starting with a space or a tab)
 * joined to their header with CRLF; a first line "From " (mbox) or "POST " is not a header.
 */
const MAX_HEADER_CHARS = 64 * 1024;
const MAX_HEADER_BLOCK = 1024 * 1024;

function headerLines(s: string, start: number, end: number): HeaderLine[] {
  // mailparser refuses a header block over 1 MiB; declining here spares building its lines.
  if (end - start > MAX_HEADER_BLOCK) notSure('a header block over 1 MiB');
  let e = end;
  while (e > start && (s.charCodeAt(e - 1) === 10 || s.charCodeAt(e - 1) === 13)) e--;
  const out: HeaderLine[] = [];
  // The header being read is one range of `s`, its folds included, cut once it ends: joining a
  // header fold by fold would keep a string piece per fold (millions for a crafted header).
  let from = -1;
  let to = -1;
  let folded = false;
  let isFirst = true;
  let keyless = false;
  const finish = (): void => {
    if (from < 0) return;
    const raw = s.slice(from, to);
    // Folds joined by CRLF, whatever the line ends (LF-only mail, or mixed).
    const line = folded ? raw.replace(/\r?\n/g, '\r\n') : raw;
    if (!(isFirst && /^(?:From|POST) /i.test(line))) out.push({ key: keyOf(line), line });
    isFirst = false;
  };
  let pos = start;
  for (;;) {
    const nl = s.indexOf('\n', pos);
    const stop = nl < 0 || nl >= e ? e : nl;
    const lineEnd = stop < e && stop > pos && s.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
    if (from >= 0 && isFold(s.charCodeAt(pos))) {
      // A fold of the first line belongs to it; under any other line, it needs a header name.
      if (!isFirst && keyless) notSure('header name on a continuation line');
      // No real header is this long; mailparser refuses such a header (its own limit), cheaply.
      if (lineEnd - from > MAX_HEADER_CHARS) notSure('a header longer than 64 KiB');
      to = lineEnd;
      folded = true;
    } else {
      finish();
      from = pos;
      to = lineEnd;
      folded = false;
      keyless = s.slice(pos, lineEnd).indexOf(':') < 0;
    }
    if (stop >= e) break;
    pos = stop + 1;
  }
  finish();
  return out;
}

const isFold = (c: number): boolean => c === 32 || c === 9;
const keyOf = (line: string): string => line.substring(0, Math.max(0, line.indexOf(':'))).toLowerCase().trim();

/** The value of a header line, unfolded and trimmed (a binary string). */
function lineValue(line: string): string {
  const unfolded = (line.indexOf('\n') < 0 && line.indexOf('\r') < 0 ? line : line.replace(/(?:\r?\n|\r)[ \t]*/g, ' ')).trim();
  const colon = unfolded.indexOf(':');
  return colon <= 0 ? '' : unfolded.slice(colon + 1).trim();
}

/** The value of the first `key` header of a MIME part, which must be ASCII; null when absent. */
function mimeHeader(lines: readonly HeaderLine[], key: string): string | null {
  const found = lines.find((l) => l.key === key);
  if (found === undefined) return null;
  if (NON_ASCII.test(found.line)) notSure(`non-ASCII ${key}`);
  return lineValue(found.line);
}

interface Structured {
  value: string;
  params: Map<string, string>;
}

const TOKEN_NAME = /^[a-z0-9!#$%&'+.^_`{|}~-]+$/;
const UNSURE_IN_VALUE = /[\s"()\\]/;

/**
 * A MIME header value with parameters (RFC 2045 5.1): `value; name=token; name="quoted"`. The
 * first occurrence of a parameter counts. Comments, backslashes, RFC 2231 parameters (name*),
 * names without a value and anything after a quoted string are declined.
 */
function structured(str: string): Structured {
  const n = str.length;
  let i = str.indexOf(';');
  if (i < 0) i = n;
  const value = str.slice(0, i).trim();
  if (UNSURE_IN_VALUE.test(value)) notSure('MIME value');
  const params = new Map<string, string>();
  i++;
  while (i < n) {
    while (i < n && isWsp(str.charCodeAt(i))) i++;
    if (i >= n) break;
    if (str.charCodeAt(i) === 59) {
      i++;
      continue;
    }
    let k = i;
    while (k < n && str.charCodeAt(k) !== 61 && str.charCodeAt(k) !== 59) k++;
    if (k >= n || str.charCodeAt(k) === 59) notSure('MIME parameter without a value');
    const name = str.slice(i, k).trim().toLowerCase();
    if (!TOKEN_NAME.test(name)) notSure('MIME parameter name');
    i = k + 1;
    while (i < n && isWsp(str.charCodeAt(i))) i++;
    let v: string;
    if (str.charCodeAt(i) === 34) {
      const q = str.indexOf('"', i + 1);
      if (q < 0) notSure('unclosed quoted string');
      v = str.slice(i + 1, q);
      if (v.includes('\\')) notSure('quoted pair');
      i = q + 1;
      while (i < n && isWsp(str.charCodeAt(i))) i++;
      if (i < n && str.charCodeAt(i) !== 59) notSure('text after a quoted string');
    } else {
      let e = str.indexOf(';', i);
      if (e < 0) e = n;
      v = str.slice(i, e).trim();
      if (UNSURE_IN_VALUE.test(v)) notSure('MIME parameter value');
      i = e;
    }
    if (!params.has(name)) params.set(name, v);
    i++;
  }
  return { value, params };
}

const isWsp = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

// ---------------------------------------------------------------------------------------------
// RFC 2047 encoded words

const WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
const CHARSET_TOKEN = /^[\w-]+$/;
const ONLY_SPACE = /^\s*$/;

interface Word {
  start: number;
  end: number;
  charset: string;
  b: boolean;
  payload: string;
}

/**
 * Decodes the encoded words of a header text as mailparser does: neighbouring words (only
 * whitespace between) in the same charset and encoding are joined before decoding, so a
 * character split across them comes out whole; whitespace between words goes.
 */
function decodeWords(str: string): string {
  if (str.indexOf('=?') < 0) return str;
  const words: Word[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(str); m !== null; m = WORD.exec(str)) {
    if (!CHARSET_TOKEN.test(m[1]!)) notSure('encoded-word charset');
    words.push({ start: m.index, end: WORD.lastIndex, charset: charsetOf(m[1]!), b: m[2] === 'B' || m[2] === 'b', payload: m[3]! });
  }

  let out = '';
  let at = 0;
  for (let i = 0; i < words.length; ) {
    const w = words[i]!;
    let payload = w.payload;
    let j = i + 1;
    while (j < words.length && ONLY_SPACE.test(str.slice(words[j - 1]!.end, words[j]!.start))
      && words[j]!.b === w.b && words[j]!.charset === w.charset) {
      payload += words[j]!.payload;
      j++;
    }
    // Text before this word, unless only whitespace separates it from the previous word.
    const gap = str.slice(at, w.start);
    if (!(i > 0 && ONLY_SPACE.test(gap))) out += gap;
    out += decodeCharset(w.b ? base64Words(payload) : qWords(payload), w.charset);
    at = words[j - 1]!.end;
    i = j;
  }
  return out + str.slice(at);
}

/** "B" payloads: base64 segments, each ended by padding. */
function base64Words(payload: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let s = 0;
  for (;;) {
    let e = payload.indexOf('=', s);
    if (e < 0) e = payload.length;
    if (e > s) {
      const c = base64(payload, s, e, false);
      chunks.push(c);
      total += c.length;
    }
    if (e >= payload.length) break;
    s = e + 1;
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** "Q" payloads: "_" and whitespace are spaces, "=XX" a byte (RFC 2047 4.2). */
function qWords(payload: string): Uint8Array {
  const text = payload.replace(/=\s+([0-9a-fA-F])/g, '=$1').replace(/[_\s]/g, ' ');
  const src = NON_ASCII.test(text) ? utf8Encoder.encode(text) : bytesOfBinary(text);
  const out = new Uint8Array(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 61 && i + 2 < src.length) {
      const hi = hexValue(src[i + 1]!);
      const lo = hexValue(src[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[o++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}

// ---------------------------------------------------------------------------------------------
// Addresses

interface Address {
  address: string;
  name: string;
  group?: boolean;
}

const ADDR_SPEC = /^[^\s"<>()[\]\\,;:@]+@[^\s"<>()[\]\\,;:@]+$/;
const LOCAL_PART = /^[^\s"<>()[\]\\,;:@]+$/;
const PHRASE = /^[^"<>()[\]\\,;:@]*$/;
const QUOTED = /^"([^"\\]*)"$/;
const EMPTY_GROUP = /^([^"<>()[\]\\,;:@]*):\s*;$/;
const CONTROL = /[\x00-\x08\x0a-\x1f]/;

/**
 * An address list (RFC 5322 3.4) in the forms mailboxes take in bounce headers, as mailparser
 * reads them: `a@b`, `a@b (Name)`, `<a@b>`, `Name <a@b>`, `"Name" <a@b>`, `<a@b> (Name)`,
 * `Name <>`, comma-separated; a lone name (`MAILER-DAEMON`), or an empty group
 * (`undisclosed-recipients:;`). Display names come out trimmed and RFC 2047-decoded.
 */
function addressList(value: string): Address[] {
  if (CONTROL.test(value)) notSure('control character in an address');
  const out: Address[] = [];
  const group = EMPTY_GROUP.exec(value);
  if (group) {
    out.push({ address: '', name: nameOf(group[1]!), group: true });
    return out;
  }
  const items = splitList(value).map((item) => item.trim()).filter((item) => item !== '');
  for (const t of items) {
    let core = t;
    let comment: string | null = null;
    if (core.endsWith(')')) {
      const open = core.lastIndexOf('(');
      comment = core.slice(open + 1, -1);
      if (open < 0 || /[()\\]/.test(comment)) notSure('comment in an address');
      core = core.slice(0, open).trim();
    }
    // What the list says (an address, a name) and whether the name came from a comment only.
    let said = '';
    let name = '';
    let fromComment = false;
    if (ADDR_SPEC.test(core)) {
      said = core;
      name = (comment ?? '').trim();
    } else if (core.endsWith('>')) {
      const open = core.lastIndexOf('<');
      said = core.slice(open + 1, -1);
      const phrase = core.slice(0, open).trim();
      if (open < 0 || (said !== '' && !ADDR_SPEC.test(said) && !LOCAL_PART.test(said))) notSure('angle address');
      const quoted = QUOTED.exec(phrase);
      if (quoted) name = quoted[1]!.trim();
      else if (PHRASE.test(phrase)) name = phrase;
      else return notSure('display name');
      if (name === '' && comment !== null) {
        name = comment.trim();
        fromComment = true;
      }
      if (said === '' && name.includes('@')) notSure('address in a display name');
    } else if (comment === null && items.length === 1 && PHRASE.test(core)) {
      name = core;
    } else {
      return notSure('address form');
    }
    if (said.includes('=?') || /@xn--/i.test(said)) notSure('encoded address');
    // As mailparser resolves them: a name alone stands for the address, and an address equal
    // to the name is the name when it has no @, else it has no name.
    let address = said !== '' ? said : fromComment ? '' : name;
    if (name === '') name = said;
    if (address === name) {
      if (address.includes('@')) name = '';
      else address = '';
    }
    out.push({ address, name: nameOf(name) });
  }
  return out;
}

const nameOf = (name: string): string => {
  const n = name.trim();
  return n === '' ? '' : decodeWords(n);
};

/** Splits an address list at the commas outside quoted strings, comments and angle brackets. */
function splitList(value: string): string[] {
  const items: string[] = [];
  let from = 0;
  let quote = false;
  let paren = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (quote) {
      if (c === 34) quote = false;
      continue;
    }
    if (c === 34) quote = true;
    else if (c === 40) paren++;
    else if (c === 41) paren--;
    else if (c === 60) {
      if (angle) notSure('nested angle bracket');
      angle = true;
    } else if (c === 62) angle = false;
    else if (paren === 0 && !angle && (c === 44 || c === 59 || c === 58)) {
      if (c !== 44) notSure('group or semicolon in an address list');
      items.push(value.slice(from, i));
      from = i + 1;
    }
    if (paren < 0) notSure('unbalanced comment');
  }
  if (quote || paren !== 0 || angle) notSure('unbalanced address list');
  items.push(value.slice(from));
  return items;
}

// ---------------------------------------------------------------------------------------------
// The MIME tree

interface Part {
  parent: Part | null;
  lines: HeaderLine[];
  type: string;
  boundary: string | null;
  charset: string | null;
  encoding: string;
  disposition: string | null;
  filename: string | null;
  flowed: boolean;
  delSp: boolean;
  children: Part[];
  bodyStart: number;
  bodyEnd: number;
}

const newPart = (parent: Part | null): Part => ({
  parent, lines: [], type: '', boundary: null, charset: null, encoding: '', disposition: null, filename: null,
  flowed: false, delSp: false, children: [], bodyStart: -1, bodyEnd: -1,
});

const MAX_PARTS = 500;
const MIME_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/** Reads a part's header block: its headers and what they say about its body. */
function readHead(s: string, start: number, end: number, part: Part): void {
  part.lines = headerLines(s, start, end);
  const ct = mimeHeader(part.lines, 'content-type');
  const disposition = structured(mimeHeader(part.lines, 'content-disposition') ?? '');
  let params: Map<string, string>;
  if (ct === null) {
    if (disposition.params.get('filename')) notSure('filename without a content type');
    part.type = /^attachment$/i.test(disposition.value) ? 'application/octet-stream' : 'text/plain';
    params = new Map();
  } else {
    const parsed = structured(ct);
    part.type = parsed.value.toLowerCase();
    params = parsed.params;
  }
  if (!MIME_TYPE.test(part.type)) notSure('content type');
  const encoding = mimeHeader(part.lines, 'content-transfer-encoding') ?? '';
  if (/["(]/.test(encoding)) notSure('transfer encoding');
  part.encoding = encoding.toLowerCase().trim();
  part.charset = params.get('charset') || null;
  part.disposition = disposition.value.toLowerCase() || null;
  if (part.disposition?.includes('=?')) notSure('encoded disposition');
  part.filename = disposition.params.get('filename') || params.get('name') || null;
  if (part.type === 'text/plain' && params.get('format')?.toLowerCase().trim() === 'flowed') {
    part.flowed = true;
    part.delSp = params.get('delsp')?.toLowerCase().trim() === 'yes';
  }
  const boundary = (params.get('boundary') ?? '').trimEnd();
  if (boundary !== '') {
    if (!part.type.startsWith('multipart/')) notSure('boundary on a leaf part');
    part.boundary = boundary;
  }
}

/** Whether the line at `pos` (ending at `end`) is a delimiter of `boundary`: 1 next part, 2 close. */
function delimiter(s: string, pos: number, end: number, boundary: string): 0 | 1 | 2 {
  const size = end - pos;
  if (size < boundary.length + 3 || size > boundary.length + 1004 || !s.startsWith(boundary, pos + 2)) return 0;
  let i = pos + 2 + boundary.length;
  let kind: 1 | 2 = 1;
  if (s.charCodeAt(i) === 45) {
    if (s.charCodeAt(i + 1) !== 45) return 0;
    kind = 2;
    i += 2;
  }
  while (i < end && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  if (i === end) return kind === 2 ? 2 : 0; // only the close delimiter may end the input unterminated
  while (i < end && s.charCodeAt(i) === 13) i++;
  if (i < end && s.charCodeAt(i) === 10) i++;
  return i === end ? kind : 0;
}

/**
 * Splits the message into its MIME tree (RFC 2046 5.1.1). Every line is a delimiter of the
 * current multipart or of one it is nested in when it reads as one, as mailsplit has it; the
 * line break before a delimiter belongs to the delimiter. Bodies stay ranges of the message.
 * Only the lines that matter are visited: those starting with "--", and the blank line that ends
 * a header block.
 */
function split(s: string): Part {
  const len = s.length;
  if (s.indexOf('\n\r--') >= 0 || s.startsWith('\r--')) notSure('CR before a delimiter');
  const root = newPart(null);
  let cur = root;
  let inHead = true;
  let headStart = 0;
  let epilogue = false;
  let count = 1;
  let scoped = false; // whether any delimiter can occur (a multipart is open)
  const endBody = (at: number, nextPart: boolean): void => {
    if (inHead) notSure('part ends inside its header');
    if (cur.type.startsWith('multipart/')) return;
    let e = at;
    if (e > cur.bodyStart && s.charCodeAt(e - 1) === 10) {
      e--;
      if (e > cur.bodyStart && s.charCodeAt(e - 1) === 13) e--;
      // A body of one empty line: mailsplit keeps that line when another part follows, and
      // drops it when the multipart closes.
      if (e === cur.bodyStart && nextPart) e = at;
    }
    cur.bodyEnd = e;
  };
  const open = (parent: Part, at: number): void => {
    if (++count > MAX_PARTS) notSure('too many parts');
    cur = newPart(parent);
    parent.children.push(cur);
    inHead = true;
    headStart = at;
    epilogue = false;
  };
  /** The start of the next line at or after `from` (a line start) that begins with "--". */
  const nextDashes = (from: number): number => {
    if (s.startsWith('--', from)) return from;
    const i = s.indexOf('\n--', from);
    return i < 0 ? -1 : i + 1;
  };
  /**
   * The start of the next blank line at or after `from` (a line start). `from` only grows, so
   * each search result is kept until it falls behind: a CRLF message has no "\n\n" at all, and
   * searching for one at every part would scan the rest of the message each time.
   */
  let lfLf = -2;
  let lfCrLf = -2;
  const nextBlank = (from: number): number => {
    const c = s.charCodeAt(from);
    if (c === 10 || (c === 13 && s.charCodeAt(from + 1) === 10)) return from;
    if (lfLf !== -1 && lfLf < from) lfLf = s.indexOf('\n\n', from);
    if (lfCrLf !== -1 && lfCrLf < from) lfCrLf = s.indexOf('\n\r\n', from);
    const a = lfLf;
    const b = lfCrLf;
    return a < 0 ? (b < 0 ? -1 : b + 1) : b < 0 || a < b ? a + 1 : b + 1;
  };

  let pos = 0;
  for (;;) {
    const blank = inHead ? nextBlank(pos) : -1;
    const dashes = scoped ? nextDashes(pos) : -1;
    if (inHead && (dashes < 0 || (blank >= 0 && blank < dashes))) {
      const end = blank < 0 ? len : s.charCodeAt(blank) === 10 ? blank + 1 : blank + 2;
      readHead(s, headStart, end, cur);
      inHead = false;
      cur.bodyStart = end;
      if (cur.boundary !== null) scoped = true;
      if (blank < 0) break;
      pos = end;
      continue;
    }
    if (dashes < 0) break;
    const nl = s.indexOf('\n', dashes);
    const end = nl < 0 ? len : nl + 1;
    pos = end;
    if (end - dashes < 4) continue;
    let kind = 0;
    let owner: Part | null = null;
    if (!epilogue && cur.boundary !== null) kind = delimiter(s, dashes, end, cur.boundary);
    if (kind === 0) {
      for (let p = cur.parent; p !== null; p = p.parent) {
        if (p.boundary !== null && (kind = delimiter(s, dashes, end, p.boundary)) !== 0) {
          owner = p;
          break;
        }
      }
    }
    if (kind === 0) continue;
    if (owner === null) {
      if (kind === 1) open(cur, end); // the first part of the current multipart
      // kind 2 in the preamble: nothing changes
    } else {
      endBody(dashes, kind === 1);
      if (kind === 1) open(owner, end);
      else {
        cur = owner;
        inHead = false;
        epilogue = true;
      }
    }
    if (end >= len && !inHead) break;
  }
  if (inHead) {
    readHead(s, headStart, len, cur);
    cur.bodyStart = len;
  }
  if (cur.bodyEnd < 0) cur.bodyEnd = len;
  return root;
}

// ---------------------------------------------------------------------------------------------
// From the tree to MailParts

const MESSAGE_EXTENSIONS = new Set(['eml', 'mht', 'mhtml', 'nws', 'mime']);

function readParts(bytes: Uint8Array): MailParts {
  const s = binaryOf(bytes, 0, bytes.length);
  const root = split(s);

  const body = (p: Part): Uint8Array => {
    if (p.bodyStart < 0 || p.bodyEnd < p.bodyStart) notSure('body range');
    if (p.encoding === 'base64') return base64Body(s, p.bodyStart, p.bodyEnd);
    if (p.encoding === 'quoted-printable') return quotedPrintable(s.slice(p.bodyStart, p.bodyEnd));
    return bytes.subarray(p.bodyStart, p.bodyEnd);
  };

  // Which leaves are inline text and which attachments, in document order.
  const inline = new Set<Part>();
  const attachments: MailAttachment[] = [];
  let hasText = false;
  let hasHtml = false;
  const sort = (p: Part): void => {
    if (p.type.startsWith('multipart/')) {
      for (const c of p.children) sort(c);
      return;
    }
    const isText = p.type === 'text/plain' || p.type === 'text/html';
    let disposition = p.disposition;
    if (disposition !== null && disposition !== 'attachment' && disposition !== 'inline') disposition = 'attachment';
    disposition ??= isText ? 'inline' : 'attachment';
    if (isText && disposition === 'inline') {
      inline.add(p);
      if (p.type === 'text/plain') hasText = true;
      else hasHtml = true;
      return;
    }
    let type = p.type;
    if (type === 'application/octet-stream' && p.filename !== null) {
      if (p.filename.includes('=?')) notSure('encoded file name');
      const ext = p.filename.toLowerCase().replace(/\s/g, '').replace(/^\./g, '').split('.').pop() ?? '';
      if (MESSAGE_EXTENSIONS.has(ext)) type = 'message/rfc822';
    }
    attachments.push({ contentType: type, content: viewReads(type) ? body(p) : null });
  };
  sort(root);

  const textOf = (p: Part): string => {
    let content = body(p);
    if (p.flowed) content = bytesOfBinary(unflow(binaryOf(content, 0, content.length), p.delSp));
    const charset = p.charset ?? 'utf-8';
    const raw = ['ascii', 'usascii', 'utf8'].includes(charset.toLowerCase().replace(/[^a-z0-9]+/g, ''));
    const text = raw ? utf8Keep.decode(content) : decodeCharset(content, charsetOf(charset));
    return text.indexOf('\r') < 0 ? text : text.replace(/\r?\n/g, '\n');
  };

  // The text and HTML as mailparser joins them (its getTextContent, with HTML-to-text off).
  const texts: string[] = [];
  const htmls: string[] = [];
  const gather = (p: Part, alternative: boolean): void => {
    if (inline.has(p)) {
      const content = textOf(p);
      if (content !== '') {
        if (p.type === 'text/plain') {
          texts.push(content);
          if (!alternative && hasHtml) htmls.push('');
        } else {
          if ((!alternative && hasText) || (p === root && !hasText)) texts.push('');
          htmls.push(content);
        }
      }
    }
    const alt = alternative || p.type === 'multipart/alternative';
    for (const c of p.children) gather(c, alt);
  };
  gather(root, false);
  const html = htmls.join('<br/>\n');

  // The top-level headers mailparser decodes.
  let from: Address[] | null = null;
  const to: string[] = [];
  let subject = '';
  let date: string | null = null;
  let dateSeen = false;
  let messageId: string | null = null;
  for (const { key, line } of root.lines) {
    switch (key) {
      case 'from':
        from ??= addressList(decodedValue(line));
        break;
      case 'to':
        for (const a of addressList(decodedValue(line))) if (a.address) to.push(a.address.toLowerCase());
        break;
      case 'subject':
        if (subject === '') subject = decodeWords(decodedValue(line));
        break;
      case 'date':
        // The first Date counts, as for mailparser, even when it cannot be read.
        if (!dateSeen) {
          dateSeen = true;
          const d = new Date(decodedValue(line));
          // No date rather than the time of reading (mailparser's choice): the email's Received
          // trace, else the caller's time of receipt, then stands in (events.ts).
          date = Number.isNaN(d.getTime()) ? null : d.toISOString();
        }
        break;
      case 'message-id':
        if (messageId === null) {
          const id = decodeWords(decodedValue(line));
          if (id !== '') messageId = `${id.startsWith('<') ? '' : '<'}${id}${id.endsWith('>') ? '' : '>'}`;
        }
        break;
    }
  }

  return {
    headerLines: root.lines,
    text: texts.length > 0 ? texts.join('\n') : null,
    html: html === '' ? null : html,
    attachments,
    from: (from ?? []).filter((a) => a.address).map((a) => a.address.toLowerCase()),
    fromName: (from ?? []).find((a) => a.name)?.name ?? '',
    to,
    subject,
    date,
    messageId,
  };
}

/** A top-level header's value as mailparser reads it: unfolded, trimmed, then read as UTF-8. */
const decodedValue = (line: string): string => utf8OfBinary(lineValue(line));
