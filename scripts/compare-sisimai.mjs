#!/usr/bin/env node
// Compares `rebote inspect` with Sisimai on any bounce emails, with no labels needed: a check that
// the decoders generalize beyond the labelled corpus (score:dsn), for instance on the bounces of
// another project's test suite.
//
//   npm run compare:sisimai -- <file|dir>... [--all]
//
// Every file under the directories is read (dot files and .json/.jsonl/.md/.py files skipped).
// Prints, per tool, the emails with at least one recipient and the recipients found; then the
// rows where the tools disagree: a recipient only one of them found, or a different hard/soft
// call. Sisimai's call is read from its reason (userunknown, hostunknown, hasmoved, notaccept are
// hard: SPEC §3 and shared/corpus/dsn/reasons.json); Sisimai's vacation, delivered and feedback
// records are not bounces and are left out. --all lists the rows that agree too.
// Sisimai: apt-get install -y libsisimai-perl (bench/sisimai-driver.pl is the driver).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const showAll = argv.includes('--all');
const paths = argv.filter((a) => !a.startsWith('--'));
if (paths.length === 0) {
  console.error('usage: npm run compare:sisimai -- <file|dir>... [--all]');
  process.exit(2);
}

const SKIP = /\.(?:jsonl?|md|py)$/i;
function filesUnder(p) {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st) {
    console.error(`compare-sisimai: ${p}: no such file or directory`);
    process.exit(2);
  }
  if (!st.isDirectory()) return [p];
  return readdirSync(p).sort()
    .filter((name) => !name.startsWith('.') && !SKIP.test(name))
    .flatMap((name) => filesUnder(join(p, name)));
}
const files = paths.map((p) => resolve(p)).flatMap(filesUnder);

const probe = spawnSync('perl', ['-MSisimai', '-e', '1'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  console.error('compare-sisimai: Sisimai is not installed.\n  Debian/Ubuntu: apt-get install -y libsisimai-perl\n  elsewhere:     cpanm Sisimai');
  process.exit(2);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) {
    console.error(`compare-sisimai: ${cmd} exited with ${r.status}\n${r.stderr}`);
    process.exit(1);
  }
  return r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

const bin = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.rebote;
const ours = run(process.execPath, [join(ROOT, bin), 'inspect', '--quiet', ...files]);
const theirs = run('perl', [join(ROOT, 'bench', 'sisimai-driver.pl'), '--json', ...files]);

const HARD = new Set(['userunknown', 'hostunknown', 'hasmoved', 'notaccept']);
const NOT_BOUNCES = new Set(['vacation', 'delivered', 'feedback']);
const key = (file, recipient) => `${resolve(file)}\u0000${String(recipient).trim().toLowerCase()}`;

/** @type {Map<string, {file: string, recipient: string, rebote?: string, sisimai?: string}>} */
const rows = new Map();
const row = (file, recipient) => {
  const k = key(file, recipient);
  if (!rows.has(k)) rows.set(k, { file: resolve(file), recipient: String(recipient).toLowerCase() });
  return rows.get(k);
};
for (const e of ours) {
  if (e.type === 'complained') continue;
  const b = e.bounce ?? {};
  row(e.file, e.recipient).rebote = `${e.type === 'deferred' ? 'deferred ' : ''}${b.class ?? '-'}/${b.reason ?? '-'}`;
}
for (const r of theirs) {
  if (NOT_BOUNCES.has(r.reason)) continue;
  row(r.file, r.recipient).sisimai = `${HARD.has(r.reason) ? 'hard' : 'soft'}/${r.reason}`;
}

const hardOf = (call) => (call === undefined ? null : /(?:^|\s)hard\//.test(call));
const emails = (side) => new Set([...rows.values()].filter((r) => r[side] !== undefined).map((r) => r.file)).size;
const count = (side) => [...rows.values()].filter((r) => r[side] !== undefined).length;
const both = [...rows.values()].filter((r) => r.rebote !== undefined && r.sisimai !== undefined);
const sameClass = both.filter((r) => hardOf(r.rebote) === hardOf(r.sisimai)).length;

console.log(`${files.length} files`);
console.log(`  rebote:  ${count('rebote')} recipients in ${emails('rebote')} emails`);
console.log(`  sisimai: ${count('sisimai')} recipients in ${emails('sisimai')} emails`);
console.log(`  found by both: ${both.length}; hard/soft the same: ${sameClass}/${both.length}`);
console.log(`  only rebote: ${count('rebote') - both.length}; only sisimai: ${count('sisimai') - both.length}`);
console.log('');
const base = paths.length === 1 && statSync(resolve(paths[0])).isDirectory() ? resolve(paths[0]) : process.cwd();
for (const r of [...rows.values()].sort((a, b) => a.file.localeCompare(b.file) || a.recipient.localeCompare(b.recipient))) {
  const agree = r.rebote !== undefined && r.sisimai !== undefined && hardOf(r.rebote) === hardOf(r.sisimai);
  if (agree && !showAll) continue;
  console.log(`${agree ? '  ' : '≠ '}${relative(base, r.file)}  ${r.recipient}  rebote=${r.rebote ?? 'none'}  sisimai=${r.sisimai ?? 'none'}`);
}
