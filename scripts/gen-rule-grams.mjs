#!/usr/bin/env node
// Writes src/catalog/rule-grams.ts: what src/catalog/rule-reader.ts finds in each text
// rule of src/catalog/text-patterns.ts (the grams that let matchText skip rules a text cannot
// match). Run it after changing a rule or rule-reader.ts: `npm run gen:rule-grams`. The unit test
// test/unit/catalog/rule-gate.test.ts fails while the file is stale.
// Usage: node scripts/gen-rule-grams.mjs [--check]   (--check: exit 1 if the file would change)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'src', 'catalog', 'rule-grams.ts');

const bundle = await build({
  stdin: {
    contents: "export { RULES } from './text-patterns.ts'; export { gramTable, ruleGramsModule } from './rule-reader.ts';",
    resolveDir: join(ROOT, 'src', 'catalog'), loader: 'ts',
  },
  bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'warning',
  // The table being written is not read while it is made (it may be stale, or not there yet).
  plugins: [{
    name: 'no-table',
    setup(b) {
      b.onResolve({ filter: /\/rule-grams\.js$/ }, () => ({ path: 'rule-grams', namespace: 'no-table' }));
      b.onLoad({ filter: /.*/, namespace: 'no-table' }, () => ({ contents: 'export const RULE_GRAMS = [];', loader: 'js' }));
    },
  }],
});
const { RULES, gramTable, ruleGramsModule } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);
const text = ruleGramsModule(gramTable(RULES.map((rule) => rule[1])));

const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('src/catalog/rule-grams.ts is stale: run npm run gen:rule-grams');
    process.exit(1);
  }
} else if (current !== text) {
  writeFileSync(OUT, text);
  console.log('wrote src/catalog/rule-grams.ts');
} else {
  console.log('src/catalog/rule-grams.ts is current');
}
