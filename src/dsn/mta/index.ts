/**
 * The decoders of non-standard bounce formats, tried in this order; the first that finds a
 * recipient wins. Each one checks its format's own markers first, so a message that is not its
 * format costs one or two regex tests. The sentence-list and line-label decoders are last: they
 * are the loosest.
 */
import type { MtaDecoder } from '../types.js';
import { appliances } from './appliances.js';
import { au } from './au.js';
import { communigate } from './communigate.js';
import { coremail } from './coremail.js';
import { lotus } from './domino.js';
import { dovecot } from './dovecot.js';
import { dragonfly } from './dragonfly.js';
import { exchange } from './exchange.js';
import { exim } from './exim.js';
import { fml } from './fml.js';
import { gmail } from './gmail.js';
import { googlegroups } from './googlegroups.js';
import { labelled } from './labelled.js';
import { listed } from './listed.js';
import { opensmtpd } from './opensmtpd.js';
import { postfix } from './postfix.js';
import { qmail } from './qmail.js';
import { sendmail } from './sendmail.js';

export const MTA_DECODERS: readonly MtaDecoder[] = [
  qmail,
  exim,
  postfix,
  sendmail,
  // Before gmail: a Google Groups notice may use Google's headline layout too.
  googlegroups,
  gmail,
  exchange,
  dragonfly,
  opensmtpd,
  communigate,
  lotus,
  au,
  appliances,
  dovecot,
  fml,
  coremail,
  listed,
  labelled,
];
