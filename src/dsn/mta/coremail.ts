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
 * Tencent's (QQ Mail, Exmail) layout says the same in other words, and names the recipient on an
 * "无法发送到" (could not send to) line:
 *
 *   很抱歉您发送的邮件被退回，以下是该邮件的相关信息：  (sorry, the mail you sent was returned)
 *   无法发送到 user@example.org                        (could not send to)
 *   退信原因 ... host example.org[192.0.2.1] said: 550 ...   (why it was returned)
 *   解决方案 ...                                        (what to do)
 *
 * Only a bounce that names one recipient above its explanation is read: the explanation is not
 * tied to an address, so with several it is not known whose failure it is. The explanation's own
 * words (Chinese, with or without an English line) are what the server decided: they give the
 * notice its reason when the codes and the quoted reply say nothing (163.com's
 * "现在您发送的邮件被怀疑为是垃圾邮件，拒绝接收", your mail is suspected of being spam and refused,
 * beside a bare "rejected by system").
 */
import { analyzeReply, decideReason } from '../../catalog/decode.js';
import { HARD_REASONS } from '../../core/event.js';
import { normalizeCommand } from '../../catalog/text-patterns.js';
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder } from '../types.js';
import { notice } from '../types.js';

const INTRO = /您(?:发送)?的邮件被退回/;
/** Where the explanation starts: the recipient is named above it, in the original message's summary. */
const WHY = /退信原因/;
/** "收件人 a@b", or in the bilingual layout "收件人/To : a@b". */
const RECIPIENT = /^[ \t]*(?:收件人(?:\/To)?|无法发送到|無法發送到)[ \t]*(?:[:：][ \t]*)?<?([^<>\s@,;]+@[^<>\s,;]+?)>?[ \t]*$/gm;
/**
 * Where the explanation ends: the suggested solution ("建议解决方案", Tencent's "解决方案"), the
 * English summary line, the returned message's separator, or a blank line after its text.
 */
const EXPLANATION_END = /(?:建议)?解决方案|(?:建議)?解決方案|英文说明|原始邮件|-{4,}/;
const BLANK_AFTER_TEXT = /\S[^\n]*\n[ \t]*\n/;
/** The most of an explanation that is read: a sentence or two, never the quoted message. */
const EXPLANATION_CHARS = 300;
const ENGLISH = /^[ \t]*英文说明[ \t]*[:：][ \t]*(\S[^\n]*)$/m;
/** How far after "退信原因" the reason paragraph is looked for. */
const REASON_CHARS = 2000;
/** "RCPT TO said 550 ...": the command the remote refused, and its reply. */
const SAID = /\b(RCPT TO|MAIL FROM|DATA)(?: command)? said:?[ \t]*(\S[^\n]*)$/im;

/** The explanation's own words: from "退信原因" to where it ends (above), on one line. */
function explanationOf(after: string): string {
  const text = after.replace(/^[ \t]*[:：]?/, '');
  let end = Math.min(text.length, EXPLANATION_CHARS);
  const marker = EXPLANATION_END.exec(text);
  if (marker !== null) end = Math.min(end, marker.index);
  const blank = BLANK_AFTER_TEXT.exec(text);
  if (blank !== null) end = Math.min(end, blank.index + blank[0].indexOf('\n'));
  return text.slice(0, end).replace(/\s+/g, ' ').trim();
}

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
    const recipients = [...new Set([...summary.matchAll(RECIPIENT)].map((m) => m[1]!.toLowerCase()))];
    if (recipients.length !== 1) return null;
    const english = ENGLISH.exec(mail.text)?.[1]?.trim() ?? null;
    const after = mail.text.slice(why.index + why[0].length, why.index + REASON_CHARS);
    const explanation = explanationOf(after);
    // The bilingual layout has no English summary line: its reason paragraph holds the reply.
    const said = SAID.exec(english ?? after);
    // The explanation read as a reply: its Chinese words name the cause when the English says
    // nothing. Not a missing mailbox, though: Coremail's wording alone does not prove one.
    const a = explanation === '' ? null : analyzeReply(explanation);
    const decided = a === null ? null : decideReason(a.reply, a.status, a.lower, a.command).reason;
    const reason = decided !== null && !HARD_REASONS.has(decided) ? decided : null;
    return [notice(recipients[0]!, {
      diagnostic: said?.[2] ?? english ?? (explanation || null),
      command: normalizeCommand(said?.[1]),
      reason,
    })];
  },
};
