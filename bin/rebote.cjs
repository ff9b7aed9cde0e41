#!/usr/bin/env node
'use strict';
// A date written without a zone ("Tue Jul  2 10:00:00 2024", in old Received traces) is read in
// the process's time zone: UTC, as in the Worker, so that both give an email the same times.
process.env.TZ = 'UTC';
// `rebote`: the command line. This file is the Node side only (files, standard streams, worker
// threads); the decoding is dist/rebote-cli.cjs, bundled from src/cli by scripts/build-cli.mjs
// from the same modules the Worker runs. The bundle is (re)built here when it is missing or
// older than its sources, so `npx rebote` works on a fresh clone after `npm ci`.
//
// Start-up is most of the time of a short run, so this file is CommonJS (no ES module loader
// and no ESM facades of the built-ins to set up) and loads nothing it does not need:
// scripts/build-cli.mjs (and esbuild) only when the bundle is stale, node:worker_threads only
// with --jobs, mailparser (dist/rebote-mailparser.cjs) only for an email the fast MIME reader
// declines, bin/bulk.mjs only for import/export, bin/file-problem.cjs only when a file fails.

// V8 first runs a regular expression in its bytecode interpreter and compiles it to machine
// code only when it runs again. The decoders hold a few hundred regexes, most of which run on
// every email: in a run this short, compiling each once, straight to machine code, is faster.
// (A tuning flag of the regex compiler only: if a Node version ignores it, nothing changes.)
// Likewise V8's optimizing compiler (TurboFan) takes on a function after a budget of work; with
// the default budget a run of a few hundred emails spends more on compiling functions (on a
// second thread, which competes with the first on a busy machine) than the compiled code gives
// back. Four times the budget keeps it to the functions that are really hot: a few hundred
// emails take about a tenth less time, eleven thousand about a seventh more.
// The last flag has V8 checksum the code cache (see loadBundle), so that a damaged cache file
// is rejected instead of being trusted.
// Loading node:v8 costs about 4 % of a run over a few hundred emails (it brings in Node's
// streams); the flags save several times that.
try {
  require('node:v8').setFlagsFromString('--no-regexp-tier-up');
  require('node:v8').setFlagsFromString('--interrupt-budget=270336');
  require('node:v8').setFlagsFromString('--verify-snapshot-checksum');
} catch {
  // not essential
}

const { closeSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

const ROOT = join(__dirname, '..');
const CLI_BUNDLE = join(ROOT, 'dist', 'rebote-cli.cjs');
const MAILPARSER_BUNDLE = join(ROOT, 'dist', 'rebote-mailparser.cjs');
/** V8's code cache of the bundle (see loadBundle); written by the first run after a build. */
const CODE_CACHE = join(ROOT, 'dist', 'rebote-cli.cache');
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
  return loadBundle();
}

/** Set when the code cache is missing or stale: the run ends by writing a new one. */
let cacheToWrite = null;

/**
 * Loads the bundle the way require() loads a CommonJS file (the same wrapper function and
 * arguments), but compiles it through vm.Script so that V8's code cache can be used: the
 * bytecode of every function a run compiled, saved after that run. Node 20 has no compile cache
 * of its own (module.enableCompileCache came in Node 22); without one, parsing and compiling the
 * decoders' functions is a tenth of a short run.
 *
 * V8 checks a cache against its own version and flags and the source's length, not its
 * contents: the cache file therefore starts with a line naming the bundle it was made from (its
 * size and modification time; a build also deletes it). A cache that does not fit is not used,
 * and the run writes a new one; one that cannot be read or written only costs that time.
 */
