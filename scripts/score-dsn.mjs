#!/usr/bin/env node
// Scores the raw-bounce decoder (src/dsn, bundled for Node exactly as `rebote inspect` runs it)
// against a labelled corpus: shared/corpus/dsn by default, or the directory given.
//
//   npm run score:dsn -- [<corpus dir>] [--misses] [--json]
//
// The corpus has manifest.jsonl (one row per email: file, mta, ambiguous, expected[]) and
// emails/. Figures: recipients found (recall) and extra recipients (precision), enhanced status
// agreement where the bounce carried one (pseudo_status false), reply code, hard/soft and
// reason agreement, overall and per MTA, then every disagreement.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildCli, CLI_BUNDLE, cliBundleStale } from './build-cli.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const showAllMisses = argv.includes('--misses');
const asJson = argv.includes('--json');
const dirArg = argv.find((a) => !a.startsWith('--'));
const corpus = resolve(dirArg ?? join(ROOT, '..', 'shared', 'corpus', 'dsn'));
const manifestPath = join(corpus, 'manifest.jsonl');
if (!existsSync(manifestPath)) {
  console.error(`score-dsn: no manifest.jsonl in ${corpus}\nusage: npm run score:dsn -- [<corpus dir>] [--misses] [--json]`);
  process.exit(2);
}

if (cliBundleStale()) await buildCli();
const { parseEmailFile } = createRequire(import.meta.url)(CLI_BUNDLE);

const rows = readFileSync(manifestPath, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));

// CR-only copies carry no recipient in their labels: borrow the LF original's, same order.
const byBase = new Map(rows.filter((r) => r.eol === 'lf').map((r) => [basename(r.file), r]));
function expectedOf(row) {
  if (row.expected.every((e) => e.recipient !== undefined)) return row.expected;
  const twin = byBase.get(basename(row.file).replace(/\.(cr|crlf)\.eml$/, '.eml'));
  return row.expected.map((e, i) => ({ ...e, recipient: e.recipient ?? twin?.expected[i]?.recipient }));
}

/** Sisimai's stand-in when a report names nobody: not an address anyone could be suppressed for. */
const PLACEHOLDER = /@libsisimai\.org\.invalid$/i;
const norm = (a) => (a ?? '').trim().toLowerCase();

function counter() {
  return { files: 0, expected: 0, found: 0, extra: 0, status: [0, 0], reply: [0, 0], klass: [0, 0], reason: [0, 0], feedback: [0, 0] };
}
const add = (pair, ok) => { pair[0] += ok ? 1 : 0; pair[1] += 1; };
const overall = counter();
const plain = counter(); // without the rows marked ambiguous
const perMta = new Map();
const misses = [];
let placeholders = 0;
let autoReplies = [0, 0];
let notBounce = [0, 0];
let suppressingExtras = 0;
const t0 = performance.now();

for (const row of rows) {
  const file = join(corpus, row.file);
  const mta = row.mta ?? '(not a bounce)';
  if (!perMta.has(mta)) perMta.set(mta, counter());
  const targets = [overall, perMta.get(mta), ...(row.ambiguous ? [] : [plain])];
  for (const t of targets) t.files++;

  let parsed;
  try {
    parsed = await parseEmailFile(new Uint8Array(readFileSync(file)));
  } catch (err) {
    misses.push({ file: row.file, mta, what: 'error', detail: String(err) });
    continue;
  }
  const events = parsed.events;
  const expected = expectedOf(row);
  const tag = row.ambiguous ? ' (ambiguous)' : '';

  if (row.kind === 'not-bounce' || expected.length === 0) {
    add(notBounce, events.length === 0);
    if (events.length > 0) misses.push({ file: row.file, mta, what: 'not-bounce gave events', detail: events.map((e) => `${e.type} ${e.recipient}`).join(', ') });
    for (const t of targets) t.extra += events.length;
    continue;
  }
  if (expected.every((e) => e.reason === 'vacation')) {
    add(autoReplies, events.length === 0);
    if (events.length > 0) misses.push({ file: row.file, mta, what: 'auto-reply gave events', detail: events.map((e) => `${e.type} ${e.recipient}`).join(', ') });
    for (const t of targets) t.extra += events.length;
    continue;
  }

  const wanted = new Set(expected.map((e) => norm(e.recipient)));
  for (const e of events) {
    if (wanted.has(e.recipient)) continue;
    for (const t of targets) t.extra++;
    // Would the extra address have been suppressed? (hard bounce or complaint)
    if ((e.type === 'bounced' && e.bounce?.class === 'hard') || e.type === 'complained') suppressingExtras++;
    misses.push({ file: row.file, mta, what: `extra recipient${tag}`, detail: `${e.type} ${e.recipient} [${parsed.format}]` });
  }

  for (const exp of expected) {
    const recipient = norm(exp.recipient);
    if (PLACEHOLDER.test(recipient)) {
      placeholders++;
      continue;
    }
    for (const t of targets) t.expected++;
    const ev = events.find((e) => e.recipient === recipient);
    if (!ev) {
      misses.push({ file: row.file, mta, what: `recipient not found${tag}`, detail: `${recipient} (${exp.reason}) [${parsed.format}; got ${events.map((e) => e.recipient).join(', ') || 'nothing'}]` });
      continue;
    }
    for (const t of targets) t.found++;

    if (exp.reason === 'feedback') {
      const ok = ev.type === 'complained' && (!exp.feedbacktype || ev.complaint?.feedback_type === exp.feedbacktype);
      for (const t of targets) { add(t.feedback, ok); add(t.reason, ev.type === 'complained'); }
      if (!ok) misses.push({ file: row.file, mta, what: `complaint${tag}`, detail: `${recipient}: expected ${exp.feedbacktype}, got ${ev.type} ${ev.complaint?.feedback_type ?? ''}` });
      continue;
    }
    if (exp.reason === 'delivered') {
      for (const t of targets) add(t.reason, ev.type === 'delivered');
      if (ev.type !== 'delivered') misses.push({ file: row.file, mta, what: `reason${tag}`, detail: `${recipient}: expected delivered, got ${ev.type}` });
      continue;
    }
    const b = ev.bounce ?? {};
    const why = `[${b.rule ?? ev.type}] ${(b.diagnostic ?? '').slice(0, 140)}`;
    if (exp.status && !exp.pseudo_status) {
      const ok = b.status === exp.status;
      for (const t of targets) add(t.status, ok);
      if (!ok) misses.push({ file: row.file, mta, what: `status${tag}`, detail: `${recipient}: expected ${exp.status}, got ${b.status ?? 'none'} ${why}` });
    }
    if (exp.replycode) {
      const ok = b.reply_code === exp.replycode;
      for (const t of targets) add(t.reply, ok);
      if (!ok) misses.push({ file: row.file, mta, what: `reply code${tag}`, detail: `${recipient}: expected ${exp.replycode}, got ${b.reply_code ?? 'none'} ${why}` });
    }
    const hard = b.class === 'hard';
    for (const t of targets) add(t.klass, hard === exp.hardbounce);
    if (hard !== exp.hardbounce) misses.push({ file: row.file, mta, what: `hard/soft${tag}`, detail: `${recipient}: expected ${exp.hardbounce ? 'hard' : 'soft'} (${exp.reason}), got ${b.class ?? ev.type} (${b.reason ?? '-'}) ${why}` });
    const okReason = b.reason === exp.reason;
    for (const t of targets) add(t.reason, okReason);
    if (!okReason) misses.push({ file: row.file, mta, what: `reason${tag}`, detail: `${recipient}: expected ${exp.reason}, got ${b.reason ?? ev.type} ${why}` });
  }
}
const seconds = (performance.now() - t0) / 1000;

