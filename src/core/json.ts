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
    // A number literal: its digits, and whether it has a fraction or exponent.
    const start = i;
    let j = c === 0x2d ? i + 1 : i;
    while (j < n && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    const digits = j - (c === 0x2d ? i + 1 : i);
    const next = text.charCodeAt(j);
    const plainInteger = next !== 0x2e && next !== 0x65 && next !== 0x45;
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
