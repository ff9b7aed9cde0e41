/**
 * The probe behind bench/email-cpu.mjs: CPU of decoding bounce emails with the Worker's decoder
 * (parseBounceEmail, what the Email Routing handler and POST /webhooks/dsn run), in one of two
 * states of the JavaScript engine:
 *
 *   cold <file>   the first email of a fresh process, as in a fresh Worker isolate: the modules
 *                 are loaded (a Worker's start-up, which Cloudflare counts apart), nothing of the
 *                 decoder has run yet; prints {"cpu_ms":..}
 *   warm <file>…  the files decoded over and over in one process; prints the CPU of each file
 *                 on the last pass: {"cpu_ms":[..]}
 *
 * Node runs V8 with its default flags here, as workerd does (the CLI sets flags of its own).
 * process.cpuUsage counts all of the process's threads (the garbage collector's and optimizing
 * compiler's helpers too), so the figures are if anything above the isolate's own CPU time.
 */
import { readFileSync } from 'node:fs';
import { parseBounceEmail } from '../src/dsn/index.js';

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function decode(body: Uint8Array): Promise<number> {
  const start = cpuMs();
  await parseBounceEmail(body, { receivedAt: '2026-01-01T00:00:00.000Z' });
  return cpuMs() - start;
}

const [mode, ...files] = process.argv.slice(2);
const bodies = files.map((f) => new Uint8Array(readFileSync(f)));
if (mode === 'cold' && bodies.length === 1) {
  console.log(JSON.stringify({ cpu_ms: await decode(bodies[0]!) }));
} else if (mode === 'warm' && bodies.length > 0) {
  const PASSES = 5;
  let last: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    last = [];
    for (const body of bodies) last.push(await decode(body));
  }
  console.log(JSON.stringify({ cpu_ms: last }));
} else {
  console.error('usage: email-probe cold <file> | warm <file>...');
  process.exit(2);
}
