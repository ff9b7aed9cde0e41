/**
 * `npm start` as a newcomer runs it (README's first command), with PORT and DDB_PORT chosen: the
 * Worker answers on PORT, keeps its suppressions in the DynamoDB Local on DDB_PORT, prints the
 * development API key it made, and Ctrl-C stops both. Run from a copy of the project's sources
 * (node_modules linked), so that its .rebote/ never touches a developer's own `npm start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, portTaken } from '../../scripts/dynamodb-local.mjs';
import { stopGroup } from './worker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const copy = mkdtempSync(join(tmpdir(), 'rebote-start-'));
let child: ChildProcess | undefined;

afterAll(async () => {
  // A failed test may leave it running, with wrangler and DynamoDB Local in its process group:
  // start.mjs stops both on SIGTERM and cleans up after DynamoDB Local.
  if (child) await stopGroup(child);
  rmSync(copy, { recursive: true, force: true });
}, 20_000);

/** Resolves with the match once `pattern` shows in the output, or rejects when the child exits first or after `ms`. */
function waitFor(proc: ChildProcess, output: () => string, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${pattern} within ${ms} ms:\n${output()}`)), ms);
    const check = () => {
      const m = pattern.exec(output());
      if (m) done(null, m);
    };
    const exit = () => done(new Error(`npm start exited (${proc.exitCode}) before ${pattern}:\n${output()}`));
    const done = (err: Error | null, m?: RegExpExecArray) => {
      clearTimeout(timer);
      proc.stdout?.off('data', check);
      proc.off('exit', exit);
      if (err) reject(err); else resolve(m!);
    };
    proc.stdout?.on('data', check);
    proc.once('exit', exit);
    check();
  });
}

describe('npm start', () => {
  it('serves on PORT with DynamoDB Local on DDB_PORT, prints a key that works, and stops both on Ctrl-C', async () => {
    for (const part of ['src', 'scripts', 'package.json', 'tsconfig.json', 'wrangler.toml']) {
      cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const port = await freePort();
    const ddbPort = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DDB_PORT: String(ddbPort), NO_COLOR: '1' };
    delete env.API_KEYS;
    delete env.DDB_ENDPOINT;
    const proc = spawn(process.execPath, [join(copy, 'scripts/start.mjs')], { cwd: copy, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let out = '';
    proc.stdout!.on('data', (d) => { out += d; });
    proc.stderr!.on('data', (d) => { out += d; });

    const ready = await waitFor(proc, () => out, /rebote: ready at (http:\/\/127\.0\.0\.1:\d+) +\(DynamoDB at (\S+), table rebote\)/, 90_000);
    expect(ready[1]).toBe(`http://127.0.0.1:${port}`);
    expect(ready[2]).toBe(`http://127.0.0.1:${ddbPort}`);
    const key = (await waitFor(proc, () => out, /development API key \(admin\): (\S+)/, 5_000))[1]!;
    expect(readFileSync(join(copy, '.rebote/dev-api-key'), 'utf8').trim()).toBe(key);
    expect(statSync(join(copy, '.rebote/dev-api-key')).mode & 0o777).toBe(0o600);

    const url = ready[1]!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const auth = { Authorization: `Bearer ${key}` };
    const put = await fetch(`${url}/v1/suppressions/someone%40start.example`, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' });
    expect(put.ok).toBe(true);
    const got = await fetch(`${url}/v1/suppressions/someone%40start.example`, { headers: auth });
    expect(got.status).toBe(200);
    expect((await got.json() as { reason: string }).reason).toBe('manual');
    expect((await fetch(`${url}/v1/suppressions/someone%40start.example`, { headers: { Authorization: 'Bearer not-the-key' } })).status).toBe(401);

    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('rebote: stopped');
    // Both ports are free again: nothing was left running.
    for (let i = 0; i < 50 && ((await portTaken(port)) || (await portTaken(ddbPort))); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await portTaken(port)).toBe(false);
    expect(await portTaken(ddbPort)).toBe(false);
  }, 120_000);
});
