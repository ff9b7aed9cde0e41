#!/usr/bin/env node
// Whole-process speed of `rebote inspect` against Sisimai (bench/sisimai-driver.pl) on the same
// email files, in the same run. After one untimed run of each, each round runs both commands
// once, alternating, so that load from other processes falls on both; the figure is the median
// round.
//
//   node bench/dsn-vs-sisimai.mjs [<dir with .eml files>] [--rounds N] [--repeat K] [--jobs N|auto]
//
// --repeat K hands each program the file list K times (throughput once start-up is paid).
// Default directory: ../shared/corpus/dsn/emails. Sisimai: apt-get install -y libsisimai-perl.
// The load average before and after is printed: other jobs on the machine make figures noisy.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emlFilesOrExit } from './eml-files.mjs';
import { buildCli, cliBundleStale } from '../scripts/build-cli.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const rounds = Number(option('--rounds', '5'));
const repeat = Number(option('--repeat', '1'));
const jobs = option('--jobs', '1');
const dir = resolve(args[0] ?? join(ROOT, '..', 'shared', 'corpus', 'dsn', 'emails'));

const files = emlFilesOrExit(dir, 'npm run bench -- <dir>');
const list = Array.from({ length: repeat }, () => files).flat();

const probe = spawnSync('perl', ['-MSisimai', '-e', '1'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  console.error('bench: Sisimai is not installed, so there is nothing to compare with.\n' +
    '  Debian/Ubuntu: apt-get install -y libsisimai-perl\n' +
    '  elsewhere:     cpanm Sisimai (Perl 5.26 or later)');
  process.exit(2);
}
if (cliBundleStale()) await buildCli();

// The command as installed: package.json "bin" (what `npx rebote` runs).
const bin = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.rebote;
const rebote = [process.execPath, [join(ROOT, bin), 'inspect', '--quiet', '--jobs', jobs, ...list]];
const sisimai = ['perl', [join(ROOT, 'bench', 'sisimai-driver.pl'), ...list]];

// Both commands run in the same environment, without NODE_EXTRA_CA_CERTS: some machines (this
// sandbox among them) set it for their own TLS proxy, and Node then reads that CA bundle at every
// start-up, before any script runs (about 50 ms here, twice Node's own start-up), for TLS that
// `inspect` never uses. Perl ignores it. When it is set, the ratio with it is printed too.
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

function time([cmd, argv], env = clean) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, env });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} exited with ${r.status}: ${r.stderr}`);
  return { seconds, stdout: r.stdout, stderr: r.stderr };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
// One untimed run of each first: the page cache holds the emails, Perl's and Node's files for
// both, and rebote's first run after a build writes its code cache (bin/rebote.cjs).
time(rebote);
time(sisimai);
const loadBefore = load();
const ours = [];
const theirs = [];
let events = 0;
let records = '';
for (let i = 0; i < rounds; i++) {
  const a = time(rebote);
  const b = time(sisimai);
  ours.push(a.seconds);
  theirs.push(b.seconds);
  events = a.stdout.split('\n').filter((l) => l !== '').length;
  records = b.stderr.trim();
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const rate = (s) => (list.length / s).toFixed(0);
const mo = median(ours);
const ms = median(theirs);
console.log(`${list.length} emails (${files.length} files x ${repeat}) from ${dir}; ${rounds} rounds, median whole-process time`);
console.log(`  load average ${loadBefore} before, ${load()} after (${cpus().length} CPUs)`);
console.log(`  rebote inspect --jobs ${jobs}: ${mo.toFixed(3)} s  ${rate(mo).padStart(6)} msg/s  (${events} events; best ${Math.min(...ours).toFixed(3)} s)`);
console.log(`  sisimai (perl driver):  ${ms.toFixed(3)} s  ${rate(ms).padStart(6)} msg/s  (${records}; best ${Math.min(...theirs).toFixed(3)} s)`);
if (extraCa !== undefined) {
  const withCa = [];
  for (let i = 0; i < rounds; i++) withCa.push(time(rebote, process.env).seconds);
  const mc = median(withCa);
  console.log(`  with this machine's NODE_EXTRA_CA_CERTS (${extraCa}) left set for rebote: ${mc.toFixed(3)} s, ${(ms / mc).toFixed(2)}x`);
}
console.log(`  ratio: rebote is ${(ms / mo).toFixed(2)}x Sisimai's speed`);
