/// <reference types="node" />
/**
 * Conformance of the fast MIME reader (src/dsn/mime-fast.ts) with mailparser, the reader it
 * stands in for: for every email below, the fast reader either declines (null) or finds exactly
 * what mailparser finds. The emails are the fixtures, synthetic ones for every charset, transfer
 * encoding, structure and header form the reader handles (and some it must decline), mutated
 * fixtures, and the development corpus when it is there (../shared/corpus/dsn).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Encoding from 'encoding-japanese';
import libmime from 'libmime';
import { describe, expect, it } from 'vitest';
import { normalizeLineEnds, viewOf, type MailParts } from '../../../src/dsn/mail-view.js';
import { readMail } from '../../../src/dsn/mime.js';
import { CHARSETS, decodeTextFast, readPartsFast, whyNotFast } from '../../../src/dsn/mime-fast.js';
import { partsWithMailparser } from '../../../src/dsn/mime-mailparser.js';

const FIXTURES = new URL('../../fixtures/dsn/', import.meta.url);
const CORPUS = new URL('../../../../shared/corpus/dsn/emails/', import.meta.url);

function emlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...emlFiles(p));
    else if (name.endsWith('.eml')) out.push(p);
  }
  return out;
}

/** A binary string (one character per byte) as bytes. */
const bin = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const latin1 = (b: Uint8Array | null): string | null => (b === null ? null : String.fromCharCode(...b));

/** MailParts as plain data. */
function plain(p: MailParts) {
  const date = p.date;
  return {
    headerLines: p.headerLines.map(({ key, line }) => ({ key, line })),
    text: p.text,
    html: p.html,
    attachments: p.attachments.map((a) => ({ contentType: a.contentType, content: latin1(a.content) })),
    from: [...p.from],
    fromName: p.fromName,
    to: [...p.to],
    subject: p.subject,
    date,
    messageId: p.messageId,
  };
}

/** The parts of a view the decoders read, as plain data. */
function viewData(parts: MailParts, bytes: Uint8Array) {
  const v = viewOf(parts, bytes);
  const names = [...new Set(parts.headerLines.map((l) => l.key))];
  return {
    headers: Object.fromEntries(names.map((n) => [n, v.headers(n)])),
    from: v.from, fromName: v.fromName, to: v.to, subject: v.subject, messageId: v.messageId, text: v.text,
    deliveryStatus: v.deliveryStatus, feedbackReports: v.feedbackReports, returned: v.returned, contentType: v.contentType,
  };
}

type Outcome = 'fast' | 'declined' | 'mailparser failed';

/** Reads an email both ways; fails the test when the fast reader finds something else. */
async function conform(raw: Uint8Array, label: string): Promise<Outcome> {
  const bytes = normalizeLineEnds(raw);
  const fast = readPartsFast(bytes);
  let slow: MailParts;
  try {
    slow = await partsWithMailparser(bytes);
  } catch (err) {
    expect(fast, `${label}: mailparser fails (${String(err)}), the fast reader must decline`).toBeNull();
    return 'mailparser failed';
  }
  if (fast === null) {
    if (process.env.MIME_FAST_LOG) console.log(`declined: ${label}: ${whyNotFast(bytes)}`);
    return 'declined';
  }
  expect(plain(fast), label).toEqual(plain(slow));
  expect(viewData(fast, bytes), label).toEqual(viewData(slow, bytes));
  return 'fast';
}

/** LF, CRLF and CR-only versions of an email written with LF. */
const endings = (s: string): [string, string][] => [
  ['lf', s], ['crlf', s.replace(/\n/g, '\r\n')], ['cr', s.replace(/\n/g, '\r')],
];

const HEAD = [
  'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
  'To: sender@example.com',
  'Subject: Undelivered Mail Returned to Sender',
  'Date: Thu, 29 Apr 2021 23:34:45 +0900',
  'Message-ID: <20210429.abc@mx.example.net>',
  'MIME-Version: 1.0',
].join('\n');

