/**
 * /dashboard and /docs in a real browser (Debian's Chromium driven by playwright-core) against
 * the Worker under `wrangler dev` with DynamoDB Local, seeded through the store. Checks that what
 * is drawn matches what was stored, that hostile addresses and diagnostics stay text, that the
 * CSP holds (no violations, no request leaves the Worker's origin), and that unsuppressing from
 * the page lifts the suppression. Leaves screenshots in test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { startWorker, type RunningWorker } from './worker.js';
import { expected, HOSTILE_DIAGNOSTIC, MANUAL, ODD_ADDRESS, seed, seedEvents, store } from './seed.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  throw new Error(
    `The browser tests need Chromium at ${CHROMIUM}, and it is not there.\n` +
      'Install it, then run the tests again:\n' +
      '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  elsewhere:      install Chromium or Chrome and set CHROMIUM_PATH=/path/to/the/binary',
  );
}

const ADMIN_KEY = 'admin-browser-key';
const READ_KEY = 'read-browser-key';
const RESULTS = 'test-results';

const now = new Date();
const events = seedEvents(now);
const want = expected(events);

let worker: RunningWorker;
let browser: Browser;

beforeAll(async () => {
  // Events kept 400 days: an event search then walks more quiet days than the dashboard follows
  // at once, as a long-lived deployment's would (see 'takes the "none so far" row away').
  worker = await startWorker({ API_KEYS: `${ADMIN_KEY},read:${READ_KEY}`, EVENT_RETENTION_DAYS: '400' });
  await seed(worker, ADMIN_KEY, events, now);
  // launch() gives Chromium a fresh temporary --user-data-dir of its own and removes it on close.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  mkdirSync(RESULTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
}, 60_000);

interface Watched {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/** A fresh page that records CSP violations, script errors and any request off the Worker's origin. */
async function openPage(): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  // Browser-side code is given as strings: this file is type-checked without the DOM library.
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => { (window.__csp ??= []).push(e.violatedDirective + ' ' + e.blockedURI); });",
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error' && !/status of 404/.test(msg.text())) problems.push(`console: ${msg.text()}`); });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(`${worker.url}/`) && !url.startsWith('data:')) problems.push(`request off origin: ${url}`);
  });
  return { context, page, problems };
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__csp ?? []');
}

async function useKey(page: Page, key: string) {
  await page.fill('#key', key);
  await page.click('#key-form button[type=submit]');
}

/** data-* numbers of the elements matching a selector, keyed by one of their attributes. */
async function numbers(page: Page, selector: string, keyAttr: string, valueAttr: string): Promise<Record<string, number>> {
  return page.$$eval(selector, (nodes, [k, v]) => Object.fromEntries(nodes.map((n) => [n.getAttribute(k!)!, Number(n.getAttribute(v!))])), [keyAttr, valueAttr]);
}

/**
 * Counts the page's fetch calls and the answers it has read, each answer a task after reading
 * it: by then the page's own code has dealt with it (its awaits go on in microtasks).
 */
const COUNT_CALLS = [
  'window.__calls = 0; window.__answers = 0;',
  'const fetch0 = window.fetch; window.fetch = function (...a) { window.__calls++; return fetch0.apply(this, a); };',
  'const text0 = Response.prototype.text;',
  'Response.prototype.text = function () { return text0.call(this).then((t) => { setTimeout(() => { window.__answers++; }); return t; }); };',
].join('\n');

/** Until every call the page made is answered and dealt with. */
async function idle(page: Page) {
  // Polled from here: waitForFunction would evaluate a string in the page, which its CSP forbids.
  await eventually(() => page.evaluate('window.__calls > 0 && window.__answers === window.__calls')).toBe(true);
}

/**
 * Holds the Worker's answers to the requests `which` picks until release(), as a slow network
 * would (each request reaches the Worker at once); other requests pass untouched.
 */
async function hold(page: Page, which: (url: URL) => boolean) {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const held: URL[] = [];
  await page.route(which, async (route) => {
    held.push(new URL(route.request().url()));
    const response = await route.fetch();
    await gate;
    await route.fulfill({ response });
  });
  return { held, release };
}

