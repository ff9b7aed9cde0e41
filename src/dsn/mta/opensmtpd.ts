/**
 * OpenSMTPD's report:
 *
 *   This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.
 *   An error has occurred while attempting to deliver a message for
 *   the following list of recipients:
 *
 *   user@example.org: 550 5.1.1 ... User unknown
 *
 *   Below is a copy of the original message:
 *
 * Newer releases say "Delivery to the following recipients was delayed" for warnings, older ones
 * "A message is delayed for more than 4 hours for the following list of recipients".
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';

const START = /(?:following\s+list\s+of\s+recipients|Your message could not be delivered to the following recipients?|Delivery to the following recipients was (?:delayed|postponed))[^\n]*:?[ \t]*$/im;
/** "A message is delayed for more than 4 hours for the following list of recipients:" */
const DELAYED = /delayed|postponed/i;
const END = /^[ \t]*Below is a copy of the original message|^[ \t]*-{3,}/im;
const LINE = /^\s*<?([^<>\s:@]+@[^<>\s:]+)>?:\s*([^\n]*)$/;

export const opensmtpd: MtaDecoder = {
  name: 'opensmtpd',
  decode(mail) {
    if (!fromMailSystem(mail)) return null;
    const start = START.exec(mail.text);
    if (!start) return null;
    let rest = mail.text.slice(start.index + start[0].length);
    const end = END.exec(rest);
    if (end) rest = rest.slice(0, end.index);
    // The sentence that introduces the list (its last line or two) says whether it is a warning.
    const delayed = DELAYED.test(mail.text.slice(Math.max(0, start.index - 120), start.index + start[0].length));
    const out: Notice[] = [];
    for (const line of rest.split('\n')) {
      const m = LINE.exec(line);
      if (m) out.push(notice(m[1]!, { diagnostic: m[2]!.trim() || null, action: delayed ? 'delayed' : null }));
    }
    return out.length > 0 ? out : null;
  },
};
