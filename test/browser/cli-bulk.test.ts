/**
 * `rebote import` and `rebote export` against the Worker as a user runs it (wrangler dev +
 * DynamoDB Local): a provider export goes in over several requests, with skipped rows reported
 * against the file's own row numbers, and the whole list comes back out.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from './worker.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/rebote.mjs', import.meta.url));
const KEY = 'bulk-admin-key';
let worker: RunningWorker;
const dir = mkdtempSync(join(tmpdir(), 'rebote-bulk-'));

beforeAll(async () => {
  worker = await startWorker({ API_KEYS: KEY }, 'rebote_bulk');
});
afterAll(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('rebote import / export', () => {
  it('imports a Postmark export in batches and exports the whole list', async () => {
    const rows = Array.from({ length: 23 }, (_, i) => `user${i}@bulk.example,${i % 2 ? 'HardBounce' : 'SpamComplaint'},Recipient,2026-01-01`);
    rows[9] = 'not-an-address,HardBounce,Recipient,2026-01-01';
    const file = join(dir, 'postmark.csv');
    writeFileSync(file, `EmailAddress,SuppressionReason,Origin,CreatedAt\n${rows.join('\n')}\n`);
    const imported = await run(process.execPath, [BIN, 'import', file, '--batch', '5', '--url', worker.url, '--key', KEY]);
    expect(imported.stderr).toContain('23 row(s): 22 imported, 0 already suppressed, 1 skipped');
    expect(imported.stderr).toContain('row 11: not-an-address: not an email address');

    const again = await run(process.execPath, [BIN, 'import', file, '--url', worker.url, '--key', KEY]);
    expect(again.stderr).toContain('0 imported, 22 already suppressed');

    const out = join(dir, 'export.ndjson');
    const exported = await run(process.execPath, [BIN, 'export', '--format', 'ndjson', '--out', out, '--url', worker.url, '--key', KEY]);
    expect(exported.stderr).toContain('exported 22 suppression(s)');
    const items = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { email: string; reason: string });
    expect(items.find((i) => i.email === 'user1@bulk.example')?.reason).toBe('hard_bounce');
    expect(items.find((i) => i.email === 'user2@bulk.example')?.reason).toBe('complaint');
  });

  it('says plainly what is wrong with a bad key or missing options', async () => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, 'email\nx@bulk.example\n');
    const bad = await run(process.execPath, [BIN, 'import', file, '--reason', 'manual', '--url', worker.url, '--key', 'wrong']).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('import stopped after 0 of 1 rows: 401');
    const usage = await run(process.execPath, [BIN, 'export'], { env: { ...process.env, REBOTE_URL: '', REBOTE_KEY: '' } }).catch((e) => e);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--url (or REBOTE_URL) is required');
    const nowhere = await run(process.execPath, [BIN, 'export', '--out', join(dir, 'no-such-dir', 'x.csv'), '--url', worker.url, '--key', KEY]).catch((e) => e);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/^rebote: cannot write .*no-such-dir.*: its folder does not exist$/m);
    expect(nowhere.stderr).not.toContain('    at ');
    const full = await run(process.execPath, [BIN, 'export', '--out', '/dev/full', '--url', worker.url, '--key', KEY]).catch((e) => e);
    expect(full.code).toBe(1);
    expect(full.stderr).toContain('rebote: writing /dev/full failed: no space left on the device');
    const help = await run(process.execPath, [BIN, 'import', '--help']);
    expect(help.stdout).toContain('rebote import <file>');
  });
});
