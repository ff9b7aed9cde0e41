/**
 * Google's plain-text bounce (Gmail and Google Workspace before they sent RFC 3464 reports) and
 * the mailers that copied its layout:
 *
 *   Delivery to the following recipient failed permanently:
 *
 *        user@example.org
 *
 *   Technical details of permanent failure:
 *   Google tried to deliver your message, but it was rejected by ... The error that the other
 *   server returned was: 550 5.1.1 ... User Unknown
 *
 *   ----- Original message -----
 *
 * "has been delayed" / "temporary failure" make it a deferral. Every listed recipient shares
 * the technical details.
 */
import { fromMailSystem } from '../mail-system.js';
import type { MailView } from '../mime.js';
import type { MtaDecoder } from '../types.js';
import { notice } from '../types.js';
import { addressesOfList, addressLine, firstParagraph, joinLines, leadingReply } from '../text.js';

const START = /^[ \t]*Del[ei]very to the following recipients? (failed permanently|has been delayed|failed|was unsuccessful).*:[ \t]*$/im;
const DETAILS = /^[ \t]*Technical details(?: of (?:permanent|temporary) failure)?:?[ \t]*$/im;
const END = /^[ \t]*(?:-{3,} ?(?:Original message|Message header follows|Below this line)[^\n]*|={10,})[ \t]*$/im;

function commandOf(text: string): string | null {
  const m = /\bSMTP:(RCPT|MAIL|DATA)\b|after (RCPT TO|MAIL FROM|DATA)\b/i.exec(text);
  const w = (m?.[1] ?? m?.[2] ?? '').slice(0, 4).toUpperCase();
  return w === 'RCPT' || w === 'MAIL' || w === 'DATA' ? w : null;
}

/**
 * Google's newer layout, a headline and one sentence naming the recipient, the remote's reply
 * (when there was one) under "The response was:":
 *
 *   ** Address not found **
 *   Your message wasn't delivered to user@example.org because the address couldn't be found.
 *   (Also "Your message to user@example.org has been blocked." under "** Message blocked **", and
 *   "There was a temporary problem (while) delivering your message to ..." for a delay.)
 *   ...
 *   The response was:
 *   550 5.1.1 The email account that you tried to reach does not exist.
 *
 * It comes with an RFC 3464 report, which may lack the Diagnostic-Code: then the reply, or else
 * Google's sentence, is the diagnostic. A failure on the sender's side ("** Message not delivered
 * **", e.g. a misconfigured "Send mail as" account) names no recipient in its sentence: then the
 * recipients are those of Google's X-Failed-Recipients header, and only when the notice quotes
 * the response that failed. That response is the sender's own server's, so it is read as a
 * refusal of the sender (as at MAIL FROM): it never makes the recipient's address a hard bounce.
 */
const HEADLINE = /^[ \t]*\*\* [A-Z][A-Za-z ]{3,40} \*\*[ \t]*$/m;
const SENTENCE = /(?:(?:Your message )?wasn't delivered to|(?:There was a (?:temporary )?)?problem (?:while )?delivering your message to|Your message to)\s+<?([^\s<>"()@]+@[A-Za-z0-9_.-]+[A-Za-z0-9])>?(?:\.(?=\s|$)|,?\s+because|\s+has been blocked)[^\n]*/i;
const RESPONSE = /^[ \t]*The response(?: from the remote server)? was:[ \t]*$/im;
const TEMPORARY = /temporary problem (?:while )?delivering/i;

function headline(mail: MailView) {
  const text = mail.text;
  const head = HEADLINE.exec(text);
  if (!head) return null;
  const rest = text.slice(head.index + head[0].length);
  const sentence = SENTENCE.exec(rest.slice(0, 2000));
  let diagnostic: string | null = null;
  let reply: string | null = null;
  const response = RESPONSE.exec(rest);
  if (response) {
    const lines = firstParagraph(rest.slice(response.index + response[0].length));
    diagnostic = joinLines(lines) || null;
    reply = leadingReply(lines);
  }
  if (!sentence) {
    if (diagnostic === null) return null;
    const failed = addressesOfList(mail.headers('x-failed-recipients'));
    // The reply came from the sender's own server: it is about the sender, never the recipient's address.
    return failed.map((r) => notice(r, { diagnostic, reply, command: 'MAIL' }));
  }
  // A block whose response quotes no server's reply ("Message rejected. For more information, go
  // to ...answer/69585") is Google's own refusal of the sender's message, as at MAIL FROM.
  const ownBlock = /has been blocked/i.test(sentence[0]) && reply === null;
  // Without a reply, Google's own sentence ("... because the address couldn't be found.").
  diagnostic ??= sentence[0].replace(/\s+/g, ' ').trim();
  return [notice(sentence[1]!, {
    action: TEMPORARY.test(sentence[0]) ? 'delayed' : null, diagnostic, reply, command: ownBlock ? 'MAIL' : commandOf(diagnostic),
  })];
}

export const gmail: MtaDecoder = {
  name: 'gmail',
  decode(mail) {
    if (!fromMailSystem(mail)) return null;
    const start = START.exec(mail.text);
    if (!start) return mail.text.includes('** ') ? headline(mail) : null;
    const delayed = /delayed/i.test(start[1]!);
    const rest = mail.text.slice(start.index + start[0].length);
    const recipients: string[] = [];
    const lines = rest.split('\n');
    let i = 0;
    while (i < lines.length && lines[i]!.trim() === '') i++;
    for (; i < lines.length; i++) {
      const a = addressLine(lines[i]!);
      if (a === null) break;
      recipients.push(a);
    }
    if (recipients.length === 0) return null;

    const details = DETAILS.exec(rest);
    let diagnostic: string | null = null;
    let reply: string | null = null;
    if (details) {
      let body = rest.slice(details.index + details[0].length);
      const end = END.exec(body);
      if (end) body = body.slice(0, end.index);
      const lines = body.split('\n');
      diagnostic = joinLines(lines) || null;
      reply = leadingReply(lines);
    }
    const command = diagnostic ? commandOf(diagnostic) : null;
    return recipients.map((r) => notice(r, { action: delayed ? 'delayed' : null, diagnostic, command, reply }));
  },
};
