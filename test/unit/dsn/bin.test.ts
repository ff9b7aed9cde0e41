/// <reference types="node" />
import { execFile, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = 'test/fixtures/dsn';

/** The command as installed: package.json "bin". */
const BIN = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { bin: { rebote: string } }).bin.rebote;

function rebote(args: string[], input?: Buffer, bin = BIN) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
}

describe(`${BIN} in Node (the bundle of the Worker's modules)`, () => {
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

  it('reads a header folded millions of times within the Worker\'s 128 MB, refusing it as mailparser does', () => {
    // 8 MB: one header of 2.8 million fold lines. Kept fold by fold, it ran out of memory.
    const mail = Buffer.concat([Buffer.from('From: MAILER-DAEMON@mx.example.org\nSubject: failure notice\nX-Junk: a'), Buffer.from('\n b'.repeat(2_800_000)), Buffer.from('\n\nhello\n')]);
    const r = spawnSync(process.execPath, ['--max-old-space-size=128', BIN, 'inspect', '-'], { cwd: ROOT, input: mail, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/heap out of memory/);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Max header size for a MIME node exceeded');
    // 8 MB of short header lines: 1.6 million of them, each its own header.
    const many = Buffer.concat([Buffer.from('From: MAILER-DAEMON@mx.example.org\r\n'), Buffer.from('X:1\r\n'.repeat(1_600_000)), Buffer.from('\r\nhello\r\n')]);
    const lines = spawnSync(process.execPath, ['--max-old-space-size=128', BIN, 'inspect', '-'], { cwd: ROOT, input: many, encoding: 'utf8', timeout: 60_000 });
    expect(lines.stderr).not.toMatch(/heap out of memory/);
    expect([lines.signal, lines.status]).toEqual([null, 1]);
    expect(lines.stderr).toContain('Max header size for a MIME node exceeded');
  });

  it('reads a 24 MB HTML-only notice within the Worker\'s 128 MB, from the words at its start', () => {
    const notice = ['From: Mail Delivery System <MAILER-DAEMON@mx.example.org>', 'To: sender@example.net', 'Subject: Undeliverable: hello',
      'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '',
      '<p>Your message could not be delivered to the following recipients:</p>', '<p>jane@example.org</p>', '<p>550 5.1.1 User unknown</p>', ''].join('\r\n');
    const mail = Buffer.concat([Buffer.from(notice), Buffer.from('<div><span>padding</span></div>\r\n'.repeat(740_000))]);
    expect(mail.length).toBeGreaterThan(24_000_000);
    const r = spawnSync(process.execPath, ['--max-old-space-size=128', BIN, 'inspect', '-q', '-'], { cwd: ROOT, input: mail, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/heap out of memory/);
    expect([r.signal, r.status]).toEqual([null, 0]);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: 'bounced', recipient: 'jane@example.org' });
  });

  it('reads a date written without a zone as UTC, as the Worker does, whatever the machine\'s zone', () => {
    const mail = ['Received: from mx.example.net by relay.example.com; Tue Jul  2 10:00:00 2024', 'From: MAILER-DAEMON@mx.example.net',
      'Subject: failure notice', '', 'Hi. This is the qmail-send program at mx.example.net.', '', '<a@example.org>:',
      'Remote host said: 550 5.1.1 no such user', '', '--- Below this line is a copy of the message.', ''].join('\n');
    for (const TZ of ['Asia/Tokyo', 'America/New_York']) {
      const r = spawnSync(process.execPath, [BIN, 'inspect', '-q', '-'], { cwd: ROOT, input: mail, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TZ } });
      expect(JSON.parse(r.stdout), TZ).toMatchObject({ occurred_at: '2024-07-02T10:00:00.000Z' });
    }
  });

  it('reads standard input, and exits 0 when everything was read', () => {
    const r = rebote(['inspect', '-q', '-'], readFileSync(`${ROOT}${FIXTURES}/lhost-gmail-01.eml`));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: '<stdin>', format: 'gmail', recipient: 'userunknown@example.jp', suppression: 'hard_bounce' });
    expect(r.stderr).toBe('');
  });

  // `script` (util-linux, in every Debian) runs the command on a pseudo-terminal, as a person
  // typing or pasting an email would. The email is written only once the command says it is
  // reading, so the read finds nothing there yet (where a non-blocking descriptor fails).
  it('reads an email typed at a terminal, ended with Ctrl-D', async () => {
    const { spawn } = await import('node:child_process');
    const mail = readFileSync(`${ROOT}${FIXTURES}/lhost-gmail-01.eml`, 'latin1').replace(/\r?\n/g, '\n');
    const child = spawn('script', ['-qec', `"${process.execPath}" ${BIN} inspect -q`, '/dev/null'], { cwd: ROOT });
    let out = '';
    let sent = false;
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (!sent && out.includes('reading one email from standard input')) {
        sent = true;
        // A terminal line holds at most 4095 characters: long lines would be cut.
        expect(Math.max(...mail.split('\n').map((l) => l.length))).toBeLessThan(4000);
        child.stdin.write(`${mail}\n\x04`);
      }
    });
    const timer = setTimeout(() => child.kill(), 30_000);
    const status = await done;
    clearTimeout(timer);
    expect(out).not.toContain('EAGAIN');
    expect(status, out).toBe(0);
    const event = out.split(/\r?\n/).find((l) => l.startsWith('{"file"'));
    expect(JSON.parse(event!)).toMatchObject({ file: '<stdin>', format: 'gmail', recipient: 'userunknown@example.jp' });
  }, 40_000);

  it('names a file that is not an email (no header) instead of counting it as one, and says its version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rebote-notmail-'));
    try {
      writeFileSync(join(dir, 'empty.eml'), '');
      writeFileSync(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
      writeFileSync(join(dir, 'bom.eml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(`${ROOT}${FIXTURES}/arf-17.eml`)]));
      // Apple Mail's .emlx: a line with the message's byte count, then the message. Not a header
      // at its start, but it decodes, so it is read as the email it is.
      writeFileSync(join(dir, 'saved.emlx'), Buffer.concat([Buffer.from('2931      \n'), readFileSync(`${ROOT}${FIXTURES}/lhost-gmail-01.eml`)]));
      const r = rebote(['inspect', dir]);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain(`${join(dir, 'empty.eml')}: not an email`);
      expect(r.stderr).toContain(`${join(dir, 'image.png')}: not an email`);
      expect(r.stderr).not.toContain('bom.eml');
      expect(r.stderr).not.toContain('saved.emlx');
      expect(r.stdout).toContain('"recipient":"userunknown@example.jp"');
      expect(r.stderr).toMatch(/: 2 email\(s\), [1-9]\d* event\(s\).*, 2 not email\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const version = rebote(['--version']);
    expect(version.stdout).toBe(`rebote ${(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version}\n`);
  });

  it('exits 1 for a file named on the command line that is not an email, as its help says, and 0 for one skipped in a directory', () => {
    const named = rebote(['inspect', 'package.json']);
    expect(named.status).toBe(1);
    expect(named.stderr).toBe('rebote: package.json: not an email (no header field at its start)\n'
      + 'rebote: 0 email(s), 0 event(s), 0 ignored, 0 rejected address(es), 1 error(s)\n');
    // Said even with -q, and for standard input; the emails beside it are still read.
    const quiet = rebote(['inspect', '-q', `${FIXTURES}/arf-17.eml`, 'package.json']);
    expect([quiet.status, quiet.stderr]).toEqual([1, 'rebote: package.json: not an email (no header field at its start)\n']);
    expect(quiet.stdout.trim().split('\n')).toHaveLength(2);
    expect(rebote(['inspect', '-q'], Buffer.alloc(0)).stderr).toBe('rebote: <stdin>: not an email (no header field at its start)\n');
    const dir = mkdtempSync(join(tmpdir(), 'rebote-named-'));
    try {
      writeFileSync(join(dir, 'package.json'), readFileSync(`${ROOT}package.json`));
      const walked = rebote(['inspect', dir]);
      expect(walked.status).toBe(0);
      expect(walked.stderr).toContain(`${join(dir, 'package.json')}: not an email (no header field at its start); skipped`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const help = rebote(['--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('a file named on the command line, or standard input, that is not an email is an error');
    expect(help).toContain('1 when one could not be read or decoded or a file named on the command line is not an email');
  });

  it('exits 2 on a usage error, a bad policy setting included, with no stack trace', () => {
    const r = rebote(['inspect', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option "--bogus"');
    const policy = spawnSync(process.execPath, [BIN, 'inspect', `${FIXTURES}/arf-17.eml`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SOFT_BOUNCE_LIMIT: 'abc' } });
    expect(policy.status).toBe(2);
    expect(policy.stderr).toBe('rebote: SOFT_BOUNCE_LIMIT must be a positive integer, got "abc"\n');
  });

  it('counts the emails of a mailbox file, and says when a directory holds nothing to read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rebote-bin-'));
    const one = readFileSync(`${ROOT}${FIXTURES}/lhost-gmail-01.eml`, 'latin1');
    const two = readFileSync(`${ROOT}${FIXTURES}/arf-17.eml`, 'latin1');
    const box = join(dir, 'bounces.mbox');
    writeFileSync(box, `From MAILER-DAEMON Thu Jul  2 12:05:05 2020\n${one}\n\nFrom MAILER-DAEMON Thu Jul  2 12:06:05 2020\n${two}`, 'latin1');
    const r = rebote(['inspect', box]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { format: string }).format)).toEqual(['gmail', 'arf', 'arf']);
    expect(r.stderr).toContain('rebote: 2 email(s), 3 event(s)');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = rebote(['inspect', empty]);
    expect(none.status).toBe(0);
    expect(none.stderr).toContain(`rebote: ${empty}: no files to read`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the same from bin/rebote.mjs, the ES module entry kept for `node bin/rebote.mjs`', () => {
    const viaCjs = rebote(['inspect', '-q', FIXTURES]);
    const viaMjs = rebote(['inspect', '-q', FIXTURES], undefined, 'bin/rebote.mjs');
    expect(viaMjs.status).toBe(viaCjs.status);
    expect(viaMjs.stdout).toBe(viaCjs.stdout);
    expect(viaMjs.stdout.split('\n').length).toBeGreaterThan(10);
  });

  it('gives the same lines, in the same order, when the files are split over worker threads', () => {
    // 3 x the fixtures: enough files for two workers (one per 32 files at most).
    const paths = [FIXTURES, FIXTURES, FIXTURES];
    const one = rebote(['inspect', '-q', ...paths]);
    const two = rebote(['inspect', '-q', '--jobs', '2', ...paths]);
    expect(two.status).toBe(one.status);
    expect(two.stdout).toBe(one.stdout);
  });

  it('keeps a code cache of the bundle, and reads the same with a cache that is missing, stale or damaged', () => {
    const cache = `${ROOT}dist/rebote-cli.cache`;
    const reference = rebote(['inspect', '-q', FIXTURES]);
    expect(existsSync(cache)).toBe(true);
    const good = readFileSync(cache);
    const key = good.subarray(0, good.indexOf(10) + 1);
    expect(key.toString()).toMatch(/^rebote-cli \d+ [\d.]+\n$/);
    const damaged = Buffer.from(good);
    for (let i = key.length + 100; i < damaged.length; i += 997) damaged[i]! ^= 0x5a;
    const cases: [string, Buffer | null][] = [
      ['missing', null],
      ['of another bundle', Buffer.concat([Buffer.from('rebote-cli 1 2\n'), good.subarray(key.length)])],
      ['damaged', damaged],
      ['truncated', good.subarray(0, key.length + 1000)],
    ];
    for (const [what, bytes] of cases) {
      if (bytes === null) rmSync(cache, { force: true });
      else writeFileSync(cache, bytes);
      const r = rebote(['inspect', '-q', FIXTURES]);
      expect(r.status, what).toBe(reference.status);
      expect(r.stdout, what).toBe(reference.stdout);
      // The run replaced it with a cache of this bundle.
      expect(readFileSync(cache).subarray(0, key.length).equals(key), what).toBe(true);
      expect(readFileSync(cache).length, what).toBeGreaterThan(1000);
    }
  });

  it('reads an email the fast MIME reader declines through the mailparser bundle', () => {
    // KOI8-R is not a charset the fast reader decodes: mailparser (dist/rebote-mailparser.cjs) reads it.
    const bounce = Buffer.from([
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
      'To: sender@example.net',
      'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: text/plain; charset="koi8-r"',
      '',
      'This is the mail system at host mx.example.net.',
      '',
      '<jane@example.org>: host mx.example.org said: 550 5.1.1 User unknown (in reply to RCPT TO command)',
      '',
    ].join('\n'));
    const r = rebote(['inspect', '-q', '-'], bounce);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'postfix', recipient: 'jane@example.org', bounce: { class: 'hard', status: '5.1.1' } });
  });
});

