/**
 * Runs the Worker as a user would (`wrangler dev`, the real bundle and wrangler.toml) against
 * DynamoDB Local, on free ports, for the browser tests. Unlike `npm start` it writes nothing
 * into the repository's .rebote/ and ignores a developer's .dev.vars, so it can run beside them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTable, freePort, startDynamoDbLocal } from '../../scripts/dynamodb-local.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningWorker {
  url: string;
  ddbEndpoint: string;
  table: string;
  stop(): Promise<void>;
}

export async function startWorker(vars: Record<string, string>, table = 'rebote_browser'): Promise<RunningWorker> {
  const ddb = await startDynamoDbLocal();
  let wrangler: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'rebote-browser-'));
  const stop = async () => {
    if (wrangler) await stopGroup(wrangler);
    await ddb.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ensureTable(ddb.endpoint, table);
    const port = await freePort();
    const inspectorPort = await freePort();
    // An env file of our own: given --env-file, wrangler does not read the repository's .dev.vars.
    const envFile = join(dir, 'worker.env');
    const all = { ...vars, DDB_TABLE: table, DDB_ENDPOINT: ddb.endpoint };
    writeFileSync(envFile, Object.entries(all).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n') + '\n', { mode: 0o600 });
    wrangler = spawn(process.execPath, [
      join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'dev',
      '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
      '--show-interactive-dev-session=false', '--env-file', envFile, '--persist-to', join(dir, 'state'),
    ], {
      cwd: ROOT,
      // Its own process group, so stopping it also stops the workerd it starts.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    });
    let output = '';
    wrangler.stdout?.on('data', (d) => { output += d; });
    wrangler.stderr?.on('data', (d) => { output += d; });
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, wrangler, () => output);
    return { url, ddbEndpoint: ddb.endpoint, table, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`the Worker did not answer ${url}/healthz within 60 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** SIGTERM to the process group of a child started detached, SIGKILL if it lingers; resolves once the child exits. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (s: NodeJS.Signals) => {
    try { process.kill(-child.pid!, s); } catch { /* already gone */ }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  // workerd may outlive wrangler by a moment; the group is ours alone.
  signal('SIGKILL');
}
