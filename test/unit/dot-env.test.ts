/** .dev.vars values as npm start reads them: the same as wrangler (dotenv's rules and `$NAME` expansion), so both agree. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dotEnvLine, dotEnvValue, expandDotEnv, readDotEnv } from '../../scripts/dot-env.mjs';

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
    expect(readDotEnv(file)).toEqual({ vars: { DDB_TABLE: 'mytable', API_KEYS: 'read:k1,k2', SOFT_BOUNCE_LIMIT: '5' }, dollars: [] });
  });

  it('expands $NAME from the lines before, as wrangler does, and names the keys that hold one', () => {
    const file = join(dir, 'dollars.vars');
    writeFileSync(file, 'DDB_TABLE=rebote-$USER\nAPI_KEYS=admin:$ecret\nSTAGE=dev\nTABLE2=${STAGE}-t\nPLAIN=\\$5\n');
    expect(readDotEnv(file)).toEqual({
      vars: { DDB_TABLE: 'rebote-', API_KEYS: 'admin:', STAGE: 'dev', TABLE2: 'dev-t', PLAIN: '$5' },
      dollars: ['DDB_TABLE', 'API_KEYS', 'TABLE2'],
    });
  });

  it('is empty when there is no file', () => {
    expect(readDotEnv(join(dir, 'missing'))).toEqual({ vars: {}, dollars: [] });
  });
});

describe('expandDotEnv', () => {
  it('reads the fallbacks and conditions of ${NAME…} as dotenv-expand does', () => {
    const earlier = { SET: 'x', EMPTY: '' };
    expect(expandDotEnv('${NOPE:-dflt}|${EMPTY-d2}|${SET:-no}', earlier)).toBe('dflt|d2|x');
    expect(expandDotEnv('${SET:+yes}|${NOPE+no}|$SET$SET', earlier)).toBe('yes||xx');
    expect(expandDotEnv('a\\$SET b$', earlier)).toBe('a$SET b$');
  });
});

describe('dotEnvLine', () => {
  it('writes a value wrangler reads back as it is: quoted, every $ kept from expansion', () => {
    const back = (line: string) => readDotEnvText(line);
    const pem = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';
    for (const value of ['plain', 'with $dollar and ${X}', "it's", 'a`b\'c', 'a\\$b', 'line\nbreak', '#not a comment', 'back\\nslash n', pem, "it's\r\n$HOME"]) {
      const line = dotEnvLine('K', value);
      expect(line, value).not.toBeNull();
      expect(back(line!), value).toBe(value);
    }
    expect(dotEnvLine('K', 'q"uo\'te`')).toBeNull();
    expect(dotEnvLine('K', 'two\nlines "quoted"')).toBeNull();
  });

  /** The value of K as readDotEnv gets it from a file holding `line`. */
  function readDotEnvText(line: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'rebote-dotenv-line-'));
    try {
      writeFileSync(join(dir, 'v'), `${line}\n`);
      return readDotEnv(join(dir, 'v')).vars.K!;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
