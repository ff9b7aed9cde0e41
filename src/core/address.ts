/**
 * Address normalization (SPEC §5): trimmed, lower-cased, internationalized domains kept in one
 * form (punycode, ASCII) so the Unicode and punycode spellings match.
 */

const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Returns the normalized address, or null when the input is not an address. */
export function normalizeAddress(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  return plainAddress(input) ?? checkedAddress(input);
}

/**
 * The common case in one pass, without regular expressions: a dot-atom local part of ASCII
 * letters, digits and `_ + -`, one `@`, and a domain of ASCII letters, digits, `-` and `.`
 * (no surrounding space or brackets). It accepts and returns exactly what `checkedAddress` would
 * for such input; anything else (including every input it would refuse) is left to
 * `checkedAddress`, so this path never decides a refusal. Returns the input itself when it is
 * already normalized.
 */
function plainAddress(s: string): string | null {
  const n = s.length;
  if (n === 0 || n > 320) return null;
  let at = -1;
  let upper = false;
  let prevDot = true; // a local part must not start with a dot
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) { // a-z
      prevDot = false;
    } else if ((c >= 0x30 && c <= 0x39) || c === 0x2d) { // 0-9 -
      prevDot = false;
    } else if (c >= 0x41 && c <= 0x5a) { // A-Z
      upper = true;
      prevDot = false;
    } else if (c === 0x2e) { // .
      if (at < 0 && prevDot) return null; // leading or doubled dot in the local part
      prevDot = true;
    } else if (at < 0 && (c === 0x5f || c === 0x2b)) { // _ + in the local part
      prevDot = false;
    } else if (c === 0x40 && at < 0) { // @
      if (prevDot) return null; // empty local part, or one that ends with a dot
      at = i;
    } else {
      return null;
    }
  }
  if (at < 0 || at > 64 || at === n - 1) return null;
  const domainIn = s.slice(at + 1);
  const domain = normalizeDomain(domainIn);
  if (domain === null) return null;
  if (!upper && domain === domainIn) return s;
  return `${s.slice(0, at).toLowerCase()}@${domain}`;
}

/** Every rule of SPEC §5, for any input (exported for the tests that hold the fast path to it). */
export function checkedAddress(input: string): string | null {
  let s = input.trim();
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  if (s.length === 0 || s.length > 320) return null;
  // Control characters (C0 and C1) and whitespace anywhere mean header injection or garbage; a
  // lone surrogate cannot be written as UTF-8, and U+FFFD is what one became on the way here.
  if (/[\s\u0000-\u001f\u007f-\u009f\ufffd]/.test(s) || LONE_SURROGATE.test(s)) return null;
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return null;
  const local = s.slice(0, at);
  const domainIn = s.slice(at + 1);
  if (local.length > 64 || !LOCAL_ATOM.test(local)) return null;
  const domain = normalizeDomain(domainIn);
  if (domain === null) return null;
  return `${local.toLowerCase()}@${domain}`;
}

// Recipients of one batch share a handful of domains: remember recent answers (bounded).
const domainCache = new Map<string, string | null>();
const DOMAIN_CACHE_SIZE = 512;

/** Lower-case ASCII (punycode) form of a domain, or null when it is not a host name. */
export function normalizeDomain(input: string): string | null {
  const known = domainCache.get(input);
  if (known !== undefined) return known;
  const out = computeDomain(input);
  if (domainCache.size >= DOMAIN_CACHE_SIZE) domainCache.clear();
  domainCache.set(input, out);
  return out;
}

function computeDomain(input: string): string | null {
  let d = input.trim().replace(/\.$/, '');
  if (d.length === 0 || d.length > 253) return null;
  // URL syntax would be cut off by the URL parser below instead of refused.
  if (/[/?#:\\@[\]%\s]/.test(d)) return null;
  if (/[^\x00-\x7f]/.test(d)) {
    try {
      d = new URL(`http://${d}`).hostname;
    } catch {
      return null;
    }
  }
  d = d.toLowerCase();
  const labels = d.split('.');
  if (labels.length < 2) return null;
  return labels.every((l) => DOMAIN_LABEL.test(l)) ? d : null;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
