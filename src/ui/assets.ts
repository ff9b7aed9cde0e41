/**
 * How the built-in pages are served. Each page is a small set of same-origin assets (HTML, one
 * script, one stylesheet) kept as plain string constants, so any bundler (wrangler's esbuild,
 * vite in the tests) ships them without loaders, and the Content-Security-Policy can allow
 * scripts and styles from 'self' only: no inline code, no hashes to keep in sync, no CDN.
 */

export interface UiAsset {
  /** Value of the Content-Type header. */
  type: string;
  body: string;
}

export const HTML = 'text/html; charset=utf-8';
export const JS = 'text/javascript; charset=utf-8';
export const CSS = 'text/css; charset=utf-8';

/**
 * The pages only load their own script and stylesheet and talk to this Worker's API.
 * `require-trusted-types-for 'script'` makes the browser itself refuse any string assigned to
 * innerHTML and friends: addresses and diagnostics are attacker-controlled, and the scripts only
 * ever build DOM nodes and set textContent.
 */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': UI_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  // The pages change with each deploy and are tiny: revalidate rather than serve a stale script
  // against a newer API.
  'Cache-Control': 'no-cache',
};

/** The response for one asset, with the security headers above. */
export function uiResponse(asset: UiAsset): Response {
  return new Response(asset.body, { headers: { ...UI_SECURITY_HEADERS, 'Content-Type': asset.type } });
}

/** One script from parts, in a function scope so nothing leaks into the page's globals. */
export function script(...parts: string[]): string {
  return `(function () {\n${parts.join('\n')}\n})();\n`;
}

const NAV: ReadonlyArray<readonly [path: string, label: string]> = [['/dashboard', 'Dashboard'], ['/docs', 'API']];

/**
 * The start of a built-in page served at `path`, up to its header: the head loading
 * `path`/app.css and `path`/app.js, the nav with `path` as the current page, and the API key form.
 */
export function pageTop(path: '/dashboard' | '/docs', title: string): string {
  const nav = NAV.map(([href, label]) => `<a href="${href}"${href === path ? ' aria-current="page"' : ''}>${label}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Rebote · ${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${path}/app.css">
<script src="${path}/app.js" defer></script>
</head>
<body>
<header class="bar">
  <h1>Rebote</h1>
  <nav>${nav}</nav>
  <form id="key-form" autocomplete="off">
    <label for="key">API key</label>
    <input id="key" type="password" spellcheck="false" placeholder="a key from API_KEYS">
    <button type="submit">Use key</button>
    <button type="button" id="forget" class="secondary">Forget</button>
  </form>
</header>
`;
}

/** For the few constants interpolated into the HTML (option lists); data never goes there. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
