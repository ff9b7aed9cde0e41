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
 * these words complete it.
 */
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { addressIn, joinLines, leadingReply } from '../text.js';

const FAILED = /^Failed to deliver to '([^'\n]+)'[ \t]*$/gm;
const SOURCE = /(?:\breports|\bsays):[ \t]*$/;

export const communigate: MtaDecoder = {
  name: 'communigate',
  decode(mail) {
    if (!mail.text.includes('Failed to deliver to \'')) return null;
    const out: Notice[] = [];
    for (const m of mail.text.matchAll(FAILED)) {
      const recipient = addressIn(m[1]);
      if (recipient === null) continue;
      // The block: up to an empty line (or the next recipient's line).
      const block: string[] = [];
      for (const line of mail.text.slice(m.index + m[0].length + 1).split('\n')) {
        if (line.trim() === '' || line.startsWith('Failed to deliver to ')) break;
        block.push(line);
      }
      let from = 0;
      for (let i = 0; i < block.length; i++) if (SOURCE.test(block[i]!)) from = i + 1;
      const words = block.slice(from);
      out.push(notice(recipient, { diagnostic: joinLines(words) || null, reply: leadingReply(words) }));
    }
    return out.length > 0 ? out : null;
  },
};
