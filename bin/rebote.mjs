#!/usr/bin/env node
// `rebote`: the command line. This file is the Node side only (files, standard streams, worker
// threads); the decoding is dist/rebote-cli.mjs, bundled from src/cli by scripts/build-cli.mjs
// from the same modules the Worker runs. The bundle is (re)built here when it is missing or
// older than the sources, so `npx rebote` works on a fresh clone after `npm ci`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

async function loadCli() {
  const { CLI_BUNDLE, buildCli, cliBundleStale } = await import('../scripts/build-cli.mjs');
  if (cliBundleStale()) {
    try {
      await buildCli();
    } catch (err) {
      fail(`cannot build the CLI bundle: ${err instanceof Error ? err.message : String(err)}`, 1);
    }
  }
  return import(pathToFileURL(CLI_BUNDLE).href);
}

function fail(message, code) {
  process.stderr.write(`rebote: ${message}\n`);
  process.exit(code);
}

/** Files named on the command line, directories expanded recursively (sorted, dot-files skipped). */
function expand(paths, errors) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
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

function readInput(file) {
  if (file !== '-') return readFileSync(file);
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
  const size = Math.ceil(files.length / jobs);
  const slices = [];
  for (let i = 0; i < files.length; i += size) slices.push(files.slice(i, i + size));
  const parts = await Promise.all(slices.map((slice) => new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { files: slice, policy } });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  return parts.flat();
}

async function main() {
  // Bulk work over the HTTP API needs no decoder bundle.
  const command = process.argv[2];
  if (command === 'import' || command === 'export') {
    const { bulkMain } = await import('./bulk.mjs');
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
  const cpus = typeof availableParallelism === 'function' ? availableParallelism() : 1;
  const wanted = args.jobs === 'auto' ? cpus : args.jobs;
  // A worker costs a bundle load; it pays only when there are enough files to share.
  const jobs = Math.max(1, Math.min(wanted, Math.floor(files.length / 32)));
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

if (isMainThread) {
  process.stdout.on('error', (err) => {
    // `rebote inspect dir | head`: the reader went away; that is not an error of ours.
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  main().catch((err) => fail(err instanceof Error ? err.stack ?? err.message : String(err), 1));
} else {
  const { CLI_BUNDLE } = await import('../scripts/build-cli.mjs');
  const cli = await import(pathToFileURL(CLI_BUNDLE).href);
  parentPort.postMessage(await inspectFiles(cli, workerData.files, workerData.policy));
}
