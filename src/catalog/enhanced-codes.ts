/**
 * SMTP enhanced status codes (class.subject.detail): every entry of the IANA "SMTP Enhanced
 * Status Codes" registry — RFC 3463 and the codes added by RFC 3886, 4468, 4954, 5248, 6531,
 * 6710, 7293, 7372, 7505, 8617, 8689 and the registry's own additions — with meanings written
 * for Rebote in English and Spanish.
 *
 * Meanings describe subject.detail; the class (2 success, 4 transient, 5 permanent) is read in
 * front of it, so "4.2.2" reads "Temporary failure: the mailbox is full".
 *
 * `reason` is the bounce reason a code implies by itself when the server's text says nothing
 * more specific; null where the code is used for too many different things (X.7.1, X.0.0).
 */
import type { BounceReason } from '../core/event.js';
import type { Lang, Permanence, Side } from './types.js';

export interface EnhancedCodeInfo {
  /** "subject.detail", e.g. "1.1". */
  code: string;
  side: Side;
  reason: BounceReason | null;
  ref: string;
  meaning: Readonly<Record<Lang, string>>;
}

export interface SubjectInfo {
  subject: number;
  side: Side;
  /** Reason when the detail is unknown or names none (e.g. Microsoft's 5.7.606). */
  reason: BounceReason | null;
  meaning: Readonly<Record<Lang, string>>;
}

type Row = readonly [code: string, side: Side, reason: BounceReason | null, ref: string, en: string, es: string];

const R3463 = 'RFC 3463';

