/**
 * The probe behind bench/worker-cpu.mjs: CPU of the work a Worker request does before it stores
 * anything, with the Worker's own modules, in one of two states of the JavaScript engine:
 *
 *   email-cold <file>     decoding a bounce email (parseBounceEmail, what the Email Routing
 *                         handler and POST /webhooks/dsn run) as the first work of a fresh
 *                         process, as in a fresh isolate: the modules are loaded (a Worker's
 *                         start-up, which Cloudflare counts apart), nothing of them has run yet
 *   email-warm <file>...  the same for each file once the code is warm (the fifth pass over all)
 *   sendgrid-cold <n>     verify + parse of a signed SendGrid batch of n events of the reference
 *                         mix as the first work of a fresh process
 *
 * Prints {"cpu_ms": number or number[]}. Node runs V8 with its default flags here (the CLI sets
 * flags of its own; a Worker cannot set V8 flags). process.cpuUsage counts all of the process's threads
 * (the garbage collector's and optimizing compiler's helpers too), so the figures are if anything
 * above the isolate's own CPU time.
 */
import { readFileSync } from 'node:fs';
import { parseBounceEmail } from '../src/dsn/index.js';
import { cpuMicros, signedSendgridBatch } from './cpu.js';

const cpuMs = (): number => cpuMicros() / 1000;

async function cpuOf(work: () => Promise<unknown>): Promise<number> {
  const start = cpuMs();
  await work();
  return cpuMs() - start;
}

const decode = (body: Uint8Array) => () => parseBounceEmail(body, { receivedAt: '2026-01-01T00:00:00.000Z' });

const [mode, ...args] = process.argv.slice(2);
let cpu: number | number[];
if (mode === 'email-cold' && args.length === 1) {
  cpu = await cpuOf(decode(new Uint8Array(readFileSync(args[0]!))));
} else if (mode === 'email-warm' && args.length > 0) {
  const bodies = args.map((f) => new Uint8Array(readFileSync(f)));
  const PASSES = 5;
  let last: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    last = [];
    for (const body of bodies) last.push(await cpuOf(decode(body)));
  }
  cpu = last;
} else if (mode === 'sendgrid-cold' && args.length === 1 && Number(args[0]) > 0) {
  // Making and signing the batch runs other code than the Worker's (the mix, signing).
  const { handle } = await signedSendgridBatch(Number(args[0]));
  cpu = await cpuOf(handle);
} else {
  console.error('usage: worker-cpu-probe email-cold <file> | email-warm <file>... | sendgrid-cold <events>');
  process.exit(2);
}
console.log(JSON.stringify({ cpu_ms: cpu }));