/** The dashboard with the admin key, loaded, counting its calls. */
async function openDashboard(): Promise<Watched> {
  const watched = await openPage();
  await watched.page.addInitScript({ content: COUNT_CALLS });
  await watched.page.goto(`${worker.url}/dashboard`);
  // A store call that times out on a loaded machine is a 503 the page shows; Refresh tries again.
  // The failed load's console errors are logged with it, not counted as the test's problems.
  if (!(await loads(watched.page, () => useKey(watched.page, ADMIN_KEY)))) {
    console.warn(`problems of the failed load: ${watched.problems.splice(0).join('; ') || 'none'}`);
    if (!(await loads(watched.page, () => watched.page.click('#refresh')))) throw new Error('the dashboard did not load twice over; see the log above');
  }
  await idle(watched.page);
  return watched;
}

/**
 * Whether the load that `start` sets off ends ready; if not (an error, or still loading after
 * 25 s), logs what the page shows and the requests it is still waiting for.
 */
async function loads(page: Page, start: () => Promise<void>): Promise<boolean> {
  const pending = new Set<string>();
  const track = (req: Request) => pending.add(req.url());
  const untrack = (req: Request) => pending.delete(req.url());
  page.on('request', track);
  page.on('requestfinished', untrack);
  page.on('requestfailed', untrack);
  try {
    await start();
    await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: 25_000 }).catch(() => { /* reported below */ });
  } finally {
    page.off('request', track);
    page.off('requestfinished', untrack);
    page.off('requestfailed', untrack);
  }
  const state = await page.getAttribute('body', 'data-state');
  if (state === 'ready') return true;
  console.warn(`dashboard ${state}: ${await page.textContent('#status')}; waiting for: ${[...pending].join(' ') || 'nothing'}`);
  return false;
}

const eventIds = (page: Page) => page.$$eval('#events tbody tr[data-id]', (rows) => rows.map((r) => r.getAttribute('data-id')!));
const isEvents = (url: URL) => url.pathname === '/v1/events';

