// The inputs of the benchmarks that read bounce emails: the .eml files under a directory, its
// subdirectories included (not those reached by a symbolic link, which could loop), in sorted
// order; hidden names are skipped, and so is a link that leads to no file.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function emlFiles(dir) {
  const out = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...emlFiles(p));
    else if (entry.name.endsWith('.eml') && (!entry.isSymbolicLink() || statSync(p, { throwIfNoEntry: false })?.isFile())) out.push(p);
  }
  return out;
}

/** emlFiles(dir), or exit 2 saying why there is nothing to read (`usage`: how to name another directory). */
export function emlFilesOrExit(dir, usage) {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`bench: no directory of .eml files at ${dir}; pass one: ${usage}`);
    process.exit(2);
  }
  const files = emlFiles(dir);
  if (files.length === 0) {
    console.error(`bench: no .eml files under ${dir}`);
    process.exit(2);
  }
  return files;
}
