/**
 * JSON.parse that keeps integers too large for a double exact, as strings (Postmark `ID`,
 * Mailjet `MessageID` exceed 2^53). Node 20 has no reviver source access, so integer literals of
 * 16 or more digits outside strings are quoted before parsing.
 */
const BIG_INTEGER_OR_STRING = /"(?:[^"\\]|\\.)*"|-?\d{16,}(?![\d.eE])/g;

export function parseJsonExact(text: string): unknown {
  return JSON.parse(text.replace(BIG_INTEGER_OR_STRING, (m) => (m.startsWith('"') || Number.isSafeInteger(Number(m)) ? m : `"${m}"`)));
}
