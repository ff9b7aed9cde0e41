/**
 * Browser code shared by /dashboard and /docs, prepended to each page's script. It is plain
 * JavaScript in a string (see assets.ts for why); it must not contain a backtick or a dollar
 * sign followed by a brace, which would end or interpolate the String.raw template
 * (test/unit/ui.test.ts checks that every script parses).
 *
 * DOM rule for every page: nodes are built with el()/svg() and text goes in through textContent
 * or text nodes; nothing is ever parsed as HTML. The CSP's Trusted Types requirement makes the
 * browser enforce that too.
 */
export const COMMON_JS = String.raw`
'use strict';

// The API key lives in sessionStorage: it is gone when the tab closes and never reaches the
// server except as the Authorization header of API calls.
const KEY_ITEM = 'rebote.apiKey';
function getKey() {
  try { return sessionStorage.getItem(KEY_ITEM) || ''; } catch (e) { return ''; }
}
function setKey(value) {
  try {
    if (value) sessionStorage.setItem(KEY_ITEM, value);
    else sessionStorage.removeItem(KEY_ITEM);
  } catch (e) { /* storage disabled: the key lasts for this page only */ }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

function setProps(node, props) {
  if (!props) return;
  for (const name of Object.keys(props)) {
    const v = props[name];
    if (v === undefined || v === null || v === false) continue;
    if (name === 'text') node.textContent = String(v);
    // Handlers are attached with addEventListener, never as attributes built from strings.
    else if (/^on/i.test(name)) throw new Error('no event handler attributes: ' + name);
    else node.setAttribute(name, v === true ? '' : String(v));
  }
}

function addChildren(node, children) {
  if (children === undefined || children === null) return;
  for (const c of Array.isArray(children) ? children : [children]) {
    if (c === undefined || c === null || c === false) continue;
    node.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** An HTML element; props.text sets textContent, other props become attributes. */
function el(tag, props, children) {
  const node = document.createElement(tag);
  setProps(node, props);
  addChildren(node, children);
  return node;
}

/** An SVG element, same conventions as el(). */
function svg(tag, props, children) {
  const node = document.createElementNS(SVG_NS, tag);
  setProps(node, props);
  addChildren(node, children);
  return node;
}

function byId(id) { return document.getElementById(id); }
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
function replace(node, children) { clear(node); addChildren(node, children); }

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Query string of the non-empty values. */
function query(params) {
  const q = new URLSearchParams();
  for (const k of Object.keys(params)) {
    const v = params[k];
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** Calls the API with the stored key; resolves to the parsed JSON (null for 204), throws ApiError. */
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const key = getKey();
  if (key) headers.Authorization = 'Bearer ' + key;
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'the Worker did not answer (' + e.message + ')');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || res.statusText || 'request failed');
  }
  return data;
}

/** What a failed call means for the person looking at the page. */
function explain(err) {
  if (!(err instanceof ApiError)) return String(err && err.message || err);
  if (err.status === 401) return 'The API key was refused (' + err.message + '). Enter a key from API_KEYS above.';
  if (err.status === 403) return 'This key may only read: ' + err.message;
  return err.message + (err.status ? ' (HTTP ' + err.status + ', ' + err.code + ')' : '');
}

/** ISO time as "yyyy-mm-dd hh:mm" in UTC; anything unparsable is shown as given. */
function fmtTime(iso) {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

const NUMBER = new Intl.NumberFormat('en-US');
function fmtNum(n) { return NUMBER.format(n || 0); }

function fmtPct(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const p = x * 100;
  return (p === 0 ? '0' : p < 1 ? p.toFixed(2) : p.toFixed(1)) + '%';
}

/** The key form in each page's header: remembers the key and tells the page to reload. */
function setupKeyForm(onChange) {
  const form = byId('key-form');
  const input = byId('key');
  input.value = getKey();
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    setKey(input.value.trim());
    onChange();
  });
  byId('forget').addEventListener('click', () => {
    input.value = '';
    setKey('');
    onChange();
  });
}

/** One line of feedback under the header; kind is '', 'error' or 'ok'. */
function status(message, kind) {
  const node = byId('status');
  node.textContent = message || '';
  node.className = 'status' + (kind ? ' ' + kind : '');
}
`;

/** Styles shared by both pages. Colours per event type are used by the charts and badges. */
export const COMMON_CSS = `
:root {
  --bg: #f6f7f9; --panel: #fff; --ink: #1d2430; --muted: #5f6b7a; --line: #dde2e8; --accent: #2457c5;
  --delivered: #2e9d5b; --bounced: #d64545; --deferred: #e3a008; --complained: #8e44ad;
  --dropped: #6b7280; --unsubscribed: #2d7fd3; --other: #a0aec0;
  --hard: #c53030; --soft: #dd9b28; --undetermined: #8a94a6;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg); font-size: 14px;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
header.bar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 12px 24px; padding: 10px 20px;
  background: #17202e; color: #fff;
}
header.bar h1 { font-size: 18px; margin: 0; letter-spacing: .02em; }
header.bar nav a { color: #c9d6ee; margin-right: 14px; text-decoration: none; }
header.bar nav a[aria-current="page"] { color: #fff; font-weight: 600; border-bottom: 2px solid #7aa2f7; }
header.bar form { margin-left: auto; display: flex; gap: 6px; align-items: center; }
header.bar label { color: #c9d6ee; }
header.bar input { width: 220px; }
main { max-width: 1240px; margin: 0 auto; padding: 16px 20px 40px; }
input, select, button, textarea { font: inherit; }
input, select, textarea { padding: 5px 7px; border: 1px solid #b9c2cf; border-radius: 4px; background: #fff; color: var(--ink); }
button { padding: 5px 12px; border: 1px solid #1f4aa8; border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); border-color: #b9c2cf; }
button.danger { background: #fff; color: #b42318; border-color: #e3a7a2; }
button.danger:hover { background: #fdecea; }
button.link { background: none; border: none; color: var(--accent); padding: 0; text-align: left; text-decoration: underline; }
button:disabled { opacity: .5; cursor: default; }
.status { min-height: 1.4em; margin: 0 0 10px; color: var(--muted); }
.status.error { color: #b42318; font-weight: 600; }
.status.ok { color: #1e7a44; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin-bottom: 16px; min-width: 0; }
.panel h2 { font-size: 15px; margin: 0 0 8px; }
.panel h2 small { font-weight: normal; color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
`;