describe(`${BIN}: a file it cannot read or write is named, with what is wrong in plain words`, () => {
  const noStack = (stderr: string) => expect(stderr).not.toMatch(/ at |EISDIR|ENOENT|ENOTDIR/);

  it('import: a directory, a missing file, a path through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rebote-import-'));
    try {
      const api = ['--url', 'http://127.0.0.1:9', '--key', 'k'];
      const cases: [string, string][] = [
        [dir, `rebote: ${dir} is a directory; import takes a file\n`],
        [join(dir, 'gone.csv'), `rebote: ${join(dir, 'gone.csv')}: no such file or directory\n`],
        ['package.json/list.csv', 'rebote: package.json/list.csv: a part of the path is a file, not a directory\n'],
      ];
      for (const [path, said] of cases) {
        const r = rebote(['import', path, ...api]);
        expect([r.status, r.stderr], path).toEqual([1, said]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('inspect: a path through a file, and standard input that is a directory', () => {
    const r = rebote(['inspect', '-q', 'package.json/x.eml', `${FIXTURES}/arf-17.eml`]);
    expect([r.status, r.stderr]).toEqual([1, 'rebote: package.json/x.eml: a part of the path is a file, not a directory\n']);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    const fd = openSync(tmpdir(), 'r');
    try {
      const stdin = spawnSync(process.execPath, [BIN, 'inspect', '-q'], { cwd: ROOT, stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000 });
      expect([stdin.status, stdin.stderr]).toEqual([1, 'rebote: <stdin>: is a directory\n']);
    } finally {
      closeSync(fd);
    }
  });

  it('export: an --out in a folder that is not there, a directory, a full disk', async () => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('email,reason\r\na@x.example,manual\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'rebote-export-'));
    const run = (out: string) => new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, 'export', '--out', out, '--url', url, '--key', 'k'], { cwd: ROOT }, (err, _stdout, stderr) => {
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stderr });
      });
    });
    try {
      const cases: [string, string][] = [
        [join(dir, 'no-such-dir', 'x.csv'), `rebote: cannot write ${join(dir, 'no-such-dir', 'x.csv')}: its folder does not exist\n`],
        [dir, `rebote: cannot write ${dir}: is a directory\n`],
        ['/dev/full', 'rebote: writing /dev/full failed: no space left on the device\n'],
      ];
      for (const [out, said] of cases) {
        const r = await run(out);
        expect(r, out).toEqual({ code: 1, stderr: said });
        noStack(r.stderr);
      }
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
