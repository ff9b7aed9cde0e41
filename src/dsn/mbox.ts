/**
 * Mailbox files (the mbox family): messages one after the other, each starting with a "From "
 * postmark line ("From sender  Thu Jul  2 12:05:05 2020": the envelope sender and an asctime
 * date) after an empty line. Bounce mailboxes, mail clients' exports and Sisimai's sample sets
 * come this way. Writers of mboxo, mboxrd and mboxcl quote a body line that starts with "From "
 * (">From "), so a postmark inside a message is not left for the reader to trip on; mboxcl2
 * does not quote and relies on Content-Length, which is not read here.
 *
 * Only the command line and scoring read files (parseEmailFile): the Worker takes one email per
 * request, which a mail server's pipe may prefix with a postmark of its own without quoting the
 * body, so it never splits one. A file is split only when it starts with a postmark, and only at
 * lines that are postmarks in full (sender and date), after an empty line and followed by a
 * header field, so that a body line merely starting with "From " does not cut a message in two.
 */

const POSTMARK = /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2},? +\d{1,2}:\d\d/;
/** A header field's name and colon, at the start of the line after a postmark. */
const FIELD = /^[A-Za-z0-9][A-Za-z0-9-]*[ \t]*:/;
const F = 0x46; // 'F'
const LF = 0x0a;
const CR = 0x0d;
/** Enough of a line for the postmark's sender and date, or a field's name. */
const LINE_SCAN = 200;

/** The end of the line starting at `at` (its CR or LF, or the end of the bytes). */
function lineEnd(raw: Uint8Array, at: number): number {
  let end = at;
  while (end < raw.length && raw[end] !== LF && raw[end] !== CR) end++;
  return end;
}

/** The start of the line after the one ending at `end`. */
const nextLine = (raw: Uint8Array, end: number): number => end + (raw[end] === CR && raw[end + 1] === LF ? 2 : 1);

/** The first LINE_SCAN bytes of the line starting at `at`, as a binary string. */
const lineText = (raw: Uint8Array, at: number, end: number): string => String.fromCharCode(...raw.subarray(at, Math.min(end, at + LINE_SCAN)));

/** Whether a postmark starts at `at`, followed by a header field on the next line. */
function isPostmark(raw: Uint8Array, at: number): boolean {
  if (raw[at] !== F || raw[at + 1] !== 0x72 || raw[at + 2] !== 0x6f || raw[at + 3] !== 0x6d || raw[at + 4] !== 0x20) return false;
  const end = lineEnd(raw, at);
  if (!POSTMARK.test(lineText(raw, at, end))) return false;
  const next = nextLine(raw, end);
  return next < raw.length && FIELD.test(lineText(raw, next, lineEnd(raw, next)));
}

/** Whether the line starting at `at` follows an empty line (LF LF, CRLF CRLF or CR CR). */
function afterEmptyLine(raw: Uint8Array, at: number): boolean {
  if (raw[at - 1] === LF) {
    if (raw[at - 2] === LF) return true;
    return raw[at - 2] === CR && raw[at - 3] === LF;
  }
  return raw[at - 1] === CR && raw[at - 2] === CR;
}

/**
 * The messages of a mailbox file, as views of its bytes (each starting at its postmark); any
 * other input, one email, as it is.
 */
export function splitMbox(raw: Uint8Array): Uint8Array[] {
  if (!isPostmark(raw, 0)) return [raw];
  const starts = [0];
  for (let i = raw.indexOf(F, 1); i > 0; i = raw.indexOf(F, i + 1)) {
    if (afterEmptyLine(raw, i) && isPostmark(raw, i)) starts.push(i);
  }
  if (starts.length === 1) return [raw];
  return starts.map((start, k) => raw.subarray(start, starts[k + 1] ?? raw.length));
}
