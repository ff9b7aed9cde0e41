/**
 * DragonFly Mail Agent (dma), the MTA of DragonFly BSD and some Linux distributions:
 *
 *   This is the DragonFly Mail Agent v0.13 at host.example.jp.
 *
 *   There was an error delivering your mail to <user@example.org>.
 *
 *   mx.example.org [192.0.2.1] did not like our RCPT TO:
 *   550 5.1.1 <user@example.org>: Recipient address rejected: User unknown
 *
 *   Original message follows.
 */
import type { MtaDecoder } from '../types.js';
import { notice } from '../types.js';
import { joinLines, leadingReply } from '../text.js';

const INTRO = /^This is the DragonFly Mail Agent\b/im;
const RECIPIENT = /^There was an error delivering your mail to <([^<>\s]+@[^<>\s]+)>\.?[ \t]*$/im;
const END = /^(?:Original message follows|Message headers follow)\.?[ \t]*$/im;

export const dragonfly: MtaDecoder = {
  name: 'dragonfly',
  decode(mail) {
    if (!INTRO.test(mail.text)) return null;
    const r = RECIPIENT.exec(mail.text);
    if (!r) return null;
    let rest = mail.text.slice(r.index + r[0].length);
    const end = END.exec(rest);
    if (end) rest = rest.slice(0, end.index);
    const lines = rest.split('\n');
    const diagnostic = joinLines(lines);
    const cmd = /did not like our (final DATA|DATA|RCPT TO|MAIL FROM)/i.exec(diagnostic)?.[1]?.toUpperCase() ?? null;
    const command = cmd === null ? null : cmd.endsWith('DATA') ? 'DATA' : cmd.slice(0, 4);
    return [notice(r[1]!, { diagnostic: diagnostic || null, command, reply: leadingReply(lines) })];
  },
};
