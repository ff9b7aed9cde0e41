/**
 * Google Groups: a post to a group that does not exist or does not let the sender post. The
 * report is written in the sender's language, so only its structure is read: Google's mailer,
 * the group address in X-Failed-Recipients, a link to groups.google.com. The verdict is the
 * format's own: the sender may not post there (`rejected`, which never suppresses).
 */
import type { MtaDecoder } from '../types.js';
import { notice } from '../types.js';
import { addressesOfList, joinLines } from '../text.js';

export const googlegroups: MtaDecoder = {
  name: 'googlegroups',
  decode(mail) {
    const failed = mail.headers('x-failed-recipients');
    if (failed.length === 0 || !/groups\.google\.com|Google Groups/i.test(mail.text)) return null;
    if (!/@(?:googlemail|google)\.com$/.test(mail.from)) return null;
    const recipients = addressesOfList(failed);
    const end = mail.text.search(/^-{3,} ?Original message/im);
    const body = (end >= 0 ? mail.text.slice(0, end) : mail.text).split('\n');
    const diagnostic = joinLines(body).slice(0, 1000) || null;
    return recipients.map((r) => notice(r, { diagnostic, reason: 'rejected' }));
  },
};
