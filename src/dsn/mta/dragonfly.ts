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
 *
 * Its own failures name no code: "DNS lookup failure: host example.org not found".
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder } from '../types.js';
import { notice } from '../types.js';
import { joinLines, leadingReply } from '../text.js';

const INTRO = /^This is the DragonFly Mail Agent\b/im;
const RECIPIENT = /^There was an error delivering your mail to <([^<>\s@]+@[^<>\s]+)>\.?[ \t]*$/im;
const END = /^(?:Original message follows|Message headers follow)\.?[ \t]*$/im;

/**
 * "DNS lookup failure: host example.org not found": dma names the host it looked up, the
 * recipient's domain or its own smarthost. Only the recipient's domain makes the address bad.
 */
const DNS_FAILURE = /DNS lookup failure: host (\S+) not found/i;

function domainNotFound(diagnostic: string, recipient: string): 'hostunknown' | 'networkerror' | null {
  const host = DNS_FAILURE.exec(diagnostic)?.[1]?.replace(/\.$/, '').toLowerCase();
  if (host === undefined) return null;
  return host === recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase() ? 'hostunknown' : 'networkerror';
}

export const dragonfly: MtaDecoder = {
  name: 'dragonfly',
  decode(mail) {
    if (!INTRO.test(mail.text) || !fromMailSystem(mail)) return null;
    const r = RECIPIENT.exec(mail.text);
    if (!r) return null;
    let rest = mail.text.slice(r.index + r[0].length);
    const end = END.exec(rest);
    if (end) rest = rest.slice(0, end.index);
    const lines = rest.split('\n');
    const diagnostic = joinLines(lines);
    const cmd = /did not like our (final DATA|DATA|RCPT TO|MAIL FROM)/i.exec(diagnostic)?.[1]?.toUpperCase() ?? null;
    const command = cmd === null ? null : cmd.endsWith('DATA') ? 'DATA' : cmd.slice(0, 4);
    return [notice(r[1]!, { diagnostic: diagnostic || null, command, reply: leadingReply(lines), reason: domainNotFound(diagnostic, r[1]!) })];
  },
};
