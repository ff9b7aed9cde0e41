/**
 * The dashboard's browser script (runs after COMMON_JS, inside one function scope). Plain
 * JavaScript in a String.raw template: no backticks, no dollar-brace (see client-common.ts).
 *
 * Charts are inline SVG built node by node. Each drawn element carries data-* attributes with
 * the numbers it was drawn from (data-total on legend entries, data-count on bars, data-value
 * on bar rows), so the browser test can check what is on screen against what was stored.
 */
export const DASHBOARD_JS = String.raw`
const TYPE_ORDER = ['delivered', 'bounced', 'deferred', 'complained', 'dropped', 'unsubscribed'];
const KNOWN_TYPES = new Set(TYPE_ORDER);
const KNOWN_CLASSES = new Set(['hard', 'soft', 'undetermined']);
const HOUR = 3600000;
const DAY = 86400000;
const RANGES = {
  '24h': { days: 1, interval: 'hour' },
  '7dh': { days: 7, interval: 'hour' },
  '7d': { days: 7, interval: 'day' },
  '30d': { days: 30, interval: 'day' },
  '90d': { days: 90, interval: 'day' },
};
// Where Amazon SES starts reviewing an account; a familiar yardstick for any provider.
const BOUNCE_THRESHOLD = 0.05;
const COMPLAINT_THRESHOLD = 0.001;

const state = {
  // One generation per panel, bumped by every new query of it (a period, a filter, Load more, a
  // reload) and checked after each await: a slow older answer cannot overwrite a newer one.
  gen: { stats: 0, events: 0, sup: 0 },
  stats: null,
  slots: [],
  interval: 'day',
  hidden: new Set(), // event types switched off in the chart legend
  // Each cursor with the filters it was made for: Load more goes on with those, not with what the
  // form says now (a by-time cursor sent to an address search is refused; another type skips events).
  eventsQuery: null,
  eventsCursor: null,
  supQuery: null,
  supCursor: null,
};

/** Starts a new query of a panel ('stats', 'events', 'sup'); the function returned says whether it is still the newest. */
function newQuery(panel) {
  const gen = ++state.gen[panel];
  return () => gen === state.gen[panel];
}

const typeClass = (t) => 't-' + (KNOWN_TYPES.has(t) ? t : 'other');
const classClass = (c) => (KNOWN_CLASSES.has(c) ? 'c-' + c : 'c-bar');
const n = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function bounceRate(byType) {
  const b = n(byType.bounced);
  const d = n(byType.delivered);
  return b + d > 0 ? b / (b + d) : null;
}
function complaintRate(byType) {
  const d = n(byType.delivered);
  return d > 0 ? n(byType.complained) / d : null;
}

/** A round step (1, 2, 2.5, 5 × 10^k) of at least raw; counts never step by less than 1. */
function niceStep(raw, integer) {
  if (!(raw > 0)) return integer ? 1 : 0.01;
  const exp = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const step = m * exp;
    if (step >= raw && (!integer || Number.isInteger(step))) return step;
  }
  return 10 * exp;
}

// ---- time slots -------------------------------------------------------------------------

const stepOf = (interval) => (interval === 'hour' ? HOUR : DAY);
const floorTo = (t, interval) => Math.floor(t / stepOf(interval)) * stepOf(interval);

/** Every interval of the period, oldest first: the API only returns intervals that have events. */
function fillSlots(buckets, since, until, interval) {
  const slots = new Map();
  for (let t = floorTo(since, interval); t < until; t += stepOf(interval)) slots.set(t, { start: t, total: 0, by_type: {} });
  for (const b of buckets) {
    const t = floorTo(Date.parse(b.start), interval);
    if (Number.isNaN(t)) continue;
    const slot = slots.get(t) || { start: t, total: 0, by_type: {} };
    slot.total += n(b.total);
    for (const k of Object.keys(b.by_type || {})) slot.by_type[k] = n(slot.by_type[k]) + n(b.by_type[k]);
    slots.set(t, slot);
  }
  return Array.from(slots.values()).sort((a, b) => a.start - b.start);
}

function slotLabel(t, interval, long) {
  const iso = new Date(t).toISOString();
  if (interval === 'day') return long ? iso.slice(0, 10) : iso.slice(5, 10);
  return long ? iso.slice(0, 10) + ' ' + iso.slice(11, 16) : iso.slice(5, 10) + ' ' + iso.slice(11, 13) + 'h';
}

/** Types in the data, known ones in their usual order first. */
function seriesTypes() {
  const seen = new Set(Object.keys((state.stats && state.stats.totals && state.stats.totals.by_type) || {}));
  for (const s of state.slots) for (const k of Object.keys(s.by_type)) seen.add(k);
  const known = TYPE_ORDER.filter((t) => seen.has(t));
  const other = Array.from(seen).filter((t) => !KNOWN_TYPES.has(t)).sort();
  return known.concat(other);
}

// ---- summary cards -----------------------------------------------------------------------

function renderSummary() {
  const byType = (state.stats && state.stats.totals && state.stats.totals.by_type) || {};
  const types = TYPE_ORDER.concat(seriesTypes().filter((t) => !KNOWN_TYPES.has(t)));
  const cards = types.map((t) => el('div', { class: 'card ' + typeClass(t), 'data-type': t, 'data-count': n(byType[t]) }, [
    el('div', { class: 'label', text: t }),
    el('div', { class: 'value', text: fmtNum(byType[t]) }),
  ]));
  const br = bounceRate(byType);
  const cr = complaintRate(byType);
  cards.push(rateCard('bounce rate', 'bounce-rate', br, BOUNCE_THRESHOLD));
  cards.push(rateCard('complaint rate', 'complaint-rate', cr, COMPLAINT_THRESHOLD));
  replace(byId('summary'), cards);
}

function rateCard(label, id, value, threshold) {
  const warn = value !== null && value >= threshold;
  return el('div', { class: 'card rate' + (warn ? ' warn' : ''), id: 'card-' + id, 'data-rate': value === null ? '' : value }, [
    el('div', { class: 'label', text: label }),
    el('div', { class: 'value', text: fmtPct(value) }),
  ]);
}

// ---- events per interval (stacked bars) -----------------------------------------------------

function renderLegend() {
  const items = seriesTypes().map((t) => {
    let total = 0;
    for (const s of state.slots) total += n(s.by_type[t]);
    const on = !state.hidden.has(t);
    const b = el('button', { type: 'button', 'data-type': t, 'data-total': total, 'aria-pressed': on ? 'true' : 'false' }, [
      el('span', { class: 'swatch ' + typeClass(t) }),
      t + ' ' + fmtNum(total),
    ]);
    b.addEventListener('click', () => {
      if (state.hidden.has(t)) state.hidden.delete(t); else state.hidden.add(t);
      renderLegend();
      renderEventsChart();
    });
    return b;
  });
  replace(byId('legend'), items);
}

function yAxis(root, box, top, ticks, format) {
  for (let i = 0; i <= ticks; i++) {
    const v = (top * i) / ticks;
    const y = box.t + box.h - (v / top) * box.h;
    root.appendChild(svg('line', { class: i === 0 ? 'axis' : 'grid', x1: box.l, x2: box.l + box.w, y1: y, y2: y }));
    root.appendChild(svg('text', { x: box.l - 6, y: y + 4, 'text-anchor': 'end', text: format(v) }));
  }
}

function xLabels(root, box, slots, interval) {
  const every = Math.max(1, Math.ceil(slots.length / 10));
  const w = box.w / slots.length;
  slots.forEach((s, i) => {
    if (i % every !== 0) return;
    root.appendChild(svg('text', { x: box.l + (i + 0.5) * w, y: box.t + box.h + 16, 'text-anchor': 'middle', text: slotLabel(s.start, interval, false) }));
  });
}

function renderEventsChart() {
  const host = byId('chart-events');
  const slots = state.slots;
  const types = seriesTypes().filter((t) => !state.hidden.has(t));
  const W = 960, H = 260;
  const box = { l: 52, t: 10, w: W - 52 - 10, h: H - 10 - 28 };
  let max = 0;
  for (const s of slots) {
    let sum = 0;
    for (const t of types) sum += n(s.by_type[t]);
    max = Math.max(max, sum);
  }
  const step = niceStep(max / 4, true);
  const top = step * 4;
  const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Events per interval, stacked by type', 'data-max': max });
  yAxis(root, box, top, 4, (v) => fmtNum(v));
  const w = box.w / Math.max(slots.length, 1);
  const pad = w > 6 ? Math.min(w * 0.15, 6) : 0;
  slots.forEach((s, i) => {
    let y = box.t + box.h;
    const g = svg('g', { class: 'slot', 'data-start': new Date(s.start).toISOString() });
    for (const t of types) {
      const v = n(s.by_type[t]);
      if (v === 0) continue;
      const h = (v / top) * box.h;
      y -= h;
      g.appendChild(svg('rect', {
        class: typeClass(t) + ' hover', 'data-type': t, 'data-count': v,
        x: box.l + i * w + pad, y, width: Math.max(w - 2 * pad, 0.5), height: h,
      }, svg('title', { text: slotLabel(s.start, state.interval, true) + ' UTC · ' + t + ': ' + fmtNum(v) })));
    }
    if (g.firstChild) root.appendChild(g);
  });
  xLabels(root, box, slots, state.interval);
  if (max === 0) {
    root.appendChild(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty', text: 'No events in this period' }));
  }
  replace(host, root);
}

// ---- rates over time (lines) -------------------------------------------------------------

function renderRate(hostId, rateOf, threshold, label) {
  const W = 480, H = 200;
  const box = { l: 52, t: 10, w: W - 52 - 10, h: H - 10 - 28 };
  const slots = state.slots;
  const values = slots.map((s) => rateOf(s.by_type));
  let max = threshold * 1.25;
  for (const v of values) if (v !== null && v > max) max = v;
  const step = niceStep(max / 4, false);
  const top = Math.min(step * 4, 1) || 1;
  const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': label + ' per interval' });
  yAxis(root, box, top, 4, fmtPct);
  const ty = box.t + box.h - (threshold / top) * box.h;
  root.appendChild(svg('line', { class: 'threshold', x1: box.l, x2: box.l + box.w, y1: ty, y2: ty }));
  // Labelled at the left: recent intervals, where the line usually is, sit at the right.
  root.appendChild(svg('text', { class: 'threshold-label', x: box.l + 6, y: ty - 4, text: fmtPct(threshold) + ' (SES review)' }));
  const w = box.w / Math.max(slots.length, 1);
  const point = (i) => [box.l + (i + 0.5) * w, box.t + box.h - (values[i] / top) * box.h];
  // Intervals without the denominator have no rate: the line breaks there instead of dropping to 0.
  let run = [];
  const flush = () => {
    if (run.length > 1) root.appendChild(svg('polyline', { class: 'line', points: run.map((p) => p.join(',')).join(' ') }));
    run = [];
  };
  let shown = 0;
  values.forEach((v, i) => {
    if (v === null) return flush();
    run.push(point(i));
    shown++;
  });
  flush();
  values.forEach((v, i) => {
    if (v === null) return;
    const [x, y] = point(i);
    root.appendChild(svg('circle', { class: 'dot', cx: x, cy: y, r: 3, 'data-rate': v },
      svg('title', { text: slotLabel(slots[i].start, state.interval, true) + ' UTC · ' + label + ' ' + fmtPct(v) })));
  });
  xLabels(root, box, slots, state.interval);
  if (shown === 0) root.appendChild(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', text: 'No deliveries in this period' }));
  const host = byId(hostId);
  host.setAttribute('data-points', shown);
  replace(host, root);
}

// ---- breakdowns (horizontal bars) ----------------------------------------------------------

function renderBars(hostId, record, classOf, what) {
  const host = byId(hostId);
  const entries = Object.keys(record || {})
    .map((k) => [k, n(record[k])])
    .filter((e) => e[1] > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (entries.length === 0) return replace(host, el('p', { class: 'empty', text: 'No ' + what + ' in this period.' }));
  const W = 400, rowH = 24, labelW = 120, valueW = 56;
  const max = entries[0][1];
  const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + entries.length * rowH, role: 'img', 'aria-label': what });
  entries.forEach((e, i) => {
    const y = i * rowH;
    const bw = Math.max(((W - labelW - valueW) * e[1]) / max, 1);
    root.appendChild(svg('g', { class: 'bar-row', 'data-key': e[0], 'data-value': e[1] }, [
      svg('title', { text: e[0] + ': ' + fmtNum(e[1]) }),
      svg('text', { class: 'bar-label', x: 0, y: y + 16, text: e[0].length > 17 ? e[0].slice(0, 16) + '…' : e[0] }),
      svg('rect', { class: classOf(e[0]) + ' hover', x: labelW, y: y + 4, width: bw, height: rowH - 8, rx: 2 }),
      svg('text', { class: 'bar-value', x: labelW + bw + 6, y: y + 16, text: fmtNum(e[1]) }),
    ]));
  });
  replace(host, root);
}

function renderDomains() {
  const body = byId('domains').tBodies[0];
  const rows = (state.stats && state.stats.top_domains) || [];
  if (rows.length === 0) return replace(body, emptyRow(5, 'No bounces or complaints in this period.'));
  replace(body, rows.map((d) => el('tr', { 'data-domain': d.domain }, [
    el('td', { class: 'mono', text: d.domain }),
    el('td', { class: 'num', 'data-col': 'bounced', text: fmtNum(d.bounced) }),
    el('td', { class: 'num', 'data-col': 'complained', text: fmtNum(d.complained) }),
    el('td', { class: 'num', 'data-col': 'dropped', text: fmtNum(d.dropped) }),
    el('td', { class: 'num', 'data-col': 'total', text: fmtNum(d.total) }),
  ])));
}

function emptyRow(cols, message) {
  return el('tr', { class: 'empty-row' }, el('td', { colspan: cols, class: 'empty', text: message }));
}

/** Before more rows are added: a "none so far" row would otherwise stay above them. */
function dropEmptyRow(body) {
  const row = body.querySelector('.empty-row');
  if (row) row.remove();
}

function renderStats() {
  const totals = (state.stats && state.stats.totals) || {};
  renderSummary();
  renderLegend();
  renderEventsChart();
  renderRate('chart-bounce-rate', bounceRate, BOUNCE_THRESHOLD, 'bounce rate');
  renderRate('chart-complaint-rate', complaintRate, COMPLAINT_THRESHOLD, 'complaint rate');
  renderBars('bars-class', totals.by_class, classClass, 'classes');
  renderBars('bars-reason', totals.by_reason, () => 'c-bar', 'reasons');
  renderBars('bars-provider', totals.by_provider, () => 'c-bar', 'providers');
  renderDomains();
}

async function loadStats(current) {
  const range = RANGES[byId('range').value] || RANGES['30d'];
  const until = Date.now();
  const since = until - range.days * DAY;
  const data = await api('GET', '/v1/stats' + query({
    since: new Date(since).toISOString(), until: new Date(until).toISOString(), interval: range.interval,
  }));
  if (!current()) return;
  state.stats = data;
  state.interval = range.interval;
  state.slots = fillSlots(data.buckets || [], since, until, range.interval);
  renderStats();
}

// ---- recent events -------------------------------------------------------------------------

/**
 * Pages the API may answer empty while it walks quiet days: followed, a bounded number, before
 * "none so far". A request reads about 7 days of everyone's events (4 index keys a day, 30
 * Queries), so 20 pages look about 140 days back: the default retention and then some.
 */
const EMPTY_PAGES_FOLLOWED = 20;

async function loadEvents(current, more) {
  const button = byId('events-more');
  // One request at a time: a second click would send the same cursor and list its page twice.
  button.disabled = true;
  const filters = more ? state.eventsQuery : {
    type: byId('events-type').value,
    provider: byId('events-provider').value,
    email: byId('events-email').value.trim(),
  };
  let cursor = more ? state.eventsCursor : '';
  let data = { items: [], next_cursor: null };
  try {
    for (let pages = 0; pages < EMPTY_PAGES_FOLLOWED; pages++) {
      data = await api('GET', '/v1/events' + query({ ...filters, limit: 25, cursor }));
      if (!current()) return;
      if ((data.items || []).length > 0 || !data.next_cursor) break;
      cursor = data.next_cursor;
    }
  } finally {
    // A newer query has the button now; after a failure this one gives it back for a retry.
    if (current()) button.disabled = false;
  }
  const body = byId('events').tBodies[0];
  if (more) dropEmptyRow(body); else clear(body);
  for (const e of data.items || []) body.appendChild(eventRow(e));
  if (!body.firstChild) body.appendChild(emptyRow(8, data.next_cursor ? 'None in the days searched so far: More looks further back.' : 'No events match.'));
  state.eventsQuery = filters;
  state.eventsCursor = data.next_cursor || null;
  button.hidden = !state.eventsCursor;
}

function eventRow(e) {
  const b = e.bounce || {};
  const code = [b.reply_code, b.status].filter(Boolean).join(' ');
  const detail = b.diagnostic || (e.complaint && e.complaint.feedback_type ? 'feedback type: ' + e.complaint.feedback_type : '');
  const who = el('button', { type: 'button', class: 'link mono', text: e.recipient, title: 'Look this address up in the suppression list' });
  who.addEventListener('click', () => {
    byId('sup-email').value = e.recipient;
    lookupSuppression();
  });
  return el('tr', { 'data-id': e.id, 'data-type': e.type, 'data-recipient': e.recipient }, [
    el('td', { class: 'mono', text: fmtTime(e.occurred_at), title: e.occurred_at }),
    el('td', null, el('span', { class: 'badge ' + typeClass(e.type), text: e.type })),
    el('td', null, who),
    el('td', { text: e.provider }),
    el('td', { text: b.class || '' }),
    el('td', { text: b.reason || '', title: b.rule ? 'decided by ' + b.rule : null }),
    el('td', { class: 'mono', text: code }),
    el('td', { class: 'diag', text: detail, title: detail || null }),
  ]);
}

// ---- suppression list ----------------------------------------------------------------------

function supNote(message, kind) {
  const node = byId('sup-note');
  node.textContent = message || '';
  node.className = 'status' + (kind ? ' ' + kind : '');
}

function showSuppressions(items, more, cursor) {
  const body = byId('suppressions').tBodies[0];
  if (more) dropEmptyRow(body); else clear(body);
  for (const s of items) body.appendChild(suppressionRow(s));
  if (!body.firstChild) body.appendChild(emptyRow(7, 'No suppressed addresses match.'));
  state.supCursor = cursor;
  byId('sup-more').hidden = !cursor;
}

function suppressionRow(s) {
  const src = s.source || {};
  const code = [src.reply_code, src.status].filter(Boolean).join(' ');
  const source = [src.provider, code, src.reason].filter(Boolean).join(' · ');
  const button = el('button', { type: 'button', class: 'danger', text: 'Unsuppress', 'data-email': s.email });
  const row = el('tr', { 'data-email': s.email, 'data-reason': s.reason }, [
    el('td', { class: 'mono', text: s.email }),
    el('td', { text: s.reason }),
    el('td', { class: 'mono', text: fmtTime(s.created_at), title: s.created_at }),
    el('td', { class: 'mono', text: s.expires_at ? fmtTime(s.expires_at) : 'never' }),
    el('td', { text: source }),
    el('td', { class: 'note', text: s.note || '' }),
    el('td', null, button),
  ]);
  button.addEventListener('click', () => unsuppress(s.email, row, button));
  return row;
}

async function listSuppressions(current, more) {
  const button = byId('sup-more');
  button.disabled = true; // one request at a time, as for the events
  const filters = more ? state.supQuery : { reason: byId('sup-reason').value, domain: byId('sup-domain').value.trim() };
  try {
    const data = await api('GET', '/v1/suppressions' + query({ ...filters, limit: 50, cursor: more ? state.supCursor : '' }));
    if (!current()) return;
    state.supQuery = filters;
    showSuppressions(data.items || [], more, data.next_cursor || null);
  } finally {
    if (current()) button.disabled = false;
  }
}

/** A look-up is a query of the suppressions panel like a listing, run the same way (run). */
function lookupSuppression() {
  const address = byId('sup-email').value.trim();
  supNote('');
  return run({ sup: (current) => (address ? lookupOne(current, address) : listSuppressions(current, false)) });
}

async function lookupOne(current, address) {
  try {
    const s = await api('GET', '/v1/suppressions/' + encodeURIComponent(address));
    if (!current()) return;
    showSuppressions([s], false, null);
    supNote(s.email + ' is suppressed (' + s.reason + ').', '');
  } catch (err) {
    if (!current()) return;
    if (err instanceof ApiError && err.status === 404) {
      showSuppressions([], false, null);
      supNote(address + ' is not suppressed.', 'ok');
    } else {
      // The list shown is still the last one: its More button (held by a listing this look-up
      // replaced) works again.
      byId('sup-more').disabled = false;
      supNote(explain(err), 'error');
      throw err; // and the page says it failed, as for a listing
    }
  }
}

async function unsuppress(email, row, button) {
  if (!window.confirm('Lift the suppression of ' + email + '? Mail to it will be allowed again.')) return;
  button.disabled = true;
  try {
    await api('DELETE', '/v1/suppressions/' + encodeURIComponent(email));
    const body = row.parentNode;
    row.remove();
    if (body && !body.firstChild) body.appendChild(emptyRow(7, 'No suppressed addresses match.'));
    supNote(email + ' is no longer suppressed.', 'ok');
  } catch (err) {
    button.disabled = false;
    supNote(explain(err), 'error');
  }
}

// ---- wiring --------------------------------------------------------------------------------

/**
 * Runs loaders ({panel: loader}), each as a new query of its panel, reports the first failure, and
 * marks the page for anyone waiting on it. What a replaced query did, answer or failure, is no
 * news: a run whose queries have all been replaced leaves the page to whatever replaced them.
 */
async function run(loaders) {
  document.body.setAttribute('data-state', 'loading');
  const panels = Object.keys(loaders);
  const checks = panels.map((p) => newQuery(p));
  const results = await Promise.allSettled(panels.map((p, i) => loaders[p](checks[i])));
  if (!checks.some((current) => current())) return;
  const failed = results.find((r, i) => r.status === 'rejected' && checks[i]());
  if (failed) {
    status(explain(failed.reason), 'error');
    document.body.setAttribute('data-state', 'error');
  } else {
    status('Updated ' + new Date().toISOString().slice(11, 19) + ' UTC.', 'ok');
    document.body.setAttribute('data-state', 'ready');
  }
}

function loadAll() {
  if (!getKey()) {
    // Answers still on their way were asked for with the key just forgotten: none may show.
    for (const panel of Object.keys(state.gen)) newQuery(panel);
    status('Enter an API key (one of API_KEYS) to load the dashboard.', '');
    document.body.setAttribute('data-state', 'nokey');
    return;
  }
  status('Loading…', '');
  supNote('');
  return run({ stats: loadStats, events: (c) => loadEvents(c, false), sup: (c) => listSuppressions(c, false) });
}

setupKeyForm(loadAll);
byId('range').addEventListener('change', () => run({ stats: loadStats }));
byId('refresh').addEventListener('click', loadAll);
byId('events-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  run({ events: (c) => loadEvents(c, false) });
});
byId('events-more').addEventListener('click', () => run({ events: (c) => loadEvents(c, true) }));
byId('sup-search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  lookupSuppression();
});
byId('sup-list').addEventListener('submit', (ev) => {
  ev.preventDefault();
  byId('sup-email').value = '';
  supNote('');
  run({ sup: (c) => listSuppressions(c, false) });
});
byId('sup-more').addEventListener('click', () => run({ sup: (c) => listSuppressions(c, true) }));
loadAll();
`;
