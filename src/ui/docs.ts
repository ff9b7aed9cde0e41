/**
 * GET /docs: a small page to read and try the API, built in the browser from /openapi.json.
 * It needs no internet access: its script and stylesheet are served by the Worker (assets.ts),
 * in place of a Swagger UI bundle many times the size of the whole API.
 */
import { COMMON_CSS, COMMON_JS } from './client-common.js';
import { CSS, HTML, JS, pageTop, script, type UiAsset } from './assets.js';
import { DOCS_JS } from './docs-client.js';

const PAGE = `${pageTop('/docs', 'API')}<main>
  <h2 id="title">API</h2>
  <p id="description" class="muted"></p>
  <p>The machine-readable description is at <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
  Every <span class="mono">/v1</span> route needs <span class="mono">Authorization: Bearer &lt;key&gt;</span>;
  errors are <span class="mono">{"error": {"code", "message"}}</span>.</p>
  <div class="row"><input id="filter" type="search" placeholder="filter operations" aria-label="Filter operations" spellcheck="false"></div>
  <p id="status" class="status" role="status" aria-live="polite"></p>
  <div id="ops"></div>
</main>
</body>
</html>
`;

const PAGE_CSS = `
.muted { color: var(--muted); }
#title small { color: var(--muted); font-weight: normal; font-size: 13px; }
#filter { width: 320px; }
section.tag h2 { font-size: 16px; margin: 22px 0 6px; text-transform: capitalize; }
details.op { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; margin-bottom: 8px; }
details.op > summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: baseline; list-style: none; }
details.op > summary::-webkit-details-marker { display: none; }
details.op[open] > summary { border-bottom: 1px solid var(--line); }
details.op > .op-body { padding: 0 14px 4px; }
details.schema { display: inline-block; margin-left: 8px; color: var(--muted); font-size: 12.5px; }
details.schema[open] { display: block; margin-left: 0; }
details.schema > summary { cursor: pointer; }
.method { display: inline-block; min-width: 62px; text-align: center; font-weight: 700; font-size: 12px; padding: 2px 6px; border-radius: 4px; color: #fff; background: var(--other); }
.m-get { background: #2d7fd3; } .m-post { background: #2e9d5b; } .m-put { background: #b7791f; }
.m-delete { background: #c53030; } .m-patch { background: #6b46c1; }
.path { font-weight: 600; }
.summary { color: var(--muted); }
h4 { margin: 14px 0 6px; font-size: 13px; }
pre { background: #f1f3f6; border: 1px solid var(--line); border-radius: 4px; padding: 8px 10px; overflow: auto; max-height: 420px; margin: 4px 0 8px;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; white-space: pre-wrap; word-break: break-word; }
.ct { color: var(--muted); margin-top: 4px; }
ul.responses { margin: 0; padding-left: 18px; }
ul.responses .code { font-weight: 700; }
form.try { border-top: 1px dashed var(--line); margin-top: 12px; padding: 4px 0 12px; }
.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 8px 14px; margin-bottom: 8px; }
.field { display: flex; flex-direction: column; gap: 3px; }
.field.wide { margin-bottom: 8px; }
.field.wide textarea { width: 100%; margin-top: 4px; }
.response-status.ok strong { color: #1e7a44; }
.response-status.error strong { color: #b42318; }
pre.curl { background: #17202e; color: #e6edf7; border-color: #17202e; }
table.params { margin-bottom: 6px; }
`;

export const docsAssets: Readonly<Record<string, UiAsset>> = {
  '/docs': { type: HTML, body: PAGE },
  '/docs/app.js': { type: JS, body: script(COMMON_JS, DOCS_JS) },
  '/docs/app.css': { type: CSS, body: `${COMMON_CSS}\n${PAGE_CSS}` },
};
