#!/usr/bin/env node
// Bundles src/cli (which imports the same src/dsn, src/core and src/catalog modules the Worker
// runs) into minified CommonJS for Node: dist/rebote-cli.cjs, plus dist/rebote-mailparser.cjs
// for what is loaded lazily (mailparser, only for an email the fast MIME reader declines).
//
// Why CommonJS: `rebote inspect` over a few hundred emails is over in a fraction of a second, so
// start-up is a large share of it. One CommonJS file is read, compiled and run by require()
// without Node's ES module loader, its resolution steps and its facades of the built-in
// modules; the bundle loads much faster than the module graph of mailparser and its
// dependencies, and Node 20 cannot run .ts itself.
//
// dist/rebote-cli.inputs lists the files the bundles were built from (plus package-lock.json):
// the bundle is stale when one of them is newer than it, or gone. Any change that can alter the
// bundle touches one of them (a new module only counts once an input imports it), so `rebote`
// checks a few dozen files at start-up instead of walking src/.
// Usage: node scripts/build-cli.mjs [--if-stale]   (--if-stale: only when a source is newer;
// REBOTE_CLI_MINIFY=0 keeps function names, for profiling)
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_BUNDLE = join(ROOT, 'dist', 'rebote-cli.cjs');
export const MAILPARSER_BUNDLE = join(ROOT, 'dist', 'rebote-mailparser.cjs');
export const CLI_INPUTS = join(ROOT, 'dist', 'rebote-cli.inputs');

/** Whether a bundle is missing or older than (or built without) one of its inputs. */
export function cliBundleStale() {
  const built = Math.min(
    statSync(CLI_BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? -1,
    statSync(MAILPARSER_BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? -1,
  );
  let inputs;
  try {
    inputs = readFileSync(CLI_INPUTS, 'utf8').split('\n').filter((l) => l !== '');
  } catch {
    return true;
  }
  if (built < 0 || inputs.length === 0) return true;
  for (const rel of inputs) {
    const mtime = statSync(join(ROOT, rel), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined || mtime > built) return true;
  }
  return false;
}

/** The lazily imported mailparser reader becomes a require() of its own bundle, next to this one. */
const mailparserApart = {
  name: 'mailparser-apart',
  setup(build) {
    build.onResolve({ filter: /\/mime-mailparser\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './rebote-mailparser.cjs', external: true } : undefined);
  },
};

export async function buildCli() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed: run `npm ci` (it is a devDependency) and try again');
  }
  // What earlier versions of this script wrote (ES module bundle and its chunks).
  rmSync(join(ROOT, 'dist', 'chunks'), { recursive: true, force: true });
  rmSync(join(ROOT, 'dist', 'rebote-cli.mjs'), { force: true });
  // The code cache bin/rebote.cjs keeps is of the old bundle.
  rmSync(join(ROOT, 'dist', 'rebote-cli.cache'), { force: true });
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: process.env.REBOTE_CLI_MINIFY !== '0',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  };
  const [cli, mailparser] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [join(ROOT, 'src', 'cli', 'index.ts')],
      outfile: CLI_BUNDLE,
      plugins: [mailparserApart],
      // import() of the mailparser bundle becomes require(): the bundle is then plain CommonJS,
      // which bin/rebote.cjs compiles itself (with V8's code cache, see there).
      supported: { 'dynamic-import': false },
    }),
    esbuild.build({ ...common, entryPoints: [join(ROOT, 'src', 'dsn', 'mime-mailparser.ts')], outfile: MAILPARSER_BUNDLE }),
  ]);
  const inputs = new Set([...Object.keys(cli.metafile.inputs), ...Object.keys(mailparser.metafile.inputs)]);
  const own = [...inputs].filter((p) => !p.includes('node_modules/'));
  writeFileSync(CLI_INPUTS, `${[...own, 'package-lock.json'].sort().join('\n')}\n`);
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