/** Waits for a value, with room for a cold Worker and store (expect.poll's default is 1 s). */
const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${worker.url}${path}`, { ...init, headers: { Authorization: `Bearer ${ADMIN_KEY}`, ...init.headers } });

describe('dashboard', () => {
  it('draws the stored events, lists and lifts suppressions', async () => {
    const { context, page, problems } = await openPage();
    const res = await page.goto(`${worker.url}/dashboard`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('body[data-state="nokey"]');

    await useKey(page, ADMIN_KEY);
    await page.waitForSelector('body[data-state="ready"]');

    // Totals per type: the summary cards and the chart legend (summed from the bars' data).
    const cards = await numbers(page, '#summary .card[data-type]', 'data-type', 'data-count');
    for (const [type, count] of Object.entries(want.byType)) expect(cards[type], `card ${type}`).toBe(count);
    const legend = await numbers(page, '#legend button', 'data-type', 'data-total');
    expect(legend).toEqual(want.byType);
    // Every bar drawn, summed per type, gives the same totals.
    const bars = await page.$$eval('#chart-events rect[data-type]', (rs) => rs.map((r) => [r.getAttribute('data-type')!, Number(r.getAttribute('data-count'))] as const));
    const drawn: Record<string, number> = {};
    for (const [t, n] of bars) drawn[t] = (drawn[t] ?? 0) + n;
    expect(drawn).toEqual(want.byType);

    const d = want.byType.delivered ?? 0;
    const b = want.byType.bounced ?? 0;
    expect(Number(await page.getAttribute('#card-bounce-rate', 'data-rate'))).toBeCloseTo(b / (b + d), 10);
    expect(Number(await page.getAttribute('#card-complaint-rate', 'data-rate'))).toBeCloseTo((want.byType.complained ?? 0) / d, 10);
    expect(Number(await page.getAttribute('#chart-bounce-rate', 'data-points'))).toBeGreaterThan(0);

    // Classes, reasons, providers, top domains.
    expect(await numbers(page, '#bars-class .bar-row', 'data-key', 'data-value')).toEqual(want.byClass);
    expect(await numbers(page, '#bars-reason .bar-row', 'data-key', 'data-value')).toEqual(want.byReason);
    expect(await numbers(page, '#bars-provider .bar-row', 'data-key', 'data-value')).toEqual(want.byProvider);
    const domains = await page.$$eval('#domains tbody tr[data-domain]', (rows) => Object.fromEntries(rows.map((r) => [
      r.getAttribute('data-domain')!,
      Object.fromEntries([...r.querySelectorAll('td[data-col]')].map((td) => [td.getAttribute('data-col')!, Number(td.textContent!.replace(/,/g, ''))])),
    ])));
    expect(domains).toEqual(want.domains);

    // The hourly view draws the same totals over more, thinner bars.
    await page.selectOption('#range', '7dh');
    await page.waitForSelector('body[data-state="ready"]');
    expect(await page.locator('#chart-events g.slot').count()).toBeGreaterThan(7);
    expect(await numbers(page, '#legend button', 'data-type', 'data-total')).toEqual(want.byType);
    await page.selectOption('#range', '30d');
    await page.waitForSelector('body[data-state="ready"]');

    // Recent events: newest first, hostile text shown as text.
    const newest = [...events].sort((x, y) => (x.occurred_at < y.occurred_at ? 1 : -1));
    const ids = await page.$$eval('#events tbody tr[data-id]', (rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(ids.slice(0, 10)).toEqual(newest.slice(0, 10).map((e) => e.id));
    const diagnostics = await page.$$eval('#events td.diag', (tds) => tds.map((td) => td.textContent));
    expect(diagnostics).toContain(HOSTILE_DIAGNOSTIC);

    // The suppression list: every suppressed address, the hostile note as text.
    const listed = await page.$$eval('#suppressions tbody tr[data-email]', (rows) => rows.map((r) => r.getAttribute('data-email')!).sort());
    expect(listed).toEqual(want.suppressed);
    const notes = await page.$$eval('#suppressions td.note', (tds) => tds.map((td) => td.textContent));
    expect(notes).toContain(MANUAL[0]!.note);

    await page.screenshot({ path: `${RESULTS}/dashboard.png`, fullPage: true });

    // Search finds the odd address; unsuppress lifts it.
    await page.fill('#sup-email', ODD_ADDRESS.toUpperCase());
    await page.click('#sup-search button[type=submit]');
    const row = page.locator('#suppressions tbody tr[data-email]');
    await eventually(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-email')).toBe(ODD_ADDRESS);
    expect(await row.getAttribute('data-reason')).toBe('hard_bounce');

    page.once('dialog', (dialog) => void dialog.accept());
    await row.locator('button.danger').click();
    await eventually(() => page.textContent('#sup-note')).toBe(`${ODD_ADDRESS} is no longer suppressed.`);
    expect(await row.count()).toBe(0);
    const after = await api(`/v1/suppressions/${encodeURIComponent(ODD_ADDRESS)}`);
    expect(after.status).toBe(404);

    await page.click('#sup-search button[type=submit]');
    await eventually(() => page.textContent('#sup-note')).toBe(`${ODD_ADDRESS.toUpperCase()} is not suppressed.`);

    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await cspViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    // The CSP's Trusted Types rule is in force: the browser refuses a string as HTML.
    expect(await page.evaluate("(() => { try { document.createElement('div').innerHTML = '<b>x</b>'; return 'accepted'; } catch (e) { return e.name; } })()"))
      .toBe('TypeError');
    await context.close();
  });

  it('says plainly when the key is wrong or may only read', async () => {
    const { context, page, problems } = await openPage();
    await page.goto(`${worker.url}/dashboard`);
    await useKey(page, 'not-a-key');
    await page.waitForSelector('body[data-state="error"]');
    expect(await page.textContent('#status')).toMatch(/API key was refused/);

    await useKey(page, READ_KEY);
    await page.waitForSelector('body[data-state="ready"]');
    const first = page.locator('#suppressions tbody tr[data-email]').first();
    const email = await first.getAttribute('data-email');
    page.once('dialog', (dialog) => void dialog.accept());
    await first.locator('button.danger').click();
    await eventually(() => page.textContent('#sup-note')).toMatch(/may only read/);
    expect((await api(`/v1/suppressions/${encodeURIComponent(email!)}`)).status).toBe(200);
    expect(await cspViolations(page)).toEqual([]);
    // The refused calls log "failed to load resource" errors; nothing else may.
    expect(problems.filter((p) => !/status of 40[13]/.test(p))).toEqual([]);
    await context.close();
  });
});

// Room for openDashboard's second try (two waits of 25 s) within a test.
describe('dashboard on a slow network', { timeout: 90_000 }, () => {
  it('lists a page once when Load more is clicked twice', async () => {
    const { context, page, problems } = await openDashboard();
    const first = await eventIds(page);
    expect(first).toHaveLength(25);
    const more = await hold(page, (url) => isEvents(url) && url.searchParams.has('cursor'));
    await page.dblclick('#events-more');
    more.release();
    await idle(page);
    const all = await eventIds(page);
    expect(all.length).toBeGreaterThan(25);
    expect(all.slice(0, 25)).toEqual(first);
    expect(new Set(all).size, 'no event listed twice').toBe(all.length);
    expect(more.held).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('Load more goes on with the filters its cursor was made for', async () => {
    const { context, page, problems } = await openDashboard();
    const sent: URL[] = [];
    page.on('request', (req) => { const url = new URL(req.url()); if (isEvents(url)) sent.push(url); });
    // Typed and chosen, not submitted: the list on screen is still everyone's, all types.
    await page.fill('#events-email', 'gone1@alpha.test');
    await page.selectOption('#events-type', 'complained');
    await page.click('#events-more');
    await idle(page);
    expect(await page.getAttribute('body', 'data-state')).toBe('ready');
    expect(sent.map((u) => [u.searchParams.get('email'), u.searchParams.get('type')])).toEqual([[null, null]]);
    const all = await eventIds(page);
    expect(all.length).toBeGreaterThan(25);
    expect(new Set(all).size).toBe(all.length);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('takes the "none so far" row away when Load more finds events', async () => {
    // Older than the 20 pages of about 7 quiet days each that the dashboard follows before it
    // says "none so far" (about 140 days), younger than twice that.
    const old = {
      id: 'seed:old', provider: 'mailgun', type: 'delivered', recipient: 'old@alpha.test',
      occurred_at: new Date(now.getTime() - 200 * 86_400_000).toISOString(), message_id: '<seed-old@rebote.test>',
    } as const;
    await store(worker, [old], now);
    const { context, page, problems } = await openDashboard();
    await page.selectOption('#events-provider', 'mailgun');
    await page.click('#events-form button[type=submit]');
    await eventually(() => page.textContent('#events tbody')).toMatch(/None in the days searched so far/);
    await idle(page);
    await page.click('#events-more');
    await eventually(() => eventIds(page)).toEqual([old.id]);
    await idle(page);
    expect(await page.locator('#events tbody tr').count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an older events query answering last does not replace a newer filter', async () => {
    const { context, page, problems } = await openDashboard();
    const unfiltered = await hold(page, (url) => isEvents(url) && !url.searchParams.has('type'));
    await page.click('#events-form button[type=submit]');
    await eventually(() => unfiltered.held.length).toBe(1);
    await page.selectOption('#events-type', 'complained');
    await page.click('#events-form button[type=submit]');
    const types = () => page.$$eval('#events tbody tr[data-id]', (rows) => rows.map((r) => r.getAttribute('data-type')));
    await eventually(types).toEqual(['complained', 'complained']);
    unfiltered.release();
    await idle(page);
    expect(await types()).toEqual(['complained', 'complained']);
    // The cursor kept is the filtered query's: Load more goes on with type=complained.
    const next = page.waitForRequest((req) => isEvents(new URL(req.url())) && new URL(req.url()).searchParams.has('cursor'));
    await page.click('#events-more');
    expect(new URL((await next).url()).searchParams.get('type')).toBe('complained');
    await idle(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an older period answering last does not replace the newer one', async () => {
    const { context, page, problems } = await openDashboard();
    const cards = () => numbers(page, '#summary .card[data-type]', 'data-type', 'data-count');
    const daily = await hold(page, (url) => url.pathname === '/v1/stats' && url.searchParams.get('interval') === 'day');
    await page.selectOption('#range', '90d');
    await eventually(() => daily.held.length).toBe(1);
    await page.selectOption('#range', '24h');
    await page.waitForSelector('body[data-state="ready"]');
    const lastDay = await cards();
    expect(lastDay.delivered).toBeLessThan(want.byType.delivered!);
    daily.release();
    await idle(page);
    expect(await page.inputValue('#range')).toBe('24h');
    expect(await cards()).toEqual(lastDay);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('docs', () => {
  it('lists the operations of /openapi.json and sends a request with the key', async () => {
    const { context, page, problems } = await openPage();
    const res = await page.goto(`${worker.url}/docs`);
    expect(res?.headers()['content-security-policy']).toContain("connect-src 'self'");
    await page.waitForSelector('body[data-state="ready"]');
    const doc = await (await fetch(`${worker.url}/openapi.json`)).json() as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
    const listed = await page.$$eval('details.op', (ds) => ds.map((d) => `${d.getAttribute('data-method')} ${d.getAttribute('data-path')}`));
    expect(listed.sort()).toEqual(operations.sort());

    await useKey(page, ADMIN_KEY);
    const op = page.locator('details.op[data-method="GET"][data-path="/v1/suppressions/{email}"]');
    await op.locator('summary').click();
    await op.locator('input[data-param="email"]').fill(MANUAL[0]!.email);
    await op.locator('form.try button[type=submit]').click();
    await eventually(() => op.locator('.response-status').getAttribute('data-status')).toBe('200');
    const body = JSON.parse((await op.locator('.response-body').textContent())!) as { email: string; note: string };
    expect(body).toMatchObject({ email: MANUAL[0]!.email, note: MANUAL[0]!.note });
    expect(await op.locator('pre.curl').textContent()).not.toContain(ADMIN_KEY);

    // A request body: the bulk check, prefilled from the schema, edited, sent.
    const check = page.locator('details.op[data-method="POST"][data-path="/v1/suppressions/check"]');
    await check.locator('summary').click();
    await check.locator('textarea.body-input').fill(JSON.stringify({ emails: [MANUAL[1]!.email, 'free@example.com'] }));
    await check.locator('form.try button[type=submit]').click();
    await eventually(() => check.locator('.response-status').getAttribute('data-status')).toBe('200');
    expect(JSON.parse((await check.locator('.response-body').textContent())!)).toEqual({
      results: [{ email: MANUAL[1]!.email, suppressed: true, reason: MANUAL[1]!.reason }, { email: 'free@example.com', suppressed: false }],
    });

    await page.screenshot({ path: `${RESULTS}/docs.png`, fullPage: true });
    expect(await cspViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends the key with /v1/ calls only', async () => {
    const { context, page, problems } = await openPage();
    await page.goto(`${worker.url}/docs`);
    await page.waitForSelector('body[data-state="ready"]');
    await useKey(page, ADMIN_KEY);
    const sent = new Map<string, string | undefined>();
    page.on('request', (req) => { sent.set(new URL(req.url()).pathname, req.headers()['authorization']); });
    const send = async (method: string, path: string) => {
      const op = page.locator(`details.op[data-method="${method}"][data-path="${path}"]`);
      await op.locator('summary').click();
      await op.locator('form.try button[type=submit]').click();
      await eventually(() => op.locator('.response-status').getAttribute('data-status')).toBe('200');
      return op;
    };
    const health = await send('GET', '/healthz');
    expect(sent.has('/healthz')).toBe(true);
    expect(sent.get('/healthz')).toBeUndefined();
    expect(await health.locator('pre.curl').textContent()).not.toContain('Authorization');
    await send('GET', '/v1/events');
    expect(sent.get('/v1/events')).toBe(`Bearer ${ADMIN_KEY}`);
    expect(problems).toEqual([]);
    await context.close();
  });
});
