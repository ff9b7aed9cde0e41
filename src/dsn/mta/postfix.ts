/**
 * Postfix's human-readable report (bounce(8) templates), alone when the sender did not ask for
 * a DSN and next to the DSN otherwise:
 *
 *   This is the mail system at host mx.example.net.
 *   ...
 *                      The mail system
 *
 *   <user@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
 *       <user@example.org>: Recipient address rejected: User unknown (in reply to
 *       RCPT TO command)
 *
 * Each recipient is "<address>:" (or "<address> (expanded from <alias>):") at the start of a
 * line, its text continuing on indented lines. The delay template makes deferrals.
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { joinLines } from '../text.js';

// Older Postfix said "This is the Postfix program at host ...", and sites renamed the program
// ("This is the Keftamail program", "the Postfix on SuSE Linux 6.4 (i386) program").
// Sites and gateways built on Postfix rewrite that line ("This is Websense Email Security Gateway
// at host ...", a link alone) but keep the template's next sentence.
const INTRO = /^(?:This is the (?:mail system|[^\n]{0,60}?\bprogram) at host [^\s]+|(?:I'm|I am|We are|We're) sorry to have to inform you that your message could not\s+be delivered to one or more recipients)/im;
const RECIPIENT = /^<([^<>\s@]+@[^<>\s]+)>(?:\s+\(expanded from <[^>]*>\))?:\s*([^\n]*)$/;
const DELAY = /THIS IS A WARNING ONLY|has been delayed|still being retried|delayed mail/i;
/** The success template (a delivery notification the sender asked for). */
const SUCCESS = /Successful Mail Delivery Report|was successfully delivered to the destination/i;

/** Postfix says which command the remote refused: "(in reply to RCPT TO command)". */
function commandOf(text: string): string | null {
  const m = /in reply to (?:the )?(RCPT TO|MAIL FROM|end of DATA|DATA|EHLO|HELO|LHLO)\b/i.exec(text);
  if (!m) return /after initial connection|while receiving the initial server greeting/i.test(text) ? 'CONN' : null;
  const w = m[1]!.toUpperCase();
  return w.startsWith('RCPT') ? 'RCPT' : w.startsWith('MAIL') ? 'MAIL' : w.includes('DATA') ? 'DATA' : 'HELO';
}

export function postfixReport(text: string): Notice[] {
  const out: Notice[] = [];
  let current: { recipient: string; lines: string[] } | null = null;
  const flush = () => {
    if (current) {
      const diagnostic = joinLines(current.lines);
      out.push(notice(current.recipient, { diagnostic: diagnostic || null, command: commandOf(diagnostic) }));
    }
    current = null;
  };
  for (const line of text.split('\n')) {
    const m = RECIPIENT.exec(line);
    if (m) {
      flush();
      current = { recipient: m[1]!, lines: [m[2]!] };
    } else if (current && line.trim() !== '') {
      // Continuations are indented, but relays that re-wrap text lose the indentation: a block
      // runs to the empty line.
      current.lines.push(line);
    } else if (current) {
      flush();
    }
  }
  flush();
  return out;
}

export const postfix: MtaDecoder = {
  name: 'postfix',
  decode(mail) {
    if (!fromMailSystem(mail)) return null;
    const intro = INTRO.exec(mail.text);
    if (!intro) return null;
    const notices = postfixReport(mail.text.slice(intro.index));
    if (notices.length === 0) return null;
    if (DELAY.test(mail.subject) || DELAY.test(mail.text.slice(0, 2000))) for (const n of notices) n.action = 'delayed';
    else if (SUCCESS.test(mail.subject) || SUCCESS.test(mail.text.slice(0, 2000))) for (const n of notices) n.action = 'delivered';
    return notices;
  },
};
