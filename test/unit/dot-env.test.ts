/** .dev.vars values as npm start reads them: the same as wrangler (dotenv's rules), so both agree. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dotEnvValue, readDotEnv } from '../../scripts/dot-env.mjs';

describe('dotEnvValue', () => {
  it('ends an unquoted value at a comment and trims it', () => {
    expect(dotEnvValue('rebote  # local table')).toBe('rebote');
    expect(dotEnvValue('abc#def')).toBe('abc');
    expect(dotEnvValue('  spaced  ')).toBe('spaced');
    expect(dotEnvValue('')).toBe('');
  });

  it('keeps a # inside quotes, and allows a comment after them', () => {
    expect(dotEnvValue('"user:p#ss" # Brevo')).toBe('user:p#ss');
    expect(dotEnvValue("'single'#x")).toBe('single');
    expect(dotEnvValue('`tick`')).toBe('tick');
  });

  it('turns \\n into a line break in double quotes only', () => {
    expect(dotEnvValue('"a\\nb"')).toBe('a\nb');
    expect(dotEnvValue("'a\\nb'")).toBe('a\\nb');
  });

  it('keeps quotes that do not close the value', () => {
    expect(dotEnvValue('"unterminated')).toBe('"unterminated');
    expect(dotEnvValue('"x"y')).toBe('"x"y');
  });
});

describe('readDotEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebote-dotenv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads KEY=value lines, export included, and skips comments and other lines', () => {
    const file = join(dir, '.dev.vars');
    writeFileSync(file, '# local settings\r\nDDB_TABLE=mytable  # local table\nexport API_KEYS="read:k1,k2"\nnot a setting\n  SOFT_BOUNCE_LIMIT = 5\n');
    expect(readDotEnv(file)).toEqual({ DDB_TABLE: 'mytable', API_KEYS: 'read:k1,k2', SOFT_BOUNCE_LIMIT: '5' });
  });

  it('is empty when there is no file', () => {
    expect(readDotEnv(join(dir, 'missing'))).toEqual({});
  });
});