function loadBundle(write = true) {
  const { Script } = require('node:vm');
  const { createRequire } = require('node:module');
  const source = readFileSync(CLI_BUNDLE, 'utf8');
  const st = statSync(CLI_BUNDLE);
  const key = `rebote-cli ${st.size} ${st.mtimeMs}\n`;
  let cachedData;
  try {
    const file = readFileSync(CODE_CACHE);
    if (file.toString('latin1', 0, key.length) === key) cachedData = file.subarray(key.length);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: CLI_BUNDLE,
    cachedData,
  });
  const module = { exports: {}, filename: CLI_BUNDLE };
  script.runInThisContext()(module.exports, createRequire(CLI_BUNDLE), module, CLI_BUNDLE, dirname(CLI_BUNDLE));
  if (write && (cachedData === undefined || script.cachedDataRejected === true)) cacheToWrite = { script, key };
  return module.exports;
}

/** Saves the code cache, once the run's functions are compiled (never fails the run). */
function saveCodeCache() {
  if (cacheToWrite === null) return;
  const tmp = `${CODE_CACHE}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([Buffer.from(cacheToWrite.key, 'latin1'), cacheToWrite.script.createCachedData()]));
    renameSync(tmp, CODE_CACHE);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
  cacheToWrite = null;
}

function fail(message, code) {
  writeErr(`rebote: ${message}\n`);
  process.exit(code);
}

/**
 * Writes to standard output or error with write(2) on the descriptor, as Node itself does for
 * files and pipes, without setting up process.stdout (a stream, and for a pipe a socket: a few
 * milliseconds of loading in a run of a few hundred). A reader that went away (EPIPE, e.g.
 * `rebote inspect dir | head`) is not an error of ours; a descriptor that would block (a
 * non-blocking pipe) gets the rest through the stream after all.
 */
function writeFd(fd, text) {
  const data = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < data.length) done += writeSync(fd, data, done, data.length - done);
  } catch (err) {
    if (err.code === 'EPIPE') {
      if (fd === 1) process.exit(process.exitCode ?? 0);
      return;
    }
    if (err.code !== 'EAGAIN') throw err;
    streamed = true;
    (fd === 1 ? stdout() : process.stderr).write(data.subarray(done));
  }
}

/** process.stdout, set up on first use, with the same tolerance of a reader that went away. */
function stdout() {
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (err) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return process.stdout;
}

/** Set when some output went through a stream, which must drain before the process ends. */
let streamed = false;

const writeOut = (text) => writeFd(1, text);
const writeErr = (text) => writeFd(2, text);

/** A file error in plain words (bin/file-problem.cjs, loaded only when there is one). */
const fileProblem = (err) => require('./file-problem.cjs').fileProblem(err);

/**
 * Files named on the command line, directories expanded recursively (sorted, dot-files skipped).
 * `named` gets the inputs named themselves (a file, or "-"), as their results name them: one of
 * those that is not an email is an error, where a file found in a directory is only skipped.
 */
function expand(paths, errors, named) {
  const out = [];
  // A path that cannot be looked at (a folder without permission, a path through a file, a loop
  // of links) is an error of that path, said here (null); the others are still read. A path that
  // is not there is undefined, as statSync gives it.
  const stat = (p) => {
    try {
      return statSync(p, { throwIfNoEntry: false });
    } catch (err) {
      errors.push(`${p}: ${fileProblem(err)}`);
      return null;
    }
  };
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push(`${dir}: ${fileProblem(err)}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const p = join(dir, entry.name);
      // The entry's type saves a stat per file; a link (or an unknown type) is followed.
      const st = entry.isFile() || entry.isDirectory() ? entry : stat(p);
      if (st?.isDirectory()) walk(p);
      else if (st?.isFile()) out.push(p);
    }
  };
  for (const p of paths) {
    if (p === '-') {
      out.push('-');
      named.add('<stdin>');
      continue;
    }
    const st = stat(p);
    if (st === null) continue;
    if (!st) errors.push(`${p}: no such file or directory`);
    else if (st.isDirectory()) {
      const before = out.length;
      walk(p);
      // Not an error (a bounce directory may be empty today), but not silence either.
      if (out.length === before) writeErr(`rebote: ${p}: no files to read\n`);
    } else {
      out.push(p);
      named.add(p);
    }
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
  // tty.isatty, not process.stdin.isTTY: creating process.stdin on a terminal switches the
  // descriptor to non-blocking mode, and the read below would fail at once with EAGAIN.
  if (require('node:tty').isatty(0)) writeErr('rebote: reading one email from standard input (end it with Ctrl-D)\n');
  return readStdin();
}

