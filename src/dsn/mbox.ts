/**
 * Mailbox files (the mbox family: mboxo, mboxrd, mboxcl): messages one after the other, each
 * starting with a "From " postmark line ("From sender  Thu Jul  2 12:05:05 2020", the sender and
 * an asctime date) after an empty line. A bounce saved from a mail client, or a whole bounce
 * mailbox handed to `rebote inspect`, comes this way; Sisimai reads such files too.
 *
 * Only a file that itself starts with a postmark is split, and only at lines that are postmarks
 * in full (sender and date) after an empty line, so a body line that merely begins with "From "
 * (mboxo leaves some unquoted) does not cut a message in two.
 */

const POSTMARK = /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2},? +\d{1,2}:\d\d/;
const F = 0x46; // 'F'
const LF = 0x0a;
const CR = 0x0d;
/** Enough of a line for the postmark's sender and date. */
const POSTMARK_SCAN = 200;

/** The line starting at `at` as a binary string (at most POSTMARK_SCAN bytes). */
function lineAt(raw: Uint8Array, at: number): string {
  let end = at;
  const stop = Math.min(raw.length, at + POSTMARK_SCAN);
  while (end < stop && raw[end] !== LF && raw[end] !== CR) end++;
  return String.fromCharCode(...raw.subarray(at, end));
}

function isPostmark(raw: Uint8Array, at: number): boolean {
  return raw[at] === F && raw[at + 1] === 0x72 && raw[at + 2] === 0x6f && raw[at + 3] === 0x6d && raw[at + 4] === 0x20 &&
    POSTMARK.test(lineAt(raw, at));
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
