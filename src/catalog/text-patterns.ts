/**
 * What remote servers say, mapped to bounce reasons. Patterns run on lower-cased text, in the
 * order listed: the first rule that matches decides. The order is the policy:
 *
 * - Specific recipient-side facts that sender-side words often accompany come first (a full
 *   mailbox, an oversized message, a mailer program that failed).
 * - Sender-side signals (authentication, reverse DNS, relaying, rate, reputation, block lists,
 *   spam, policy) come before "user unknown": a block-list rejection read as "user unknown"
 *   would suppress a customer who did nothing wrong, while the opposite mistake only delays a
 *   suppression (the address bounces again).
 * - Then the recipient's address (suspended, moved, not accepting, unknown domain, unknown user),
 *   then transport and system failures.
 *
 * `strong` rules beat the reason an enhanced status code implies (the text is more specific
 * than the code: "550 5.1.1 ... blocked using zen.spamhaus.org"); `weak` rules only fill in when
 * the codes name no reason. Written for Rebote from the wording of common MTAs and mailbox
 * providers; no pattern names a single sample.
 */
import type { BounceReason } from '../core/event.js';
import { RuleGate, type RuleTest } from './rule-gate.js';
import { RULE_GRAMS } from './rule-grams.js';

export type SmtpCommand = 'CONN' | 'HELO' | 'MAIL' | 'RCPT' | 'DATA';

/** A rule: its reason, and a regex or a check written out when a regex would scan the text twice. */
type Rule = readonly [reason: BounceReason, pattern: RuleTest];

/** One regex from alternatives written one per line (compiled once, at module load). */
function oneOf(...alternatives: RegExp[]): RegExp {
  return new RegExp(alternatives.map((re) => re.source).join('|'));
}

/**
 * Microsoft's Directory-Based Edge Blocking refuses a recipient that is not in the organization's
 * directory with "550 5.4.1 Recipient address rejected: Access denied", often with "AS(...)" or
 * the name of an outlook.com protection host in brackets; the status alone is read by
 * isMicrosoftDbeb. (Postfix's own "Recipient address rejected: Access denied" is an
 * administrator's access rule, which may be about anything.)
 */
