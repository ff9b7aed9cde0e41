// Which secrets a deployment needs, and what is missing from a list of names. Pure: the deploy
// script feeds it the names `wrangler secret list` reports.

/** Without these the Worker cannot reach its table or be queried at all. */
export const REQUIRED_SECRETS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'API_KEYS'];

/** Each input and the setting without which it refuses every request (fail closed). */
export const INPUT_SECRETS = {
  ses: ['SNS_TOPIC_ARNS'],
  sendgrid: ['SENDGRID_WEBHOOK_PUBLIC_KEY'],
  mailgun: ['MAILGUN_WEBHOOK_SIGNING_KEY'],
  postmark: ['POSTMARK_WEBHOOK_AUTH'],
  sparkpost: ['SPARKPOST_WEBHOOK_AUTH'],
  mandrill: ['MANDRILL_WEBHOOK_KEY', 'MANDRILL_WEBHOOK_URL'],
  resend: ['RESEND_WEBHOOK_SECRET'],
  brevo: ['BREVO_WEBHOOK_AUTH'],
  mailjet: ['MAILJET_WEBHOOK_AUTH'],
  mailersend: ['MAILERSEND_WEBHOOK_SECRET'],
  azure: ['AZURE_WEBHOOK_SECRET'],
  dsn: ['INGEST_TOKEN'],
};

/**
 * `names`: secrets and vars set for the environment. Returns the required ones missing, the
 * inputs that are configured, and those that will refuse everything.
 */
export function deploymentCheck(names) {
  const have = new Set(names);
  const missing = REQUIRED_SECRETS.filter((n) => !have.has(n));
  const enabled = [];
  const disabled = [];
  for (const [input, needs] of Object.entries(INPUT_SECRETS)) {
    (needs.every((n) => have.has(n)) ? enabled : disabled).push(input);
  }
  return { missing, enabled, disabled };
}
