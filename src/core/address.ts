/**
 * Address normalization (SPEC §5): trimmed, lower-cased, internationalized domains kept in one
 * form (punycode, ASCII) so the Unicode and punycode spellings match; a quoted local part
 * (RFC 5321) kept in one form too.
 */

const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * A label of a domain: letters, digits and hyphens (not first or last), and underscores (except
 * in the last label), which host names may not hold but DNS names may: signup forms take "jane@dgh_office.dk", mail is sent
 * to it, and its bounce must be read, its suppression checked and stored like any other.
 */
const DOMAIN_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
/** Whitespace, C0 and C1 controls, U+FFFD: not in an address outside a quoted local part. */
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f\ufffd]/;
const NON_ASCII = /[^\x00-\x7f]/;

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
  const seen = recentDomain(s, at);
  if (seen !== null) return upper ? `${s.slice(0, at).toLowerCase()}@${seen}` : s;
  const domainIn = s.slice(at + 1);
  const domain = normalizeDomain(domainIn);
  if (domain === null) return null;
  if (domain === domainIn) rememberDomain(domain);
  if (!upper && domain === domainIn) return s;
  return `${s.slice(0, at).toLowerCase()}@${domain}`;
}

/**
 * The last few domains that were already in normal form. A batch's addresses share a handful of
 * domains, and matching the end of an address against them costs less than slicing the domain
 * out and hashing it for the cache. A domain in normal form is all lower case, so an address
 * whose domain has capitals never matches here and takes the long way.
 */
const RECENT_DOMAINS = 8;
const recent: string[] = [];
let nextRecent = 0;

function recentDomain(s: string, at: number): string | null {
  const length = s.length - at - 1;
  for (let i = 0; i < recent.length; i++) {
    const d = recent[i]!;
    if (d.length === length && s.endsWith(d)) return d;
  }
  return null;
}

function rememberDomain(domain: string): void {
  if (recent.length < RECENT_DOMAINS) recent.push(domain);
  else recent[nextRecent] = domain;
  nextRecent = (nextRecent + 1) % RECENT_DOMAINS;
}

/** Every rule of SPEC §5, for any input (exported for the tests that hold the fast path to it). */
export function checkedAddress(input: string): string | null {
  let s = input.trim();
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  if (s.length === 0 || s.length > 320) return null;
  if (s.charCodeAt(0) === 0x22) return quotedAddress(s);
  // Control characters (C0 and C1) and whitespace anywhere mean header injection or garbage; a
  // lone surrogate cannot be written as UTF-8, and U+FFFD is what one became on the way here.
  if (SPACE_OR_CONTROL.test(s) || LONE_SURROGATE.test(s)) return null;
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return null;
  // A non-ASCII local part in its composed form (NFC, as RFC 6532 asks): "é" typed as e and a
  // combining accent is the same mailbox as the single character. (The domain gets the same from
  // IDNA's mapping.) Lower-cased before the checks, and composed again after it: lower-casing
  // can lengthen a text ("İ" becomes "i" and a combining dot), and the checks must hold for the
  // form that is stored, or a stored address would not normalize to itself.
  const raw = s.slice(0, at);
  const local = NON_ASCII.test(raw) ? raw.normalize('NFC').toLowerCase().normalize('NFC') : raw.toLowerCase();
  const domainIn = s.slice(at + 1);
  if (local.length > 64 || !LOCAL_ATOM.test(local)) return null;
  const domain = normalizeDomain(domainIn);
  if (domain === null || local.length + 1 + domain.length > 320) return null;
  return `${local}@${domain}`;
}

/**
 * An address whose local part is an RFC 5321 Quoted-string (`"neko....nyaan...."@example.org`, as
 * real DSNs carry): `"`, then printable ASCII (32–126) other than `"` and `\`, or a quoted-pair
 * (`\` and one printable ASCII character), then `"` and `@`; at most 64 octets with the quotes and
 * backslashes as written. Only a space can be whitespace in it, and no control character, C1,
 * non-ASCII or U+FFFD can be in it at all. An empty one (`""@x`) names no mailbox and is refused.
 * Canonical form, so every spelling of one mailbox is one key: lower-cased like any local part;
 * without the quotes when the content is a dot-atom (`"John"@x` is `john@x`); otherwise quoted,
 * with only `"` and `\` escaped.
 */
function quotedAddress(s: string): string | null {
  let content = '';
  for (let i = 1; i < 64 && i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 0x22) { // the closing quote, which must be followed by the @
      if (content === '' || s.charCodeAt(i + 1) !== 0x40) return null;
      const domainIn = s.slice(i + 2);
      // normalizeDomain trims, and would let space or controls through at its ends.
      if (domainIn.length === 0 || SPACE_OR_CONTROL.test(domainIn) || LONE_SURROGATE.test(domainIn)) return null;
      const domain = normalizeDomain(domainIn);
      if (domain === null) return null;
      content = content.toLowerCase();
      const local = LOCAL_ATOM.test(content) ? content : `"${content.replace(/["\\]/g, '\\$&')}"`;
      return local.length + 1 + domain.length > 320 ? null : `${local}@${domain}`;
    }
    if (c === 0x5c) c = s.charCodeAt(++i); // a quoted-pair: the next character stands for itself
    if (!(c >= 0x20 && c <= 0x7e)) return null; // also NaN, past the end
    content += String.fromCharCode(c);
  }
  return null; // no closing quote within 64 octets
}

// Recipients of one batch share a handful of domains: remember recent answers (bounded).
const domainCache = new Map<string, string | null>();
const DOMAIN_CACHE_SIZE = 512;

/** Lower-case ASCII (punycode) form of a domain, or null when it is not a domain name. */
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
    // The limit is on the stored (punycode) form, which can be far longer than the Unicode one.
    if (d.length > 253) return null;
  }
  d = d.toLowerCase();
  const labels = d.split('.');
  if (labels.length < 2) return null;
  // The last label is a top-level domain: letters, digits and hyphens only ("a@example.com_old"
  // is an address run into a word).
  return labels.every((l) => DOMAIN_LABEL.test(l)) && !labels[labels.length - 1]!.includes('_') ? d : null;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