const DBEB_WORDS = 'recipient address rejected: access denied';
const MICROSOFT_DBEB = /recipient address rejected: access denied\.? (?:as\(|\[[^\]\s]*\.(?:outlook|protection)\.)/;

/** DBEB's words with its 5.4.1 status (which the reply decoder takes off the text) or its own marks. */
export function isMicrosoftDbeb(lower: string, status: string | null): boolean {
  return lower.includes(DBEB_WORDS) && (status === '5.4.1' || status === '5.7.504' || MICROSOFT_DBEB.test(lower));
}

const SENDER_VERIFY = /sender verif|verification failed/;
const EXIM_NO_HOSTS = /all relevant mx records point to non-existent hosts|all host address lookups failed permanently/;

/**
 * Orange's and La Poste's refusal codes, which their postmaster pages document one by one. They
 * end the reply ("OFR_417 [417]", "OFR006_102", "LPN007_420", "LPNAAA_101", "LPN105-104",
 * "LPN416"; the last three digits are the code) and say more than its words, which are often
 * the stock "Service refusé. Veuillez essayer plus tard." Codes whose meaning is not documented
 * are left to the words, and so are the two that would make a hard bounce. Keys ending in "x"
 * cover their ten codes.
 */
// Written as Orange writes them, standing alone: not inside a host name, an address or an id
// ("lpn416.example.org", "ref=ouk-418").
const ORANGE_CODE = /(?<![\w@./=<-])(?:(?:ofr|lpn(?:aaa)?|ouk)(?:\d{3})?[-_]|lpn)(\d{3})(?![\w@-]|\.\w)/;
const ORANGE_REASONS: Readonly<Record<string, BounceReason>> = {
  // The sending IP on a block list (Abusix, Spamhaus, Cloudmark) or Orange's own.
  100: 'blocked', 101: 'blocked', 102: 'blocked', 103: 'blocked',
  104: 'toomanyconn',
  107: 'requireptr',
  // Too many messages in one connection.
  109: 'speeding',
  // An invalid HELO/EHLO name.
  '20x': 'blocked',
  305: 'securityerror', 402: 'securityerror',
  // SPF, DMARC.
  '39x': 'authfailure', 401: 'authfailure', 515: 'authfailure', 517: 'authfailure', 519: 'authfailure',
  // The sender's address or domain: invalid, without DNS, not the user's, block-listed.
  403: 'rejected', 405: 'rejected', 415: 'rejected', 421: 'rejected', 425: 'rejected',
  // 416 and 418 (an invalid recipient) are left to their words ("Invalid recipient"): a code
  // alone never makes a hard bounce.
  417: 'mailboxfull',
  // An archived mailbox, a blocked account.
  420: 'suspend', 426: 'suspend',
  505: 'systemerror',
  506: 'spamdetected',
  510: 'blocked', 630: 'blocked',
  514: 'mesgtoobig',
  // Rate-limited for the sender's behaviour.
  '99x': 'speeding',
};

/** The reason an Orange or La Poste code in the reply documents, if any. */
export function orangeCodeReason(lower: string): BounceReason | null {
  if (!lower.includes('ofr') && !lower.includes('lpn') && !lower.includes('ouk')) return null;
  const code = ORANGE_CODE.exec(lower)?.[1];
  if (code === undefined) return null;
  return ORANGE_REASONS[code] ?? ORANGE_REASONS[`${code.slice(0, 2)}x`] ?? null;
}

/**
 * Refusal codes of other providers that document them one by one (review against Sisimai's rhost
 * tables): Cox and Spectrum ("AUP#CXBL", "AUP#I-1000"), GoDaddy ("... IB212" ending the reply),
 * Outlook.com ("550 SC-001 (BAY004-MC1F13) ..."), Sophos ("XGEMAIL_0004"). Like Orange's, a code alone
 * never makes a hard bounce where words can say so (Sophos's can't: see SOPHOS_CODE).
 */
const COX_CODE = /\baup#(cx[a-z]+|cd[a-z]*bl|ipbl\d{4,5}|urlbl\d{3,4})\b/;
const COX_REASONS: Readonly<Record<string, BounceReason>> = {
  cxbl: 'blocked', cdrbl: 'blocked', cxrdbl: 'blocked', cxdns: 'requireptr', cxsndr: 'authfailure', cxsmtp: 'rejected',
  cxcnct: 'toomanyconn', cxmxrt: 'speeding', cxthrt: 'securityerror', cxmj: 'securityerror',
};
const SPECTRUM_CODE = /\baup#(?:in|out|[io])-?(\d{4})\b/;
const SPECTRUM_RANGES: readonly (readonly [number, number, BounceReason])[] = [
  [1000, 1000, 'blocked'], [1010, 1080, 'rejected'], [1090, 1090, 'systemerror'], [1100, 1150, 'requireptr'],
  [1160, 1190, 'policyviolation'], [1200, 1250, 'blocked'], [1260, 1260, 'networkerror'], [1300, 1340, 'toomanyconn'],
  [1350, 1490, 'speeding'], [1500, 1520, 'rejected'], [1530, 1530, 'mesgtoobig'], [1540, 1550, 'speeding'],
  [1560, 1560, 'blocked'], [1580, 1580, 'speeding'],
];
/**
 * Sophos Email ("550 5.7.1 XGEMAIL_0011 Command rejected"): the words are the same for every
 * refusal, so the code is all the reply says. Its 0011 ("the recipient's email address doesn't
 * exist in the Sophos Email protected domain") is the one code here that makes a hard bounce:
 * there are no words that could say it instead. Like Microsoft's directory-based edge blocking,
 * it also refuses a new mailbox the gateway's directory does not know yet; Rebote reads both
 * as the organization says: no such recipient.
 */
const SOPHOS_CODE = /\bxgemail_(\d{4})\b/;
const SOPHOS_REASONS: Readonly<Record<string, BounceReason>> = {
  // No valid DKIM signature, SPF failed, DMARC failed.
  '0001': 'authfailure', '0002': 'authfailure', '0003': 'authfailure',
  // The sending IP on an RBL, the sender's domain on a DBL; the admin's or the user's block list.
  '0004': 'blocked', '0005': 'blocked', '0008': 'blocked', '0009': 'filtered',
  // TLS version below policy; the receiving organization's licence expired.
  '0006': 'securityerror', '0007': 'systemerror',
  // The recipient's domain is not one Sophos protects; the recipient's address does not exist there.
  '0010': 'norelaying', '0011': 'userunknown',
  '0012': 'mesgtoobig', '0013': 'exceedlimit', '0014': 'speeding', '0015': 'speeding',
};
const GODADDY_CODE = /(?:^|\s)ib(\d{3})(?=\.?(?:\s|$))/;
const GODADDY_REASONS: Readonly<Record<string, BounceReason>> = {
  '007': 'toomanyconn', 101: 'systemerror', 103: 'badreputation', 104: 'blocked', 105: 'blocked', 106: 'blocked',
  108: 'requireptr', 110: 'blocked', 111: 'blocked', 112: 'blocked', 113: 'blocked', 212: 'spamdetected',
  401: 'securityerror', 501: 'notcompliantrfc', 502: 'notcompliantrfc', 504: 'speeding', 506: 'rejected',
  508: 'authfailure', 510: 'speeding', 605: 'exceedlimit', 607: 'speeding', 705: 'virusdetected',
};
const OUTLOOK_CODE = /(?:^|\s)(rp-00[1-3]|sc-00[1-4]|dy-00[12]|ou-00[12])(?![\w.-])/;
const OUTLOOK_REASONS: Readonly<Record<string, BounceReason>> = {
  'rp-001': 'badreputation', 'rp-002': 'badreputation', 'rp-003': 'badreputation', 'sc-001': 'badreputation',
  'sc-002': 'blocked', 'sc-003': 'blocked', 'sc-004': 'blocked', 'dy-001': 'blocked', 'dy-002': 'blocked',
  'ou-001': 'blocked', 'ou-002': 'badreputation',
};

// i.ua: "550 Mailbox is frozen. See http://mail.i.ua/err/3/". Code 2 (user not found) is left to the words.
const IUA_CODE = /\bmail\.i\.ua\/err\/(\d{1,2})\b/;
const IUA_REASONS: Readonly<Record<string, BounceReason>> = {
  1: 'norelaying', 3: 'suspend', 4: 'mailboxfull', 5: 'speeding', 6: 'norelaying', 7: 'blocked', 8: 'rejected',
  9: 'blocked', 10: 'filtered',
};

/**
 * NetEase (163.com, 126.com, yeah.net) puts a code of its own after the reply code ("554 DT:SPM 163
 * smtp14,...", "451 RP:QRC ...", "421 HL:ICC ..."), which its help page lists one by one (read in
 * copies of that page, part of the list from memory of it). Every listed code is about the sending
 * IP, the sender or the message, so a code never makes a hard bounce; codes not listed here are
 * left to the words.
 */
const NETEASE_CODE = /(?<![\w:./-])(hl|mi|rp|dt|wm):([a-z]{3})(?![\w:@.-])/;
const NETEASE_REASONS: Readonly<Record<string, BounceReason>> = {
  // The IP: many unknown recipients or forged sender domains, suspended, not allowed; too many connections; too many messages.
  'hl:rep': 'blocked', 'hl:mep': 'blocked', 'hl:ihu': 'blocked', 'hl:ipb': 'blocked', 'hl:icc': 'toomanyconn',
  'hl:ifc': 'speeding', 'hl:ifq': 'speeding',
  // Too many bad or excess commands in the session.
  'mi:cel': 'syntaxerror', 'mi:ccl': 'syntaxerror', 'rp:cel': 'syntaxerror', 'rp:ccl': 'syntaxerror',
  // The sender's quotas: messages per connection, per 15 minutes, per day; recipients per connection, per period, per day.
  'mi:dmc': 'speeding', 'mi:sfq': 'speeding', 'mi:stc': 'speeding', 'rp:drc': 'speeding', 'rp:qrc': 'speeding',
  'rp:trc': 'speeding', 'rp:rcl': 'exceedlimit',
  // The sender: a malformed address, not on the allowed list, envelope and header senders that differ; SPF, DMARC.
  'mi:imf': 'rejected', 'mi:spb': 'rejected', 'wm:blu': 'rejected', 'dt:sum': 'rejected',
  'mi:spf': 'authfailure', 'mi:dma': 'authfailure',
  'rp:frl': 'norelaying',
  'dt:spm': 'spamdetected', 'dt:rbl': 'blocked', 'wm:bli': 'blocked',
};

export function providerCodeReason(lower: string): BounceReason | null {
  if (lower.indexOf(':') !== -1) {
    const ne = NETEASE_CODE.exec(lower);
    if (ne !== null) {
      const r = NETEASE_REASONS[`${ne[1]}:${ne[2]}`];
      if (r !== undefined) return r;
    }
  }
  if (lower.includes('i.ua/err/')) {
    const iua = IUA_CODE.exec(lower)?.[1];
    if (iua !== undefined) return IUA_REASONS[iua] ?? null;
  }
  if (lower.includes('aup#')) {
    const cox = COX_CODE.exec(lower)?.[1];
    if (cox !== undefined) {
      if (cox.startsWith('ipbl')) return 'blocked';
      if (cox.startsWith('urlbl')) return 'spamdetected';
      return COX_REASONS[cox] ?? null;
    }
    const sp = SPECTRUM_CODE.exec(lower)?.[1];
    if (sp !== undefined) {
      const n = Number(sp);
      for (const [lo, hi, r] of SPECTRUM_RANGES) if (n >= lo && n <= hi) return r;
      return null;
    }
  }
  if (lower.includes('xgemail_')) {
    const sophos = SOPHOS_CODE.exec(lower)?.[1];
    if (sophos !== undefined) return SOPHOS_REASONS[sophos] ?? null;
  }
  const gd = GODADDY_CODE.exec(lower)?.[1];
  if (gd !== undefined) return GODADDY_REASONS[gd] ?? null;
  const ol = OUTLOOK_CODE.exec(lower)?.[1];
  if (ol !== undefined) return OUTLOOK_REASONS[ol] ?? null;
  return null;
}

const STRONG: readonly Rule[] = [
  // A sender's own quota or rate, before "quota" is read as a full mailbox and "too many
  // recipients" as a limit per message.
  ['speeding', oneOf(
    /\b(?:daily|hourly|sending|relay|outbound|send|message) (?:\w+ ){0,2}(?:quota|limit) (?:exceed(?:ed|s)?|reached)/,
    // Microsoft: "554 5.2.2 Submission quota exceeded", "... sender's submission quota was exceeded".
    /\bsubmission (?:\w+ ){0,2}(?:quota|limit) (?:was |has been )?(?:exceeded|reached)/,
    /(?:reached|exceeded) (?:your|the) (?:daily|hourly|sending|relay|outbound) (?:\w+ )?(?:quota|limit)/,
    /too many (?:recipients|messages|e-?mails) (?:this|per|an|in the last|within the last) (?:hour|minute|day)/,
    // Gmail: "This message exceeded its quota for sending messages with the same Message-ID".
    /\bquota for sending\b/,
    // "Your quota exceeds the daily limit for sending" (the sender's allowance, not a mailbox's).
    /\bquota exceeds? (?:\S+ ){0,3}?(?:daily|hourly|sending)\b/,
    // Gmail's 4.7.28 names the sender's SPF domain: still a rate, not an authentication failure.
    // (A folded reply may put a continuation's codes inside the phrase.) Its older 4.7.0 and 5.7.1
    // replies go on to say the IP "has been (temporarily) blocked": a block (the blocked rules).
    /unusual rate of\b(?![^\n]{0,200}?\bhas been (?:temporarily )?blocked\b)/,
    // A volume over a time window: "452 4.2.2 more than 10000 messages in past 24h0m0s from your
    // ip/network" (mox uses the mailbox-full status for its per-IP limit).
    /more than \d+ (?:messages|mails|e-?mails|bytes|recipients|connections) in (?:the )?(?:past|last)\b/,
  )],
  // The recipient's account itself blocked (before "blocked" is read as a refusal of the sender).
  ['suspend', oneOf(
    /recipient(?:'s)? account (?:is |has been )?(?:blocked|locked)/,
    // "mailbox has been blocked due to inactivity": the mailbox's own state, not a block of the sender.
    /(?:mailbox|account) (?:is |has been |was )?(?:blocked|locked) (?:due to|for|because of) (?:its |his |her )?(?:inactivity|non-?use|lack of use)/,
    /compte du destinataire est bloqu/,
  )],
  ['mailboxfull', oneOf(
    /mailbox (?:is )?full/,
    // The address between: "the destination mailbox <a@b> is full" (HERMES).
    /mailbox (?:<[^<>\s]+> |[^\s@]+@\S+ )is full/,
    /mailbox has exceeded/,
    /(?:inbox|mailbox) is out of (?:storage|space)/,
    /(?:mailbox|mail ?folder|inbox|account|storage|mail ?box) (?:is )?(?:full|over (?:its |the )?(?:quota|limit|storage))/,
    // vpopmail's "The users mailfolder is over the allowed quota (size)." (not an allowance of
    // messages, which is the sender's: "over the allowed quota of messages per day", "for sending").
    /(?:mailbox|mail ?folder|inbox|mail ?box|account) (?:is )?over (?:its |the )?(?:allowed |permitted )quota\b(?! (?:of|for|per) (?:messages|recipients|sending|outgoing|today|the day|day|hour))/,
    // "451 Over-quota", "over quota", "overquota".
    /over[ -]?quota/,
    /quota (?:usage )?(?:exceed(?:ed|s)?|full|violation)\b/,
    // "552 Mailbox limit exeeded for this email address" (sic).
    /mailbox (?:size )?limit (?:exceeded|exeeded|reached)/,
    /exceed(?:ed|s|ing)? (?:\w+ ){0,3}quota/,
    /disk ?(?:space )?quota/,
    // vpopmail: "Sorry, the user's maildir has overdrawn his diskspace quota".
    /has overdrawn (?:\w+ ){0,2}quota/,
    /storage (?:limit|allocation) (?:exceeded|reached)/,
    /(?:user|recipient)(?:'s|s')? mailbox (?:is )?full/,
    /number of messages in (?:the )?(?:recipient'?s? )?mailbox/,
    /not enough (?:disk )?space/,
    // "552 Account(s) <a@b> does not have enough space"; "User has exhausted allowed storage space";
    // Coremail and other Chinese servers: "Mailbox space not enough".
    /(?:does not|doesn't) have enough (?:disk |storage )?space/,
    /exhausted (?:\S+ ){0,2}?storage/,
    /(?:mailbox|disk) space (?:is )?not enough/,
    // Postfix's local and virtual delivery agents when the mailbox file reached mailbox_size_limit
    // (they give it 5.2.2): "cannot update mailbox ... error writing message: File too large".
    /error writing message: file too large/,
    // RFC 5321's own words for 552, which servers send as they are: "Requested mail action aborted:
    // exceeded storage allocation"; and "full mailbox", "would exceed maximum allowed storage".
    /exceeded storage allocation/,
    /\bfull mail ?box\b/,
    /would exceed (?:the )?(?:maximum )?(?:allowed )?storage/,
    // 163.com / Chinese providers in English: "user's space has been used up".
    /(?:user'?s?|mailbox|account) (?:disk )?space (?:has been |is )?used up/,
    /not sufficient (?:disk )?space/,
    /mailbox size limit/,
    /mailbox (?:\w+ )?exceeds (?:the )?(?:allowed|maximum|permitted) size/,
    // The mailbox's or storage's size, not the message's, before "size exceeded" reads as a message
    // too big: "552 5.2.2 Mailbox size exceeded", "Maximum mailbox size exceeded", "Storage size
    // exceeded"; and a mailbox over "an administrative limit" before that reads as a limit per message.
    /(?:mailbox|storage|quota|inbox|mail ?box|postfach) (?:(?!(?:attachment|file|e-?mail)s?\b|(?:message|item|mail)\b)\w+ )?size (?:limit )?(?:exceed|reached)(?!\w* (?:for|of|per) (?:sending|outgoing|messages|recipients|today|the day|day|hour))/,
    /mailbox (?:\w+ )?exceeds (?:the |an |its )?administrative limit/,
    /(?:insufficient|not enough) (?:storage|space) (?:for|in) (?:the |this )?(?:user|mailbox|recipient)/,
    // Too many messages kept, not sent: "User has too many messages on the server" (web.de). Not
    // a rate: "too many messages on this server from your IP", "... in this account today".
    /too many (?:messages|mails|e-?mails) (?:stored )?(?:on|in) (?:the |this |your |his |her )?(?:server|mailbox|inbox|account)(?![^.;\n]{0,40}\b(?:today|from (?:your|this|the)|per (?:hour|minute|day)|this (?:hour|minute|day)|in the last|within))/,
    /zu ?viele (?:mails|nachrichten|e-mails) (?:auf dem server|im postfach)/,
    // Spanish: "buzón lleno", "mailbox lleno", "espacio en casilla de mail agotado".
    /(?:buz[oó]n|casilla|mailbox) (?:de (?:correo|mail) )?(?:est[aá] )?llen[oa]/,
    /espacio en (?:la )?(?:casilla|buz[oó]n)(?: de (?:correo|mail))? agotado/,
    // Orange: "552 5.1.1 Boite du destinataire pleine" (its 5.1.1 is not about the address).
    /bo[iî]te (?:\S+ ){0,3}pleine/,
    /postfach (?:ist )?voll/,
    // Web.de: "Benutzer hat das Speichervolumen ueberschritten"; "... des Postfaches erschöpft".
    /speichervolumen (?:\S+ )?(?:ue|ü)berschritten/,
    /postfach(?:e?s)? (?:\S+ ){0,2}?erschöpft/,
    /casella (?:\w+ )?piena/,
    // Russian, Polish, Portuguese, Turkish, Dutch, Chinese: the mailbox is full.
    /ящик(?:а)? (?:\S+ ){0,2}?переполнен/,
    /skrzynka (?:\S+ ){0,2}?(?:jest )?(?:pe[łl]na|przepe[łl]niona)/,
    /caixa (?:postal|de correio|de entrada)(?: do destinat[aá]rio)? (?:est[aá] )?(?:cheia|lotada)/,
    /posta kutusu dolu/,
    /(?:mailbox|postvak|postbus) (?:is )?vol\b/,
    /(?:邮箱|信箱|收件人|用户)(?:的)?(?:空间|容量)(?:不足|已满)|(?:邮箱|信箱)已满/,
  )],
  ['mesgtoobig', oneOf(
    /(?:message|mail|email|e-mail) (?:\w+ ){0,2}(?:too (?:large|big)|exceeds? (?:the )?(?:\w+ )?size)/,
    /too (?:large|big) for (?:this|the) (?:recipient|system|server|mailbox)/,
    /size (?:limit )?exceed/,
    /size limits? (?:exceeded|reached)/,
    /exceeded (?:\S+ ){0,3}size limit/,
    /exceeds? (?:the )?(?:maximum|max|allowed|fixed|permitted) (?:\w+ )?size/,
    // Exchange Online: "exceeded the maximum incoming message size", "exceeded maximum inbound message size".
    /exceeded (?:the )?maximum (?:inbound|incoming) message size/,
    /recipsizelimit/,
    /line (?:length )?limit exceeded/,
    /message is too (?:large|big)/,
    // AT&T: "Your e-mail message is larger than the destination mail system is able to accept"; NetEase:
    // "exceeded mailsize limit".
    /message is larger than\b/,
    /exceeded (?:the )?(?:mail|message) ?size limit/,
    // Orange: "Taille limite du message atteinte".
    /taille (?:limite|maximale) du message/,
  )],
  // A delivery program that failed, after what it may say of the mailbox (procmail's "Quota
  // exceeded while writing", maildrop's "maildir over quota"): its name alone says less.
  ['mailererror', oneOf(
    /procmail/,
    /mailer error/,
    /\bpipe to \|/,
    /\|\s*\/\w/,
    /exit (?:code|status) \d/,
    /command (?:died|failed) with/,
    /local delivery (?:program|agent) failed/,
  )],
  ['exceedlimit', oneOf(
    /message length exceeds/,
    /exceeds? (?:the |an )?administrative limit/,
    /too many recipients/,
    /recipient (?:count )?limit (?:exceeded|reached)/,
    /(?:maximum|max) (?:number of )?recipients/,
  )],
  // Gmail's DMARC alignment refusal names "the From: header (RFC5322)": an authentication
  // failure, decided before the RFC-compliance words.
  ['authfailure', /(?:is not|isn't) aligned with (?:either )?the authenticated (?:spf|dkim)/],
  // Gmail's RFC-compliance refusals also mention spam and "blocked": decide them first.
  ['notcompliantrfc', oneOf(
    /rfc ?(?:5322|2822|822)/,
    /rfcmessagenoncompliant/,
    /not (?:rfc|standards?)[- ]compliant/,
    /multiple (?:subject|from|to|cc|date|sender|message-id|reply-to) (?:headers|header fields)/,
    /multiple addresses in (?:the )?from/,
    /duplicate (?:header|subject|from|date|message-id)/,
    // Gmail: "Messages missing a valid address in the From: header ... are not accepted".
    /missing (?:a )?(?:valid |required )?(?:address in the )?(?:date|from|to|message-id|subject):? header/,
    // CommuniGate Pro: "Messages without To: fields are not accepted here".
    /without (?:an? )?(?:date|from|to|message-id|subject):? (?:header|field)s?\b/,
    /(?:does not|doesn't) comply with (?:the )?(?:required )?(?:standards|rfcs?)\b/,
  )],
  // cPanel's Exim says this when it cannot route the domain at all (its router's "cannot route"
  // message): no server was reached, so "they may be blacklisted" is a guess, not a refusal.
  // cPanel also quotes the same sentence when its callout could not verify *our* sender
  // ("Verification failed for <sender> ... Sender verify failed"): that is left to the rules below.
  ['hostunknown', {
    test: (lower: string) => lower.includes('the account or domain may not exist') && !SENDER_VERIFY.test(lower),
  }],
  // A refusal that names spam as its cause, though it goes on to advise on authentication (Google Groups).
  ['spamdetected', /(?:rejected|blocked) (?:due to|because of) (?:a )?spam\b/],
  ['authfailure', oneOf(
    /\bsender id (?:validation|check)/,
    /\bspf\b/,
    /\bdkim\b/,
    /\bdmarc\b/,
    /sender policy framework/,
    /domainkeys/,
    /authentication checks? (?:failed|did not pass)/,
    /multiple authentication checks/,
    /fails? to pass (?:\w+ )?authentication/,
    /unauthenticated (?:email|mail|message|sender\b(?!s (?:are )?not allowed))/,
    /(?:does not|doesn't) have authentication information/,
    // Outlook.com/Exchange Online: "The 5322.From address doesn't meet the authentication
    // requirements defined for the sender"; "... doesn't meet the required authentication level".
    /(?:does not|doesn't) meet the (?:required )?authentication (?:level|requirements)/,
    /sender is unauthenticated/,
    /\barc (?:validation|check)/,
    // SPF checkers' verdict on the connecting IP: "192.0.2.1 is not allowed to send mail from example.com".
    /is not (?:allowed|authori[sz]ed|permitted) to send (?:e-?mail |mail |messages? )?(?:from|for|on behalf of) /,
    // A gateway that takes the message for a forgery of the sender's domain (Barracuda).
    /\bspoofed (?:message|mail|e-?mail|sender)/,
  )],
  // The sender's own failure to look up the recipient domain's mail servers, before a "PTR record"
  // in its words reads as the sender's missing reverse DNS (SendGrid: "unable to get mx info:
  // failed to get IPs from PTR record"; Brevo: "Unable to find MX of domain").
  ['networkerror', oneOf(
    /(?:unable to|cannot|can't|could not|couldn't|failed to) (?:get|find|look ?up|resolve) (?:the )?mx\b/,
  )],
  ['requireptr', oneOf(
    /revers(?:e)? (?:dns|lookup|mapping|resolution)/,
    // AT&T: "421-failure in DNS look-up." (the sending system's reverse DNS).
    /failure in (?:the )?dns look-?up(?! (?:of|for|on)\b|:)/,
    /\bptr\b/,
    /\brdns\b/,
    /ip name lookup failed/,
    /(?:cannot|can't|could not|unable to) (?:find|resolve|determine) your (?:host ?name|ip|address)/,
    // Gmail: "the corresponding forward DNS entry does not point to the sending IP".
    /forward dns (?:entry|record|lookup)/,
    /client host .{0,40}(?:has no|without a?|lacks) (?:reverse|ptr|host ?name)/,
    /mismatches client ip/,
    /unverifi?(?:y)?able (?:sending )?(?:ip|host|address)/,
    /no (?:reverse|ptr) (?:dns|record)/,
    /without a valid sender domain/,
    // Not "unresolvable address: <a@b>; nosuchuser" (ZMailer's router on a recipient it cannot
    // route, e.g. vger.kernel.org): there the address is a mailbox's, not the client's.
    /unresolvable (?:relay )?(?:ip|host|address)(?!:? *<?[^\s<>@;]+@)/,
    /generic (?:host ?name|rdns)/,
  )],
  ['securityerror', oneOf(
    /smtp auth(?:entication)?\b/,
    /(?:does not|doesn't) support (?:starttls|tls)/,
    // A smarthost that offers no AUTH to a sender set up to log in (Gmail's "Send mail as").
    /(?:does not|doesn't) (?:advertise|offer|support) auth\b/,
    /authentication (?:is )?required/,
    /must (?:first )?(?:authenticate|auth\b)/,
    /(?:requires?|need) (?:smtp )?authentication/,
    /starttls/,
    /tls (?:is )?required/,
    /must (?:use|issue) (?:a )?(?:starttls|tls)/,
    /encryption (?:is )?required/,
    /(?:client|sender) was not authenticated/,
    // A relay that wants SMTP AUTH, not a failed SPF/DKIM check.
    /unauthenticated (?:senders|users|relay(?:ing)?) (?:are )?not allowed/,
    /\bauth(?:entication)? failed/,
    // Mimecast: "550 Submitter failed to authenticate" (the sending client's SMTP login).
    /(?:submitter|sender|client) failed to authenticate/,
    // NetEase: "451 Requested mail action not taken: too much fail authentication".
    /too (?:much|many) fail(?:ed)? auth/,
    /invalid credentials/,
    /certificate (?:verify|verification|validation) failed/,
    // Mimecast: "553 This route requires encryption (TLS)", "... requires high-strength ciphers".
    /route requires (?:encryption|tls|high-strength ciphers)/,
    // A failed login in Polish, Turkish, Russian, Portuguese, Spanish, Dutch, Italian, Chinese.
    /uwierzytelni(?:anie|enie) (?:nieudane|nie powiod)|kimlik do[gğ]rulama ba[sş]ar[ıi]s[ıi]z|ошибка (?:аутентификации|авторизации)/,
    /falha na autentica[cç][aã]o|autenticaci[oó]n fallida|authenticatie mislukt|autenticazione fallita/,
    /(?:认证|身份验证|登录验证|登陆验证|smtp ?验证|auth ?验证)失败/,
  )],
  ['norelaying', oneOf(
    /relay(?:ing)? (?:access )?(?:is )?(?:denied|disallowed|not (?:permitted|allowed|authori[sz]ed)|prohibited|refused)/,
    /(?:not|n't) (?:permitted|allowed|authori[sz]ed|configured) to relay/,
    /unauthori[sz]ed relay/,
    // Coremail/NetEase: "553 Requested action not taken: Local user only" (only its own users may send).
    /\blocal users? only\b/,
    // Exim's router on a host set up for local delivery only (Debian's exim4 default): the
    // sending host's own configuration refused to send out; nothing was said of the recipient.
    /mailing to remote domains not supported/,
    /unable to relay/,
    /(?:we|i) do not relay/,
    /(?:use|using) me (?:\S+ ){0,4}?as a relay/,
    /no relaying/,
    /insecure mail relay/,
    /open relay/,
    /(?:isn't|is not|not) in my list of allowed rcpthosts?/,
    /relaying (?:mail )?to \S+ (?:is )?(?:not (?:allowed|permitted)|prohibited|denied)/,
    /(?:we|i) (?:don't|do not) handle mail for(?! (?:that|this) user\b|\s*<?[^\s@<>]+@)/,
    /\bnot a gateway\b/,
    /email address is not verified/,
  )],
  ['toomanyconn', oneOf(
    /too many (?:concurrent |simultaneous |open |smtp |parallel )*(?:connections|sessions)/,
    /trop de connexions/,
    /(?:maximum|max) (?:number of )?(?:concurrent |simultaneous )?connections/,
    /connection (?:limit|rate)/,
    /concurrent connections/,
    /frequency limit/,
    // Mimecast: "550 Exceeding outbound thread limit" (concurrent connections of the account).
    /thread limit/,
  )],
  // A rate limit the receiver says it set because of the sender's reputation (Outlook.com's
  // 4.7.650 "temporarily rate limited due to IP reputation") is about the reputation.
  // Yahoo's TSS04 "temporarily deferred due to unexpected volume or user complaints" too: the
  // complaints are the sender's record, not its rate.
  ['badreputation', /\bdue to (?:\w+ ){0,3}(?:reputation|user complaints)/],
  ['speeding', oneOf(
    /rate[- ]?limit/,
    // Cox: "452 4.3.2 message threshold exceeded" (its throttle, whatever X.3.2 says).
    /\b(?:message|connection|sending|rate) threshold (?:exceeded|reached)/,
    // Postfix's anvil-style answer: "Client host rejected: Please try again slower".
    /try again slower/,
    /(?:max|maximum) (?:number of )?(?:e-?mails|messages) per (?:hour|minute|day)/,
    // Google Groups: "exceeded the allowable number of posts without solving a captcha".
    /posts without solving a captcha/,
    /too many (?:messages|mails|e-?mails)(?! in )/,
    /sending (?:too fast|rate)/,
    /receiving (?:e-?)?mail (?:at a rate|too quickly)/,
    /(?:message|sending|send|delivery) rate/,
    /throttl/,
    // Not "552 Too much mail data": a size or storage limit (a full mailbox at NTT docomo).
    /too much (?:e-?)?mail(?! (?:data|in (?:the )?mailbox))/,
    /(?:unexpected|unusual|high|excessive) volume/,
    /mail flood/,
    // Microsoft's 5.2.121 and 5.2.122: "per hour message receive limit (from specific sender) exceeded".
    /\breceive limit (?:[\w'-]+ ){0,4}?exceeded/,
    // ... and its NDR's words for 5.2.122: "exceeded their limit for the number of messages they can receive per hour".
    /limit for the number of messages (?:they|it|the recipient) can receive/,
    // QQ: "550 Mailbox unavailable or access denied" (also sent as "denined"): the recipient is
    // flooded with mail and closed to it for a while.
    /mailbox unavailable or access den/,
  )],
  ['badreputation', oneOf(
    /(?:poor|bad|low|insufficient) (?:\w+ ){0,2}reputation/,
    /reputation (?:score|too low|is (?:poor|low|bad))/,
    /(?:sender|sending|ip|domain) reputation/,
    /(?:user|spam) complaints/,
    /complaint rate/,
  )],
  // A link in the message on a URI block list (URIBL, SURBL) is about the content, not the sending host.
  ['spamdetected', oneOf(
    /\b(?:uribl|surbl)\b/,
    /(?:black|block)listed (?:url|uri|link)s?\b/,
    // "A URL in this email (example.com) is listed on https://spamrl.com/".
    /\b(?:url|uri|link)s? in (?:this|the|your) (?:e-?mail|message) (?:\S+ ){0,3}?(?:is |are )?listed\b/,
  )],
  // Postfix says "refused to talk to me" when the greeting itself was a rejection.
  ['blocked', oneOf(
    /not accepting connections/,
    // The connecting host's HELO/EHLO name refused (Stalwart "550 5.5.0 Invalid EHLO domain.").
    /(?:invalid|bad|malformed|bogus) (?:ehlo|helo)\b/,
    // The HELO name's domain unknown ("550 Unknown domain in HELO"), before it reads as the recipient's.
    /(?:unknown|invalid|non-?existent|unresolvable) (?:domain|host ?name|host) in (?:the )?(?:ehlo|helo)\b/,
    // The sending IP missing from the receiver's list of allowed senders.
    /\bip (?:address )?(?:\S+ )?(?:is )?not (?:found |listed )?in (?:our |the )?(?:allow|white|permit)[- ]?list/,
    // A client cut off for its own errors or failed transactions (mox "550 5.1.0 too many failures",
    // chasquid "421 4.5.0 Too many errors, bye"): the reply's own start, after its codes, or after
    // a quoting MTA's "said:" or ": ", never words inside another refusal.
    /(?:^|\bsaid: |: )(?:[245]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3} )?)?too many (?:failures|errors)\b/,
    // A receiver refusing the sender's host, not a domain that takes no mail (Facebook's POL-P3).
    /not accepting (?:network |any )?(?:messages|mail|e-?mails?) from\b/,
    // An IP blocked for address harvesting (Cox, GoDaddy IB112, Spectrum 1560): about the sender,
    // whatever the status ("550 5.1.1 ... too many invalid recipients").
    /(?:too many|excessive(?: number of)?|threshold of|high (?:rate|number) of) (?:invalid|unknown|bad|non-?existent|undeliverable) (?:recipients?|addresses|users|rcpts?)\b/,
    // "Excessive userid unknowns".
    /excessive (?:\w+ )?unknowns\b/,
    /blocked using/,
    /(?<!not )listed (?:in|on|at|by) (?:the |a |an |our )?(?:https?:\/\/)?[\w.-]*(?:\.[a-z]{2,}\b|bl\b|black ?list|block ?list|deny ?list)/,
    /black ?list/,
    /block ?list/,
    /deny ?list/,
    /blacklisted/,
    /blocklisted/,
    /\bdnsbls?\b/,
    // A word ending in "rbl" (an RBL's name): the same as \b\w*rbl\b, without scanning each word.
    /rbls?\b/,
    /spamhaus/,
    /spamcop/,
    /\bsorbs\b/,
    /barracudacentral/,
    /cloudmark/,
    /uceprotect/,
    /abuseat/,
    /(?:banned|blocked|blacklisted|black) (?:sending )?ip\b/,
    /\bip (?:address )?(?:\S+ )?(?:is |has been |was )?(?:blocked|banned|blacklisted|refused|rejected|not allowed)/,
    /(?:your|sending|source|client|connecting) (?:ip|host|server|mail server) (?:\S+ ){0,6}(?:is |has been |was )?(?:blocked|banned|refused|not (?:allowed|authori[sz]ed|permitted))/,
    /client host (?:\S+ )?(?:rejected|blocked|refused)/,
    // Microsoft's 5.7.750 "Client blocked from sending from unregistered domains".
    /\bclient blocked\b/,
    /adresse ip source bloqu/,
    /ip you'?re using to send/,
    // Gmail: "IP not in whitelist for RCPT domain"; Coremail: "556 remote ip check error" (556 is not a
    // domain that takes no mail here); AT&T: "550 unauthorized interface for <ip>", "You are not
    // allowed to send e-mail to <a>" (an abuse block); Barracuda's cloud service: "550 permanent
    // failure for one or more recipients (a@b:blocked)" or "(a@b:quarantined)" (its filter's verdict).
    /\bip (?:address )?(?:\S+ )?not in (?:the |our )?(?:white|allow) ?list/,
    /\bip check (?:error|fail)/,
    /unauthori[sz]ed interface for/,
    /(?:you are|you're) not (?:allowed|permitted|authori[sz]ed) to send (?:e-?mail |mail |messages? )?to\b/,
    /failure for one or more recipients \([^()\s]{1,254}:(?:blocked|quarantined)\)/,
    /not accepted from (?:this|your|the sending) ip/,
    // "554 5.3.2 Sorry, we do not accept connections from your IP"; Naver's "Your IP(192.0.2.1) is
    // filtered ... register your IP": about the sender's IP whatever the status (5.3.2 alone would
    // read as a domain that accepts no mail).
    /(?:do not|don't|will not|won't|does not|doesn't) accept (?:\S+ )?(?:connections|e-?mails?|mail|messages) from (?:your|this|the sending) (?:ip|host|server|network)/,
    /\byour ip\b[^.;\n]{0,40}?\b(?:is |was |has been )?(?:filtered|blocked|denied|refused|rejected|banned|blacklisted)/,
    /register your ip/,
    // Russian, Polish, Chinese: "в чёрном списке", "na czarnej liście", "黑名单" (black list).
    /ч[её]рн(?:ом|ый|ые|ых|ого) списк|czarn(?:ej|a|ych) li[sś]/,
    /黑名单/,
    /(?:dynamic|dial-?up|residential|consumer)[- ](?:ip|ip address|address|range|pool|connection|host)/,
    // A refusal by the sender's country or network: "not allowed access from your location".
    /access from your (?:location|country|region|network)/,
    /smtp server of your isp/,
    // Orange UK intercepting port 25: "554 Please check your SMTP server is set to smtp.orangehome.co.uk".
    /(?:check|make sure|ensure) (?:that )?your (?:outgoing |smtp |mail )+server is (?:set|configured) to\b/,
    // ORBZ-era wording: "Mail from 192.0.2.1 refused by blackhole site orbz.example".
    /\bblack ?hole (?:site|list|zone|server)\b/,
    /use your (?:isp|provider)'?s? (?:smtp|mail|relay)/,
    /refused to talk to me/,
    // Refusals of the connecting host in its own words (Sendmail, qmail patches, mail.ru, free.fr,
    // Microsoft): "You are not allowed to connect", "Rejecting open proxy", "Your remotehost looks
    // suspiciously like spammer", "Too many spams from your IP", "not currently accepting mail from
    // your IP", "Extreme bad IP profile", "Server IP ... listed as abusive".
    /not allowed to connect/,
    /open proxy/,
    // The connecting host refused as such (QQ's "Connection denied", "Suspected bounce attacks");
    // not "connection refused", which is the network's.
    /\bconnection denied\b/,
    // Trend Micro's sender filtering: "521 Block permanently (...)", "421 Block temporarily (...)",
    // alone or quoted with its code.
    /(?:^|: |\b[245]\d\d[ -])block (?:permanently|temporarily)\b/,
    /\bbounce attacks?\b/,
    /remote ?host (?:\S+ ){0,3}(?:suspicious|spammer)/,
    /too many [\w-]+ (?:\S+ ){0,6}?from (?:your|this|the following) ip\b/,
    /not (?:currently )?accepting (?:network |any )?(?:messages|mail|e-?mails?) from your ip/,
    /bad ip profile/,
    /invalid ip for sending/,
    /forbidden by your ip/,
    /\blisted as abusive\b/,
    /sending mta (?:or the sender )?has not passed validation/,
    /(?:your )?server requires confirmation|confirm this mail server/,
    /access to submit messages (?:\S+ ){0,4}?has been rejected/,
    // The old ORBS block list ("refused, see http://www.orbs.org"); not a mailbox named orbs@.
    /\borbs\.org\b/,
    // AOL: "Delivery not authorized, message refused" means the sending site is blocked from
    // sending to AOL (not Postfix's "Recipient address rejected: Delivery not authorized").
    /delivery not authori[sz]ed, message refused/,
    // AOL's documented refusal codes are about the connecting IP: "(CON:B1)", "(RTR:DU)" dynamic,
    // "(RTR:BL)" block list, "(RLY:B1)", "(HVU:B1)", "(DNS:NR)" no reverse DNS.
    /\((?:con|rtr|rly|hvu|dyn|dns|ipts):[a-z0-9]{1,4}\)/,
    // Postfix's HELO restrictions judge the client's name ("Helo command rejected: Host not found").
    /helo command rejected/,
    /greylist/,
    // T-Online (Deutsche Telekom) refuses a blocked IP with "554 IP=192.0.2.1 - A problem
    // occurred. (Ask your postmaster for help or to contact ... to clarify.) (BL)".
    /\(ask your postmaster [^)]{0,200}\) \(bl\)/,
  )],
  ['virusdetected', oneOf(
    // Not a gateway's footer: "scanned for viruses by ...", "checked for viruses by Trend Micro
    // antivirus software", "protected by antivirus software", "virus-free".
    // (The word first, the look-behinds after it: a pattern that opens with one is tried at every
    // position of every text.)
    /virus(?<!(?:scanned|checked|tested|screened) for (?:known )?virus)(?<!for viruses by [^\n]{1,40}anti-?virus|protected by anti-?virus)(?!-?free)/,
    /malware/,
    /\btrojan/,
    /\bworm\b/,
    /infected/,
    /ransomware/,
    /potentially executable attachment/,
  )],
  ['spamdetected', oneOf(
    // Not an address's own name ("<spam@example.com>: User unknown").
    /(?<![@.])\bspam\b(?!@|\.[a-z0-9])/,
    /\bube\b/,
    /\buce\b/,
    /unsolicited (?:bulk |commercial )?(?:e-?mail|mail|message)/,
    /(?:appears|considered|classified|identified|seems) (?:to be |as )?(?:an? )?unsolicited/,
    /spamming (?:is )?not (?:allowed|permitted|tolerated)/,
    // MailMarshal's spam filter names itself: "Message refused by MailMarshal SpamProfiler".
    /\bspamprofiler\b/,
    // Filters that name their verdict without the word "spam": Cloudmark's "recurrent pattern
    // detection", "bulk email", "unacceptable content", "failed several antispam checks", a score
    // over a threshold, and the help pages of 163.com and DSBL ("help_spam_16.htm").
    /recurrent pattern detection/,
    // Not Gmail's "requires all bulk email senders to use TLS/SSL" (a TLS refusal).
    /(?<![@.\w-])(?<!requires all )bulk (?:e-?mail|mail|advertising)\b/,
    /(?:unacceptable|rejecting (?:mail |message )?) ?content\b/,
    /content filter rejection/,
    /(?:failed|did not pass) (?:\w+ ){0,2}anti-?spam checks?/,
    /\bmail score \(/,
    /help_spam/,
    /junk (?:e-?)?mail/,
    /spam-?like/,
    /spamassassin/,
    // Exchange: "550 5.2.1 Content Filter agent quarantined this message" (its 5.2.1 is no mailbox's).
    /content filter (?:agent )?quarantined/,
    /spam ?signature/,
    /scored as spam/,
    // A content filter's score: "550 This message scored 11.4 points. Congratulations!" (Exim's
    // spam ACL examples).
    /\bscored -?\d+(?:\.\d+)? points\b/,
    /spam score/,
    /phish/,
    // Russian, Polish, Chinese: "отклонено как спам" (rejected as spam), "отклонено
    // антиспам-фильтром", "odrzucone przez filtr antyspamowy", "被反垃圾邮件系统拦截", "垃圾邮件"
    // (junk mail). An anti-spam product's name alone ("反垃圾邮件网关") is no verdict.
    /(?:как|за|признан[оа]?|является|похоже на|подозрение на) спам|обнаружен спам|отклонено:? спам/,
    /(?:отклонен|заблокирован)\S* (?:\S+ ){0,2}?антиспам/,
    /(?:odrzucon|zablokowan)\S* (?:\S+ ){0,3}?antyspam/,
    /(?:被|由)反垃圾(?:邮件)?(?:系统|网关|过滤器?)?\S{0,4}?(?:拦截|拒绝|拒收|退回|过滤)|(?<!反)垃圾邮件/,
  )],
  ['policyviolation', oneOf(
    /polic(?:y|ies) (?:violation|reasons?|restriction|rejection)/,
    // Exim's answer when an ACL denies without its own message.
    /administrative prohibition/,
    /(?:denied|rejected|refused|blocked|bounced|not accepted) (?:by|due to|for|because of|per) (?:[\w-]+ ){0,4}polic/,
    // Mimecast's policies: "550 Anti-Spoofing policy - Inbound not allowed", and its
    // Geographical Restriction policy's "554 Host network not allowed".
    /anti-?spoofing polic/,
    /host network not allowed/,
    /polic(?:y|ies) that (?:prohibit|forbid|does not allow)/,
    /violat(?:es|ed|ion of|ing) (?:[\w.-]+ ){0,2}polic/,
    /against (?:our |local )?polic/,
    // Exchange Online 5.7.520: "Your organization does not allow external forwarding".
    /(?:does not|doesn't) allow external forwarding/,
    /local policy/,
    // "550 Rejected - Content Policy".
    /content polic(?:y|ies)\b/,
    // Gmail's "blocked because its content presents a potential security issue", also cut after
    // "potential" where a sendmail list quotes only the reply's first line.
    /content (?:presents|poses) a (?:potential\b|security)/,
    /prohibited (?:attachment|file|content)/,
    /attachment (?:type )?(?:is )?(?:not allowed|prohibited|blocked)/,
    /acceptable use policy/,
    // AOL: "the recipient is not accepting mail with attachments or embedded images" (a setting of
    // the recipient's mailbox about this message, not a domain that takes no mail).
    /not accepting (?:any )?(?:mail|messages|e-?mails?) (?:with|containing)\b/,
    /(?:containing|with) images or (?:other )?attachments/,
    /illegal attachment/,
    /members-only list|closed mailing list|not subscribed to (?:this|the|that) (?:group|(?:mailing )?list)/,
    // groups.io: "510 5.1.1 Your email address, a@b, is not subscribed to that group": the SENDER is
    // not a member (a posting policy), whatever 5.1.1 says about the group's address.
    /\byour (?:e-?mail )?address,? (?:\S+,? )?is not (?:subscribed|a member of (?:this|the|that) (?:group|(?:mailing )?list))\b/,
    /only (?:members|subscribers) (?:of (?:this|the|that) (?:group|(?:mailing )?list) )?(?:can|may) (?:post|send)/,
    /organi[sz]ational settings/,
    /messages with multiple addresses/,
    /\bmass mailer\b/,
    /headers? (?:are|is) not accepted/,
    // Yahoo: "554 Message not allowed - [PH01] Email not accepted for policy reasons".
    /message (?:is )?not allowed/,
  )],
  ['filtered', oneOf(
    /recipient(?:'s)? preferences/,
    // KDDI (au): "550 : User unknown", with no address, is its user's own reception filter.
    /^: ?user unknown$/,
    /(?:user|recipient) (?:refuses|rejected|declined) (?:to accept|this mail|your mail)/,
    /(?:rejected|blocked) by (?:the )?recipient(?! domain)/,
    /(?:recipient|user) (?:has )?(?:blocked|filtered) (?:you|your|the sender|this sender)/,
    /message filtered/,
    /filtered by (?:the )?(?:user|recipient)/,
    /user rules/,
    /only accept(?:s|ing)? (?:mail|e-?mail|messages) from/,
    // "nur E-Mails von bestimmten E-Mail-Adressen akzeptiert" (the recipient's allow list).
    /nur e-?mails von bestimmten/,
    // The recipient's choice ("User refused to receive this mail"), not a server's.
    /(?<!server |host |mta )refus(?:es|ed)? to receive/,
    // A recipient's own setting about this message: "The user does not accept email in non-Western
    // (non-Latin) character sets" (Hotmail); "the recipient does not accept mail in HTML format".
    /(?:user|recipient|addressee) (?:does not|doesn't|will not|won't) accept (?:e-?mails?|mail|messages) in\b/,
    // AOL: "<a@aol.com> is not accepting any mail" / "... mail from this sender" (the recipient's
    // Mail Controls); Exchange: "the sender isn't on the recipient's list of senders to accept
    // mail from". Said of one address, not of a domain that takes no mail.
    /(?:@[\w.-]+>?|recipient|user|addressee) (?:is )?not accepting (?:any )?(?:mail|messages|e-?mails?)\b/,
    /list of senders to accept mail from/,
    // Exchange Online 5.7.124 "Sender not in allowed-senders list"; Interia "Recipient doesn't want your
    // mail"; Korean portals "You are registered as spammer (by user's reject list)".
    /not in (?:the )?allowed[- ]senders? list/,
    /(?:recipient|user|addressee) (?:does not|doesn't) want (?:your|this) (?:e-?)?mail/,
    /(?:user|recipient)'?s (?:reject|block|deny) ?list/,
    /account is protected by/,
    /restricted sms e-?mail/,
    /\buser reject\b/,
  )],
  ['rejected', oneOf(
    // The SENDER's address or domain takes no mail or has no MX, before "null MX" is read as the
    // recipient's domain: RFC 7505's "550 5.7.27 Sender address has null MX", maddy's "Domain in
    // MAIL FROM has null MX record", Haraka's "No MX for your FROM address".
    /(?:domain in (?:the )?mail from|mail ?from domain|sender(?:'s)? (?:address|domain)|envelope sender(?:'s)? (?:address|domain))\b(?:[^.;]|\.(?=[a-z0-9])){0,60}?\b(?:null mx|no mx|mx records?|does not accept mail)/,
    /\bno mx (?:records? )?for your (?:mail ?)?from\b/,
    // Exim's sender verification: "550-Verification failed for <sender> / 550-Unrouteable address /
    // 550 Sender verify failed", whose middle line would read as the recipient's domain.
    /\bverification failed for <[^<>\s]*>/,
    /sender (?:e-?mail )?(?:address |domain )?(?:was |is )?(?:rejected|refused|denied|invalid|unknown|not allowed|empty|a spammer|spammer|blocked|blacklisted|blocklisted|banned)/,
    /sender not pre-?approved/,
    // BATV and backscatter checks refuse a bounce to an address the sender's system never used.
    /(?<![@.\-])\bbatv\b(?![@.\-]\w)/,
    /backscatter protection detected/,
    /bogus mail from/,
    /\bbouncedeny\b/,
    /valid-address-filter/,
    /senderfilterconfig/,
    /(?:third-party|unsigned) dsns?\b/,
    /returned mail not accepted/,
    /from:? domain is invalid/,
    /fully qualified (?:e-?mail )?address required/,
    /not a registered gateway user/,
    /mail from (?:address )?not owned by/,
    /(?:[eé]metteur|exp[eé]diteur) invalide/,
    /not allowed to post to (?:this|the) (?:mailing )?list/,
    // "This server does not accept mail from example.org": the sender's domain (its IP is a block, above).
    /(?:does not|doesn't|do not|don't) accept (?:e-?)?mail from\b/,
    // The sender's own address or domain said not to exist, whatever it is called: "Your sending
    // domain does not exist", "MAIL FROM address does not exist", "the domain you are sending from
    // doesn't exist" (before the recipient rules read "address ... does not exist").
    /(?:sender|sending|mail ?from|envelope[- ]?from) (?:e-?mail )?(?:address|domain) (?:\S+ )?(?:does not|doesn'?t) exist/,
    // Spamdyke: "Refused. The domain of your sender address has no mail exchanger (MX)."
    /(?:sender|sending|mail ?from|envelope[- ]?from) (?:e-?mail )?(?:address|domain)\b[^.;]{0,30}?\b(?:has no|with no|without an?|lacks an?) (?:valid )?(?:mail exchanger|mx)\b/,
    /(?:address|domain) you(?:'re| are) (?:sending|mailing) from (?:\S+ )?(?:does not|doesn'?t) exist/,
    // "553 Sender Domain Resolve Fail".
    /sender (?:address |domain )(?:\S+ )?(?:resolve|resolution|dns|lookup) fail/,
    // NetEase: "Error: MAIL FROM is mismatched with message header from address".
    /mail from (?:address )?(?:is )?mismatch/,
    // "553 VS10-RT Possible forgery or deactivated due to abuse (#5.1.1)": a check of the sender's
    // identity first; its 5.1.1 does not prove the mailbox missing.
    /\bpossible forgery\b/,
    // Gmail: "553 5.1.7 The sender address <a> is not a valid RFC 5321 address".
    /sender (?:address|domain) (?:\S+ )?(?:is not (?:a )?valid|is invalid)/,
    /domain of sender address/,
    // Facebook's DNS-P1/P2/T1: "Your SMTP MAIL FROM domain does not exist".
    /\bsmtp mail from:? (?:address|domain)\b/,
    /(?:unroutable|unrouteable|invalid|bad|unknown|unverified) (?:envelope )?sender/,
    /sender verif(?:y|ication) failed/,
    /(?:could not|cannot|unable to) verify (?:the )?sender/,
    /mail from (?:address )?(?:is )?(?:rejected|refused|invalid)/,
    // AT&T/BellSouth "550 [permfail] bellsouth.net requires valid sender domain"; Coremail "553 host
    // denies the sender", "554 sender is unvalidated", "554 Black mail address".
    /requires? (?:a )?valid sender/,
    /denies the sender/,
    /sender is (?:unvalidated|not validated)/,
    /\bblack mail address/,
    /purported responsible address/,
    /not a member of (?:this|the) (?:mailing )?list/,
    /envelope sender/,
    /from address (?:is )?(?:invalid|rejected|not allowed)/,
    // Mimecast's Blocked Senders policy: "Envelope rejected - Block policy for Envelope From address".
    /block policy for (?:the )?(?:envelope|header) from/,
    // Mail.ru: "550 message sending for this account is disabled": the sender's own account, not
    // a disabled mailbox of the recipient.
    /(?:message |mail )?sending (?:\S+ ){0,2}?(?:for|from) (?:this|your) account (?:is |has been )?(?:disabled|blocked|suspended)/,
  )],
  ['suspend', oneOf(
    // Not the sender's own account (Google Workspace: "the sender account is disabled").
    // (Nor the sender's relay account: "your sending account is not activated", "... not
    // activated for SMTP relay".)
    /(?<!sender(?:'s)? |sending |your )(?:account|mailbox|user)(?:'s)? (?:\S+ ){0,5}?(?:is |has been |was )?(?:temporarily |currently |permanently )?(?:disabled|suspended|deactivated|inactive|frozen|discontinued|not active|not activated)(?! for (?:smtp|relay|sending|outgoing))/,
    /(?:disabled|suspended|deactivated|inactive|frozen) (?:account|mailbox|mbox|user|recipient)/,
    /(?:mail|e-?mail) receiving (?:is )?disabled/,
    /address (?:is |has been )?administratively disabled/,
    /not currently being accepted for this mailbox/,
    // "Unknown or disabled" in Italian, German and French (a server that does not say which), and
    // Aruba PEC's "unknown or not enabled to receive uncertified mail".
    /destinatario sconosciuto o (?:mailbox|casella) disat+ivata|unbekannt oder (?:\S+ )?deaktiviert|destinataire inconnu ou bo[iî]te aux lettres d[ée]sactiv|destinatario sconosciuto o non abilitat/,
    // Polish, Spanish, Italian: an account blocked or inactive, closed for lack of use.
    /konto (?:\S+ ){0,2}?(?:zablokowane|nieaktywne)/,
    /usuario (?:\S+ ){0,3}?inactivo/,
    /bloccat[oa] per inutilizzo/,
    // iCloud: "<a>: inactive email address". "Unknown or inactive email address" is not sure.
    /(?<!unknown or )inactive e-?mail address/,
    /temporar(?:y|ily) locked/,
    /(?:temporarily|currently) inactive/,
    /archived recipient/,
    /user is terminated|(?:account|mailbox) (?:has been |is |was )?terminated/,
    /recipient suspend/,
    // "This address no longer accepts mail" (Sisimai lists it for a suspended mailbox first).
    /(?:this|the) address no longer accepts (?:mail|e-?mail|messages)/,
    /@[\w.-]+>?:? (?:is )?(?:currently |temporarily )?suspended/,
    /(?:account|mailbox|user)(?: status)? (?:is |has been )?locked/,
    // Spanish: "esta casilla ha expirado por falta de uso" (closed for lack of use).
    /casilla (?:\S+ ){0,2}?(?:expirad[oa]|inactiva|deshabilitada|suspendida)/,
    // La Poste: "Boite du destinataire archivee" (an archived mailbox).
    /bo[iî]te (?:\S+ ){0,3}archiv/,
  )],
  ['hasmoved', oneOf(
    /no longer (?:on|at) (?:this |the )?server/,
    /(?:has|have) moved/,
    /mailbox (?:has been )?moved/,
    /moved (?:permanently|to another)/,
    /no forwarding address/,
    /\bold address (?:is )?no longer valid/,
    // "<old@example.com> has been replaced by <new@example.net>".
    /@[\w.-]+>? has been replaced by /,
  )],
  ['notaccept', oneOf(
    /null mx/,
    // Exim's words for a null MX (RFC 7505).
    /an mx or srv record indicated no smtp service/,
    /(?:does not|doesn't|do not|will not|won't) (?:accept|receive) (?:any )?(?:e-?mails?|mail|messages)(?! (?:from|with|of|over|larger|bigger|containing|that|which|for)\b)/,
    // (Not "... at this time", "temporarily not accepting": a server's passing state, not a domain without mail.)
    /(?<!(?:temporarily|currently|presently) )not accepting (?:network |any )?(?:messages|mail|e-?mail)(?! (?:from|with|containing|at (?:this|the) (?:time|moment)|at present|right now|for now|now|currently|temporarily)\b)/,
    /(?:couldn't|could not|can't|cannot) find a mail exchanger/,
    /no mail exchanger/,
    /accepts no mail/,
  )],
  // Transient DNS trouble, before "host not found" is read as a domain that does not exist.
  ['networkerror', oneOf(
    /host not found, try again/,
    /try again.{0,20}(?:dns|name server)/,
    /(?:malformed|unexpected) (?:or unexpected )?name server reply/,
    /(?:host ?name|name) lookup fail/,
    /temporary (?:dns|name (?:service|server|resolution)) (?:error|failure)/,
    /dns (?:server )?(?:timeout|timed out|failure|servfail)/,
    /servfail/,
    /name server (?:timeout|failure|error)/,
    /dns query failed/,
  )],
  ['hostunknown', oneOf(
    /host (?:or domain name )?(?:unknown|not found)/,
    /unknown (?:host|domain)/,
    /(?:domain|host) (?:name )?(?:does not|doesn't) exist/,
    // au/KDDI: "As the remote domain doesnt exist" (sic).
    /remote domain doesnt exist/,
    /no such (?:domain|host)/,
    /domain (?:name )?not found/,
    /unrout(?:e)?able (?:address|domain|mail domain)/,
    /(?:couldn't|could not|can't|cannot) find any host/,
    /bad destination system/,
    /domain is not reachable/,
    /nxdomain/,
    /name or service not known/,
    /recipient domain (?:\S+ )?(?:is )?(?:invalid|unknown)/,
    // 1&1 (and other Exim-like routers): the domain's MX records name no usable host.
    /no valid mx hosts? found/,
    // Exim's router when the domain's mail hosts have no address at all (its DNS answered, for good).
    // Exchange Online: "550 5.4.310 DNS domain example.com does not exist [Message=InfoDomainNonexistent]".
    /\bdns domain \S+ (?:does not|doesn't) exist/,
    // Exchange: "Recipient address reserved by RFC 2606" (.test, .example, .invalid, .localhost).
    /reserved by rfc ?2606/,
  )],
  // Exim's router verdict on the recipient's domain; the same words in a callout on our sender are the sender's.
  ['hostunknown', {
    test: (lower: string) => EXIM_NO_HOSTS.test(lower) && !SENDER_VERIFY.test(lower),
  }],
  ['userunknown', oneOf(
    /(?<!(?:sender|from) )(?:user|recipient) (?:e-?mail )?address is marked as invalid/,
    /(?:user|recipient|mailbox|addressee|local[- ]?part) (?:\S+ ){0,2}?(?:unknown|not found|not known)/,
    /unknown (?:user|recipient|mailbox|addressee|address(?! error)|e-?mail address|local[- ]?part)/,
    // Also run together as an error name, as in RFC 3464's own example: "X-LOCAL; 500 (err.nosuchuser)".
    /no[ _]?such[ _]?(?:(?:active|valid|existing) )?(?:user|recipient|mailbox|address|account|person|local user|e-?mail address|mail ?drop)/,
    // Run together: "UserUnknown".
    /\buser_?unknown\b/,
    /unknown or illegal (?:alias|user|recipient|address|mailbox)/,
    // "Recipient address no longer exists" (whatever the status: Sendmail's access map sends 5.3.0).
    /(?<!sender )(?:user|recipient|mailbox|address|account) (?:\S+ ){0,3}?no longer exists?\b/,
    /(?:user|recipient|mailbox|address|account|addressee) (?:\S+ ){0,5}?(?:does not|doesn't|do not|did not) exist/,
    // Servers written by non-native speakers: "550 User not exist", "mailbox not exists".
    /(?<!sender )(?:user|recipient|mailbox|account) (?:is |does )?not exists?\b/,
    /(?:user|recipient|mailbox|address|account) (?:\S+ ){0,3}?(?:was not found|could not be found|couldn't be found|not found|is not (?:a )?valid|is invalid)/,
    /invalid[ -](?:recipient|mailbox|user(?:name)?|address|e-?mail address|destination|final delivery)/,
    // The words the other way round: "550 Address invalid", "user invalid".
    // (Said of the recipient: at the start, after its address, or after "recipient".)
    /(?:^|>(?::|\.{3})? |recipient )(?:user|recipient|mailbox|address) invalid\b/,
    /\bno one with (?:that|this) (?:e-?mail )?address\b/,
    /(?<!ip |sender |sender's |your |from:? |client )address is not known to this (?:system|server|domain)/,
    // Sun/Oracle Messaging Server and others: "<a@b> was not found in LDAP server".
    /(?:^(?!sender)|> |recipient |user )(?:\S+ )?(?:was |is )?not found in (?:the )?ldap\b/,
    /(?<!sender |sender's |ip |domain |you )(?:does not|doesn't) have an? (?:e-?mail |mail )?account (?:here|on this (?:server|system))/,
    /(?:does not|doesn't) handle mail for (?:that|this) user/,
    /not a (?:valid|known) (?:user|recipient|mailbox|address)/,
    /is not a known user/,
    /(?:^|>(?::|\.{3})? |the )(?:mailbox|address|user|recipient) (?:is )?not present(?: in (?:the |our )?(?:directory|database|ldap)\b|(?! in\b))/,
    /(?:^|>(?::|\.{3})? |recipient )address (?:is )?unknown\b/,
    /\baddresses were unknown\b/,
    /(?:^|>(?::|\.{3})? |recipient |the |this )mailbox (?:is )?invalid\b/,
    /(?:user|recipient|mailbox|address)'s (?:e-?mail )?name is not found/,
    /there is no one at this address/,
    /(?:e-?mail )?address is wrong or no longer valid/,
    /unknown virtual user/,
    /non-?existent (?:user|recipient|mailbox|address)(?![a-z])/,
    // "No jdoe in name directory".
    /\bno \S+ in name directory\b/,
    // qmail's badrcptto patch and its relatives: the recipient is on the server's list of bad ones.
    /\bbad(?:rcptto|recipientto)\b/,
    /(?<!sender:? |sender's |from:? |from:|return-path:? )<[^<>\s@]+@[^<>\s]+> not found/,
    /nessun utente simile|no existe (?:dicha persona|ese usuario)/,
    /(?<!absender-?)adresse nicht gefunden/,
    /no (?:mail[- ]?box|account|user) (?:here )?(?:by|with) that name/,
    /no mail[- ]?box (?:here|found|available)/,
    /recip(?:ient)? ?notfound/,
    // qmail's validrcptto patch: "553 sorry, this recipient is not in my validrcptto list (#5.7.1)".
    /not in my validrcptto list/,
    /not listed in (?:the )?(?:\S+ ){0,3}(?:directory|address book)/,
    // Domino in Japanese: "User X (a@b) is not found in the Domino directory".
    /ディレクトリには見つかりません/,
    /ディレクトリのリストにありません/,
    // Japanese providers' own: "the destination mail account does not exist" (Gmail), "... user is
    // not registered" (DTI); not the sender's or the customer's own (送信者, 差出人, 送信元, お客様...).
    /(?<!(?:送信者|差出人|送信元|発信者|発信元|お客様|あなた|ご利用)[^。、]{0,8})(?:ユーザー?|アカウント|メールボックス|メール ?アドレス)(?:は|が)(?:存在しません|登録されていません)/,
    // German: "550 Benutzer nicht bekannt"; QQ: "该用户未开通QQ邮箱" (this user has no QQ mailbox).
    /(?<!(?:absender|ihr|ihre|dem|smtp|auth|login)\S{0,12}[\s:-]{0,2})\bbenutzer (?:ist )?nicht bekannt\b/,
    /(?<!(?:发件|发信|寄件|您|你)[^，。；,.;:：\s]{0,8}|域名\S{0,2})未开通\S{0,4}邮箱/,
    /bad[ _](?:destination[ _])?(?:mailbox|recipient)/,
    /this user doesn't have an? .{1,40} account/,
    /(?:usuario|destinatario) (?:desconocido|inexistente|no existe)/,
    /utilisateur inconnu/,
    // Orange: "Adresse d au moins un destinataire invalide" (at least one recipient invalid).
    /(?<!exp[eé]diteur ou )destinataire (?:inconnu|invalide)/,
    // Exchange in French: "Nous n’avons pas trouvé l’adresse de courrier que vous avez entrée".
    /n['’]avons pas trouvé l['’]adresse de courrier/,
    /benutzer unbekannt/,
    /unbekannte?r? (?:empf[aä]nger|benutzer)/,
    /niemand unter dieser adresse/,
    // Exchange in German: "Die eingegebene E-Mail-Adresse konnte nicht gefunden werden", "Die
    // E-Mail-Adresse des Empfängers wurde im E-Mail-System des Empfängers nicht gefunden".
    /eingegebene e-?mail-adresse konnte nicht gefunden werden/,
    /e-?mail-adresse des empf[aä]ngers (?:\S+ ){0,8}?nicht gefunden/,
    /utente sconosciuto/,
    // Italian: "Destinatario errato", "destin. Sconosciuto" (not "... o mailbox disattivata", above).
    /destinatario errato|destin(?:atario|\.) sconosciuto/,
    /indirizzo inesistente/,
    // Exchange in Italian: "Non sono riuscito a trovare l'indirizzo e-mail che hai immesso".
    /non (?:sono riuscit[oa]|è stato possibile) a trovare l['’]indirizzo e-?mail/,
    // Italian, Russian, Polish, Portuguese, Spanish, Turkish, Dutch, Chinese: the user or mailbox
    // does not exist, said of it directly (a word between may name a list or a forwarding
    // address), and not of the sender ("Mittente:", отправитель, nadawca, remetente, remitente,
    // gönderen, afzender, 发件人) or of "your" account (ваш, twoje, sua, su, tu, uw, 您的).
    /(?<![a-z])(?<!mittente:? )(?:questo indirizzo|l['’]indirizzo(?: e-?mail)?) non esiste|indirizzo (?:del )?destinatario (?:sconosciuto|inesistente)/,
    /(?<!пересылки |отправител[ья]:? |ваш |ваша )(?:пользовател[ья]|почтов(?:ый|ого) ящик(?:а)?|ящик(?:а)? получателя|адресат(?:а)?|получател[ья]) не (?:найден|существует)(?! в (?:списк|бел|перечн))/,
    /(?:такого|этого) (?:почтового ящика|пользователя|адресата|получателя) не существует|нет такого (?:пользователя|ящика|адресата|получателя)/,
    /(?<!twoje |twoja |twój |nadawca:? )(?:u[żz]ytkownik|konto(?: u[żz]ytkownika)?|adres odbiorcy|skrzynka(?: pocztowa| odbiorcy)?|odbiorca) nie istnieje|(?<!nadawca:? )nie ma takiego (?:u[żz]ytkownika|konta)/,
    /(?<!sua |seu |remetente:? |encaminhamento do )\b(?:usu[aá]rio|conta(?: de e-?mail)?|destinat[aá]rio) (?:n[aã]o existe|inexistente|desconhecid[oa])/,
    /(?<!su |tu |remitente:? )(?:usuario no encontrado|buz[oó]n no existe|cuenta de correo no existe)/,
    /(?<!g[öo]nderen:? )kullan[ıi]c[ıi] bulunamad[ıi]|b[öo]yle bir kullan[ıi]c[ıi] yok/,
    /(?<!afzender:? |uw )(?:gebruiker (?:is )?onbekend|(?:gebruiker|mailbox|e-?mailadres) bestaat niet)/,
    /收件人(?:地址)?不存在|(?<!(?:发件|发信|寄件)[^，。；,.;:：\s]{0,8}|(?:您|你)的)(?:用户|邮箱|用户名|账户|帐户)(?:地址)?不存在/,
  )],
  ['networkerror', oneOf(
    /routing loop/,
    /forwarding loop/,
    /loop was found/,
    /unable to resolve route/,
    /mail loop/,
    /(?:hop|relay) count exceeded/,
    // Lotus Notes: "Message has exceeded maximum hop count".
    /exceeded (?:the )?maximum hop count/,
    /too many hops/,
    // A hop count by its trace fields: "554 Too many Received: headers".
    /too many (?:received|delivered-to):? (?:headers|header fields|lines)/,
    /loop(?:ing)? detected/,
    /message looping/,
    /loops back to myself/,
    // Sendmail: "MX list for example.com. points back to mx.example.net".
    /mx list for \S+ points back to/,
    /no route to host/,
    /network (?:is )?unreachable/,
    /host (?:is )?unreachable/,
    /no mx (?:or a )?(?:record )?(?:for|found)/,
    /unable to find (?:an? )?mx/,
    // Not dma's "DNS lookup failure: host x not found": its decoder knows which host that was.
    /dns (?:error|failure)|dns lookup(?! failure: host \S+ not found)/,
    /name service error/,
  )],
  ['contenterror', oneOf(
    /headers? (?:\S+ )?too (?:large|long|big|many)/,
    /too many headers/,
    /8-?bit (?:or binary )?(?:data|characters|encoding)/,
    /improper use of 8/,
    /malformed (?:message|header|mime|mail|content)/,
    /invalid (?:mime|header|character|encoding)/,
    /content rejected/,
    // QQ: "550 Mail content denied".
    /(?:mail |message )?content denied/,
    /header error/,
    /bad header/,
    /mime (?:error|violation)/,
    /(?:message|content) (?:is )?(?:corrupt|malformed)/,
    /line too long/,
    // Exchange Online: "message MIME complexity exceeds the policy maximum", "... header size, or
    // recipient list, exceeds policy limit"; Gmail's "improperly-formatted binary content",
    // "text that uses unnecessary base64 encoding".
    /mime complexity/,
    /exceeds (?:the )?policy (?:limit|maximum)/,
    /improperly[- ]formatted (?:binary|content|message|mime|headers?)\b/,
    /unnecessary base64/,
  )],
  ['expired', oneOf(
    /retry (?:timeout|time) (?:exceeded|reached)/,
    /(?:message|envelope|delivery|queue) (?:time ?)?(?:expired|timed out|timeout)/,
    /delivery time expired/,
    /expired after/,
    /too long in (?:the )?queue/,
    /in the queue too long/,
    /queue too long/,
    /(?:could not|couldn't|cannot|unable to) (?:be )?deliver(?:ed)? (?:\w+ )?(?:for|within|in) (?:the (?:last|past) )?\d+ (?:hours?|days?|minutes?)/,
    /after (?:multiple|many|repeated) (?:retries|attempts)/,
    /delivery failed (?:after )?\d+ (?:attempts|tries)/,
    /hosts? (?:\S+ ){0,2}?(?:have been |has been )failing/,
    /has been delayed/,
    // Exim's "retry time not reached for any host after a long failure period"; "it has not been
    // collected after N days"; "was not reachable within the allowed queue period".
    /long failure period/,
    /failing for a long time/,
    /not been collected after/,
    /allowed queue period/,
    /could not be delivered for more than/,
    /delivery attempts will continue/,
    /will be retried/,
    /timed out/,
  )],
  // The cause, when the text does not say the sender gave up.
  ['networkerror', oneOf(
    // OpenSMTPD's own: "Network error on destination MXs", "No valid route to remote MX" (or "to
    // destination"), "Address family mismatch on destination MXs"; qmail's "Sorry, I wasn't able
    // to establish an SMTP connection".
    /network error on destination mxs?/,
    /no valid route to (?:remote mx|destination)/,
    /address family mismatch/,
    /(?:wasn't|was not) able to establish an smtp connection/,
    /connection (?:was )?(?:refused|reset|lost|dropped)/,
    /lost connection/,
    // CommuniGate Pro: "connection with mx.example.com is broken".
    /connection (?:with \S+ )?(?:is |was )?broken/,
    /tls (?:handshake|negotiation) failed/,
  )],
  ['systemfull', oneOf(
    /(?:insufficient|not enough|out of) (?:system |disk |free )?(?:storage|disk space|space)/,
    // Exchange's back pressure (disk or memory of its queue), with RFC 3463's X.3.1 "mail system full".
    /insufficient system resources/,
    /disk (?:is )?full/,
    /file ?system (?:is )?full/,
    /no space left/,
    /mail system full/,
  )],
  ['systemerror', oneOf(
    /internal (?:server |system |mail |software )?error/,
    /system error/,
    /server error/,
    /(?:local|temporary|transient) (?:error|problem|failure) (?:in|on|while)/,
    /(?:service|server|system) (?:is )?(?:currently |temporarily )?(?:unavailable|not available|busy|overloaded)/,
    /transaction failed/,
    /insufficient (?:system )?permission|insufficient resources/,
    /service refus/,
    /resources? (?:temporarily )?unavailable/,
    /too busy/,
    /configuration (?:error|problem)/,
    /misconfigur/,
    /unexpected error/,
    /internal failure/,
    /interrupted system call/,
    /(?:queue )?file write error/,
    /can'?t create (?:user )?output\b/,
    // vpopmail: "can not open new email file errno=13".
    /(?:can ?not|can't|unable to) open new (?:e-?mail|mail|message) file/,
    /error while being processed/,
    /(?:temporary|local) (?:local )?problem\b/,
    /\bconfig error/,
    /timeout waiting for input/,
    // Exim's local transports: "local delivery failed", "delivery to file forbidden", "LMTP error
    // after ..."; a local program's "bad interpreter".
    /\blocal delivery failed\b/,
    /delivery to (?:file|pipe) forbidden/,
    /\blmtp error after\b/,
    /bad interpreter/,
    // qmail: "Although I'm listed as a best-preference MX or A for that host, it isn't in my
    // control/locals file"; Courier: "This domain's DNS violates RFC 1035." (the receiving side's setup).
    /listed as a best-preference mx/,
    /dns violates rfc ?1035/,
  )],
];

const WEAK: readonly Rule[] = [
  // NTT docomo's "552 Too much mail data": 552 is a storage allowance exceeded (RFC 5321).
  ['mailboxfull', /too much mail data/],
  // "550 #5.1.0 Address rejected" with nothing after it is how several hosts say "no such user".
  ['userunknown', oneOf(
    // Not QQ's "550 Mailbox unavailable or access denied": a recipient flooded with mail, closed for a while.
    /mailbox (?:is )?(?:unavailable|not available)(?! or access den)/,
    // Weak: ISP relays say it of the sender's address too ("553 5.1.8 <a> is not an active address").
    /is not an active (?:address|mailbox|user)(?: at| on| here|$)/,
    /(?:does not|doesn't) exist/,
    /no valid recipients?\b(?! from)/,
    // A misspelling some servers send: "mailbox unavaiable".
    /mailbox unavaiable/,
    // Coremail's "550 #2175041 unavailable mail user"; "550 RC:LD The email account that you tried to reach
    // does no exists" (sic).
    /\bunavailable mail user\b/,
    /\bdoes no exists?\b/,
    /(?<!(?:sender|recipient|from) )\baddress rejected(?!:)/,
    // "550 5.1.0 Recipient rejected: <a@b>", "550 5.0.1 Recipient rejected", "550 <a@b>: Recipient
    // address rejected.": nothing else said (Postfix's own refusals give their cause after a colon).
    // Anchored at both ends, to the text's start or a quoted reply's (Postfix's "... said: 550 ...",
    // Gmail's "The error that the other server returned was: 550 ...", Exim's "host x [ip]: 550"):
    // "Message blocked; recipient rejected" and "Message blocked: 550 Recipient rejected" gave
    // their cause first.
    /(?:^|\b(?:said|returned was): |\]: (?=[245]\d\d[ -]))(?:[245]\d\d[ -](?:#?[245]\.\d{1,3}\.\d{1,3} )?)?(?:<[^<>\s]*>(?::|\.\.\.)? )?recipient (?:address )?rejected(?::? ?<[^<>\s]*>)?\.?(?: \(in reply to rcpt to command\))?$/,
    // Comcast: "551 not our customer" (not a relay's "you are not our customer"), also where a
    // report quotes it with its code in its own words (Domino's "... Permanent Error 551 not our
    // customer", in every language Domino writes its report in).
    /(?:^|> |>: |\b5\d\d )not our customer\b/,
    // "550 Unknown account", "Invalid account": not a login's "Invalid account or password", nor
    // a reply about the sender's own ("From address does not match any account: unknown account").
    // (Anchored, so the look-ahead over the text runs once.)
    /^(?![\s\S]*\b(?:sender|from:? address|mail from|relay(?:ing)?|auth\w*|login|password|smtp|blocked|denied|listed)\b)[\s\S]*?\b(?:unknown|invalid)[ -]account\b(?! or password| credentials)/,
  )],
  // "Account closed due to inactivity", "550 account expired": weak, so that a status that says
  // more keeps its word (Comcast's "550 5.1.1 Account Closed, Please Remove"). Not the sender's
  // own account ("your account has expired").
  ['suspend', /(?<!sender(?:'s)? |your )(?:account|mailbox) (?:has been |is |was |has )?(?:closed|expired)\b/],
  ['blocked', oneOf(
    /\bblocked\b/,
    /no valid recipients from/,
    /\bbanned\b/,
  )],
  ['expired', oneOf(
    /giving up/,
    /requests to connect/,
    /(?:unable to|could not|couldn't) connect/,
  )],
  // Pipelined replies repeat "need RCPT" after the real refusal: only a last resort.
  ['syntaxerror', oneOf(
    /syntax error/,
    // Exim: "malformed address: <a@b> may not follow c@d" (the address as the sender wrote it).
    /malformed (?:recipient )?address\b/,
    /(?:improper|bad|wrong) (?:sequence|order)/,
    /command (?:not )?recogni[sz]ed/,
    /unrecogni[sz]ed command/,
    /not implemented/,
    /invalid command/,
    /need (?:rcpt|mail)\b/,
    /(?:rcpt|mail) first/,
    /protocol (?:error|violation)/,
    // qmail's answer to a bare LF in DATA points at its "smtplf" page; others name the line ending.
    /\bsmtplf\.html\b|\bbare (?:lf|linefeed)\b|invalid line ending/,
  )],
  ['vacation', oneOf(
    /out of (?:the )?office/,
    /on vacation/,
    /on holiday/,
    /auto-?reply/,
    /automatic reply/,
    /i am (?:currently )?(?:away|out)/,
    /i'm (?:currently )?(?:away|out)/,
    /away from (?:the |my )?(?:office|desk)/,
    /on (?:annual |parental |sick )?leave/,
    /limited access to (?:my )?e-?mail/,
  )],
];

export interface TextMatch {
  reason: BounceReason;
  strong: boolean;
}

/** Strong rules, then weak ones: the order matchText tries them in; the first STRONG_RULES are strong. */
export const RULES: readonly Rule[] = [...STRONG, ...WEAK];
export const STRONG_RULES = STRONG.length;

/** Built on first use: a run without reply texts never needs it. */
let gate: RuleGate | null = null;

/**
 * The first rule that matches lower-cased text: strong rules first, then weak ones. The gate
 * (rule-gate.ts) skips the rules whose every alternative needs characters the text does not
 * have; the answer is the same as trying each rule in turn, at a fraction of the regex scans.
 * (Indexed loop: a short run, such as `rebote inspect` over a few hundred emails, spends much
 * of its time in V8's interpreter, where for-of with destructuring costs an iterator and a
 * result object per rule; this loop runs over every bounce text.)
 */
export function matchText(lower: string): TextMatch | null {
  if (lower.length === 0) return null;
  gate ??= new RuleGate(RULES.map((rule) => rule[1]), RULE_GRAMS);
  gate.read(lower);
  for (let i = 0; i < RULES.length; i++) if (gate.test(i, lower)) return { reason: RULES[i]![0], strong: i < STRONG_RULES };
  return null;
}

/**
 * "User unknown" words that prove the mailbox does not exist although the refusal came after
 * DATA: Yahoo refuses an unknown recipient after DATA with "554 delivery error: dd This user
 * doesn't have a yahoo.com account" (or "dd Not a valid recipient") and documents it as a user
 * that does not exist (do not retry). Elsewhere a refusal after DATA is read as a filter's.
 */
const USER_UNKNOWN_AFTER_DATA = /delivery error: dd (?:this user doesn't have an? \S+ account|not a valid recipient)|requested mail action aborted, mailbox not found|invalid mailbox\. local mailbox \S+ is unavailable: user not found/;

/**
 * Postfix answers RCPT TO for an address it refuses with "<a@b>: Recipient address rejected:
 * ...", and a relay quoting the reply often drops its own "(in reply to RCPT TO command)". Its
 * "user unknown" then proves the mailbox missing, unless the status is a policy one (5.7.x, what
 * an administrator's access map answers with words of its own): then only Postfix's own
 * recipient-table sentences and "recipient not found" do.
 */
const RCPT_REJECTED = 'recipient address rejected:';
const POSTFIX_UNKNOWN = /recipient address rejected: (?:user unknown in (?:local|virtual|relay) (?:recipient|mailbox|alias) table|recipient not found)/;

export function postfixRcptUnknown(lower: string, statusSubject: number | null): boolean {
  return lower.includes(RCPT_REJECTED) && (statusSubject !== 7 || POSTFIX_UNKNOWN.test(lower));
}

export function userUnknownAfterData(lower: string): boolean {
  return USER_UNKNOWN_AFTER_DATA.test(lower);
}

/**
 * "User unknown" words that prove the mailbox does not exist when the bounce does not say which
 * command was refused (a relay's bounce often drops it): Yahoo's above; Gmail's "because the
 * address couldn't be found. Check for typos", said only of an address the remote refused (its
 * "or is unable to receive mail" is not sure); KDDI's "550 <a@b>: User unknown" for an address
 * of its own domains it does not know (it answers a message its user's filter refuses with "550 :
 * User unknown"); CommuniGate Pro's "unknown user account"; Exchange's recipient resolver's
 * "RESOLVER.ADR.RecipientNotFound" (no such recipient in its own directory); Microsoft's
 * Directory-Based Edge Blocking, which answers RCPT TO by design;
 * Outlook.com's (Hotmail's) "550 5.5.0 Requested action not taken: mailbox unavailable", its
 * answer to an address it does not have, known by its status with the reference in brackets
 * after it ("(S2017062302)" now, "(1171782072:1364:-2147467259)" in Hotmail's time): the same
 * words without them are RFC 5321's stock text for any refusal; and Postfix's local delivery
 * agent's own verdict, 'unknown user: "name"' (no reply code: no remote server refused
 * anything), which it gives only for a name it has no mailbox or alias for. (BSD mail.local's
 * "mail.local: unknown user: name" is checked against the recipient by the sendmail decoder.)
 */
const USER_UNKNOWN_UNSTATED = oneOf(
  /because the address couldn't be found\. check for typos/,
  // CommuniGate Pro's answer for an account it does not have: "550 a@b unknown user account".
  /\bunknown user account\b/,
  /<[^<>\s@]+@(?:[a-z0-9-]+\.)*(?:ezweb\.ne\.jp|au\.com)>: user unknown\b/,
  // Exchange's recipient resolver found no such recipient in its organization's directory.
  /\bresolver\.adr\.recip(?:ient)?notfound\b/,
  // qmail-local's (and vpopmail's) fixed answer for a local part it has no mailbox for, relayed
  // verbatim by gateways that add their own code ("5.1.0 - Unknown address error 550-'sorry, no
  // mailbox here by that name. (#5.7.17)'").
  /\bsorry, no mailbox here by that name\b/,
  // Comcast's "551 not our customer" (the address is not hosted there), also as a report quotes
  // it ("SMTP Protocol Returned a Permanent Error 551 not our customer").
  /(?:^|\b5\d\d )not our customer\b/,
);
/** Outlook.com's refusal of an address it does not have, with its status 5.5.0 (above). */
const OUTLOOK_UNKNOWN = /requested action not taken: mailbox unavailable \((?:s2017062302|-?\d{6,12}:\d{1,6}:-?\d{6,12})\)/;
const POSTFIX_LOCAL_UNKNOWN = /^unknown user: "[^"\n]{1,64}"$/;

export function userUnknownUnstated(lower: string, status: string | null, reply: string | null): boolean {
  return userUnknownAfterData(lower) || USER_UNKNOWN_UNSTATED.test(lower) || isMicrosoftDbeb(lower, status) ||
    (status === '5.5.0' && OUTLOOK_UNKNOWN.test(lower)) || (reply === null && POSTFIX_LOCAL_UNKNOWN.test(lower));
}

/**
 * Which SMTP command the server was answering, when the bounce text says so (Postfix "in reply
 * to RCPT TO command", Exim "after MAIL FROM", qmail "does not like recipient", ...). A refusal
 * at MAIL FROM is about the sender; a recipient refused after DATA was refused by a filter.
 */
const COMMANDS: readonly (readonly [SmtpCommand, RegExp])[] = [
  ['MAIL', oneOf(
    /in reply to mail from command/,
    /after mail from/,
    /did not like our mail from/,
    /\[mail_from\]/,
    /sender was rejected/,
    /smtp:mail\b/,
  )],
  ['RCPT', oneOf(
    /in reply to rcpt to command/,
    /after rcpt to/,
    /did not like our rcpt to/,
    /does not like recipient/,
    /rcpt to response/,
    /\[rcpt_to\]/,
    /smtp:rcpt\b/,
  )],
  ['DATA', oneOf(
    /in reply to (?:end of )?data command/,
    /(?:after|at) (?:end of )?data\b/,
    /did not like our (?:final )?data/,
    /\((?:end of )?data\)/,
    /\[data\]/,
    /smtp:data\b/,
  )],
  ['HELO', oneOf(
    /in reply to (?:ehlo|helo|lhlo) command/,
    /after (?:ehlo|helo)\b/,
  )],
  ['CONN', oneOf(
    /after initial connection/,
    /refused to talk to me/,
    /smtp greeting/,
    /greeting (?:banner|message)/,
    /in reply to the (?:banner|greeting)/,
  )],
];

export function matchCommand(lower: string): SmtpCommand | null {
  for (let i = 0; i < COMMANDS.length; i++) if (COMMANDS[i]![1].test(lower)) return COMMANDS[i]![0];
  return null;
}

/** Normalizes a provider's command field ("RCPT TO", "rcpt", "MAIL FROM:", "data") to SmtpCommand. */
const FIRST_WORD = /^\s*([a-z]+)/i;

export function normalizeCommand(input: string | null | undefined): SmtpCommand | null {
  if (!input) return null;
  const word = FIRST_WORD.exec(input)?.[1]?.toUpperCase();
  switch (word) {
    case 'MAIL': return 'MAIL';
    case 'RCPT': return 'RCPT';
    case 'DATA': case 'BDAT': return 'DATA';
    case 'EHLO': case 'HELO': case 'LHLO': return 'HELO';
    case 'CONN': case 'CONNECT': return 'CONN';
    default: return null;
  }
}
