/**
 * `npm start` as a newcomer runs it (README's first command), with PORT and DDB_PORT chosen: the
 * Worker answers on PORT, keeps its suppressions in the DynamoDB Local on DDB_PORT, prints the
 * development API key it made, and Ctrl-C stops both. It says so and stops when the Worker cannot
 * run with its settings, when DynamoDB Local dies, and when whatever started it goes away (npm
 * passes no SIGTERM on to it). Run from a copy of the project's sources (node_modules linked), so
 * that its .rebote/ never touches a developer's own `npm start`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, portTaken } from '../../scripts/dynamodb-local.mjs';
import { stopGroup } from './worker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const copy = mkdtempSync(join(tmpdir(), 'rebote-start-'));
const children: ChildProcess[] = [];

beforeAll(() => {
  for (const part of ['src', 'scripts', 'package.json', 'tsconfig.json', 'wrangler.toml']) {
    cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
});

/** Sends `signal` to process group `pgid`; false when no process of it is left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
const groupAlive = (pgid: number) => signalGroup(pgid, 0);

afterAll(async () => {
  // A failed test may leave it running, with wrangler and DynamoDB Local in its process group:
  // start.mjs stops both on SIGTERM and cleans up after DynamoDB Local. The group outlives its
  // leader in the test that kills the shell.
  for (const child of children) {
    await stopGroup(child);
    if (child.pid === undefined || !groupAlive(child.pid)) continue;
    signalGroup(child.pid, 'SIGTERM');
    for (let i = 0; i < 50 && groupAlive(child.pid); i++) await new Promise((r) => setTimeout(r, 100));
    signalGroup(child.pid, 'SIGKILL');
  }
  rmSync(copy, { recursive: true, force: true });
}, 60_000);

interface Started {
  proc: ChildProcess;
  output: () => string;
  port: number;
  ddbPort: number;
}

/** Starts start.mjs from the copy on free ports (through `sh -c`, as npm does, when `viaShell`). */
async function start(extraEnv: NodeJS.ProcessEnv = {}, viaShell = false): Promise<Started> {
  const port = await freePort();
  const ddbPort = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DDB_PORT: String(ddbPort), NO_COLOR: '1', ...extraEnv };
  delete env.API_KEYS;
  delete env.DDB_ENDPOINT;
  const script = join(copy, 'scripts/start.mjs');
  const proc = viaShell
    ? spawn('sh', ['-c', `"${process.execPath}" "${script}"; exit 0`], { cwd: copy, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [script], { cwd: copy, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  return { proc, output: () => out, port, ddbPort };
}

/** Waits (up to 15 s) until neither port is in use: nothing was left running. */
async function portsFreed(port: number, ddbPort: number): Promise<void> {
  for (let i = 0; i < 150 && ((await portTaken(port)) || (await portTaken(ddbPort))); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await portTaken(port)).toBe(false);
  expect(await portTaken(ddbPort)).toBe(false);
}

const READY = /rebote: ready at (http:\/\/127\.0\.0\.1:\d+) +\(DynamoDB at (\S+), table rebote\)/;

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
    const { proc, output, port, ddbPort } = await start();
    const ready = await waitFor(proc, output, READY, 90_000);
    expect(ready[1]).toBe(`http://127.0.0.1:${port}`);
    expect(ready[2]).toBe(`http://127.0.0.1:${ddbPort}`);
    const key = (await waitFor(proc, output, /development API key \(admin\): (\S+)/, 5_000))[1]!;
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
    expect(output()).toContain('rebote: stopped');
    await portsFreed(port, ddbPort);
  }, 120_000);

  it('names a setting the Worker cannot run with, and exits 1 at once', async () => {
    const { proc, output, port, ddbPort } = await start({ SOFT_BOUNCE_LIMIT: '0' });
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    expect(await exited).toBe(1);
    expect(output()).toContain('the Worker cannot run with this configuration: SOFT_BOUNCE_LIMIT must be a positive integer, got "0"');
    expect(output()).not.toMatch(READY);
    await portsFreed(port, ddbPort);
  }, 120_000);

  it('says so and stops when DynamoDB Local dies, since its data went with it', async () => {
    const { proc, output, port, ddbPort } = await start();
    await waitFor(proc, output, READY, 90_000);
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    execFileSync('pkill', ['-KILL', '-f', `DynamoDBLocal.jar -inMemory -port ${ddbPort} `]);
    expect(await exited).toBe(1);
    expect(output()).toMatch(/rebote: DynamoDB Local stopped \(SIGKILL\); its in-memory data is gone/);
    await portsFreed(port, ddbPort);
  }, 120_000);

  it('stops everything when the shell that started it is killed, as npm\'s is by a SIGTERM', async () => {
    const { proc, output, port, ddbPort } = await start({}, true);
    await waitFor(proc, output, READY, 90_000);
    proc.kill('SIGKILL');
    await portsFreed(port, ddbPort);
  }, 120_000);
});
