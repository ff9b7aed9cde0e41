/**
 * CommuniGate Pro's notification, one block per recipient, naming the module that failed and,
 * for a remote refusal, the host and its reply:
 *
 *   Failed to deliver to '<user@example.org>'
 *   SMTP module(domain example.org) reports:
 *    host mx.example.org says:
 *    550 5.1.1 User unknown
 *
 *   Failed to deliver to '<other@example.net>'
 *   LOCAL module(account other) reports:
 *    account is full (quota exceeded)
 *
 * The words after the last "reports:" or "says:" line are the failure (the module and host
 * lines name no reason). CommuniGate's delivery-status part often has no Diagnostic-Code, so
 * these words complete it. Only a mail system's report is read: a person's reply or forward
 * may quote such a block.
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { addressIn, joinLines, leadingReply } from '../text.js';

const FAILED = /^Failed to deliver to '([^'\n]{1,320})'[ \t]*$/;
const SOURCE = /(?:\breports|\bsays):[ \t]*$/;

export const communigate: MtaDecoder = {
  name: 'communigate',
  decode(mail) {
    if (!mail.text.includes('Failed to deliver to \'') || !fromMailSystem(mail)) return null;
    const out: Notice[] = [];
    let recipient: string | null = null;
    let block: string[] = [];
    const close = () => {
      if (recipient !== null) {
        let from = 0;
        for (let i = 0; i < block.length; i++) if (SOURCE.test(block[i]!)) from = i + 1;
        const words = block.slice(from);
        out.push(notice(recipient, { diagnostic: joinLines(words) || null, reply: leadingReply(words) }));
      }
      recipient = null;
      block = [];
    };
    // One pass over the lines: a block runs from its "Failed to deliver" line to an empty line.
    let open = false;
    for (const line of mail.text.split('\n')) {
      const m = line.startsWith('Failed to deliver to ') ? FAILED.exec(line) : null;
      if (m) {
        close();
        recipient = addressIn(m[1]);
        open = true;
      } else if (line.trim() === '') {
        close();
        open = false;
      } else if (open) {
        block.push(line);
      }
    }
    close();
    return out.length > 0 ? out : null;
  },
};
