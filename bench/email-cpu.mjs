#!/usr/bin/env node
// CPU of decoding one inbound bounce email in the Worker's decoder, against the 10 ms a request
// gets on the Workers free plan: the first email of a fresh isolate (each of a sample of emails
// in a fresh Node process: regexes compiled and code run for the first time) and emails once
// the code is warm. See bench/email-probe.ts for what is timed.
//
//   node bench/email-cpu.mjs [<dir with .eml files>] [--sample N]
//
// Default directory: ../shared/corpus/dsn/emails; default sample: 60 emails spread evenly over
// the sorted list (each costs a process start; --sample 0 takes them all). The last line is JSON.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = join(ROOT, 'dist', 'bench-email.mjs');
const args = process.argv.slice(2);
const at = args.indexOf('--sample');
const sample = at === -1 ? 60 : Number(args.splice(at, 2)[1]);
const dir = resolve(args[0] ?? join(ROOT, '..', 'shared', 'corpus', 'dsn', 'emails'));

function emlFiles(d) {
  return readdirSync(d).sort().flatMap((name) => {
    const p = join(d, name);
    if (name.startsWith('.')) return [];
    if (statSync(p).isDirectory()) return emlFiles(p);
    return name.endsWith('.eml') ? [p] : [];
  });
}

if (!Number.isInteger(sample) || sample < 0) {
  console.error('bench: --sample takes a whole number (0: every email)');
  process.exit(2);
}
if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
  console.error(`bench: no directory of .eml files at ${dir}; pass one: node bench/email-cpu.mjs <dir>`);
  process.exit(2);
}
const files = emlFiles(dir);
if (files.length === 0) {
  console.error(`bench: no .eml files under ${dir}`);
  process.exit(2);
}

const { build } = await import('esbuild');
await build({
  entryPoints: [join(ROOT, 'bench', 'email-probe.ts')], outfile: PROBE, bundle: true, platform: 'node', target: 'node20',
  format: 'esm', logLevel: 'warning',
  banner: { js: "import { createRequire as __rebote_cr } from 'node:module'; const require = __rebote_cr(import.meta.url);" },
});

function probe(argv) {
  const r = spawnSync(process.execPath, [PROBE, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`the probe failed (${argv[0]}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)).cpu_ms;
}

const picked = sample === 0 || sample >= files.length
  ? files
  : Array.from({ length: sample }, (_, i) => files[Math.floor((i * files.length) / sample)]);
const cold = picked.map((f) => probe(['cold', f]));
const warm = probe(['warm', ...files]);

/** The value at or below which a share p of the values lie (nearest rank). */
const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
};
const ms = (x) => Number(x.toFixed(2));
const figures = {
  email_cold_cpu_ms_p50: ms(quantile(cold, 0.5)),
  email_cold_cpu_ms_max: ms(Math.max(...cold)),
  email_warm_cpu_ms_p50: ms(quantile(warm, 0.5)),
  email_warm_cpu_ms_p99: ms(quantile(warm, 0.99)),
  email_warm_cpu_ms_max: ms(Math.max(...warm)),
};
console.log(`decoding one bounce email (${dir}), CPU ms; the Workers free plan allows 10 ms a request`);
console.log(`  first email of a fresh process (${cold.length} of ${files.length} emails, one process each): median ${figures.email_cold_cpu_ms_p50}, p90 ${ms(quantile(cold, 0.9))}, max ${figures.email_cold_cpu_ms_max}`);
console.log(`  warm (all ${files.length}, fifth pass in one process): median ${figures.email_warm_cpu_ms_p50}, p99 ${figures.email_warm_cpu_ms_p99}, max ${figures.email_warm_cpu_ms_max}`);
console.log(JSON.stringify(figures));