const ROWS: readonly Row[] = [
  ['0.0', 'either', null, R3463,
    'Other or undefined status: only the class of the result is known.',
    'Estado no definido: solo se conoce la clase del resultado.'],

  ['1.0', 'either', null, R3463,
    'Other address status: something about an address caused this report.',
    'Otro estado de dirección: algo en una dirección provocó este informe.'],
  ['1.1', 'recipient', 'userunknown', R3463,
    'Bad destination mailbox: the part before the @ does not exist at the destination.',
    'Buzón de destino incorrecto: la parte anterior a la @ no existe en el destino.'],
  ['1.2', 'recipient', 'hostunknown', R3463,
    'Bad destination system: the domain after the @ does not exist or cannot take mail.',
    'Sistema de destino incorrecto: el dominio tras la @ no existe o no puede recibir correo.'],
  ['1.3', 'recipient', 'userunknown', R3463,
    'Bad destination address syntax: the recipient address is not well formed.',
    'Sintaxis de destino incorrecta: la dirección del destinatario está mal formada.'],
  ['1.4', 'recipient', null, R3463,
    'Ambiguous destination: the address matches more than one mailbox.',
    'Destino ambiguo: la dirección corresponde a más de un buzón.'],
  ['1.5', 'recipient', null, R3463,
    'The destination address is valid.',
    'La dirección de destino es válida.'],
  ['1.6', 'recipient', 'hasmoved', R3463,
    'The mailbox has moved and left no forwarding address.',
    'El buzón se ha trasladado y no dejó dirección de reenvío.'],
  ['1.7', 'sender', 'rejected', R3463,
    'Bad sender address syntax: the sender address is not well formed.',
    'Sintaxis del remitente incorrecta: la dirección del remitente está mal formada.'],
  ['1.8', 'sender', 'rejected', R3463,
    'Bad sender system: the sender\'s domain does not exist or cannot take replies.',
    'Sistema del remitente incorrecto: el dominio del remitente no existe o no puede recibir respuestas.'],
  ['1.9', 'transport', null, 'RFC 3886',
    'The message went on to a system that does not support delivery reports; no further status will come.',
    'El mensaje pasó a un sistema que no admite informes de entrega; no llegará más información de estado.'],
  ['1.10', 'recipient', 'notaccept', 'RFC 7505',
    'The recipient\'s domain publishes a null MX: it takes no mail at all.',
    'El dominio del destinatario publica un MX nulo: no acepta ningún correo.'],

  ['2.0', 'recipient', null, R3463,
    'Other mailbox status: the mailbox exists, but something about it caused this report.',
    'Otro estado del buzón: el buzón existe, pero algo en él provocó este informe.'],
  ['2.1', 'recipient', 'suspend', R3463,
    'The mailbox is disabled and takes no messages.',
    'El buzón está desactivado y no acepta mensajes.'],
  ['2.2', 'recipient', 'mailboxfull', R3463,
    'The mailbox is full: it has gone over its quota.',
    'El buzón está lleno: ha superado su cuota.'],
  ['2.3', 'sender', 'exceedlimit', R3463,
    'The message is longer than this mailbox allows.',
    'El mensaje es más largo de lo que permite este buzón.'],
  ['2.4', 'recipient', null, R3463,
    'A mailing-list address could not be expanded into its members.',
    'No se pudo expandir una dirección de lista de correo en sus miembros.'],

  ['3.0', 'transport', 'systemerror', R3463,
    'Other mail-system status: the destination system caused this report.',
    'Otro estado del sistema de correo: el sistema de destino provocó este informe.'],
  ['3.1', 'transport', 'systemfull', R3463,
    'The destination mail system has run out of storage.',
    'El sistema de correo de destino se ha quedado sin espacio.'],
  ['3.2', 'recipient', 'notaccept', R3463,
    'The destination host is not taking messages from the network.',
    'El servidor de destino no acepta mensajes de la red.'],
  ['3.3', 'transport', 'systemerror', R3463,
    'The destination system cannot provide a feature the message asks for.',
    'El sistema de destino no puede ofrecer una función que el mensaje pide.'],
  ['3.4', 'sender', 'mesgtoobig', R3463,
    'The message is larger than the system takes.',
    'El mensaje es más grande de lo que acepta el sistema.'],
  ['3.5', 'transport', 'systemerror', R3463,
    'The destination system is configured in a way that cannot take this message.',
    'El sistema de destino está configurado de un modo que no le permite aceptar este mensaje.'],
  ['3.6', 'transport', null, 'RFC 6710',
    'The requested priority was changed.',
    'Se cambió la prioridad solicitada.'],

  ['4.0', 'transport', 'networkerror', R3463,
    'Other network or routing status.',
    'Otro estado de red o de enrutamiento.'],
  ['4.1', 'transport', 'networkerror', R3463,
    'The destination host did not answer.',
    'El servidor de destino no respondió.'],
  ['4.2', 'transport', 'networkerror', R3463,
    'The connection broke or timed out before the transaction ended.',
    'La conexión se cortó o agotó su tiempo antes de acabar la transacción.'],
  ['4.3', 'transport', 'networkerror', R3463,
    'A directory server (such as DNS) failed, so the message could not be routed.',
    'Falló un servidor de directorio (como el DNS) y no se pudo encaminar el mensaje.'],
  // Permanent "unable to route" is a domain with no usable mail host; 4.4.4 stays soft by class.
  ['4.4', 'recipient', 'hostunknown', R3463,
    'Unable to route: there is no usable routing information for the destination.',
    'No se puede encaminar: no hay información de enrutamiento útil para el destino.'],
  ['4.5', 'transport', 'networkerror', R3463,
    'The mail system is congested.',
    'El sistema de correo está saturado.'],
  ['4.6', 'transport', 'networkerror', R3463,
    'A routing loop was detected.',
    'Se detectó un bucle de enrutamiento.'],
  ['4.7', 'transport', 'expired', R3463,
    'The delivery time ran out before the message could be delivered.',
    'El plazo de entrega se agotó antes de poder entregar el mensaje.'],

  ['5.0', 'transport', null, R3463,
    'Other protocol status.',
    'Otro estado del protocolo.'],
  ['5.1', 'transport', 'syntaxerror', R3463,
    'Invalid command: out of sequence or not supported.',
    'Orden no válida: fuera de secuencia o no admitida.'],
  ['5.2', 'transport', 'syntaxerror', R3463,
    'Syntax error: the command could not be understood.',
    'Error de sintaxis: no se pudo interpretar la orden.'],
  ['5.3', 'sender', 'exceedlimit', R3463,
    'Too many recipients for one message.',
    'Demasiados destinatarios para un solo mensaje.'],
  ['5.4', 'transport', 'syntaxerror', R3463,
    'Invalid command arguments.',
    'Argumentos de la orden no válidos.'],
  ['5.5', 'transport', 'syntaxerror', R3463,
    'Wrong protocol version.',
    'Versión de protocolo incorrecta.'],
  ['5.6', 'sender', 'securityerror', 'RFC 4954',
    'A line of the authentication exchange was too long.',
    'Una línea del intercambio de autenticación era demasiado larga.'],

  ['6.0', 'sender', 'contenterror', R3463,
    'Other media or content error.',
    'Otro error de contenido o de formato.'],
  ['6.1', 'sender', 'contenterror', R3463,
    'The message\'s media type is not supported.',
    'No se admite el tipo de contenido del mensaje.'],
  ['6.2', 'sender', 'contenterror', R3463,
    'The content needs converting, but converting is not allowed.',
    'El contenido necesita conversión, pero no está permitida.'],
  ['6.3', 'sender', 'contenterror', R3463,
    'The content needs converting, but a server on the way cannot do it.',
    'El contenido necesita conversión, pero un servidor del camino no puede hacerla.'],
  ['6.4', 'sender', null, R3463,
    'The content was converted, with some loss.',
    'El contenido se convirtió, con alguna pérdida.'],
  ['6.5', 'sender', 'contenterror', R3463,
    'A needed content conversion failed.',
    'Falló una conversión necesaria del contenido.'],
  ['6.6', 'sender', 'contenterror', 'RFC 4468',
    'The message content could not be fetched from where it was referenced.',
    'No se pudo obtener el contenido del mensaje desde donde se indicaba.'],
  ['6.7', 'either', 'contenterror', 'RFC 6531',
    'Addresses with non-ASCII characters are not allowed for this sender or recipient.',
    'No se permiten direcciones con caracteres no ASCII para este remitente o destinatario.'],
  ['6.8', 'transport', 'contenterror', 'RFC 6531',
    'A UTF-8 reply is needed, but the client does not allow it.',
    'Hace falta una respuesta en UTF-8, pero el cliente no la permite.'],
  ['6.9', 'transport', 'contenterror', 'RFC 6531',
    'The message has UTF-8 header fields and cannot go to a server without SMTPUTF8.',
    'El mensaje tiene cabeceras en UTF-8 y no puede pasar a un servidor sin SMTPUTF8.'],
  ['6.10', 'transport', 'contenterror', 'RFC 6531',
    'Same as X.6.8; kept only for compatibility (deprecated).',
    'Igual que X.6.8; se conserva solo por compatibilidad (obsoleto).'],

  ['7.0', 'either', null, R3463,
    'Other security or policy status.',
    'Otro estado de seguridad o de política.'],
  ['7.1', 'either', null, R3463,
    'Delivery not authorised: the message was refused by a per-host or per-recipient policy.',
    'Entrega no autorizada: una política por servidor o por destinatario rechazó el mensaje.'],
  ['7.2', 'sender', 'rejected', R3463,
    'The sender may not send to this mailing list.',
    'El remitente no puede enviar a esta lista de correo.'],
  ['7.3', 'sender', 'securityerror', R3463,
    'A needed conversion between secure-messaging formats was not possible.',
    'No fue posible una conversión necesaria entre formatos de mensajería segura.'],
  ['7.4', 'sender', 'securityerror', R3463,
    'The message\'s security features are not supported.',
    'No se admiten las funciones de seguridad del mensaje.'],
  ['7.5', 'sender', 'securityerror', R3463,
    'A cryptographic operation failed (for example, a key was missing or invalid).',
    'Falló una operación criptográfica (por ejemplo, faltaba una clave o no era válida).'],
  ['7.6', 'sender', 'securityerror', R3463,
    'The cryptographic algorithm is not supported.',
    'No se admite el algoritmo criptográfico.'],
  ['7.7', 'sender', 'securityerror', R3463,
    'The message failed an integrity check: it was altered or damaged.',
    'El mensaje no superó una comprobación de integridad: se alteró o se dañó.'],
  ['7.8', 'sender', 'securityerror', 'RFC 4954',
    'The authentication credentials are invalid.',
    'Las credenciales de autenticación no son válidas.'],
  ['7.9', 'sender', 'securityerror', 'RFC 4954',
    'The authentication mechanism is too weak.',
    'El mecanismo de autenticación es demasiado débil.'],
  ['7.10', 'sender', 'securityerror', 'RFC 5248',
    'Encryption is needed to use this authentication mechanism.',
    'Hace falta cifrado para usar este mecanismo de autenticación.'],
  ['7.11', 'sender', 'securityerror', 'RFC 4954',
    'This authentication mechanism may only be used over an encrypted connection.',
    'Este mecanismo de autenticación solo puede usarse con una conexión cifrada.'],
  ['7.12', 'sender', 'securityerror', 'RFC 4954',
    'A password transition is needed.',
    'Hace falta una transición de contraseña.'],
  ['7.13', 'either', 'suspend', 'RFC 5248',
    'The user account is disabled.',
    'La cuenta de usuario está desactivada.'],
  ['7.14', 'sender', 'securityerror', 'RFC 5248',
    'A trust relationship with another server is required.',
    'Se requiere una relación de confianza con otro servidor.'],
  ['7.15', 'sender', null, 'RFC 6710',
    'The priority level is too low for this server.',
    'El nivel de prioridad es demasiado bajo para este servidor.'],
  ['7.16', 'sender', 'mesgtoobig', 'RFC 6710',
    'The message is too big for the priority it asked for.',
    'El mensaje es demasiado grande para la prioridad que pidió.'],
  ['7.17', 'recipient', 'hasmoved', 'RFC 7293',
    'The mailbox has changed owner since the date the sender required.',
    'El buzón ha cambiado de titular desde la fecha que exigía el remitente.'],
  ['7.18', 'recipient', 'hasmoved', 'RFC 7293',
    'The domain has changed owner since the date the sender required.',
    'El dominio ha cambiado de titular desde la fecha que exigía el remitente.'],
  ['7.19', 'recipient', null, 'RFC 7293',
    'The required-recipient-valid-since (RRVS) check could not be completed.',
    'No se pudo completar la comprobación RRVS (destinatario válido desde una fecha).'],
  ['7.20', 'sender', 'authfailure', 'RFC 7372',
    'No DKIM signature passed.',
    'Ninguna firma DKIM fue válida.'],
  ['7.21', 'sender', 'authfailure', 'RFC 7372',
    'No acceptable DKIM signature was found.',
    'No se encontró ninguna firma DKIM aceptable.'],
  ['7.22', 'sender', 'authfailure', 'RFC 7372',
    'No valid DKIM signature matches the author\'s domain.',
    'Ninguna firma DKIM válida corresponde al dominio del autor.'],
  ['7.23', 'sender', 'authfailure', 'RFC 7372',
    'SPF validation failed.',
    'Falló la validación SPF.'],
  ['7.24', 'sender', 'authfailure', 'RFC 7372',
    'SPF validation ended in an error.',
    'La validación SPF terminó con un error.'],
  ['7.25', 'sender', 'requireptr', 'RFC 7372',
    'Reverse DNS validation of the sending IP failed.',
    'Falló la validación del DNS inverso de la IP de envío.'],
  ['7.26', 'sender', 'authfailure', 'RFC 7372',
    'Several authentication checks failed.',
    'Fallaron varias comprobaciones de autenticación.'],
  ['7.27', 'sender', 'rejected', 'RFC 7505',
    'The sender\'s domain publishes a null MX, so it could not take replies.',
    'El dominio del remitente publica un MX nulo, así que no podría recibir respuestas.'],
  ['7.28', 'sender', 'speeding', 'IANA',
    'A wave of similar abusive mail was detected, and this message appears to belong to it.',
    'Se detectó una oleada de correo abusivo parecido, y este mensaje parece formar parte de ella.'],
  ['7.29', 'sender', 'authfailure', 'RFC 8617',
    'ARC validation failed.',
    'Falló la validación ARC.'],
  ['7.30', 'transport', 'securityerror', 'RFC 8689',
    'The message requires REQUIRETLS, which the next server does not support.',
    'El mensaje exige REQUIRETLS y el siguiente servidor no lo admite.'],
];

