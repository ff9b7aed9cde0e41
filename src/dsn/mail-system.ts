/**
 * Whether an email is a mail system's report, not a person's mail that quotes one: asked before
 * any bounce format is read. A report comes from postmaster, MAILER-DAEMON or Exchange's own
 * sender, carries Exchange's NDR header, is itself a delivery report (RFC 6522 multipart/report
 * with a delivery-status part, which only mail systems write; a person's forward wraps one in
 * another message) or says in its subject that delivery failed. A person's forward or reply of a
 * bounce ("Fwd: Undeliverable: ...") and a vacation reply are not reports.
 */
import { hasVacationHeaders, hasVacationSigns } from './autoreply.js';
import type { MailView } from './mime.js';

/** Mail systems' own names (Apache James writes post_master). */
const SYSTEM_NAMES = 'post_?master|mailer-daemon|mail-daemon|mailerdaemon';
/** Their senders' local parts; Exchange sends its reports as MicrosoftExchange<32 hex digits>. */
const SYSTEM_LOCAL_PART = new RegExp(`^(?:${SYSTEM_NAMES}|microsoftexchange[0-9a-f]{32})$`);
/**
 * A subject that says delivery failed, in English or in the words of Exchange's localized reports
 * (German, French, Spanish, Italian, Dutch, Portuguese, Swedish, Danish/Norwegian, Polish, Japanese).
 * Sendmail's delay warning says "Warning: could not send message for past 4 hours".
 * "Error", "failed" and "failure" count only about mail or its delivery ("Mail delivery failed",
 * "DELIVERY FAILURE", "failure notice", "Mail System Error", "There was an error sending your
 * mail", "Error en la entrega", "Errore di consegna"): alone they are a person's words too
 * ("Build failed", "Error when emailing my colleague").
 */
const BOUNCE_SUBJECT = /undeliver|returned (?:mail|e-?mail)|warning: could not send message for past \d+ (?:minutes?|hours?|days?)\s*$|not delivered|(?:could not|couldn't|cannot|can't) be (?:delivered|sent)|delivery (?:status|problem|notification|(?:has )?fail|error)|(?:mail|message|sending|send) (?:(?:has |was )?failed|failure|error)|mail system error|failure (?:notice|delivery|to deliver)|failed (?:delivery|to deliver|to send)|error (?:sending|delivering|during delivery)|non-?deliver|error (?:en la|de) entrega|errore (?:di|nella) consegna|mancata consegna|[ée]chec de (?:la )?(?:remise|distribution|livraison)|zustellung fehlgeschlagen|fehler bei der zustellung|falha na entrega|erro na entrega|unzustellbar|non remis|no se puede entregar|non recapitabile|onbestelbaar|n[aã]o (?:[eé] poss[ií]vel )?entreg|ej levererbart|kan ikke leveres|niedostarczalne|配信不能/i;
/** A mail system's name in a From that holds no address, or a From that is only "<>". */
const SYSTEM_OR_NULL_FROM = new RegExp(`\\b(?:${SYSTEM_NAMES})\\b|^\\s*<\\s*>\\s*$`, 'i');
/**
 * The same words opening the subject as a prefix ("Undeliverable: ...", "Mail delivery failed:
 * ..."): what follows the colon is the original message's subject.
 */
const BOUNCE_PREFIX = new RegExp(`^\\s*(?:${BOUNCE_SUBJECT.source})[^:]{0,40}:`, 'i');
/**
 * Reply and forward marks of common mail programs in front ("[Fwd: ...]" and "... (fwd)" too),
 * with an ASCII or a full-width colon: "Re:", "Fwd:", "Fw:", and Outlook's, Lotus Notes' and
 * others' localized ones: German "AW:", "WG:", "Antwort:"; French "TR:"; Scandinavian and Finnish
 * "SV:", "VS:", "VB:", "VL:"; Spanish "RV:"; Portuguese "ENC:", "RES:"; Dutch "Antw:", "Doorst:";
 * Polish "Odp:", "PD:"; Czech "PŘ:"; Italian "R:", "RIF:", "I:"; Turkish "YNT:", "İLT:";
 * Hungarian "Vá:", "Tov:"; Greek "ΑΠ:", "ΠΡΘ:"; Russian "Отв:", "Пересл:"; Chinese "回复:",
 * "答复:", "回覆:", "转发:", "轉寄:"; Japanese "返信:", "転送:".
 */
