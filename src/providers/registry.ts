/** Every provider plugin, by the name in its webhook route. Adding a provider = one line here. */
import type { ProviderName } from '../core/event.js';
import type { ProviderPlugin } from './types.js';
import { ses } from './ses/index.js';
import { dsn } from './dsn/index.js';
import { resend } from './resend/index.js';
import { brevo } from './brevo/index.js';
import { mailjet } from './mailjet/index.js';
import { mailersend } from './mailersend/index.js';
import { azure } from './azure/index.js';
import { sendgrid } from './sendgrid/index.js';
import { mailgun } from './mailgun/index.js';
import { postmark } from './postmark/index.js';
import { sparkpost } from './sparkpost/index.js';
import { mandrill } from './mandrill/index.js';

const plugins: ProviderPlugin[] = [
  ses,
  dsn,
  sendgrid, mailgun, postmark, sparkpost, mandrill,
  resend, brevo, mailjet, mailersend, azure,
];

export const PROVIDER_PLUGINS: ReadonlyMap<string, ProviderPlugin> = new Map(plugins.map((p) => [p.name, p]));

export function providerPlugin(name: string): ProviderPlugin | undefined {
  return PROVIDER_PLUGINS.get(name as ProviderName);
}