const b64 = (bytes: string, width = 76): string => {
  const s = Buffer.from(bytes, 'latin1').toString('base64');
  return width > 0 ? s.replace(new RegExp(`(.{${width}})`, 'g'), '$1\n').replace(/\n$/, '') : s;
};
const qp = (bytes: string): string => libmimeQp(bytes);
/** Quoted-printable as a sender writes it (soft breaks at 76), from a binary string. */
function libmimeQp(bytes: string): string {
  let out = '';
  let line = '';
  for (const c of bytes) {
    const code = c.charCodeAt(0);
    const piece = c === '\n' ? '\n' : code < 33 && c !== ' ' && c !== '\t' || code > 126 || c === '=' ? `=${code.toString(16).toUpperCase().padStart(2, '0')}` : c;
    if (piece === '\n') {
      out += `${line}\n`;
      line = '';
      continue;
    }
    if (line.length + piece.length > 75) {
      out += `${line}=\n`;
      line = '';
    }
    line += piece;
  }
  return out + line;
}

/** A single-part email around a body (a binary string). */
const single = (type: string, encoding: string, body: string, extraHead = ''): string =>
  `${HEAD}\n${extraHead}Content-Type: ${type}\nContent-Transfer-Encoding: ${encoding}\n\n${body}`;

/** A multipart/report with a text part, a delivery-status part and the returned headers. */
function report(text: string, opts: { textType?: string; textEncoding?: string; boundary?: string; dsn?: string; tail?: string } = {}): string {
  const b = opts.boundary ?? 'BOUNDARY.123/abc';
  return `${HEAD}\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary="${b}"\n\n` +
    `This is a MIME-encapsulated message.\n\n--${b}\n` +
    `Content-Type: ${opts.textType ?? 'text/plain; charset=us-ascii'}\nContent-Transfer-Encoding: ${opts.textEncoding ?? '7bit'}\n\n${text}\n` +
    `--${b}\nContent-Type: message/delivery-status\n\n` +
    `${opts.dsn ?? 'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; jane@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <jane@example.org>: User unknown\n'}\n` +
    `--${b}\nContent-Type: text/rfc822-headers\n\nFrom: sender@example.com\nTo: jane@example.org\nSubject: hello\nMessage-ID: <orig@example.com>\n\n` +
    `--${b}--\n${opts.tail ?? ''}`;
}

const ALL_HIGH = Array.from({ length: 224 }, (_, i) => String.fromCharCode(32 + i)).join('');