type SubjectRow = readonly [side: Side, reason: BounceReason | null, en: string, es: string];

/** Subject sub-codes X.0 to X.7 (RFC 3463 §3). */
const SUBJECTS: readonly SubjectRow[] = [
  ['either', null, 'Other or undefined status', 'Estado no definido'],
  ['either', null, 'Addressing status', 'Estado de la dirección'],
  ['recipient', null, 'Mailbox status', 'Estado del buzón'],
  ['transport', 'systemerror', 'Mail system status', 'Estado del sistema de correo'],
  ['transport', 'networkerror', 'Network and routing status', 'Estado de la red y del enrutamiento'],
  ['transport', null, 'Mail delivery protocol status', 'Estado del protocolo de entrega'],
  ['sender', 'contenterror', 'Message content or media status', 'Estado del contenido del mensaje'],
  ['either', 'securityerror', 'Security or policy status', 'Estado de seguridad o de política'],
];

const CLASSES: Readonly<Record<string, { permanence: Permanence; meaning: Readonly<Record<Lang, string>> }>> = {
  '2': { permanence: 'success', meaning: { en: 'Success', es: 'Éxito' } },
  '4': { permanence: 'transient', meaning: { en: 'Temporary failure', es: 'Fallo temporal' } },
  '5': { permanence: 'permanent', meaning: { en: 'Permanent failure', es: 'Fallo permanente' } },
};

