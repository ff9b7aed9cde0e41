#!/usr/bin/env node
// Bundles src/cli (which imports the same src/dsn, src/core and src/catalog modules the Worker
// runs) into minified ES modules for Node: dist/rebote-cli.mjs, plus chunks under dist/chunks/
// for what is imported lazily (mailparser, loaded only for an email the fast MIME reader
// declines). A bundle loads much faster than the module graph of mailparser and its
// dependencies, and Node 20 cannot run .ts itself.
//
// dist/rebote-cli.inputs lists the files the bundle was built from (plus package-lock.json):
// the bundle is stale when one of them is newer than it, or gone. Any change that can alter the
// bundle touches one of them (a new module only counts once an input imports it), so `rebote`
// checks a few dozen files at start-up instead of walking src/.
// Usage: node scripts/build-cli.mjs [--if-stale]   (--if-stale: only when a source is newer;
// REBOTE_CLI_MINIFY=0 keeps function names, for profiling)
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_BUNDLE = join(ROOT, 'dist', 'rebote-cli.mjs');
export const CLI_INPUTS = join(ROOT, 'dist', 'rebote-cli.inputs');

/** Whether dist/rebote-cli.mjs is missing or older than (or built without) one of its inputs. */
export function cliBundleStale() {
  const built = statSync(CLI_BUNDLE, { throwIfNoEntry: false })?.mtimeMs;
  let inputs;
  try {
    inputs = readFileSync(CLI_INPUTS, 'utf8').split('\n').filter((l) => l !== '');
  } catch {
    return true;
  }
  if (built === undefined || inputs.length === 0) return true;
  for (const rel of inputs) {
    const mtime = statSync(join(ROOT, rel), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined || mtime > built) return true;
  }
  return false;
}

export async function buildCli() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed: run `npm ci` (it is a devDependency) and try again');
  }
  // Chunk names carry a hash: drop the old ones so the directory holds only what the bundle uses.
  rmSync(join(ROOT, 'dist', 'chunks'), { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { 'rebote-cli': join(ROOT, 'src', 'cli', 'index.ts') },
    outdir: join(ROOT, 'dist'),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: process.env.REBOTE_CLI_MINIFY !== '0',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    // mailparser's CommonJS dependencies call require() for Node built-ins.
    banner: { js: "import { createRequire as __rebote_cr } from 'node:module'; const require = __rebote_cr(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules/'));
  writeFileSync(CLI_INPUTS, `${[...inputs, 'package-lock.json'].sort().join('\n')}\n`);
  return CLI_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && !cliBundleStale()) process.exit(0);
  try {
    const out = await buildCli();
    console.error(`built ${out}`);
  } catch (err) {
    console.error(`build-cli: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
