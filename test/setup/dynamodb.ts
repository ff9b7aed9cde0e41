/**
 * Global setup of the workerd tests: AWS DynamoDB Local in memory on a free port with the table
 * created from src/store/table.json, a "black hole" TCP port that accepts connections and never
 * answers (a store that hangs), a port that answers with a response's head and then never sends
 * its body (a store that stalls mid-answer), and a fault-injecting proxy in front of DynamoDB
 * Local. All are handed to the tests through provide/inject.
 */
import net from 'node:net';
import type { TestProject } from 'vitest/node';
import { startFaultProxy } from './fault-proxy.js';
import { ensureTable, JavaMissingError, startDynamoDbLocal } from '../../scripts/dynamodb-local.mjs';

export const TEST_TABLE = 'rebote_test';

declare module 'vitest' {
  export interface ProvidedContext {
    ddbEndpoint: string;
    blackHoleEndpoint: string;
    stalledEndpoint: string;
    faultProxyEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  let db: { endpoint: string; stop(): Promise<void> };
  try {
    db = await startDynamoDbLocal();
  } catch (err) {
    if (err instanceof JavaMissingError) {
      console.error(`\n${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  await ensureTable(db.endpoint, TEST_TABLE);
  const sockets = new Set<net.Socket>();
  const hole = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
  const { port } = hole.address() as net.AddressInfo;
  const stalled = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.once('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 1000\r\n\r\n{"Item":'));
  });
  await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
  project.provide('ddbEndpoint', db.endpoint);
  project.provide('blackHoleEndpoint', `http://127.0.0.1:${port}`);
  project.provide('stalledEndpoint', `http://127.0.0.1:${(stalled.address() as net.AddressInfo).port}`);
  const proxy = await startFaultProxy(db.endpoint);
  project.provide('faultProxyEndpoint', proxy.endpoint);
  return async () => {
    await proxy.stop();
    for (const s of sockets) s.destroy();
    hole.close();
    stalled.close();
    await db.stop();
  };
}
