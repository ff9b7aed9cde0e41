/**
 * IBM/Lotus Domino and the older Lotus Notes SMTP MTA.
 *
 * Domino:
 *   Your message
 *     Subject: ...
 *   was not delivered to:
 *     user@example.org
 *   because:
 *     User user (user@example.org) not listed in Domino Directory
 *
 * Notes SMTP MTA:
 *   ------- Failure Reasons  --------
 *   User not listed in public Name & Address Book
 *   user@example.org
 *   ------- Returned Message --------
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { addressLine, firstParagraph, joinLines } from '../text.js';

const NOT_DELIVERED = /^[ \t]*was not delivered to:[ \t]*$/im;
const BECAUSE = /^[ \t]*because:[ \t]*$/im;
const FAILURE_REASONS = /^-{3,}\s*Failure Reasons\s*-{3,}[ \t]*$/im;
const RETURNED = /^-{3,}\s*Returned Message\s*-{3,}[ \t]*$/im;

/**
 * Domino's and Notes' own words for an address missing from their directory (Japanese: "... is
 * not found in the Domino directory", and Notes' "... is not in the directory's list").
 */
const NOT_LISTED = /not listed in (?:the )?(?:Domino Directory|public Name & Address Book|Name and Address Book)|Domino ディレクトリには見つかりません|ディレクトリのリストにありません/i;

function verdict(diagnostic: string | null): 'userunknown' | null {
  return diagnostic !== null && NOT_LISTED.test(diagnostic) ? 'userunknown' : null;
}

function domino(text: string): Notice[] {
  const start = NOT_DELIVERED.exec(text);
  if (!start) return [];
  const rest = text.slice(start.index + start[0].length);
  const because = BECAUSE.exec(rest);
  if (!because) return [];
  const recipients = rest.slice(0, because.index).split('\n').map(addressLine).filter((a): a is string => a !== null);
  const diagnostic = joinLines(firstParagraph(rest.slice(because.index + because[0].length))) || null;
  return recipients.map((r) => notice(r, { diagnostic, reason: verdict(diagnostic) }));
}

function notes(text: string): Notice[] {
  const start = FAILURE_REASONS.exec(text);
  if (!start) return [];
  let rest = text.slice(start.index + start[0].length);
  const end = RETURNED.exec(rest);
  if (end) rest = rest.slice(0, end.index);
  const out: Notice[] = [];
  let reason: string[] = [];
  for (const line of rest.split('\n')) {
    const a = addressLine(line);
    if (a) {
      const diagnostic = joinLines(reason) || null;
      out.push(notice(a, { diagnostic, reason: verdict(diagnostic) }));
      reason = [];
    } else if (line.trim() !== '') {
      reason.push(line);
    }
  }
  return out;
}

export const lotus: MtaDecoder = {
  name: 'domino',
  decode(mail) {
    if (!fromMailSystem(mail)) return null;
    const found = domino(mail.text);
    if (found.length > 0) return found;
    const old = notes(mail.text);
    return old.length > 0 ? old : null;
  },
};
