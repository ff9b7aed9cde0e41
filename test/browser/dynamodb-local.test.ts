/**
 * DynamoDB Local as `npm start`, the tests and the benchmarks start it: what it unpacks into a
 * temporary directory is gone once it has stopped, though it is stopped with SIGKILL.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTable, startDynamoDbLocal } from '../../scripts/dynamodb-local.mjs';

const TMPDIR = process.env.TMPDIR;
afterEach(() => {
  if (TMPDIR === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = TMPDIR;
});

/** Every file under `dir`, as paths relative to it. */
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));

describe('DynamoDB Local', () => {
  it('unpacks its SQLite library into a directory of its own and leaves nothing behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rebote-tmp-'));
    try {
      process.env.TMPDIR = root;
      const ddb = await startDynamoDbLocal();
      try {
        // The library is unpacked when the first table is made.
        await ensureTable(ddb.endpoint, 'rebote_tmp_check');
        expect(filesUnder(root)).toEqual([expect.stringMatching(/^rebote-dynamodb-\w+\/.*sqlite4java.*\.so$/)]);
      } finally {
        await ddb.stop();
      }
      expect(readdirSync(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