export const ENHANCED_CODES: ReadonlyMap<string, EnhancedCodeInfo> = new Map(
  ROWS.map(([code, side, reason, ref, en, es]) => [code, { code, side, reason, ref, meaning: { en, es } }]),
);

/** A whole enhanced code: class 2, 4 or 5; subject and detail of up to three digits (RFC 3463 §2). */
const STATUS_RE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

export interface ParsedStatus {
  /** Normalized "5.1.1" (leading zeros dropped). */
  code: string;
  klass: '2' | '4' | '5';
  subject: number;
  detail: number;
}

/** Parses "5.1.1" (or "5.01.001"); null for anything that is not an enhanced status code. */
export function parseStatus(input: string): ParsedStatus | null {
  const m = STATUS_RE.exec(input.trim());
  if (!m) return null;
  const klass = m[1] as '2' | '4' | '5';
  const subject = Number(m[2]);
  const detail = Number(m[3]);
  // Subjects beyond X.7 are not defined; a "5.8.1" is more likely a version or an address part.
  if (subject > 7) return null;
  return { code: `${klass}.${subject}.${detail}`, klass, subject, detail };
}

export function classInfo(klass: string): { permanence: Permanence; meaning: Readonly<Record<Lang, string>> } | undefined {
  return Object.hasOwn(CLASSES, klass) ? CLASSES[klass] : undefined;
}

export function subjectInfo(subject: number): SubjectInfo | undefined {
  const row = SUBJECTS[subject];
  if (!row) return undefined;
  const [side, reason, en, es] = row;
  return { subject, side, reason, meaning: { en, es } };
}

/** Registry entry for the subject.detail of a parsed status, or undefined when not registered. */
export function enhancedCodeInfo(status: ParsedStatus): EnhancedCodeInfo | undefined {
  return ENHANCED_CODES.get(`${status.subject}.${status.detail}`);
}

/**
 * The reason an enhanced code names by itself. Class 2 is a delivery. Only registered details
 * count here: the subject-level fallback is a separate, weaker step (see decode.ts).
 */
export function statusReason(status: ParsedStatus): BounceReason | null {
  if (status.klass === '2') return 'delivered';
  return enhancedCodeInfo(status)?.reason ?? null;
}
