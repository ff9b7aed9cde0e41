/**
 * JSON.parse that keeps integers too large for a double exact, as strings (Postmark `ID`,
 * Mailjet `MessageID` exceed 2^53). Node 20 has no reviver source access, so integer literals of
 * 16 or more digits outside strings are quoted before parsing, in one linear pass (a regular
 * expression here backtracked quadratically on long digit runs).
 */
export function parseJsonExact(text: string): unknown {
  let out = '';
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string literal, escapes included.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
      continue;
    }
    const isDigit = c >= 0x30 && c <= 0x39;
    if (!isDigit && c !== 0x2d) continue;
    // A number literal, read whole: sign, integer digits, then any fraction and exponent, so
    // that the digits of a fraction ("0.30000000000000004") are never taken for an integer.
    const start = i;
    let j = c === 0x2d ? i + 1 : i;
    j = digitsEnd(text, j);
    const digits = j - (c === 0x2d ? i + 1 : i);
    let plainInteger = true;
    if (text.charCodeAt(j) === 0x2e) {
      plainInteger = false;
      j = digitsEnd(text, j + 1);
    }
    const e = text.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      plainInteger = false;
      const sign = text.charCodeAt(j + 1);
      j = digitsEnd(text, sign === 0x2b || sign === 0x2d ? j + 2 : j + 1);
    }
    if (plainInteger && digits >= 16) {
      const literal = text.slice(start, j);
      if (!Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copied, start)}"${literal}"`;
        copied = j;
      }
    }
    i = j - 1;
  }
  return JSON.parse(copied === 0 ? text : out + text.slice(copied));
}

/** Where the run of ASCII digits starting at `from` ends. */
function digitsEnd(text: string, from: number): number {
  let j = from;
  while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
  return j;
}
