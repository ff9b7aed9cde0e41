/**
 * Dovecot's delivery agent (LDA/LMTP) rejecting a message itself, for a full mailbox or by a
 * Sieve "reject", sends a disposition notification (RFC 3798, "deleted") instead of a DSN. Its
 * fixed template, under the default subject "Automatically rejected mail":
 *
 *   Your message to <user@example.org> was automatically rejected:
 *   Quota exceeded (mailbox for user is full)
 *
 * The reason is the rest of that paragraph: Dovecot's own words for a full mailbox, or the text
 * a Sieve script gave (which decides nothing on its own).
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder } from '../types.js';
import { notice } from '../types.js';
import { firstParagraph, joinLines } from '../text.js';

const REJECTED = /^[ \t]*Your message to <([^<>\s@]+@[^<>\s]+)> was automatically rejected:[ \t]*(.*)$/im;

export const dovecot: MtaDecoder = {
  name: 'dovecot',
  decode(mail) {
    if (!mail.lower.includes('was automatically rejected:')) return null;
    const m = REJECTED.exec(mail.text);
    if (!m || !(fromMailSystem(mail) || /^\s*automatically rejected mail\s*$/i.test(mail.subject))) return null;
    const rest = firstParagraph(mail.text.slice(m.index + m[0].length));
    return [notice(m[1]!, { diagnostic: joinLines([m[2]!, ...rest]) || null })];
  },
};
