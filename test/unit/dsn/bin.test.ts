/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = 'test/fixtures/dsn';

function rebote(args: string[], input?: Buffer) {
  return spawnSync(process.execPath, ['bin/rebote.mjs', ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
}

describe('bin/rebote.mjs in Node (the bundle of the Worker\'s modules)', () => {
  it('prints NDJSON events for files and directories, and says what it could not read', () => {
    const r = rebote(['inspect', `${FIXTURES}/arf-17.eml`, `${FIXTURES}/no-such-file.eml`]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file, l.type, l.recipient, l.suppression])).toEqual([
      [`${FIXTURES}/arf-17.eml`, 'complained', 'kijitora@example.com', 'complaint'],
      [`${FIXTURES}/arf-17.eml`, 'complained', 'sabatora@example.net', 'complaint'],
    ]);
    expect(r.stderr).toContain('no-such-file.eml: no such file or directory');
  });

  it('reads standard input, and exits 0 when everything was read', () => {
    const r = rebote(['inspect', '-q', '-'], readFileSync(`${ROOT}${FIXTURES}/lhost-gmail-01.eml`));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: '<stdin>', format: 'gmail', recipient: 'userunknown@example.jp', suppression: 'hard_bounce' });
    expect(r.stderr).toBe('');
  });

  it('exits 2 on a usage error', () => {
    const r = rebote(['inspect', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option "--bogus"');
  });
});
