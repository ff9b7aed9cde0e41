/**
 * The /docs page's browser script (runs after COMMON_JS, inside one function scope): reads
 * /openapi.json, lists every operation with its parameters, request body and responses, and
 * sends a request with the stored key. Plain JavaScript in a String.raw template: no backticks,
 * no dollar-brace (see client-common.ts). Everything from the document or a response is shown
 * as text.
 */
export const DOCS_JS = String.raw`
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const MAX_SHOWN = 200000; // characters of a response body shown; an export can be large

let spec = null;

/** Follows a local $ref ("#/components/schemas/X"); anything else is returned as is. */
function deref(obj) {
  let cur = obj;
  for (let i = 0; cur && typeof cur.$ref === 'string' && i < 20; i++) {
    if (!cur.$ref.startsWith('#/')) return cur;
    let target = spec;
    for (const part of cur.$ref.slice(2).split('/')) {
      target = target && target[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (!target) return cur;
    cur = target;
  }
  return cur;
}

const refName = (s) => (s && typeof s.$ref === 'string' ? s.$ref.split('/').pop() : null);

/** A short type name: "string (email)", "integer 1–1000", "array of string", "one of a | b". */
function typeName(schema) {
  const s = deref(schema) || {};
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alts = s.anyOf || s.oneOf;
  if (Array.isArray(alts)) return alts.map(typeName).join(' | ');
  let type = Array.isArray(s.type) ? s.type.join(' | ') : s.type || (s.properties ? 'object' : 'any');
  if (type === 'array') type = 'array of ' + (s.items ? typeName(s.items) : 'any');
  const extra = [];
  if (s.format) extra.push(s.format);
  if (s.minimum !== undefined || s.maximum !== undefined) extra.push((s.minimum !== undefined ? s.minimum : '') + '–' + (s.maximum !== undefined ? s.maximum : ''));
  if (s.maxItems !== undefined) extra.push('at most ' + s.maxItems);
  if (s.maxLength !== undefined) extra.push('≤ ' + s.maxLength + ' chars');
  return type + (extra.length ? ' (' + extra.join(', ') + ')' : '');
}

/** The schema as indented lines of "name: type  — description", objects expanded. */
function schemaLines(schema, indent, seen, out) {
  const s = deref(schema) || {};
  const name = refName(schema);
  if (name && seen.has(name)) { out.push(indent + '(' + name + ', see above)'); return out; }
  const nextSeen = new Set(seen);
  if (name) nextSeen.add(name);
  if (Array.isArray(s.allOf)) { s.allOf.forEach((p) => schemaLines(p, indent, nextSeen, out)); return out; }
  const props = s.properties;
  if (props) {
    const required = new Set(s.required || []);
    for (const key of Object.keys(props)) {
      const p = deref(props[key]) || {};
      const desc = p.description || (props[key] && props[key].description) || '';
      out.push(indent + key + (required.has(key) ? '' : '?') + ': ' + typeName(props[key]) + (desc ? '  — ' + desc : ''));
      const inner = p.type === 'array' ? deref(p.items) : p;
      if (inner && inner.properties && indent.length < 12) schemaLines(p.type === 'array' ? p.items : props[key], indent + '  ', nextSeen, out);
    }
    return out;
  }
  if (s.type === 'array' && s.items) {
    out.push(indent + typeName(s));
    const inner = deref(s.items);
    if (inner && inner.properties) schemaLines(s.items, indent + '  ', nextSeen, out);
    return out;
  }
  out.push(indent + typeName(s) + (s.description ? '  — ' + s.description : ''));
  return out;
}

/** A plausible example value, from the schema's own example or default when it has one. */
function exampleOf(schema, depth) {
  const s = deref(schema) || {};
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  if ((depth || 0) > 6) return null;
  const alts = s.anyOf || s.oneOf;
  if (Array.isArray(alts) && alts.length) return exampleOf(alts.find((a) => (deref(a) || {}).type !== 'null') || alts[0], (depth || 0) + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'object' || s.properties) {
    const o = {};
    for (const k of Object.keys(s.properties || {})) o[k] = exampleOf(s.properties[k], (depth || 0) + 1);
    return o;
  }
  if (type === 'array') return [exampleOf(s.items || {}, (depth || 0) + 1)];
  if (type === 'integer' || type === 'number') return s.minimum !== undefined ? s.minimum : 0;
  if (type === 'boolean') return false;
  if (type === 'string') return s.format === 'email' ? 'jane@example.com' : s.format === 'date-time' ? new Date().toISOString() : '';
  return null;
}

function sampleBody(contentType, schema) {
  if (/json$/.test(contentType) && !/ndjson/.test(contentType)) return JSON.stringify(exampleOf(schema), null, 2);
  const s = deref(schema) || {};
  if (typeof s.example === 'string') return s.example;
  if (/csv/.test(contentType)) return 'email,reason\njane@example.com,hard_bounce\n';
  if (/ndjson/.test(contentType)) return '{"email":"jane@example.com","reason":"hard_bounce"}\n';
  return '';
}

// ---- rendering ---------------------------------------------------------------------------

function operations() {
  const ops = [];
  const paths = spec.paths || {};
  for (const path of Object.keys(paths)) {
    const item = paths[path] || {};
    for (const method of METHODS) {
      if (!item[method]) continue;
      const op = item[method];
      // Path-level parameters apply to every operation of the path unless the operation overrides them.
      const params = [];
      const seen = new Set();
      for (const p of (op.parameters || []).concat(item.parameters || [])) {
        const q = deref(p);
        if (!q || seen.has(q.in + ':' + q.name)) continue;
        seen.add(q.in + ':' + q.name);
        params.push(q);
      }
      ops.push({ path, method, op, params, tag: (op.tags && op.tags[0]) || 'other' });
    }
  }
  return ops;
}

function paramTable(params) {
  if (params.length === 0) return el('p', { class: 'empty', text: 'No parameters.' });
  return el('table', { class: 'params' }, [
    el('thead', null, el('tr', null, ['Name', 'In', 'Type', 'Description'].map((h) => el('th', { text: h })))),
    el('tbody', null, params.map((p) => el('tr', null, [
      el('td', { class: 'mono', text: p.name + (p.required ? '' : '?') }),
      el('td', { text: p.in }),
      el('td', { class: 'mono', text: typeName(p.schema || {}) }),
      el('td', { text: p.description || (deref(p.schema) || {}).description || '' }),
    ]))),
  ]);
}

function bodySection(op) {
  const rb = deref(op.requestBody);
  if (!rb || !rb.content) return null;
  const parts = [el('h4', { text: 'Request body' + (rb.required ? '' : ' (optional)') })];
  if (rb.description) parts.push(el('p', { text: rb.description }));
  for (const ct of Object.keys(rb.content)) {
    const schema = rb.content[ct].schema;
    parts.push(el('div', { class: 'mono ct', text: ct }));
    if (schema) parts.push(el('pre', { class: 'schema', text: schemaLines(schema, '', new Set(), []).join('\n') }));
  }
  return el('div', null, parts);
}

function responsesSection(op) {
  const rs = op.responses || {};
  return el('div', null, [
    el('h4', { text: 'Responses' }),
    el('ul', { class: 'responses' }, Object.keys(rs).map((code) => {
      const r = deref(rs[code]) || {};
      const content = r.content || {};
      const ct = Object.keys(content)[0];
      const schema = ct && content[ct].schema;
      return el('li', null, [
        el('span', { class: 'mono code', text: code }), ' ', r.description || '',
        schema ? el('details', { class: 'schema' }, [el('summary', { text: 'schema · ' + ct }), el('pre', { class: 'schema', text: schemaLines(schema, '', new Set(), []).join('\n') })]) : null,
      ]);
    })),
  ]);
}

/** Shell quoting for the curl line: single quotes, with embedded ones closed and escaped. */
const shq = (s) => "'" + String(s).replace(/'/g, "'\\''") + "'";

function tryForm(entry) {
  const { path, method, params, op } = entry;
  const inputs = params.map((p) => {
    const ex = p.example !== undefined ? p.example : (deref(p.schema) || {}).example;
    const schema = deref(p.schema) || {};
    let input;
    if (Array.isArray(schema.enum)) {
      input = el('select', { 'data-param': p.name, 'data-in': p.in },
        [el('option', { value: '', text: p.required ? '(choose)' : '(none)' })].concat(schema.enum.map((v) => el('option', { value: String(v), text: String(v) }))));
    } else {
      input = el('input', { type: 'text', 'data-param': p.name, 'data-in': p.in, spellcheck: 'false', placeholder: typeName(p.schema || {}) });
      if (ex !== undefined && ex !== null) input.value = String(ex);
    }
    return { p, input, row: el('label', { class: 'field' }, [el('span', { class: 'mono', text: p.name + (p.required ? ' *' : '') }), input]) };
  });
  const rb = deref(op.requestBody);
  const types = rb && rb.content ? Object.keys(rb.content) : [];
  const ctSelect = types.length > 1 ? el('select', { class: 'ct-select', 'aria-label': 'Content-Type' }, types.map((t) => el('option', { value: t, text: t }))) : null;
  const bodyInput = types.length ? el('textarea', { class: 'body-input mono', rows: 8, spellcheck: 'false', 'aria-label': 'Request body' }) : null;
  const fillBody = () => {
    const ct = ctSelect ? ctSelect.value : types[0];
    bodyInput.value = sampleBody(ct, rb.content[ct].schema || {});
  };
  if (bodyInput) fillBody();
  if (ctSelect) ctSelect.addEventListener('change', fillBody);
  const send = el('button', { type: 'submit', text: 'Send' });
  const out = el('div', { class: 'result', hidden: true });
  const form = el('form', { class: 'try' }, [
    el('h4', { text: 'Try it' }),
    el('div', { class: 'fields' }, inputs.map((i) => i.row)),
    bodyInput ? el('div', { class: 'field wide' }, [ctSelect ? ctSelect : el('span', { class: 'mono', text: types[0] }), bodyInput]) : null,
    el('div', { class: 'row' }, [send, el('span', { class: 'muted', text: path.startsWith('/v1/') ? 'sent with the API key above' : '' })]),
    out,
  ]);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let url = path;
    const q = new URLSearchParams();
    const headers = {};
    for (const { p, input } of inputs) {
      const v = input.value.trim();
      if (v === '') {
        if (p.required) return showResult(out, { error: p.name + ' is required' });
        continue;
      }
      if (p.in === 'path') url = url.split('{' + p.name + '}').join(encodeURIComponent(v));
      else if (p.in === 'query') q.set(p.name, v);
      else if (p.in === 'header') headers[p.name] = v;
    }
    if ([...q.keys()].length) url += '?' + q.toString();
    // The key goes with /v1/ calls only, as the form says: a webhook or /healthz is not given it.
    const key = path.startsWith('/v1/') ? getKey() : '';
    if (key) headers.Authorization = 'Bearer ' + key;
    const init = { method: method.toUpperCase(), headers, credentials: 'omit', cache: 'no-store' };
    let ct = null;
    if (bodyInput && bodyInput.value !== '') {
      ct = ctSelect ? ctSelect.value : types[0];
      headers['Content-Type'] = ct;
      init.body = bodyInput.value;
    }
    // The same request for a terminal; the key stays a shell variable, never printed.
    const curl = ['curl -s'];
    if (method !== 'get') curl.push('-X ' + method.toUpperCase());
    curl.push(shq(location.origin + url));
    if (key) curl.push('-H "Authorization: Bearer $KEY"');
    if (ct) curl.push('-H ' + shq('Content-Type: ' + ct), '--data-binary ' + shq(init.body));
    send.disabled = true;
    const started = performance.now();
    try {
      const res = await fetch(url, init);
      const text = await res.text();
      showResult(out, { res, text, ms: performance.now() - started, curl: curl.join(' ') });
    } catch (e) {
      showResult(out, { error: 'the Worker did not answer (' + e.message + ')', curl: curl.join(' ') });
    } finally {
      send.disabled = false;
    }
  });
  return form;
}

function showResult(out, r) {
  out.hidden = false;
  const parts = [];
  if (r.curl) parts.push(el('pre', { class: 'curl', text: r.curl }));
  if (r.error) {
    parts.push(el('p', { class: 'status error', text: r.error }));
  } else {
    const ct = r.res.headers.get('content-type') || '';
    let body = r.text;
    if (/json/.test(ct) && !/ndjson/.test(ct)) {
      try { body = JSON.stringify(JSON.parse(r.text), null, 2); } catch (e) { /* shown as sent */ }
    }
    if (body.length > MAX_SHOWN) body = body.slice(0, MAX_SHOWN) + '\n… (' + fmtNum(r.text.length) + ' characters in all)';
    parts.push(el('p', { class: 'response-status ' + (r.res.ok ? 'ok' : 'error'), 'data-status': r.res.status },
      [el('strong', { text: r.res.status + ' ' + (r.res.statusText || '') }), '  ' + (ct || 'no content type') + ' · ' + Math.round(r.ms) + ' ms']));
    parts.push(el('pre', { class: 'response-body', text: body || '(empty body)' }));
  }
  replace(out, parts);
}

function renderOperation(entry) {
  const { path, method, op, params } = entry;
  const details = el('details', { class: 'op', 'data-method': method.toUpperCase(), 'data-path': path, id: op.operationId ? 'op-' + op.operationId : null });
  const summary = el('summary', null, [
    el('span', { class: 'method m-' + method, text: method.toUpperCase() }),
    el('span', { class: 'mono path', text: path }),
    el('span', { class: 'summary', text: op.summary || '' }),
  ]);
  details.appendChild(summary);
  // The body is built when first opened: a long document stays quick to show.
  let built = false;
  details.addEventListener('toggle', () => {
    if (!details.open || built) return;
    built = true;
    details.appendChild(el('div', { class: 'op-body' }, [
      op.description ? el('p', { class: 'description', text: op.description }) : null,
      op.security && op.security.length === 0 ? el('p', { class: 'muted', text: 'No API key needed.' }) : null,
      el('h4', { text: 'Parameters' }),
      paramTable(params),
      bodySection(op),
      responsesSection(op),
      tryForm(entry),
    ]));
  });
  return details;
}

function render() {
  const info = spec.info || {};
  replace(byId('title'), [info.title || 'API', info.version ? el('small', { text: ' ' + info.version }) : null]);
  byId('description').textContent = info.description || '';
  const groups = new Map();
  for (const entry of operations()) {
    if (!groups.has(entry.tag)) groups.set(entry.tag, []);
    groups.get(entry.tag).push(entry);
  }
  const tagInfo = new Map((spec.tags || []).map((t) => [t.name, t]));
  const sections = [];
  for (const [tag, entries] of groups) {
    const t = tagInfo.get(tag);
    sections.push(el('section', { class: 'tag', 'data-tag': tag }, [
      el('h2', { text: tag }),
      t && t.description ? el('p', { class: 'muted', text: t.description }) : null,
    ].concat(entries.map(renderOperation))));
  }
  replace(byId('ops'), sections);
  document.body.setAttribute('data-state', 'ready');
}

function filterOps() {
  const words = byId('filter').value.toLowerCase().split(/\s+/).filter(Boolean);
  for (const d of document.querySelectorAll('details.op')) {
    const hay = (d.getAttribute('data-method') + ' ' + d.getAttribute('data-path') + ' ' + d.querySelector('.summary').textContent).toLowerCase();
    d.hidden = !words.every((w) => hay.includes(w));
  }
}

async function load() {
  status('Loading /openapi.json…', '');
  try {
    const res = await fetch('/openapi.json', { credentials: 'omit', cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error('/openapi.json answered ' + res.status);
    spec = await res.json();
    render();
    status(getKey() ? '' : 'Enter an API key above to send requests to /v1.', '');
  } catch (e) {
    status('Could not read the API description: ' + e.message, 'error');
    document.body.setAttribute('data-state', 'error');
  }
}

setupKeyForm(() => status(getKey() ? 'Key saved for this tab.' : 'Key forgotten.', 'ok'));
byId('filter').addEventListener('input', filterOps);
load();
`;
