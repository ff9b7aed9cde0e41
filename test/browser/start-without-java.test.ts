/**
 * `npm start` and the tests on a machine without Java 17: they must say so plainly and how to get
 * Java, with no stack trace. Run with a PATH that holds only `node` (and, for one case, a `java`
 * that reports an old version).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/dynamodb-local.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START = join(ROOT, 'scripts/start.mjs');
/** A line of a stack trace, Node's or vitest's. */
const STACK_LINE = /^\s+(?:at|❯) /m;
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** A directory for PATH with `node` in it, and `java` when its version line is given. */
function pathWith(javaVersionLine?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rebote-path-'));
  dirs.push(dir);
  symlinkSync(process.execPath, join(dir, 'node'));
  if (javaVersionLine !== undefined) {
    // `java -version` writes to standard error.
    writeFileSync(join(dir, 'java'), `#!/bin/sh\necho '${javaVersionLine}' >&2\n`);
    chmodSync(join(dir, 'java'), 0o755);
  }
  return dir;
}

async function start(path: string) {
  const env = {
    PATH: path, HOME: process.env.HOME ?? tmpdir(), API_KEYS: 'start-test-key',
    PORT: String(await freePort()), DDB_PORT: String(await freePort()),
  };
  return spawnSync(process.execPath, [START], { env, encoding: 'utf8', timeout: 30_000 });
}

describe('without Java 17', () => {
  it('npm start says that Java is missing and how to install it, without a stack trace', async () => {
    const r = await start(pathWith());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DynamoDB Local needs Java 17 or newer, and no `java` command was found on PATH');
    expect(r.stderr).toContain('sudo apt-get install -y openjdk-17-jre-headless');
    expect(r.stderr).toContain('Or set DDB_ENDPOINT to a DynamoDB you already run');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).not.toContain('starting the Worker');
  });

  it('npm start names the Java it found when that one is too old', async () => {
    const r = await start(pathWith('openjdk version "11.0.22" 2024-01-16'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DynamoDB Local needs Java 17 or newer, and the `java` on PATH is version 11');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('the workerd tests say the same before they start', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'worker', 'test/worker/replay.test.ts'], {
      cwd: ROOT, env: { PATH: pathWith(), HOME: process.env.HOME ?? tmpdir(), NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.status).toBe(1);
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toContain('DynamoDB Local needs Java 17 or newer, and no `java` command was found on PATH');
    expect(out).toContain('sudo apt-get install -y openjdk-17-jre-headless');
    expect(out).not.toMatch(STACK_LINE);
  }, 60_000);
});
