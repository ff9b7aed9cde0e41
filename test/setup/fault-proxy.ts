/**
 * A small HTTP proxy in front of DynamoDB Local that misbehaves on purpose: it drops connections,
 * answers late, throttles, fails with 500, cancels a transaction as a conflicting one would (only
 * TransactWriteItems; its first item is named as the conflict), refuses a PutItem on an item a
 * transaction holds (TransactionConflictException), or forwards a request and then
 * loses the answer (the write happened, the Worker never hears of it). Tests steer it through
 * POST /__faults with the share of requests each fault takes; GET /__faults tells how many of
 * each were injected.
 */
import http from 'node:http';

export interface FaultPlan {
  drop: number;
  delay: number;
  throttle: number;
  error: number;
  loseResponse: number;
  /** Share of TransactWriteItems cancelled with reasons [TransactionConflict, None, ...]. */
  conflict: number;
  /** Share of PutItem refused as writing an item another transaction holds (TransactionConflictException). */
  putConflict: number;
  delayMs: number;
  seed: number;
}

const NONE: FaultPlan = { drop: 0, delay: 0, throttle: 0, error: 0, loseResponse: 0, conflict: 0, putConflict: 0, delayMs: 0, seed: 1 };

/** Deterministic shares: the same plan and request order inject the same faults. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** A plan, its random draws and what it injected: one for the whole proxy, one per table asked for. */
interface PlanState {
  plan: FaultPlan;
  random: () => number;
  injected: Record<string, number>;
}

const planState = (plan: FaultPlan): PlanState => ({ plan, random: prng(plan.seed), injected: {} });

export async function startFaultProxy(target: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const upstream = new URL(target);
  // POST /__faults?table=<name> steers only the requests that name that table, so that test
  // files running at the same time, each on a table of its own, do not steer each other's.
  let global = planState(NONE);
  const byTable = new Map<string, PlanState>();
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (req.url?.startsWith('/__faults')) {
      const table = new URL(req.url, 'http://proxy').searchParams.get('table');
      let state = table === null ? global : byTable.get(table) ?? planState(NONE);
      if (req.method === 'POST') {
        const answer = { plan: state.plan, injected: state.injected };
        state = planState({ ...NONE, ...(JSON.parse(body.toString() || '{}') as Partial<FaultPlan>) });
        if (table === null) global = state;
        else byTable.set(table, state);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ plan: state.plan, injected: state.injected }));
      return;
    }
    const text = body.toString('latin1');
    let state = global;
    for (const [table, s] of byTable) if (text.includes(`"${table}"`)) state = s;
    const { plan, random, injected } = state;
    const count = (k: string) => { injected[k] = (injected[k] ?? 0) + 1; };
    const r = random();
    let edge = 0;
    const hit = (share: number) => r < (edge += share);
    const amz = (status: number, type: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type })
        .end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
    };
    if (hit(plan.drop)) {
      count('drop');
      req.socket.destroy();
      return;
    }
    if (hit(plan.throttle)) {
      count('throttle');
      amz(400, 'ThrottlingException', 'Rate of requests exceeds the allowed throughput (injected)');
      return;
    }
    if (hit(plan.error)) {
      count('error');
      amz(500, 'InternalServerError', 'injected failure');
      return;
    }
    if (req.headers['x-amz-target'] === 'DynamoDB_20120810.TransactWriteItems' && hit(plan.conflict)) {
      count('conflict');
      const items = (JSON.parse(body.toString()) as { TransactItems: unknown[] }).TransactItems.length;
      const reasons = Array.from({ length: items }, (_, i) => (i === 0 ? { Code: 'TransactionConflict', Message: 'injected' } : { Code: 'None' }));
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'TransactionCanceledException' })
        .end(JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict] (injected)',
          CancellationReasons: reasons,
        }));
      return;
    }
    if (req.headers['x-amz-target'] === 'DynamoDB_20120810.PutItem' && hit(plan.putConflict)) {
      count('putConflict');
      amz(400, 'TransactionConflictException', 'Transaction is ongoing for the item (injected)');
      return;
    }
    const lose = hit(plan.loseResponse);
    if (!lose && hit(plan.delay)) {
      count('delay');
      await new Promise((ok) => setTimeout(ok, plan.delayMs));
    }
    const forwarded = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: upstream.host },
    }, (up) => {
      if (lose) {
        count('loseResponse');
        up.resume();
        up.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(up.statusCode ?? 500, up.headers);
      up.pipe(res);
    });
    forwarded.on('error', () => req.socket.destroy());
    forwarded.end(body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((ok) => server.close(ok));
    },
  };
}
