/**
 * The bounce-reason vocabulary (shared/corpus/dsn/reasons.json, Sisimai 5.1 names) explained in
 * English and Spanish for the catalog API. Which reasons suppress is policy (SPEC §3), not here.
 */
import type { BounceReason } from '../core/event.js';
import type { Lang } from './types.js';

export type ReasonGroup = 'recipient' | 'sender' | 'content' | 'transport' | 'undecided' | 'not a failure';

export interface ReasonInfo {
  name: BounceReason;
  group: ReasonGroup;
  meaning: Readonly<Record<Lang, string>>;
}

type Row = readonly [group: ReasonGroup, en: string, es: string];

const ROWS: Readonly<Record<BounceReason, Row>> = {
  userunknown: ['recipient', 'The mailbox does not exist at the destination.', 'El buzón no existe en el destino.'],
  hostunknown: ['recipient', 'The recipient\'s domain does not exist or has no mail host.', 'El dominio del destinatario no existe o no tiene servidor de correo.'],
  hasmoved: ['recipient', 'The recipient has moved; the old address takes no more mail.', 'El destinatario se ha trasladado; la dirección antigua ya no recibe correo.'],
  notaccept: ['recipient', 'The destination takes no mail at all (null MX or similar).', 'El destino no acepta ningún correo (MX nulo o similar).'],
  mailboxfull: ['recipient', 'The mailbox is over its quota.', 'El buzón ha superado su cuota.'],
  suspend: ['recipient', 'The mailbox exists but is disabled or suspended.', 'El buzón existe, pero está desactivado o suspendido.'],
  systemfull: ['recipient', 'The receiving system is out of storage.', 'El sistema receptor se ha quedado sin espacio.'],
  rejected: ['sender', 'The receiver refused the envelope sender address.', 'El receptor rechazó la dirección de remitente del sobre.'],
  blocked: ['sender', 'The sending IP address or host was refused (block list, dynamic IP, ...).', 'Se rechazó la IP o el servidor de envío (lista de bloqueo, IP dinámica, ...).'],
  badreputation: ['sender', 'The sending IP address or domain was refused for poor reputation.', 'Se rechazó la IP o el dominio de envío por mala reputación.'],
  requireptr: ['sender', 'The sending host lacks a valid reverse DNS (PTR) record.', 'El servidor de envío no tiene un registro DNS inverso (PTR) válido.'],
  authfailure: ['sender', 'The message failed SPF, DKIM or DMARC checks.', 'El mensaje no superó las comprobaciones SPF, DKIM o DMARC.'],
  norelaying: ['sender', 'The server refused to relay mail for the sender.', 'El servidor se negó a retransmitir el correo del remitente.'],
  policyviolation: ['sender', 'The message broke a local policy of the receiver.', 'El mensaje incumplió una política local del receptor.'],
  securityerror: ['sender', 'An authentication or other security requirement of the receiver was not met.', 'No se cumplió un requisito de autenticación u otro requisito de seguridad del receptor.'],
  filtered: ['content', 'A filter at the receiver, often the recipient\'s own, refused the message.', 'Un filtro del receptor, a menudo del propio destinatario, rechazó el mensaje.'],
  spamdetected: ['content', 'The content was judged to be spam.', 'Se consideró que el contenido era spam.'],
  virusdetected: ['content', 'The content was judged to carry malware.', 'Se consideró que el contenido llevaba software malicioso.'],
  contenterror: ['content', 'The header or body format was refused.', 'Se rechazó el formato de la cabecera o del cuerpo.'],
  mesgtoobig: ['content', 'The message is larger than the receiver takes.', 'El mensaje es más grande de lo que acepta el receptor.'],
  exceedlimit: ['content', 'The message went over a limit of the receiver (size per mailbox, recipients, ...).', 'El mensaje superó un límite del receptor (tamaño por buzón, destinatarios, ...).'],
  notcompliantrfc: ['content', 'The message does not follow the RFCs (e.g. repeated header fields).', 'El mensaje no sigue los RFC (por ejemplo, cabeceras repetidas).'],
  expired: ['transport', 'The sending server gave up after retrying for its whole queue lifetime.', 'El servidor de envío se rindió tras reintentar durante todo el tiempo de cola.'],
  networkerror: ['transport', 'A DNS or network failure prevented delivery.', 'Un fallo de DNS o de red impidió la entrega.'],
  toomanyconn: ['transport', 'The sender opened too many connections.', 'El remitente abrió demasiadas conexiones.'],
  speeding: ['transport', 'The sender went over a rate limit.', 'El remitente superó un límite de velocidad de envío.'],
  syntaxerror: ['transport', 'An SMTP command had a syntax or sequence error.', 'Una orden SMTP tenía un error de sintaxis o de secuencia.'],
  systemerror: ['transport', 'The receiving system had an internal error.', 'El sistema receptor tuvo un error interno.'],
  mailererror: ['transport', 'A local delivery program at the receiver failed.', 'Falló un programa de entrega local en el receptor.'],
  onhold: ['undecided', 'The bounce was recognised, but its reason is not decided yet.', 'Se reconoció el rebote, pero aún no se ha decidido su motivo.'],
  undefined: ['undecided', 'No reason could be determined.', 'No se pudo determinar ningún motivo.'],
  delivered: ['not a failure', 'The message was delivered.', 'El mensaje se entregó.'],
  feedback: ['not a failure', 'A complaint (feedback report) from a mailbox provider.', 'Una queja (informe de retroalimentación) de un proveedor de correo.'],
  vacation: ['not a failure', 'An automatic reply, such as an out-of-office message.', 'Una respuesta automática, como un aviso de ausencia.'],
};

export function reasonInfo(name: BounceReason): ReasonInfo {
  const [group, en, es] = ROWS[name];
  return { name, group, meaning: { en, es } };
}