describe('the fast MIME reader reads what mailparser reads', () => {
  it('every fixture, with LF, CRLF and CR line ends: the fast reader reads them all', async () => {
    const files = emlFiles(FIXTURES.pathname);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f, 'latin1');
      expect(await conform(bin(text), f)).toBe('fast');
      for (const [eol, s] of endings(text.replace(/\r\n?/g, '\n'))) {
        expect(await conform(bin(s), `${f} (${eol})`), `${f} (${eol}) declined: ${whyNotFast(normalizeLineEnds(bin(s)))}`).toBe('fast');
      }
    }
  });

  it('readMail uses the fast reader and falls back to mailparser for what it declines', async () => {
    const plainEmail = bin(single('text/plain; charset=utf-8', '8bit', 'Hello\n'));
    const view = await readMail(plainEmail);
    expect(view.text).toBe('Hello\n');
    // RFC 2231 parameters are left to mailparser; the view is the same either way.
    const declined = bin(single("text/plain; charset*=utf-8''utf-8", '8bit', 'Hello\n'));
    expect(whyNotFast(declined)).not.toBeNull();
    expect((await readMail(declined)).text).toBe('Hello\n');
  });

  it('charset names resolve as mailparser resolves them', () => {
    for (const [name, charset] of CHARSETS) expect(libmime.normalizeCharset(name), name).toBe(charset);
  });

  it('every charset, every byte, in bodies (base64, quoted-printable, 8bit) and encoded words', async () => {
    // Charsets that assign every byte: the fast reader must read them (the others may decline
    // the bytes the runtime's decoder and mailparser's leave unassigned differently).
    const mustRead = new Set(['us-ascii', 'utf-8', 'iso-8859-1', 'windows-1252', 'iso-8859-15', 'iso-8859-2']);
    for (const name of CHARSETS.keys()) {
      const bodies: [string, string][] = [
        ['base64', `${b64(`${ALL_HIGH}\r\nline two\r\n`)}\n`],
        ['quoted-printable', qp(`${ALL_HIGH}\nline two  \n`)],
        ['8bit', `${ALL_HIGH}\nline two\n`],
      ];
      for (const [encoding, body] of bodies) {
        const outcome = await conform(bin(single(`text/plain; charset="${name}"`, encoding, body)), `${name} ${encoding}`);
        if (mustRead.has(name)) expect(outcome, `${name} ${encoding}`).toBe('fast');
      }
      const words = [
        `=?${name}?B?${b64(ALL_HIGH.slice(0, 60), 0)}?=`,
        `=?${name}?Q?${qp(ALL_HIGH.slice(64, 120)).replace(/=\n/g, '').replace(/ /g, '_').replace(/\?/g, '=3F')}?=`,
        `=?${name.toUpperCase()}?b?${b64('Hello ', 0)}?= =?${name}?B?${b64('world', 0)}?=`,
      ];
      for (const w of words) await conform(bin(`${HEAD.replace(/^Subject: .*$/m, `Subject: ${w}`)}\n\nbody\n`), `${name} subject ${w}`);
    }
  });

  it('every charset name, every byte: decoded as mailparser decodes it, or declined', () => {
    let declined = 0;
    for (const [name, charset] of CHARSETS) {
      if (charset === 'ISO-2022-JP') continue;
      for (let b = 0; b < 256; b++) {
        const fast = decodeTextFast(Uint8Array.of(0x41, b, 0x42), name);
        // mailparser decodes bodies and encoded words alike (libmime): an encoded word holds a byte.
        const slow = libmime.decodeWord(charset, 'Q', `A=${b.toString(16).padStart(2, '0')}B`);
        if (fast === null) declined++;
        else expect(fast, `${name} 0x${b.toString(16)}`).toBe(slow);
      }
    }
    // Only unassigned bytes (and the few the runtime's tables read otherwise) are declined.
    expect(declined).toBeLessThan(CHARSETS.size * 12);
  });

  it('every JIS X 0208 code in ISO-2022-JP: decoded as mailparser decodes it, or declined', () => {
    let fast = 0;
    for (let lead = 0x21; lead <= 0x7e; lead++) {
      for (let trail = 0x21; trail <= 0x7e; trail++) {
        const bytes = Uint8Array.of(0x1b, 0x24, 0x42, lead, trail, 0x1b, 0x28, 0x42, 0x21);
        const got = decodeTextFast(bytes, 'iso-2022-jp');
        if (got === null) continue;
        fast++;
        expect(got, `${lead.toString(16)}${trail.toString(16)}`).toBe(libmime.decodeWord('ISO-2022-JP', 'B', Buffer.from(bytes).toString('base64')));
      }
    }
    expect(fast).toBeGreaterThan(6800); // JIS X 0208 assigns 6879 codes
  });

  it('every single-byte charset, for the bytes it assigns: read fast, alike', async () => {
    let fast = 0;
    let total = 0;
    for (const [name, charset] of CHARSETS) {
      if (charset.startsWith('UTF') || charset.startsWith('UNICODE') || charset === 'ISO-2022-JP') continue;
      const assigned = Array.from({ length: 128 }, (_, i) => String.fromCharCode(0x80 + i))
        .filter((c) => !libmime.decodeWord(charset, 'Q', `=${c.charCodeAt(0).toString(16)}`).includes('\ufffd')).join('');
      total++;
      if ((await conform(bin(single(`text/plain; charset=${name}`, '8bit', `text ${assigned}\n`)), `${name} assigned bytes`)) === 'fast') fast++;
    }
    expect(fast / total).toBeGreaterThan(0.9);
  });

  it('Cyrillic and Greek text in their Windows charsets', async () => {
    const cyrillic = '\xc2\xe0\xf8\xe5 \xf1\xee\xee\xe1\xf9\xe5\xed\xe8\xe5 \xed\xe5 \xe4\xee\xf1\xf2\xe0\xe2\xeb\xe5\xed\xee'; // windows-1251
    expect(await conform(bin(single('text/plain; charset=windows-1251', '8bit', `${cyrillic}\n`)), 'windows-1251')).toBe('fast');
    expect(await conform(bin(single('text/plain; charset=cp1253', 'quoted-printable', qp('\xc1\xf0\xef\xf4\xf5\xf7\xdf\xe1\n'))), 'cp1253')).toBe('fast');
  });

  it('UTF-8 text, valid and not, with a byte order mark', async () => {
    const texts = ['caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80', 'bad \xc3\x28 \xe2\x82 \xf8\x80 \xed\xa0\x80 end', '\xef\xbb\xbfwith BOM'];
    for (const t of texts) {
      for (const [name, s] of [['8bit', single('text/plain; charset=utf-8', '8bit', `${t}\n`)], ['b64', single('text/plain; charset=UTF-8', 'base64', b64(`${t}\n`))]]) {
        expect(await conform(bin(s!), `utf-8 ${name} ${t}`)).toBe('fast');
      }
      expect(await conform(bin(`${HEAD.replace(/^Subject: .*$/m, `Subject: raw ${t}`)}\n\nbody\n`), `raw header ${t}`)).toBe('fast');
    }
  });

  it('ISO-2022-JP text, as written and as mislabelled', async () => {
    const jis = (s: string) => String.fromCharCode(...(Encoding.convert(Encoding.stringToCode(s), { to: 'JIS', from: 'UNICODE' }) as number[]));
    const samples = ['メールエラー通知', 'あて先不明のため配信できませんでした。\nUser unknown: 猫 <kijitora@example.jp>', '全角ＡＢＣ　と ASCII ① ② 〜 ∥ －', '漢字テスト'];
    for (const s of samples) {
      const body = jis(s);
      expect(await conform(bin(single('text/plain; charset=ISO-2022-JP', '7bit', `${body}\n`)), `jis ${s}`)).toBe('fast');
      expect(await conform(bin(single('text/plain; charset="iso-2022-jp"', 'base64', b64(`${body}\n`))), `jis b64 ${s}`)).toBe('fast');
      const subject = `=?ISO-2022-JP?B?${b64(jis(s.split('\n')[0]!.slice(0, 6)), 0)}?=\n =?ISO-2022-JP?B?${b64(jis(s.split('\n')[0]!.slice(6)), 0)}?=`;
      expect(await conform(bin(`${HEAD.replace(/^Subject: .*$/m, `Subject: ${subject}`)}\n\nbody\n`), `jis subject ${s}`)).toBe('fast');
    }
    const odd = [
      '\x1b(Jyen \\ and ~\x1b(B', // JIS-Roman
      '\x1b$@0!\x1b(B', // the 1978 escape
      '\x1b$B0!\x1b(B\x1b$B0!\x1b(B', // adjacent escapes
      '\x1b$B\x1b(Bempty run',
      '\x1b(I12\x1b(B', // half-width katakana: declined
      '\x1b$B-q\x1b(B', // NEC row 13 beyond the common set: declined
      '\x1b$B0!\n0!\x1b(B', // a line break inside the two-byte run
      '\x1b$(D0!\x1b(B', // JIS X 0212: declined
      '\x1b$B0', // cut in the middle of a character
      'UTF-8 mislabelled: \xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab',
      'EUC-JP mislabelled: \xa5\xe1\xa1\xbc\xa5\xeb \xff\x80 end',
      '\x1b$B0!\x1b(B and \xe3\x83\xa1 mixed',
    ];
    for (const t of odd) {
      await conform(bin(single('text/plain; charset=iso-2022-jp', '7bit', `${t}\n`)), `jis odd ${JSON.stringify(t)}`);
      await conform(bin(`${HEAD.replace(/^Subject: .*$/m, `Subject: =?iso-2022-jp?B?${b64(t, 0)}?=`)}\n\nbody\n`), `jis odd subject ${JSON.stringify(t)}`);
    }
  });

  it('base64 and quoted-printable as senders write them, and as they break them', async () => {
    const text = 'The mail system\n\n<jane@example.org>: host mx.example.org said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n';
    const variants: [string, string][] = [
      ['base64', b64(text)], ['base64', b64(text, 60)], ['base64', b64(text, 0)], ['base64', b64(`${text}x`)], ['base64', b64(`${text}xy`)],
      ['base64', `${b64(text)}\n\n`], ['base64', b64(text).replace(/=+$/, '')], ['base64', `${b64('abc', 0)}===`],
      ['base64', `${b64('ab', 0)}${b64('cd', 0)}`], ['base64', `${b64(text)} !`], ['base64', b64(text).replace(/\n/g, '\r\n')], ['BASE64', b64(text)],
      ['quoted-printable', qp(text)], ['quoted-printable', qp(text).replace(/\n/g, '\r\n')],
      ['quoted-printable', 'soft=\nbreak, trailing   \nspace=20\n=3d=3D =ZZ =\n= \nend='],
      ['quoted-printable', 'a=4\n1b =C3=A9 \t\ncafé=\r\n'], ['Quoted-Printable', 'x=41y'],
      ['7bit', text], ['8bit', text], ['binary', text], ['x-uuencode', text], ['"base64"', b64(text)], ['base64 (comment)', b64(text)],
    ];
    for (const [encoding, body] of variants) {
      for (const [eol, s] of endings(report(body, { textEncoding: encoding }))) {
        await conform(bin(s), `${encoding} ${eol} ${JSON.stringify(body.slice(0, 30))}`);
      }
      await conform(bin(single('text/plain; charset=utf-8', encoding, body)), `single ${encoding} ${JSON.stringify(body.slice(0, 30))}`);
    }
  });

  it('format=flowed, with and without DelSp', async () => {
    const bodies = [
      'This is a long \nline that flows \non.\n\nNew paragraph.\n',
      '> quoted \n> flowed \n>> deeper \n>> still\nplain\n',
      ' stuffed \n line\n-- \nsignature \nflows\n',
      'trailing space at the end \n',
      'no break at all',
      '',
    ];
    for (const body of bodies) {
      for (const params of ['format=flowed', 'format=flowed; delsp=yes', 'format="Flowed"; DelSp="Yes"', 'format=fixed']) {
        for (const [eol, s] of endings(single(`text/plain; charset=us-ascii; ${params}`, '7bit', body))) {
          expect(await conform(bin(s), `flowed ${params} ${eol} ${JSON.stringify(body)}`)).toBe('fast');
        }
      }
    }
  });

  it('MIME structures: nesting, preambles and epilogues, odd delimiters, empty parts', async () => {
    const b = 'b1';
    const part = (head: string, body: string) => `--${b}\n${head}\n\n${body}\n`;
    const cases: [string, string][] = [
      ['nested alternative', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n` +
        part('Content-Type: multipart/alternative; boundary="b2"', `--b2\nContent-Type: text/plain\n\nplain text\n--b2\nContent-Type: text/html\n\n<p>html <b>text</b></p>\n--b2--\n`) +
        part('Content-Type: message/rfc822', 'From: a@b.example\nSubject: original\n\nbody') + `--${b}--\nepilogue\n`],
      ['html only', single('text/html; charset=utf-8', '7bit', '<html><body><p>Delivery failed</p><br>jane@example.org</body></html>\n')],
      ['text and html, not alternative', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n` + part('Content-Type: text/plain', 'one') + part('Content-Type: text/html', '<p>two</p>') + part('Content-Type: text/plain', 'three') + `--${b}--\n`],
      ['empty text, html', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n` + part('Content-Type: text/plain', '') + part('Content-Type: text/html', '<p>two</p>') + `--${b}--\n`],
      ['no close delimiter', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n` + part('Content-Type: text/plain', 'unterminated\n')],
      ['close delimiter at the end without a line break', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n` + part('Content-Type: text/plain', 'x') + `--${b}--`],
      ['delimiters with trailing white space', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n--${b} \t\nContent-Type: text/plain\n\nx\n--${b}--  \n`],
      ['boundary never occurs', `${HEAD}\nContent-Type: multipart/report; boundary=nope\n\nThis is the whole text.\n--other\n`],
      ['multipart without a boundary', `${HEAD}\nContent-Type: multipart/mixed\n\nbody of a boundless multipart\n`],
      ['part without headers', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n--${b}\n\nno headers here\n--${b}--\n`],
      ['part whose text starts at once', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n--${b}\nfirst line: looks like a header\nsecond\n\nthen text\n--${b}--\n`],
      ['one empty line before the next part', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n--${b}\nContent-Type: message/delivery-status\n\n\n--${b}\nContent-Type: text/plain\n\n\n--${b}--\n`],
      ['one empty line before the close', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n--${b}\nContent-Type: text/plain\n\n\n--${b}--\n`],
      ['headers only before the next part', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n--${b}\nContent-Type: text/plain\n--${b}\nContent-Type: text/plain\n\nx\n--${b}--\n`],
      ['close delimiter in the preamble', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n--${b}--\n--${b}\nContent-Type: text/plain\n\nafter\n--${b}--\n`],
      ['delimiter of the outer multipart inside the inner one', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n--${b}\nContent-Type: multipart/alternative; boundary=b2\n\n--b2\nContent-Type: text/plain\n\ninner\n--${b}\nContent-Type: text/plain\n\nouter\n--${b}--\n`],
      ['dispositions', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n` + part('Content-Type: text/plain\nContent-Disposition: attachment; filename=a.txt', 'attached') +
        part('Content-Type: text/plain\nContent-Disposition: weird', 'weird') + part('Content-Type: text/plain; name="x.txt"\nContent-Disposition: INLINE', 'inline') +
        part('Content-Type: application/octet-stream; name="original.eml"', 'From: x@y.example\n\nbody') + part('Content-Type: application/octet-stream\nContent-Disposition: attachment; filename="data.bin"', 'bin') + `--${b}--\n`],
      ['message/delivery-status in base64, feedback report, global types', `${HEAD}\nContent-Type: multipart/report; boundary=${b}\n\n` +
        part('Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64', b64('Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\n')) +
        part('Content-Type: message/feedback-report', 'Feedback-Type: abuse\nUser-Agent: x/1\nVersion: 1\n') +
        part('Content-Type: message/global-delivery-status', 'Final-Recipient: rfc822; b@c.example\nAction: failed\n') +
        part('Content-Type: message/global-headers', 'Subject: x\n') + `--${b}--\n`],
      ['no MIME at all', 'From: MAILER-DAEMON@x.example\nSubject: failure notice\n\nHi. This is the qmail-send program.\n<jane@example.org>:\nSorry, no mailbox here by that name.\n'],
      ['headers only', 'From: a@b.example\nSubject: nothing else'],
      ['empty', ''],
      ['an mbox From line', `From MAILER-DAEMON Thu Apr 29 23:34:45 2021\n${single('text/plain', '7bit', 'x\n')}`],
      ['content type with a comment', single('text/plain; charset=us-ascii (plain text)', '7bit', 'x\n')],
      ['boundary with a comment', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b} (c)\n\n` + part('Content-Type: text/plain', 'x') + `--${b}--\n`],
      ['RFC 2231 boundary', `${HEAD}\nContent-Type: multipart/mixed; boundary*=${b}\n\n` + part('Content-Type: text/plain', 'x') + `--${b}--\n`],
      ['duplicate parameters', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}; boundary=zz\n\n` + part('Content-Type: text/plain; charset=iso-8859-1; charset=utf-8', 'caf\xe9') + `--${b}--\n`],
      ['missing content type with a file name', `${HEAD}\nContent-Type: multipart/mixed; boundary=${b}\n\n` + part('Content-Disposition: attachment; filename=report.txt', 'x') + `--${b}--\n`],
      ['uppercase types, quoted values, spaces', `${HEAD}\nContent-Type: Multipart/Report ; Boundary = "${b}" ; report-type=delivery-status\n\n` + part('Content-Type: TEXT/PLAIN;CHARSET="US-ASCII"', 'x') + `--${b}--\n`],
    ];
    for (const [name, email] of cases) {
      for (const [eol, s] of endings(email)) await conform(bin(s), `${name} (${eol})`);
    }
  });

  it('headers: folding, encoded words, dates, message ids, addresses', async () => {
    const headerCases: string[] = [
      'Subject: folded\n  over\n\tthree lines',
      'Subject: =?utf-8?B?w6ljaGVj?= =?UTF-8?b?IGRl?=\n =?utf-8?Q?_livraison?= plain =?iso-8859-1?Q?caf=E9?=',
      'Subject: =?utf-8?q?a?==?utf-8?q?b?= and =?us-ascii?Q?x?= =?iso-8859-1?Q?y?=',
      'Subject: =?utf-8?B?YW?==?utf-8?B?Jj?=',
      'Subject: =?unknown-charset?Q?x?=',
      'Subject: =?utf-8*en?Q?lang?=',
      'Subject: stray =? and ?= marks',
      'Subject:\nSubject: the second subject',
      'Subject: =?utf-8?Q??=\nSubject: second',
      'Date: not a date',
      'Date: not a date\nDate: Thu, 29 Apr 2021 23:34:45 +0900',
      'Date: Thu, 29 Apr 2021 23:34:45 +0900 (JST)',
      'Date: 2021-04-29T23:34:45Z',
      'Message-ID: 20210429.abc@mx.example.net',
      'Message-ID: <a@b>\nMessage-ID: <c@d>',
      'Message-ID:',
      'To: a@example.org, "B, Person" <b@example.org>, C <c@example.org> , <d@example.org>',
      'To: e@example.org (Comment, here)\nTo: f@example.org',
      'To: undisclosed-recipients:;',
      'To: Group: a@example.org, b@example.org;',
      'To: postmaster',
      'To: "quoted@name" <g@example.org>',
      'To: h@xn--bcher-kva.example',
      'To: =?utf-8?B?w6k=?= <i@example.org>',
      'To: a@example.org; b@example.org',
      'To: <@route:j@example.org>',
      'To: "Unclosed <k@example.org>',
      'From: MAILER-DAEMON <>',
      'From: <Mailer-Daemon@mail.example.com> (Mail Delivery System)',
      'From: postmaster@example.com ("Neko Postmaster")',
      'From: Mail Delivery Subsystem <MAILER-DAEMON>',
      'From: mailer-daemon',
      'From: "=?iso-2022-jp?B?GyRCJUEbKEI=?=" <x@example.jp>',
      'From: a@example.org\nFrom: b@example.org',
      'From: Mail Delivery System <a@b@example.org>',
      'From: =?utf-8?Q?=E7=8C=AB?= <neko@example.jp>',
      'X-Weird: line\nno colon line\n continued',
      'X-Raw: caf\xe9 \xc3\xa9',
      'X-Failed-Recipients: jane@example.org,\n  john@example.org',
    ];
    for (const h of headerCases) {
      const keys = new Set(h.split('\n').map((l) => /^([^:\s]+):/.exec(l)?.[1]?.toLowerCase()).filter(Boolean));
      const head = HEAD.split('\n').filter((l) => !keys.has(l.slice(0, l.indexOf(':')).toLowerCase())).join('\n');
      for (const [eol, s] of endings(`${head}\n${h}\nContent-Type: text/plain\n\nbody\n`)) await conform(bin(s), `${JSON.stringify(h)} (${eol})`);
    }
  });

  it('mutated fixtures (seeded): declined or read alike', async () => {
    let seed = 20240429;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const snippets = ['\n', '\r\n', '\r', ' ', '\t', '--', '=', '=?utf-8?B?', '?=', ';', '"', '(', ')', '<', '>', ',', ':', '@', '\x1b$B',
      '\xe9', '\xc3\xa9', '=\n', 'Content-Type: text/plain; charset=iso-8859-1\n', 'Content-Transfer-Encoding: base64\n', 'format=flowed; delsp=yes'];
    const sources = emlFiles(FIXTURES.pathname).map((f) => readFileSync(f, 'latin1'));
    const outcomes: Record<Outcome, number> = { fast: 0, declined: 0, 'mailparser failed': 0 };
    for (let round = 0; round < 400; round++) {
      let s = pick(sources);
      for (let k = 0, n = 1 + Math.floor(rnd() * 3); k < n; k++) {
        const lines = s.split('\n');
        const i = Math.floor(rnd() * lines.length);
        const r = rnd();
        if (r < 0.25) lines.splice(i, 1);
        else if (r < 0.4) lines.splice(i, 0, pick(lines));
        else if (r < 0.75) {
          const p = Math.floor(rnd() * (lines[i]!.length + 1));
          lines[i] = lines[i]!.slice(0, p) + pick(snippets) + lines[i]!.slice(p);
        } else if (r < 0.9) lines[i] = `${lines[i]}${pick([' ', '\t', '\r'])}`;
        else lines[i] = lines[i]!.toUpperCase();
        s = lines.join('\n');
      }
      outcomes[await conform(bin(s), `mutation ${round}`)]++;
    }
    expect(outcomes.fast).toBeGreaterThan(300);
  });

  // Always over the repo's own fixtures (CI has no ../shared), and over the development corpus
  // too when it is there.
  it('the fixtures, and the development corpus when present: no difference, and the share the fast reader takes', async () => {
    const fixtures = emlFiles(FIXTURES.pathname);
    expect(fixtures.length, 'fixture emails').toBeGreaterThan(20);
    const corpus = existsSync(CORPUS) ? emlFiles(CORPUS.pathname) : [];
    // 368 emails today: a corpus directory that lists none (or a handful) must not pass as "no difference".
    if (existsSync(CORPUS)) expect(corpus.length, 'corpus emails').toBeGreaterThan(300);
    const files = [...fixtures, ...corpus];
    const declined: string[] = [];
    for (const f of files) {
      if ((await conform(new Uint8Array(readFileSync(f)), f)) !== 'fast') declined.push(`${f}: ${whyNotFast(normalizeLineEnds(new Uint8Array(readFileSync(f))))}`);
    }
    const read = `${files.length} emails (${fixtures.length} fixtures, ${corpus.length ? `${corpus.length} from the corpus` : 'no corpus at ../shared'})`;
    console.log(`fast MIME reader: ${files.length - declined.length}/${read}${declined.length ? `; declined:\n  ${declined.join('\n  ')}` : ''}`);
    expect(declined.length / files.length).toBeLessThan(0.02);
  });
});

describe('normalizeLineEnds', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('rewrites CR-only input to LF and leaves LF and CRLF input as it is', () => {
    const cr = Buffer.from('a: 1\r\rbody\rline\r');
    const out = normalizeLineEnds(cr);
    expect(new TextDecoder().decode(out)).toBe('a: 1\n\nbody\nline\n');
    // A copy: the caller's bytes (here a Buffer, whose slice would be a view) are not touched.
    expect(cr.toString()).toBe('a: 1\r\rbody\rline\r');
    const crlf = bytes('a: 1\r\n\r\nbody\r\n');
    expect(normalizeLineEnds(crlf)).toBe(crlf);
    const lf = bytes('a: 1\n\nbody\r\n');
    expect(normalizeLineEnds(lf)).toBe(lf);
  });

  it('looks for a CR only in the first 8 KiB of input without any LF', () => {
    const late = bytes(`${'x'.repeat(9000)}\rtail`);
    expect(normalizeLineEnds(late)).toBe(late);
    const none = bytes('no line end at all');
    expect(normalizeLineEnds(none)).toBe(none);
  });
});
