#!/usr/bin/env node
// Bundles src/cli (which imports the same src/dsn, src/core and src/catalog modules the Worker
// runs) into one ES module for Node: dist/rebote-cli.mjs. One file loads much faster than the
// module graph of mailparser and its dependencies, and Node 20 cannot run .ts itself.
// Usage: node scripts/build-cli.mjs [--if-stale]   (--if-stale: only when a source is newer;
// REBOTE_CLI_MINIFY=0 keeps function names, for profiling)
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_BUNDLE = join(ROOT, 'dist', 'rebote-cli.mjs');
const SOURCES = [join(ROOT, 'src'), join(ROOT, 'package-lock.json')];

function newestMtime(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Whether dist/rebote-cli.mjs is missing or older than any source. */
export function cliBundleStale() {
  if (!existsSync(CLI_BUNDLE)) return true;
  const built = statSync(CLI_BUNDLE).mtimeMs;
  return SOURCES.some((p) => newestMtime(p) > built);
}

export async function buildCli() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed: run `npm ci` (it is a devDependency) and try again');
  }
  await esbuild.build({
    entryPoints: [join(ROOT, 'src', 'cli', 'index.ts')],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: process.env.REBOTE_CLI_MINIFY !== "0",
    legalComments: 'none',
    logLevel: 'warning',
    // mailparser's CommonJS dependencies call require() for Node built-ins.
    banner: { js: "import { createRequire as __rebote_cr } from 'node:module'; const require = __rebote_cr(import.meta.url);" },
  });
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
