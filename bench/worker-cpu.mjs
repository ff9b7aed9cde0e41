#!/usr/bin/env node
// CPU of single Worker requests before they store anything, against the 10 ms a request gets on
// the Workers free plan. The first request of a fresh isolate is where the cost is (regexes
// compiled and first run in V8's regex interpreter, code run cold), so each cold figure is the
// first work of a fresh Node process; see bench/worker-cpu-probe.ts for what is timed.
//
//   node bench/worker-cpu.mjs [<dir with .eml files>] [--sample N]
//
// - a bounce email, decoded first in a fresh process: a sample of N emails (default 60, spread
//   evenly over the sorted list; each costs a process start; --sample 0 takes them all);
// - every email of the directory, decoded warm;
// - a signed SendGrid batch of 10 and of 100 events, verified and parsed first in a fresh
//   process (median of 5 processes each).
// Default directory: ../shared/corpus/dsn/emails. The last line is JSON.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from './bundle.mjs';
import { emlFilesOrExit } from './eml-files.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = 'usage: node bench/worker-cpu.mjs [<dir with .eml files>] [--sample N]';
const args = process.argv.slice(2);
const at = args.indexOf('--sample');
const sampleText = at === -1 ? '60' : args.splice(at, 2)[1];
if (!/^\d+$/.test(sampleText ?? '')) {
  console.error(`bench: --sample takes a whole number (0: every email)\n${USAGE}`);
  process.exit(2);
}
const sample = Number(sampleText);
if (args.length > 1 || args[0]?.startsWith('--')) {
  console.error(`bench: unexpected ${args.filter((a, i) => i > 0 || a.startsWith('--')).join(' ')}\n${USAGE}`);
  process.exit(2);
}
const dir = resolve(args[0] ?? join(ROOT, '..', 'shared', 'corpus', 'dsn', 'emails'));
const files = emlFilesOrExit(dir, 'node bench/worker-cpu.mjs <dir>');
const PROBE = await bundleForNode('worker-cpu-probe.ts', 'bench-worker-cpu.mjs');

/** What the probe measured, or exit 1 naming what it could not do. */
function probe(argv) {
  const r = spawnSync(process.execPath, [PROBE, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    const why = r.stderr.split('\n').find((line) => /^\w*Error\b|^bench:/.test(line)) ?? r.stderr.trim().split('\n')[0];
    console.error(`bench: the probe failed (${argv.slice(0, 2).join(' ')}${argv.length > 2 ? ' ...' : ''}): ${why}`);
    process.exit(1);
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)).cpu_ms;
}

/** The value at or below which a share p of the values lie (nearest rank). */
const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
};
const ms = (x) => Number(x.toFixed(2));

const picked = sample === 0 || sample >= files.length
  ? files
  : Array.from({ length: sample }, (_, i) => files[Math.floor((i * files.length) / sample)]);
const cold = picked.map((f) => probe(['email-cold', f]));
const warm = probe(['email-warm', ...files]);
const batch = (n) => quantile(Array.from({ length: 5 }, () => probe(['sendgrid-cold', String(n)])), 0.5);
const figures = {
  email_cold_cpu_ms_p50: ms(quantile(cold, 0.5)),
  email_cold_cpu_ms_max: ms(Math.max(...cold)),
  email_warm_cpu_ms_p50: ms(quantile(warm, 0.5)),
  email_warm_cpu_ms_p99: ms(quantile(warm, 0.99)),
  sendgrid_10_cold_cpu_ms: ms(batch(10)),
  sendgrid_100_cold_cpu_ms: ms(batch(100)),
};
console.log('CPU ms of one Worker request before it stores (the Workers free plan allows 10 ms a request)');
console.log(`  bounce email, first in a fresh process (${cold.length} of ${files.length} emails from ${dir}, one process each): median ${figures.email_cold_cpu_ms_p50}, p90 ${ms(quantile(cold, 0.9))}, max ${figures.email_cold_cpu_ms_max}`);
console.log(`  bounce email, warm (all ${files.length}, fifth pass in one process): median ${figures.email_warm_cpu_ms_p50}, p99 ${figures.email_warm_cpu_ms_p99}, max ${ms(Math.max(...warm))}`);
console.log(`  SendGrid batch verified and parsed, first in a fresh process (median of 5): 10 events ${figures.sendgrid_10_cold_cpu_ms}, 100 events ${figures.sendgrid_100_cold_cpu_ms}`);
console.log(JSON.stringify(figures));
