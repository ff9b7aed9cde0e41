/**
 * GET /dashboard: charts of the stored events and the suppression list, drawn in the browser
 * from /v1/stats, /v1/events and /v1/suppressions with the key the user types. Three assets,
 * all same-origin (see assets.ts); the chart code is in dashboard-client.ts.
 */
import { EVENT_TYPES, PROVIDERS } from '../core/event.js';
import { SUPPRESSION_REASONS } from '../core/policy.js';
import { COMMON_CSS, COMMON_JS } from './client-common.js';
import { CSS, escapeHtml, HTML, JS, pageTop, script, type UiAsset } from './assets.js';
import { DASHBOARD_JS } from './dashboard-client.js';

const options = (values: readonly string[], any: string) =>
  [`<option value="">${escapeHtml(any)}</option>`, ...values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`)].join('');

const PAGE = `${pageTop('/dashboard', 'dashboard')}<main>
  <div class="row">
    <label for="range">Period</label>
    <select id="range">
      <option value="24h">last 24 hours, hourly</option>
      <option value="7dh">last 7 days, hourly</option>
      <option value="7d">last 7 days, daily</option>
      <option value="30d" selected>last 30 days, daily</option>
      <option value="90d">last 90 days, daily</option>
    </select>
    <button type="button" id="refresh" class="secondary">Refresh</button>
    <span class="muted">Times are UTC.</span>
  </div>
  <p id="status" class="status" role="status" aria-live="polite"></p>

  <section id="summary" class="cards" aria-label="Totals"></section>

  <section class="panel">
    <h2>Events per interval <small>click a type to hide or show it</small></h2>
    <div id="legend" class="legend"></div>
    <div id="chart-events" class="chart"></div>
  </section>

  <div class="grid2">
    <section class="panel">
      <h2>Bounce rate <small>bounced / (delivered + bounced)</small></h2>
      <div id="chart-bounce-rate" class="chart"></div>
    </section>
    <section class="panel">
      <h2>Complaint rate <small>complained / delivered</small></h2>
      <div id="chart-complaint-rate" class="chart"></div>
    </section>
  </div>

  <div class="grid3">
    <section class="panel">
      <h2>Classes <small>bounced, deferred, dropped</small></h2>
      <div id="bars-class"></div>
    </section>
    <section class="panel">
      <h2>Reasons</h2>
      <div id="bars-reason"></div>
    </section>
    <section class="panel">
      <h2>Providers</h2>
      <div id="bars-provider"></div>
    </section>
  </div>

  <section class="panel">
    <h2>Top bouncing domains</h2>
    <table id="domains">
      <thead><tr><th>Domain</th><th class="num">Bounced</th><th class="num">Complained</th><th class="num">Dropped</th><th class="num">Total</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>

  <section class="panel">
    <h2>Recent events</h2>
    <form id="events-form" class="row">
      <select id="events-type" aria-label="Type">${options([...EVENT_TYPES, 'unsuppressed'], 'all types')}</select>
      <select id="events-provider" aria-label="Provider">${options([...PROVIDERS, 'api'], 'all providers')}</select>
      <input id="events-email" type="search" placeholder="address" aria-label="Address" spellcheck="false">
      <button type="submit">Filter</button>
    </form>
    <div class="scroll">
      <table id="events">
        <thead><tr><th>Time</th><th>Type</th><th>Recipient</th><th>Provider</th><th>Class</th><th>Reason</th><th>Code</th><th>Diagnostic</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <button type="button" id="events-more" class="secondary" hidden>Load more</button>
  </section>

  <section class="panel">
    <h2>Suppression list</h2>
    <form id="sup-search" class="row">
      <input id="sup-email" type="search" placeholder="look up an address" aria-label="Address to look up" spellcheck="false">
      <button type="submit">Look up</button>
    </form>
    <form id="sup-list" class="row">
      <select id="sup-reason" aria-label="Reason">${options(SUPPRESSION_REASONS, 'all reasons')}</select>
      <input id="sup-domain" type="search" placeholder="domain" aria-label="Domain" spellcheck="false">
      <button type="submit" class="secondary">List</button>
    </form>
    <p id="sup-note" class="status" role="status"></p>
    <div class="scroll">
      <table id="suppressions">
        <thead><tr><th>Address</th><th>Reason</th><th>Since</th><th>Expires</th><th>Source</th><th>Note</th><th></th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <button type="button" id="sup-more" class="secondary" hidden>Load more</button>
  </section>
</main>
</body>
</html>
`;

const PAGE_CSS = `
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 10px; margin-bottom: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; border-top: 4px solid var(--other); }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; margin-top: 2px; }
.card.rate { border-top-color: var(--ink); }
.card.warn .value { color: #b42318; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 0 16px; }
.grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 0 16px; }
.chart svg { width: 100%; height: auto; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 6px; }
.legend button { background: #fff; color: var(--ink); border: 1px solid var(--line); font-size: 13px; padding: 3px 10px; }
.legend button[aria-pressed="false"] { opacity: .45; text-decoration: line-through; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; background: var(--other); }
svg text { font-family: inherit; fill: var(--muted); font-size: 11px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .axis { stroke: #b9c2cf; stroke-width: 1; }
svg .threshold { stroke: #b42318; stroke-width: 1; stroke-dasharray: 4 3; }
svg text.threshold-label { fill: #b42318; }
svg .line { fill: none; stroke: var(--accent); stroke-width: 2; }
svg .dot { fill: var(--accent); }
svg text.bar-label { fill: var(--ink); font-size: 12px; }
svg text.bar-value { fill: var(--ink); font-size: 12px; font-variant-numeric: tabular-nums; }
svg .hover:hover { opacity: .8; }
.t-delivered { fill: var(--delivered); background: var(--delivered); border-top-color: var(--delivered); }
.t-bounced { fill: var(--bounced); background: var(--bounced); border-top-color: var(--bounced); }
.t-deferred { fill: var(--deferred); background: var(--deferred); border-top-color: var(--deferred); }
.t-complained { fill: var(--complained); background: var(--complained); border-top-color: var(--complained); }
.t-dropped { fill: var(--dropped); background: var(--dropped); border-top-color: var(--dropped); }
.t-unsubscribed { fill: var(--unsubscribed); background: var(--unsubscribed); border-top-color: var(--unsubscribed); }
.t-other { fill: var(--other); background: var(--other); }
.c-hard { fill: var(--hard); } .c-soft { fill: var(--soft); } .c-undetermined { fill: var(--undetermined); }
.c-bar { fill: var(--accent); }
.card.t-delivered, .card.t-bounced, .card.t-deferred, .card.t-complained, .card.t-dropped, .card.t-unsubscribed { background: var(--panel); }
.badge { display: inline-block; padding: 1px 7px; border-radius: 9px; color: #fff; font-size: 12px; }
.scroll { overflow-x: auto; }
#events td.diag { max-width: 340px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#events td, #suppressions td { word-break: break-word; }
#suppressions td.note { max-width: 260px; }
`;

export const dashboardAssets: Readonly<Record<string, UiAsset>> = {
  '/dashboard': { type: HTML, body: PAGE },
  '/dashboard/app.js': { type: JS, body: script(COMMON_JS, DASHBOARD_JS) },
  '/dashboard/app.css': { type: CSS, body: `${COMMON_CSS}\n${PAGE_CSS}` },
};
