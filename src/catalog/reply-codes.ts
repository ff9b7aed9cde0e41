/**
 * SMTP basic reply codes: every code of RFC 5321 §4.2.3, plus 521/556 (RFC 7504) and the AUTH
 * replies of RFC 4954. Meanings are written for Rebote in English and Spanish.
 *
 * `reason` is a last-resort bounce reason for the rare codes that name one by themselves; most
 * codes (550, 554, ...) are used for too many things to guess from the number alone.
 */
import type { BounceReason } from '../core/event.js';
import type { Lang, Permanence, Side } from './types.js';

export interface ReplyCodeInfo {
  code: string;
  permanence: Permanence;
  side: Side;
  reason: BounceReason | null;
  meaning: Readonly<Record<Lang, string>>;
  /** Where the code is defined. */
  ref: string;
}

type Row = readonly [code: string, permanence: Permanence, side: Side, reason: BounceReason | null, ref: string, en: string, es: string];

const R5321 = 'RFC 5321';
const R4954 = 'RFC 4954';
const R7504 = 'RFC 7504';

const ROWS: readonly Row[] = [
  ['211', 'success', 'transport', null, R5321,
    'System status, or an answer to a help request.',
    'Estado del sistema o respuesta a una petición de ayuda.'],
  ['214', 'success', 'transport', null, R5321,
    'Help text meant for a person reading the session.',
    'Texto de ayuda pensado para una persona que lee la sesión.'],
  ['220', 'success', 'transport', null, R5321,
    'The server is ready to start an SMTP session.',
    'El servidor está listo para empezar una sesión SMTP.'],
  ['221', 'success', 'transport', null, R5321,
    'The server is closing the connection normally.',
    'El servidor cierra la conexión con normalidad.'],
  ['235', 'success', 'sender', null, R4954,
    'Authentication succeeded.',
    'La autenticación se completó con éxito.'],
  ['250', 'success', 'transport', null, R5321,
    'The requested action was completed.',
    'La acción pedida se completó.'],
  ['251', 'success', 'recipient', null, R5321,
    'The recipient is not local; the server takes the message and forwards it.',
    'El destinatario no es local; el servidor acepta el mensaje y lo reenvía.'],
  ['252', 'success', 'recipient', null, R5321,
    'The server cannot check the recipient now, but takes the message and will try to deliver it.',
    'El servidor no puede comprobar ahora al destinatario, pero acepta el mensaje e intentará entregarlo.'],
  ['334', 'intermediate', 'sender', null, R4954,
    'Authentication challenge: the server waits for the client\'s next step.',
    'Reto de autenticación: el servidor espera el siguiente paso del cliente.'],
  ['354', 'intermediate', 'transport', null, R5321,
    'Go ahead with the message body; end it with a line holding a single dot.',
    'Puede enviar el cuerpo del mensaje; termínelo con una línea que contenga solo un punto.'],
  ['421', 'transient', 'transport', null, R5321,
    'The service is not available right now and the server is closing the connection; try again later.',
    'El servicio no está disponible en este momento y el servidor cierra la conexión; vuelva a intentarlo más tarde.'],
  ['432', 'transient', 'sender', 'securityerror', R4954,
    'The account must first move to the chosen authentication mechanism (a password transition is needed).',
    'La cuenta debe pasar primero al mecanismo de autenticación elegido (hace falta una transición de contraseña).'],
  ['450', 'transient', 'recipient', null, R5321,
    'The mailbox cannot be used for now (busy, locked or refused for a while); nothing was done.',
    'No se puede usar el buzón por ahora (ocupado, bloqueado o rechazado durante un tiempo); no se hizo nada.'],
  ['451', 'transient', 'transport', null, R5321,
    'A local error on the receiving side stopped the action; try again later.',
    'Un error local en el servidor receptor detuvo la acción; vuelva a intentarlo más tarde.'],
  ['452', 'transient', 'transport', null, R5321,
    'The receiving system lacks the storage to take the message now.',
    'El sistema receptor no tiene ahora espacio suficiente para aceptar el mensaje.'],
  ['454', 'transient', 'transport', null, R4954,
    'Temporary authentication or TLS failure on the server; try again later.',
    'Fallo temporal de autenticación o de TLS en el servidor; vuelva a intentarlo más tarde.'],
  ['455', 'transient', 'sender', null, R5321,
    'The server cannot take the MAIL FROM or RCPT TO parameters for now.',
    'El servidor no puede aceptar por ahora los parámetros de MAIL FROM o RCPT TO.'],
  ['500', 'permanent', 'transport', 'syntaxerror', R5321,
    'The command was not recognised or its syntax is wrong (a line may be too long).',
    'No se reconoció la orden o su sintaxis es incorrecta (quizá una línea demasiado larga).'],
  ['501', 'permanent', 'sender', 'syntaxerror', R5321,
    'The arguments or parameters of the command have a syntax error.',
    'Los argumentos o parámetros de la orden tienen un error de sintaxis.'],
  ['502', 'permanent', 'transport', 'syntaxerror', R5321,
    'The server does not implement this command.',
    'El servidor no implementa esta orden.'],
  ['503', 'permanent', 'transport', 'syntaxerror', R5321,
    'Commands were sent in the wrong order.',
    'Las órdenes se enviaron en un orden incorrecto.'],
  ['504', 'permanent', 'transport', 'syntaxerror', R5321,
    'The server does not implement this parameter of the command.',
    'El servidor no implementa este parámetro de la orden.'],
  ['521', 'permanent', 'recipient', 'notaccept', R7504,
    'This host never accepts mail.',
    'Este servidor no acepta correo en ningún caso.'],
  ['530', 'permanent', 'sender', 'securityerror', R4954,
    'Authentication is required before this command.',
    'Hace falta autenticarse antes de esta orden.'],
  ['534', 'permanent', 'sender', 'securityerror', R4954,
    'The chosen authentication mechanism is weaker than the server allows.',
    'El mecanismo de autenticación elegido es más débil de lo que permite el servidor.'],
  ['535', 'permanent', 'sender', 'securityerror', R4954,
    'The authentication credentials were not accepted.',
    'No se aceptaron las credenciales de autenticación.'],
  ['538', 'permanent', 'sender', 'securityerror', R4954,
    'This authentication mechanism needs an encrypted connection.',
    'Este mecanismo de autenticación necesita una conexión cifrada.'],
  ['550', 'permanent', 'either', null, R5321,
    'Nothing was done: the mailbox is unavailable (it does not exist, cannot be reached, or policy refused it).',
    'No se hizo nada: el buzón no está disponible (no existe, no se puede acceder o una política lo impide).'],
  ['551', 'permanent', 'recipient', null, R5321,
    'The recipient is not local to this server; the sender should use another address or route.',
    'El destinatario no es local en este servidor; el remitente debe usar otra dirección o ruta.'],
  ['552', 'permanent', 'recipient', null, R5321,
    'The action stopped because a storage allowance was exceeded (full mailbox or oversized message).',
    'La acción se detuvo porque se superó un límite de almacenamiento (buzón lleno o mensaje demasiado grande).'],
  ['553', 'permanent', 'either', null, R5321,
    'Nothing was done: the mailbox name is not allowed (for example, its syntax is wrong).',
    'No se hizo nada: el nombre del buzón no está permitido (por ejemplo, su sintaxis es incorrecta).'],
  ['554', 'permanent', 'either', null, R5321,
    'The transaction failed; as a greeting, it means there is no SMTP service here.',
    'La transacción falló; como saludo, significa que aquí no hay servicio SMTP.'],
  ['555', 'permanent', 'sender', 'syntaxerror', R5321,
    'The MAIL FROM or RCPT TO parameters are not recognised or not implemented.',
    'Los parámetros de MAIL FROM o RCPT TO no se reconocen o no están implementados.'],
  ['556', 'permanent', 'recipient', 'notaccept', R7504,
    'The recipient\'s domain does not accept mail.',
    'El dominio del destinatario no acepta correo.'],
];

export const REPLY_CODES: ReadonlyMap<string, ReplyCodeInfo> = new Map(
  ROWS.map(([code, permanence, side, reason, ref, en, es]) => [
    code,
    { code, permanence, side, reason, ref, meaning: { en, es } },
  ]),
);

/** The catalog entry of a basic reply code ("550"), or undefined when the code is not registered. */
export function replyCodeInfo(code: string): ReplyCodeInfo | undefined {
  return REPLY_CODES.get(code);
}

/** Permanence from the first digit, for codes outside the table (e.g. a provider's 498). */
export function replyPermanence(code: string): Permanence | null {
  switch (code.charAt(0)) {
    case '2': return 'success';
    case '3': return 'intermediate';
    case '4': return 'transient';
    case '5': return 'permanent';
    default: return null;
  }
}