const pct = ([ok, n]) => (n === 0 ? '   -  ' : `${((100 * ok) / n).toFixed(1).padStart(5)}%`);
const frac = ([ok, n]) => `${ok}/${n}`;
function line(name, c) {
  const recall = [c.found, c.expected];
  return `${name.padEnd(18)} ${String(c.files).padStart(4)}  ${pct(recall)} ${frac(recall).padStart(8)}  ${String(c.extra).padStart(5)}  ${pct(c.status)} ${frac(c.status).padStart(8)}  ${pct(c.reply)} ${frac(c.reply).padStart(8)}  ${pct(c.klass)} ${frac(c.klass).padStart(8)}  ${pct(c.reason)} ${frac(c.reason).padStart(8)}`;
}

if (asJson) {
  console.log(JSON.stringify({ corpus, overall, unambiguous: plain, per_mta: Object.fromEntries(perMta), misses, placeholders, auto_replies: autoReplies, not_bounce: notBounce, suppressing_extras: suppressingExtras }, null, 2));
  process.exit(0);
}

const header = `${'MTA'.padEnd(18)} ${'files'.padStart(4)}  ${'recipients found'.padEnd(15)}  extra  ${'status'.padEnd(15)}  ${'reply code'.padEnd(15)}  ${'hard/soft'.padEnd(15)}  ${'reason'.padEnd(15)}`;
console.log(`corpus: ${corpus} (${rows.length} emails, ${seconds.toFixed(2)} s)\n`);
console.log(header);
console.log('-'.repeat(header.length));
console.log(line('OVERALL', overall));
console.log(line('unambiguous rows', plain));
console.log('-'.repeat(header.length));
const worst = [...perMta].sort((a, b) => {
  const score = (c) => (c.reason[1] ? c.reason[0] / c.reason[1] : 1) + (c.expected ? c.found / c.expected : 1) - c.extra;
  return score(a[1]) - score(b[1]) || a[0].localeCompare(b[0]);
});
for (const [mta, c] of worst) console.log(line(mta, c));
console.log('');
console.log(`complaint feedback type: ${pct(overall.feedback)} ${frac(overall.feedback)}`);
console.log(`auto-replies with no event: ${frac(autoReplies)}; not-bounces with no event: ${frac(notBounce)}`);
console.log(`extra recipients that would be suppressed: ${suppressingExtras}`);
console.log(`Sisimai placeholder recipients (reports that name nobody), not counted: ${placeholders}`);

const kinds = new Map();
for (const m of misses) kinds.set(m.what, (kinds.get(m.what) ?? 0) + 1);
console.log(`\ndisagreements: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
for (const m of misses) {
  if (!showAllMisses && /ambiguous/.test(m.what)) continue;
  console.log(`  ${m.what.padEnd(26)} ${m.file}  ${m.detail}`);
}
if (!showAllMisses) console.log('  (rows marked ambiguous are left out of this list; --misses shows them)');
