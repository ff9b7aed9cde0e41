#!/usr/bin/env node
// Bundles the Worker exactly as `wrangler deploy` would (--dry-run, no account needed) and
// fails when its gzip size passes the budget. Prints the figures either way.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUDGET_KIB = Number(process.env.BUNDLE_BUDGET_KIB ?? 1024);
const out = mkdtempSync(join(tmpdir(), 'rebote-bundle-'));
try {
  const res = spawnSync(process.execPath, [`${ROOT}node_modules/wrangler/bin/wrangler.js`, 'deploy', '--dry-run', '--outdir', out],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  if (res.status !== 0) {
    console.error(`wrangler deploy --dry-run failed:\n${res.stdout}\n${res.stderr}`);
    process.exit(1);
  }
  const code = readFileSync(join(out, 'index.js'));
  const rawKiB = code.length / 1024;
  const gzipKiB = gzipSync(code, { level: 9 }).length / 1024;
  console.log(`bundle: ${rawKiB.toFixed(1)} KiB raw, ${gzipKiB.toFixed(1)} KiB gzip (budget ${BUDGET_KIB} KiB gzip)`);
  if (gzipKiB > BUDGET_KIB) {
    console.error(`bundle: over budget by ${(gzipKiB - BUDGET_KIB).toFixed(1)} KiB`);
    process.exit(1);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
