// Bundles a TypeScript entry of bench/ for Node (ES module, with `require` for the CommonJS
// parts of dependencies) into dist/, so the benchmarks run the project's modules as they are.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Bundles bench/<entry> to dist/<outName>; returns the output's path. */
export async function bundleForNode(entry, outName) {
  const { build } = await import('esbuild');
  const outfile = join(ROOT, 'dist', outName);
  await build({
    entryPoints: [join(ROOT, 'bench', entry)], outfile, bundle: true, platform: 'node', target: 'node20',
    format: 'esm', logLevel: 'warning',
    banner: { js: "import { createRequire as __rebote_cr } from 'node:module'; const require = __rebote_cr(import.meta.url);" },
  });
  return outfile;
}
