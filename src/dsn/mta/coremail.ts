/**
 * Coremail, the MTA of NetEase (163.com, 126.com, yeah.net) and of many hosts in China. Its
 * bounce is written in Chinese, with the remote server's reply quoted in English on a line of
 * its own:
 *
 *   抱歉，您的邮件被退回来了……              (sorry, your mail was returned)
 *         原邮件信息：                       (the original message)
 *               收件人 user@example.org     (recipient)
 *         退信原因：                         (why it was returned)
 *               英文说明:SMTP error, RCPT TO: Host example.org(192.0.2.1) RCPT TO said 550 No such user here
 *
 * Only a bounce that names one recipient above its explanation is read: the explanation is not
 * tied to an address, so with several it is not known whose failure it is.
 */
import { normalizeCommand } from '../../catalog/text-patterns.js';
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder } from '../types.js';
import { notice } from '../types.js';

const INTRO = /您的邮件被退回/;
/** Where the explanation starts: the recipient is named above it, in the original message's summary. */
const WHY = /退信原因/;
/** "收件人 a@b", or in the bilingual layout "收件人/To : a@b". */
const RECIPIENT = /^[ \t]*收件人(?:\/To)?[ \t]*(?:[:：][ \t]*)?<?([^<>\s@,;]+@[^<>\s,;]+?)>?[ \t]*$/gm;
const ENGLISH = /^[ \t]*英文说明[ \t]*[:：][ \t]*(\S[^\n]*)$/m;
/** How far after "退信原因" the reason paragraph is looked for. */
const REASON_CHARS = 2000;
/** "RCPT TO said 550 ...": the command the remote refused, and its reply. */
const SAID = /\b(RCPT TO|MAIL FROM|DATA)(?: command)? said:?[ \t]*(\S[^\n]*)$/im;

export const coremail: MtaDecoder = {
  name: 'coremail',
  decode(mail) {
    const intro = INTRO.exec(mail.text);
    if (intro === null || !fromMailSystem(mail)) return null;
    // Only the summary between the headline and the explanation: a quoted message further down
    // has "收件人" (To) lines of its own.
    const why = WHY.exec(mail.text);
    if (why === null || why.index < intro.index) return null;
    const summary = mail.text.slice(intro.index, why.index);
    const recipients = [...summary.matchAll(RECIPIENT)].map((m) => m[1]!);
    if (recipients.length !== 1) return null;
    const english = ENGLISH.exec(mail.text)?.[1]?.trim() ?? null;
    // The bilingual layout has no English summary line: its reason paragraph holds the reply.
    const said = SAID.exec(english ?? mail.text.slice(why.index, why.index + REASON_CHARS));
    return [notice(recipients[0]!, { diagnostic: said?.[2] ?? english, command: normalizeCommand(said?.[1]) })];
  },
};