/**
 * Standard input to its end. A descriptor left non-blocking (by a parent process, or a terminal
 * another program set so) answers EAGAIN while nothing has been written yet: wait and read again.
 */
function readStdin() {
  const chunks = [];
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const buf = Buffer.allocUnsafe(1 << 16);
    let n;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      if (err.code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, 20);
      continue;
    }
    if (n === 0) break;
    chunks.push(buf.subarray(0, n));
  }
  return Buffer.concat(chunks);
}

async function inspectFiles(cli, files, policy) {
  const results = [];
  for (const file of files) {
    let bytes;
    try {
      bytes = readInput(file);
    } catch (err) {
      results.push({ file: file === '-' ? '<stdin>' : file, lines: [], events: 0, ignored: 0, rejected: 0, format: 'error', error: fileProblem(err) });
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
  if (command === '--version' || command === '-V' || command === 'version') {
    writeOut(`rebote ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
    return;
  }
  if (command === 'import' || command === 'export') {
    stdout(); // bin/bulk.mjs writes an export there
    const { bulkMain } = await import(pathToFileURL(join(__dirname, 'bulk.mjs')).href);
    process.exitCode = await bulkMain(process.argv.slice(2));
    return;
  }
  const cli = await loadCli();
  const args = cli.parseArgs(process.argv.slice(2));
  if (args.command === 'help') {
    writeOut(`${cli.USAGE}\n`);
    return;
  }
  if (args.command === 'error') fail(`${args.message}\n\n${cli.USAGE}`, 2);

  const errors = [];
  const named = new Set();
  const files = expand(args.paths, errors, named);
  let policy;
  try {
    policy = cli.policyFrom(process.env);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err), 2);
  }
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
  let emails = 0;
  const notEmails = [];
  for (const r of results) {
    if (r.error) errors.push(`${r.file}: ${r.error}`);
    // Asked for by name, a file that is not an email is a mistake to report (exit 1); in a
    // directory it is only something else kept beside the emails.
    if (r.notEmail && named.has(r.file)) errors.push(`${r.file}: not an email (no header field at its start)`);
    else if (r.notEmail) notEmails.push(r.file);
    emails += r.emails ?? 0;
    events += r.events;
    ignored += r.ignored;
    rejected += r.rejected;
    for (const line of r.lines) out.push(line);
  }
  if (out.length > 0) writeOut(`${out.join('\n')}\n`);
  for (const e of errors) writeErr(`rebote: ${e}\n`);
  if (!args.quiet) {
    // Named, not counted as emails: a file with no header at its start (empty, an image, a
    // program), such as a wrong folder given by mistake.
    for (const f of notEmails.slice(0, 10)) writeErr(`rebote: ${f}: not an email (no header field at its start); skipped\n`);
    if (notEmails.length > 10) writeErr(`rebote: … and ${notEmails.length - 10} more files that are not emails\n`);
    writeErr(`rebote: ${emails} email(s), ${events} event(s), ${ignored} ignored, ${rejected} rejected address(es)${notEmails.length ? `, ${notEmails.length} not email` : ''}${errors.length ? `, ${errors.length} error(s)` : ''}\n`);
  }
  process.exitCode = errors.length > 0 ? 1 : 0;
  saveCodeCache();
  // Everything is written (synchronously): ending here skips Node's orderly teardown of the
  // heap and the event loop, a few milliseconds that a short run would otherwise wait for.
  if (!streamed) process.exit();
}

if (process.argv[2] === WORKER_FLAG && !require('node:worker_threads').isMainThread) {
  const worker = require('node:worker_threads');
  inspectFiles(loadBundle(false), worker.workerData.files, worker.workerData.policy)
    .then((results) => worker.parentPort.postMessage(results));
} else {
  main().catch((err) => fail(err instanceof Error ? err.stack ?? err.message : String(err), 1));
}
