/**
 * What the bounce decoders learn from an email, before it becomes canonical events. Each
 * decoder (RFC 3464, ARF, one per MTA text format) fills in what its format says and leaves
 * the rest null; events.ts makes the events and the classifier decides class and reason.
 */
import type { BounceReason } from '../core/event.js';
import type { MailView } from './mime.js';

/** RFC 3464 Action values, plus null when the format does not say. */
export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

/** One recipient the email reports on. */
export interface Notice {
  /** The address as written in the report (normalized later). */
  recipient: string;
  /** Null: a text format that did not say; read as failed. */
  action: DsnAction | null;
  /** Enhanced status code given in its own field (RFC 3464 Status), or null. */
  status: string | null;
  /** Basic reply code when the format sets it apart (a reply on its own line), or null. */
  reply: string | null;
  /** The remote server's words (Diagnostic-Code or the text format's equivalent). */
  diagnostic: string | null;
  /** The SMTP command that was refused (RCPT, MAIL, DATA, ...), when the format says. */
  command: string | null;
  /** Last-Attempt-Date or the format's equivalent, raw. */
  date: string | null;
  /** A verdict the format itself gives (e.g. an NDR code table), used only as a hint. */
  reason?: BounceReason | null;
  /**
   * RFC 3464: the comment of the Status field ("5.0.0 (recipient reached disk quota)"). The
   * server's words when nothing else gives any: read only after the text decoders had their turn.
   */
  statusComment?: string | null;
  /**
   * The address is not the mailbox that failed but the one the sender wrote to in its place (an
   * alias or list whose final mailbox the report does not name usably). The event keeps the
   * reason but gets no hard/soft class: one failed member must not suppress a whole list.
   */
  standIn?: boolean;
  /**
   * The address this one was generated from, when the format says (Exim's "(generated from
   * list@x)" under an alias's or a list's member): what the sender wrote to. A report that names
   * only that address reports on a list whose one member failed (see index.ts complete()).
   */
  parent?: string | null;
  /**
   * The diagnostic is the reporting MTA's own verdict on the address (its router's "Unknown
   * user"), with no remote server's reply in it: no content filter spoke, so its words about a
   * missing mailbox prove the mailbox missing whatever the stage.
   */
  local?: boolean;
}

/** A complaint report (ARF or a provider's own format). */
export interface Complaint {
  recipient: string;
  feedbackType: string | null;
  date: string | null;
}

/** What one decoder made of an email. */
export type Decoded =
  | { kind: 'bounce'; format: string; notices: Notice[]; arrival?: string | null }
  | { kind: 'complaint'; format: string; complaints: Complaint[] };

/**
 * One decoder of a non-standard bounce format (Sisimai's model: one module per MTA, each cheap
 * to reject a message that is not its format). `decode` returns null when the message is not
 * its format after all, and never reports an address it did not find in a recipient position.
 */
export interface MtaDecoder {
  name: string;
  decode(mail: MailView): Notice[] | null;
}

export function notice(recipient: string, fields: Partial<Omit<Notice, 'recipient'>> = {}): Notice {
  return {
    recipient,
    action: fields.action ?? null,
    status: fields.status ?? null,
    reply: fields.reply ?? null,
    diagnostic: fields.diagnostic ?? null,
    command: fields.command ?? null,
    date: fields.date ?? null,
    reason: fields.reason ?? null,
    statusComment: fields.statusComment ?? null,
    standIn: fields.standIn ?? false,
    parent: fields.parent ?? null,
    local: fields.local ?? false,
  };
}
