/**
 * fml, the Japanese mailing-list manager, refusing a post from a non-member:
 *
 *   X-MLServer: fml [fml 4.0.3 release (20011202/4.0.3)]
 *   You are not a member of this mailing list <list@example.org>.
 *
 * The address that refused the mail is the list. The verdict is the format's: the sender may
 * not post (`rejected`, which never suppresses).
 */
import type { MtaDecoder } from '../types.js';
import { notice } from '../types.js';

const NOT_MEMBER = /^You are not a member of this mailing list <([^<>\s@]+@[^<>\s]+)>\.?[ \t]*$/im;

export const fml: MtaDecoder = {
  name: 'fml',
  decode(mail) {
    if (!/^fml\b/i.test(mail.header('x-mlserver') ?? '')) return null;
    const m = NOT_MEMBER.exec(mail.text);
    return m ? [notice(m[1]!, { diagnostic: m[0].trim(), reason: 'rejected' })] : null;
  },
};
