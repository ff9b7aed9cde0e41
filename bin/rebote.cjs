#!/usr/bin/env node
'use strict';
// `rebote`: the command line. This file is the Node side only (files, standard streams, worker
// threads); the decoding is dist/rebote-cli.cjs, bundled from src/cli by scripts/build-cli.mjs
// from the same modules the Worker runs. The bundle is (re)built here when it is missing or
// older than its sources, so `npx rebote` works on a fresh clone after `npm ci`.
//
// Start-up is most of the time of a short run, so this file is CommonJS (no ES module loader
// and no ESM facades of the built-ins to set up) and loads nothing it does not need:
// scripts/build-cli.mjs (and esbuild) only when the bundle is stale, node:worker_threads only
// with --jobs, mailparser (dist/rebote-mailparser.cjs) only for an email the fast MIME reader
// declines, bin/bulk.mjs only for import/export.
const { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const ROOT = join(__dirname, '..');
const CLI_BUNDLE = join(ROOT, 'dist', 'rebote-cli.cjs');
const MAILPARSER_BUNDLE = join(ROOT, 'dist', 'rebote-mailparser.cjs');
/** Set in the argv of the worker threads --jobs starts. */
const WORKER_FLAG = '--rebote-worker-thread';

/**
 * Whether the bundles are there and newer than every file they were built from (the list
 * scripts/build-cli.mjs writes next to them): cliBundleStale() of that script, without loading it.
 */
function bundleFresh() {
  const cli = statSync(CLI_BUNDLE, { throwIfNoEntry: false });
  const mp = statSync(MAILPARSER_BUNDLE, { throwIfNoEntry: false });
  if (cli === undefined || mp === undefined) return false;
  const built = Math.min(cli.mtimeMs, mp.mtimeMs);
  let inputs;
  try {
    inputs = readFileSync(join(ROOT, 'dist', 'rebote-cli.inputs'), 'utf8').split('\n');
  } catch {
    return false;
  }
  let any = false;
  for (const rel of inputs) {
    if (rel === '') continue;
    const mtime = statSync(join(ROOT, rel), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined || mtime > built) return false;
    any = true;
  }
  return any;
}

async function loadCli() {
  if (!bundleFresh()) {
    const { buildCli, cliBundleStale } = await import(pathToFileURL(join(ROOT, 'scripts', 'build-cli.mjs')).href);
    if (cliBundleStale()) {
      try {
        await buildCli();
      } catch (err) {
        fail(`cannot build the CLI bundle: ${err instanceof Error ? err.message : String(err)}`, 1);
      }
    }
  }
  return require(CLI_BUNDLE);
}

function fail(message, code) {
  process.stderr.write(`rebote: ${message}\n`);
  process.exit(code);
}

/** Files named on the command line, directories expanded recursively (sorted, dot-files skipped). */
function expand(paths, errors) {
  const out = [];
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const p = join(dir, entry.name);
      // The entry's type saves a stat per file; a link (or an unknown type) is followed.
      const st = entry.isFile() || entry.isDirectory() ? entry : statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory()) walk(p);
      else if (st?.isFile()) out.push(p);
    }
  };
  for (const p of paths) {
    if (p === '-') {
      out.push('-');
      continue;
    }
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) errors.push(`${p}: no such file or directory`);
    else if (st.isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

/** One read buffer for the whole run, grown when a file does not fit. */
let scratch = Buffer.allocUnsafe(1 << 20);

/**
 * A file's bytes: open, read until the end, close (no stat, no buffer per file). The bytes are
 * copied out of the shared buffer, since the decoder may keep views of them.
 */
function readPath(file) {
  const fd = openSync(file, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const n = readSync(fd, scratch, length, scratch.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return new Uint8Array(scratch.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

function readInput(file) {
  if (file !== '-') return readPath(file);
  if (process.stdin.isTTY) process.stderr.write('rebote: reading one email from standard input (end it with Ctrl-D)\n');
  return readFileSync(0);
}

async function inspectFiles(cli, files, policy) {
  const results = [];
  for (const file of files) {
    let bytes;
    try {
      bytes = readInput(file);
    } catch (err) {
      results.push({ file, lines: [], events: 0, ignored: 0, rejected: 0, format: 'error', error: err.code === 'EISDIR' ? 'is a directory' : err.message });
      continue;
    }
    results.push(await cli.inspectBytes(file === '-' ? '<stdin>' : file, bytes, policy));
  }
  return results;
}

/** Splits the files over worker threads (contiguous slices, so output keeps the input order). */
async function inspectParallel(files, jobs, policy) {
  const { Worker } = require('node:worker_threads');
  const size = Math.ceil(files.length / jobs);
  const slices = [];
  for (let i = 0; i < files.length; i += size) slices.push(files.slice(i, i + size));
  const parts = await Promise.all(slices.map((slice) => new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: { files: slice, policy }, argv: [WORKER_FLAG] });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  return parts.flat();
}

async function main() {
  // Bulk work over the HTTP API needs no decoder bundle.
  const command = process.argv[2];
  if (command === 'import' || command === 'export') {
    const { bulkMain } = await import(pathToFileURL(join(__dirname, 'bulk.mjs')).href);
    process.exitCode = await bulkMain(process.argv.slice(2));
    return;
  }
  const cli = await loadCli();
  const args = cli.parseArgs(process.argv.slice(2));
  if (args.command === 'help') {
    process.stdout.write(`${cli.USAGE}\n`);
    return;
  }
  if (args.command === 'error') fail(`${args.message}\n\n${cli.USAGE}`, 2);

  const errors = [];
  const files = expand(args.paths, errors);
  const policy = cli.policyFrom(process.env);
  let jobs = 1;
  if (args.jobs !== 1) {
    const { availableParallelism } = require('node:os');
    const cpus = typeof availableParallelism === 'function' ? availableParallelism() : 1;
    const wanted = args.jobs === 'auto' ? cpus : args.jobs;
    // A worker costs a bundle load; it pays only when there are enough files to share.
    jobs = Math.max(1, Math.min(wanted, Math.floor(files.length / 32)));
  }
  const results = jobs > 1 && !files.includes('-')
    ? await inspectParallel(files, jobs, policy)
    : await inspectFiles(cli, files, policy);

  let events = 0;
  let ignored = 0;
  let rejected = 0;
  const out = [];
  for (const r of results) {
    if (r.error) errors.push(`${r.file}: ${r.error}`);
    events += r.events;
    ignored += r.ignored;
    rejected += r.rejected;
    for (const line of r.lines) out.push(line);
  }
  if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
  for (const e of errors) process.stderr.write(`rebote: ${e}\n`);
  if (!args.quiet) {
    process.stderr.write(`rebote: ${results.length} email(s), ${events} event(s), ${ignored} ignored, ${rejected} rejected address(es)${errors.length ? `, ${errors.length} error(s)` : ''}\n`);
  }
  process.exitCode = errors.length > 0 ? 1 : 0;
}

if (process.argv[2] === WORKER_FLAG && !require('node:worker_threads').isMainThread) {
  const worker = require('node:worker_threads');
  inspectFiles(require(CLI_BUNDLE), worker.workerData.files, worker.workerData.policy)
    .then((results) => worker.parentPort.postMessage(results));
} else {
  process.stdout.on('error', (err) => {
    // `rebote inspect dir | head`: the reader went away; that is not an error of ours.
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  main().catch((err) => fail(err instanceof Error ? err.stack ?? err.message : String(err), 1));
}
