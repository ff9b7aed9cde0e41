#!/usr/bin/env node
// `npm start`: DynamoDB Local (in memory) + the Worker under `wrangler dev`, no AWS account.
// Configuration: .dev.vars, overridden by any SPEC §7 key set in the environment; PORT
// (default 8787) and DDB_PORT (default 8000) choose the ports. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dotEnvLine, readDotEnv } from './dot-env.mjs';
import { ensureTable, JavaMissingError, portTaken, startDynamoDbLocal } from './dynamodb-local.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STATE_DIR = `${ROOT}.rebote`;
const KEYS = [
  'DDB_TABLE', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'DDB_ENDPOINT', 'API_KEYS',
  'INGEST_TOKEN', 'SENDGRID_WEBHOOK_PUBLIC_KEY', 'MAILGUN_WEBHOOK_SIGNING_KEY', 'POSTMARK_WEBHOOK_AUTH',
  'SPARKPOST_WEBHOOK_AUTH', 'MANDRILL_WEBHOOK_KEY', 'MANDRILL_WEBHOOK_URL', 'RESEND_WEBHOOK_SECRET',
  'BREVO_WEBHOOK_AUTH', 'MAILJET_WEBHOOK_AUTH', 'MAILERSEND_WEBHOOK_SECRET', 'AZURE_WEBHOOK_SECRET',
  'SNS_TOPIC_ARNS', 'SOFT_BOUNCE_LIMIT', 'SOFT_BOUNCE_WINDOW_DAYS', 'SOFT_SUPPRESSION_DAYS',
  'SUPPRESS_UNSUBSCRIBES', 'EVENT_RETENTION_DAYS', 'FORWARD_TO',
];

function port(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`${name} must be a port number, got "${raw}"`);
  return n;
}

function fail(message) {
  console.error(`rebote: ${message}`);
  process.exit(1);
}

/**
 * Whether process `pid` still runs. npm runs this script through `sh -c`, and a SIGTERM to npm
 * (docker stop, systemd) ends npm and sh without passing it on: the script must notice itself.
 */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The `misconfigured` message of a Worker that answers /healthz with one, else null. */
async function misconfiguration(res) {
  if (res.status !== 500) return null;
  const body = await res.json().catch(() => null);
  return body?.error?.code === 'misconfigured' ? String(body.error.message) : null;
}

async function main() {
  const httpPort = port('PORT', 8787);
  const ddbPort = port('DDB_PORT', 8000);
  if (await portTaken(httpPort)) fail(`port ${httpPort} is already in use; choose another with PORT=<port>`);
  const { vars: devVars, dollars } = readDotEnv(`${ROOT}.dev.vars`);
  if (dollars.length > 0) {
    console.warn(`rebote: in .dev.vars, wrangler reads $NAME as another setting's value (${dollars.join(', ')}); write \\$ for a dollar sign`);
  }
  const overrides = {};
  for (const k of KEYS) if (process.env[k] !== undefined && process.env[k] !== '') overrides[k] = process.env[k];

  let apiKeyNote = null;
  if (!overrides.API_KEYS && !devVars.API_KEYS) {
    mkdirSync(STATE_DIR, { recursive: true });
    const keyFile = `${STATE_DIR}/dev-api-key`;
    // Reuse the key between runs so scripts and the README walkthrough keep working.
    const key = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : `dev_${randomBytes(18).toString('base64url')}`;
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
    overrides.API_KEYS = key;
    apiKeyNote = `development API key (admin): ${key}   (also in .rebote/dev-api-key)`;
  }

  let ddb = null;
  const table = overrides.DDB_TABLE ?? devVars.DDB_TABLE ?? 'rebote';
  if (!overrides.DDB_ENDPOINT && !devVars.DDB_ENDPOINT) {
    console.log(`rebote: starting DynamoDB Local on 127.0.0.1:${ddbPort} (in memory)…`);
    try {
      ddb = await startDynamoDbLocal({ port: ddbPort });
    } catch (err) {
      fail(err instanceof JavaMissingError
        ? `${err.message}\nOr set DDB_ENDPOINT to a DynamoDB you already run, and npm start will use it.`
        : err.message);
    }
    overrides.DDB_ENDPOINT = ddb.endpoint;
  }
  const endpoint = overrides.DDB_ENDPOINT ?? devVars.DDB_ENDPOINT;
  try {
    await ensureTable(endpoint, table);
  } catch (err) {
    await ddb?.stop();
    fail(`could not create the table "${table}" at ${endpoint}: ${err.message}`);
  }

  mkdirSync(STATE_DIR, { recursive: true });
  const envFile = `${STATE_DIR}/start.env`;
  const lines = Object.entries(overrides).map(([k, v]) => {
    const line = dotEnvLine(k, String(v));
    if (line === null) fail(`${k} holds ', \` and " at once, which wrangler cannot read back from a file; set it in .dev.vars`);
    return line;
  });
  writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  const envFiles = existsSync(`${ROOT}.dev.vars`) ? ['--env-file', `${ROOT}.dev.vars`] : [];

  console.log(`rebote: starting the Worker (wrangler dev) on 127.0.0.1:${httpPort}…`);
  const wrangler = spawn(
    process.execPath,
    [`${ROOT}node_modules/wrangler/bin/wrangler.js`, 'dev', '--ip', '127.0.0.1', '--port', String(httpPort),
      '--show-interactive-dev-session=false', ...envFiles, '--env-file', envFile],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  wrangler.stdout.on('data', (d) => process.stdout.write(d));
  wrangler.stderr.on('data', (d) => process.stderr.write(d));

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    wrangler.kill('SIGTERM');
    await ddb?.stop();
    console.log('rebote: stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('SIGHUP', () => stop(0));
  wrangler.on('exit', (code) => {
    if (!stopping) {
      console.error(`rebote: wrangler dev exited (${code})`);
      stop(code ?? 1);
    }
  });
  ddb?.exited.then((how) => {
    if (stopping) return;
    console.error(`rebote: DynamoDB Local stopped (${how}); its in-memory data is gone. Run npm start again.`);
    stop(1);
  });
  const parent = process.ppid;
  setInterval(() => {
    if (!alive(parent)) stop(0);
  }, 1000).unref();

  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    let res = null;
    try {
      res = await fetch(`${url}/healthz`);
    } catch { /* not up yet */ }
    if (res?.ok) break;
    const problem = res !== null ? await misconfiguration(res) : null;
    if (problem !== null) {
      console.error(`rebote: the Worker cannot run with this configuration: ${problem}`);
      console.error('rebote: fix it in .dev.vars or the environment, then run npm start again');
      return stop(1);
    }
    if (Date.now() > deadline) {
      console.error('rebote: the Worker did not answer /healthz within 60 s');
      return stop(1);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`\nrebote: ready at ${url}  (DynamoDB at ${endpoint}, table ${table})`);
  if (apiKeyNote) console.log(`rebote: ${apiKeyNote}`);
  console.log('rebote: press Ctrl-C to stop\n');
}

main().catch((err) => fail(err.stack ?? String(err)));