const REPLY_OR_FORWARD = /^\s*(?:(?:re|fwd?|aw|wg|antwort|tr|sv|vs|vb|vl|rv|enc|res|antw|doorst|odp|pd|př|r|rif|i|ynt|[iİ]lt|vá|tov|απ|πρθ|отв|пересл|回复|答复|回覆|转发|轉寄|返信|転送)\s*(?:\[\d+\]\s*)?[:：]|\[fwd?:)|\(fwd?\)\s*$/i;

/**
 * Tags a gateway or list puts in front of a subject ("[EXTERNAL]", "EXTERNAL:", "[SPAM]",
 * "***SPAM***", "{Spam?}"): they hide what the subject opens with. "[Fwd: ...]" is a forward
 * mark, not a tag.
 */
const SUBJECT_TAGS = /^\s*(?:(?:\[(?!fwd?:)[^[\]\n]{1,40}\]|\*{1,5}[^*\n]{1,30}\*{1,5}|\{[^{}\n]{1,30}\}|(?:external|ext)\s*:)\s*)+/i;

/**
 * What a person's mail program writes above a message it forwards inline, in English and
 * translated: a forward separator ("---------- Forwarded message ---------", Yahoo's with its
 * header block on the same line, mutt's "----- Forwarded message from ... -----", "========
 * Forwarded message ========", Thunderbird's "-------- Přeposlaná zpráva --- Forwarded Message
 * --------"), an "Original Message" separator when a mail program's header block follows it
 * (From:, Date:, Sent:, To:, Subject: or their translations), Lotus Notes' "----- Forwarded by
 * ... -----", Apple Mail's "Begin forwarded message:", or a header block alone: "From:" next to
 * "Sent:" or "Date:", either first (GMX writes the date first). A label's colon may follow a
 * no-break space (French Outlook) or be a full-width one (Japanese, Chinese).
 *
 * Looked for above the bounce only: the look stops at a notice's own opening sentence ("This is
 * the mail system at host", "Delivery to the following recipient failed", ...), at a marker of
 * the copy of the returned message ("original mail info", "Below this line is a copy"), and at a
 * header that mail systems copy and mail programs never show (Received:, Return-Path:,
 * MIME-Version:, Message-ID:, Content-Type:, X-...:). The copy of the message a bounce returns
 * may itself be a forward or a reply.
 */
const FORWARDED = /^[ \t>]*[-=_]{3,}[ \t]*(?:[^\n]{0,60}?[ \t\-=_])?(?:forwarded (?:message|e-?mail)|weitergeleitete (?:nachricht|mail)|message transf[ée]r[ée]|mail transf[ée]r[ée]|message transmis|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|mensagem encaminhada|vidarebefordrat meddelande|videresendt (?:melding|meddelelse)|wiadomość przekazana|przekazana wiadomość|treść przekazanej wiadomości|přeposlaná zpráva|preposlaná správa|továbbított üzenet|välitetty viesti|προωθημένο μήνυμα|пересылаемое сообщение|перенаправленное сообщение|пересланное сообщение|переслане повідомлення|転送(?:された)?メッセージ|转发的(?:邮件|消息)|轉寄的(?:郵件|訊息)|전달된 메시지)/i;
const ORIGINAL = /^[ \t>]*[-=_]{3,}[ \t]*(?:original message|ursprüngliche (?:nachricht|mail)|message d'origine|message original|mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original|ursprungligt meddelande|oprindelig meddelelse|wiadomość oryginalna|původní zpráva|pôvodná správa|eredeti üzenet|alkuperäinen viesti|αρχικό μήνυμα|исходное сообщение|元のメッセージ|原始邮件|原始郵件|원본 메시지)[ \t]*[-=_]{3,}[ \t]*$/i;
const NOTES_FORWARDED = /^[ \t>]*-{3,}[ \t]*(?:forwarded by|weitergeleitet von|transf[ée]r[ée] par|inoltrato da|doorgestuurd door)\b/i;
const APPLE_FORWARDED = /^[ \t>]*(?:begin forwarded message|anfang der weitergeleiteten nachricht|d[ée]but du message r[ée]exp[ée]di[ée]|inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht|in[íi]cio da mensagem (?:re)?encaminhada|vidarebefordrat mejl|start på videresendt besked|begynnelse på videresendt melding|välitetty viesti alkaa|początek przekazywanej wiadomości|začátek přeposlané zprávy|начало переадресованного сообщения|転送されたメッセージ)[ \t\u00a0]*[:：]/i;
const FROM_LABEL = String.raw`from|von|de|de la|da|van|från|od|fra|feladó|gönderen|kimden|šalje|saatja|lähettäjä|odesílatel|odosielateľ|nadawca|από|от|від|отправитель|відправник|差出人|发件人|寄件者|보낸 사람`;
const SENT_LABEL = String.raw`sent|date|gesendet|datum|envoy[ée]|enviado(?: el)?|enviada|fecha|data|inviato|verzonden|skickat|wysłano|sendt|lähetetty|elküldve|dátum|tarih|gönderildi|poslano|odesláno|odoslané|trimis|στάλθηκε|ημερομηνία|отправлено|надіслано|дата|送信日時|日付|发送时间|日期|寄件日期|보낸 날짜`;
const OTHER_LABEL = String.raw`to|an|à|para|a|aan|till|do|til|címzett|kime|alıcı|subject|betreff|objet|sujet|asunto|assunto|oggetto|onderwerp|ämne|temat|emne|tárgy|konu|predmet|teema|тема|件名|宛先|主题|主旨|收件人`;
const CLIENT_FROM = new RegExp(String.raw`^[ \t>*]*(?:${FROM_LABEL})[ \t*\u00a0]*[:：]`, 'i');
const CLIENT_SENT = new RegExp(String.raw`^[ \t>*]*(?:${SENT_LABEL})[ \t*\u00a0]*[:：]`, 'i');
const CLIENT_HEADER = new RegExp(String.raw`^[ \t>*]*(?:${FROM_LABEL}|${SENT_LABEL}|${OTHER_LABEL})[ \t*\u00a0]*[:：]`, 'i');
/**
 * Where a look for a forward stops (above): whole lines a mail system writes, never fragments a
 * person's note may hold ("I'm sorry ...", "this returned message").
 */
const BOUNCE_STARTS = new RegExp([
  // Notices' opening sentences.
  String.raw`^[ \t>|]*(?:this is the mail system at host|hi\. this is the qmail-send program|this message was created automatically by mail delivery software|delivery to the following recipients? (?:failed|has been delayed)|delivery has failed to these recipients|the original message was received at|a message that you sent could not be delivered|the message that you sent was undeliverable|i'm sorry to have to inform you that your message|-+ ?transcript of (?:the )?session)`,
  // Markers of the copy of the returned message.
  String.raw`^[ \t>|]*(?:-+[ \t]*(?:original mail info|returned message|original message follows|unsent message follows|message headers? follows?|contents of the undelivered|the header of the original message)|(?:-+[ \t]*)?below this line is a copy|original message follows\.?[ \t]*$|this is a copy of the (?:original )?message|enclosed is a copy of the message|body:[ \t]*$)`,
  // Headers a mail system copies and a mail program's forward block never shows.
  String.raw`^[ \t]*(?:return-path|received|dkim-signature|arc-[\w-]+|authentication-results|mime-version|message-id|content-type|content-transfer-encoding|x-[\w-]+)[ \t]*:`,
].join('|'), 'i');
const FORWARD_TOP_LINES = 40;

function forwardedInline(mail: MailView): boolean {
  let seen = 0;
  let previous = '';
  let afterOriginal = false;
  for (const line of mail.text.slice(0, 8192).split('\n')) {
    if (line.trim() === '') continue;
    if (BOUNCE_STARTS.test(line)) return false;
    if (FORWARDED.test(line) || NOTES_FORWARDED.test(line) || APPLE_FORWARDED.test(line)) return true;
    if (afterOriginal && CLIENT_HEADER.test(line)) return true;
    if ((CLIENT_SENT.test(line) && CLIENT_FROM.test(previous)) || (CLIENT_FROM.test(line) && CLIENT_SENT.test(previous))) return true;
    afterOriginal = ORIGINAL.test(line);
    previous = line;
    if (++seen === FORWARD_TOP_LINES) return false;
  }
  return false;
}

function untagged(subject: string): string {
  const tags = SUBJECT_TAGS.exec(subject);
  return tags === null ? subject : subject.slice(tags[0].length);
}

/** Whether an address is a mail system's own (postmaster, MAILER-DAEMON), not a person's. */
export function isSystemAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  // A quoted local part is the same mailbox (RFC 5322 §3.2.4): "mailer-daemon"@host.
  const local = (at < 0 ? address : address.slice(0, at)).toLowerCase();
  return SYSTEM_LOCAL_PART.test(local.length > 1 && local.startsWith('"') && local.endsWith('"') ? local.slice(1, -1) : local);
}

/**
 * Whether the subject marks the email as a person's reply or forward. For the formats read
 * without the mail-system check (au's notices come from an ordinary no-reply address with
 * subjects such as "Mail"), this is what tells a person quoting one.
 */
export function isReplyOrForward(mail: MailView): boolean {
  return REPLY_OR_FORWARD.test(untagged(mail.subject));
}

/** Each email's answer, asked by several decoders in turn. */
const answers = new WeakMap<MailView, boolean>();

export function fromMailSystem(mail: MailView): boolean {
  let answer = answers.get(mail);
  if (answer === undefined) {
    answer = judge(mail);
    answers.set(mail, answer);
  }
  return answer;
}

function judge(mail: MailView): boolean {
  // "MAILER-DAEMON (Mail Delivery System)", "<MAILER-DAEMON>", "MAILER-DAEMON <>": no address to
  // read. A From of "<>" alone is the null sender written as an author: no person's mail has it.
  if (isSystemAddress(mail.from) || (mail.from === '' && SYSTEM_OR_NULL_FROM.test(mail.header('from') ?? ''))) return true;
  const subject = untagged(mail.subject);
  // An Outlook rule's forward keeps Exchange's NDR header: the forward mark decides first.
  if (REPLY_OR_FORWARD.test(subject)) return false;
  if (mail.header('x-ms-exchange-message-is-ndr') !== null) return true;
  if (mail.contentType === 'multipart/report' && mail.deliveryStatus.length > 0) return true;
  // Not isAutoReply: MTAs (Exim, MDaemon) mark their own bounces "Auto-Submitted: auto-replied".
  // Nor the vacation words of a subject a bounce's prefix opens: they are the original's.
  const vacation = BOUNCE_PREFIX.test(subject) ? hasVacationHeaders(mail) : hasVacationSigns(mail);
  // The whole subject: a gateway's tag may itself say it ("[Undeliverable] hello"). A person who
  // forwards a bounce without a forward mark keeps its subject; the forward shows in the text.
  return !vacation && BOUNCE_SUBJECT.test(mail.subject) && !forwardedInline(mail);
}
