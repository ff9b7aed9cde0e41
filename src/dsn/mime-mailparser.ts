/**
 * The general MIME reader: mailparser, for whatever the fast reader (mime-fast.ts) is not sure
 * about. mime.ts loads this module with a dynamic import, only when it is needed, so the CLI and
 * the Worker do not pay for mailparser's load time on the fast path.
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { headerValue, viewOf, viewReads, type MailAttachment, type MailParts, type MailView } from './mail-view.js';

const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  // Bounces rarely need HTML at all, never as rendered text with links: skipping these
  // conversions makes mailparser noticeably faster on bounce-sized messages.
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  // An attached message (the returned original, a wrapped bounce) stays one raw attachment even
  // when marked inline: its text must never mix with the notification's, and its headers are
  // read from it (mailsplit passes this option through).
  ignoreEmbedded: true,
} as const;

/** mailparser wants a Node Buffer (workerd provides it under nodejs_compat). */
interface BufferStatic {
  from(data: ArrayBuffer, byteOffset: number, length: number): unknown;
}
const NodeBuffer = (globalThis as unknown as { Buffer: BufferStatic }).Buffer;

function addresses(value: AddressObject | AddressObject[] | undefined): { list: string[]; name: string } {
  const list: string[] = [];
  let name = '';
  for (const obj of Array.isArray(value) ? value : value ? [value] : []) {
    for (const a of obj.value) {
      if (a.address) list.push(a.address.toLowerCase());
      if (!name && a.name) name = a.name;
    }
  }
  return { list, name };
}

/** What mailparser found, as MailParts (`bytes` after normalizeLineEnds). */
export async function partsWithMailparser(bytes: Uint8Array): Promise<MailParts> {
  const mail: ParsedMail = await simpleParser(
    NodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength) as Parameters<typeof simpleParser>[0],
    PARSER_OPTIONS as Parameters<typeof simpleParser>[1],
  );
  const attachments: MailAttachment[] = mail.attachments.map((a) => {
    // mailparser leaves contentType undefined (or odd) for a part with an empty Content-Type.
    const contentType = typeof a.contentType === 'string' ? a.contentType.toLowerCase() : 'application/octet-stream';
    return { contentType, content: viewReads(contentType) ? (a.content as Uint8Array) : null };
  });
  const from = addresses(mail.from);
  return {
    headerLines: mail.headerLines ?? [],
    text: typeof mail.text === 'string' ? mail.text : null,
    html: typeof mail.html === 'string' && mail.html !== '' ? mail.html : null,
    attachments,
    from: from.list,
    fromName: from.name,
    to: addresses(mail.to).list,
    subject: mail.subject ?? '',
    date: dateOf(mail),
    messageId: mail.messageId ?? null,
  };
}

/**
 * mailparser's date, unless it could not parse the Date header: it then gives the time of
 * reading, and no date lets the email's Received trace or the caller's time of receipt stand in
 * (as with the fast reader).
 */
function dateOf(mail: ParsedMail): string | null {
  if (!mail.date || Number.isNaN(mail.date.getTime())) return null;
  const line = mail.headerLines?.find((h) => h.key === 'date')?.line;
  return line !== undefined && Number.isNaN(new Date(headerValue(line)).getTime()) ? null : mail.date.toISOString();
}

/** Parses an email with mailparser into a MailView. Throws only when mailparser itself fails. */
export async function readWithMailparser(bytes: Uint8Array): Promise<MailView> {
  return viewOf(await partsWithMailparser(bytes), bytes);
}
