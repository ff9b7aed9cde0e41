#!/usr/bin/env node
// `npm run deploy -- <staging|production>`: refuses to deploy while a required secret is missing,
// says which inputs will refuse everything for lack of their secret, then runs wrangler deploy.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deploymentCheck } from './deploy-secrets.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRANGLER = [`${ROOT}node_modules/wrangler/bin/wrangler.js`];
const env = process.argv[2];
if (env !== 'staging' && env !== 'production') {
  console.error('usage: npm run deploy -- <staging|production>');
  process.exit(2);
}

const listed = spawnSync(process.execPath, [...WRANGLER, 'secret', 'list', '--env', env, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
if (listed.status !== 0) {
  console.error(`rebote: could not list the secrets of "${env}" (is \`npx wrangler login\` done?):\n${listed.stderr.trim()}`);
  process.exit(1);
}
const secrets = JSON.parse(listed.stdout).map((s) => s.name);
// Vars count too (SNS_TOPIC_ARNS may live in wrangler.toml): a rough read of [env.<name>.vars].
const toml = readFileSync(`${ROOT}wrangler.toml`, 'utf8');
const section = toml.split(`[env.${env}.vars]`)[1]?.split(/\n\[/)[0] ?? '';
const vars = [...section.matchAll(/^([A-Z_]+)\s*=/gm)].map((m) => m[1]);

const { missing, enabled, disabled } = deploymentCheck([...secrets, ...vars]);
if (missing.length > 0) {
  console.error(`rebote: not deploying "${env}": missing secret(s) ${missing.join(', ')}.`);
  for (const name of missing) console.error(`  npx wrangler secret put ${name} --env ${env}`);
  process.exit(1);
}
console.log(`rebote: inputs configured: ${enabled.join(', ') || 'none'}`);
// Raw email over HTTP needs INGEST_TOKEN; Email Routing's email() handler needs no secret.
const named = disabled.map((input) => (input === 'dsn' ? 'dsn (POST /webhooks/dsn; Email Routing still works)' : input));
if (disabled.length > 0) console.log(`rebote: inputs that will refuse every request (no secret): ${named.join(', ')}`);
// A stale gram table costs speed, not answers (a rule changed since it was made runs whole).
const grams = spawnSync(process.execPath, [`${ROOT}scripts/gen-rule-grams.mjs`, '--check'], { cwd: ROOT, encoding: 'utf8' });
if (grams.status !== 0) console.warn(`rebote: ${grams.stderr.trim()} (deploying anyway: the changed rules run whole, more slowly)`);
const deployed = spawnSync(process.execPath, [...WRANGLER, 'deploy', '--env', env], { cwd: ROOT, stdio: 'inherit' });
process.exit(deployed.status ?? 1);
