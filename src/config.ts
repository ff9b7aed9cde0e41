/**
 * Configuration (SPEC §7), read once per request from the Worker's env. Pure: takes the env
 * record, returns typed values with defaults.
 */
export interface Config {
  ddbTable: string;
  awsRegion: string;
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
  ddbEndpoint: string | undefined;
  apiKeys: ApiKey[];
  ingestToken: string | undefined;
  snsTopicArns: string[];
  softBounceLimit: number;
  softBounceWindowDays: number;
  softSuppressionDays: number;
  suppressUnsubscribes: boolean;
  eventRetentionDays: number;
  /** Email Routing: where to forward each bounce after reading it (a verified destination), if anywhere. */
  forwardTo: string | undefined;
  /** Provider secrets by env name (SENDGRID_WEBHOOK_PUBLIC_KEY, ...), unset ones absent. */
  secrets: Readonly<Record<string, string>>;
}

/** A setting the Worker cannot run with: every request says which, until it is fixed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Scope = 'read' | 'admin';
export interface ApiKey {
  key: string;
  scope: Scope;
}

export type Env = Record<string, unknown>;

/**
 * A setting as text. wrangler.toml may give a var as a TOML number or boolean
 * (`SOFT_BOUNCE_LIMIT = 5`, `SUPPRESS_UNSUBSCRIBES = false`): read as written, not ignored.
 */
const str = (env: Env, name: string): string | undefined => {
  const v = env[name];
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

const positiveInt = (env: Env, name: string, fallback: number): number => {
  const v = str(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer, got "${v}"`);
  return n;
};

/** "true" or "false" (any case); anything else is a mistake, not a silent default. */
const bool = (env: Env, name: string, fallback: boolean): boolean => {
  const v = str(env, name);
  if (v === undefined) return fallback;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`);
};

const list = (v: string | undefined): string[] =>
  (v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

export function parseApiKeys(value: string | undefined): ApiKey[] {
  return list(value).map((entry) => {
    const m = /^(read|admin):(.+)$/.exec(entry);
    return m ? { scope: m[1] as Scope, key: m[2]! } : { scope: 'admin' as const, key: entry };
  });
}

const SECRET_NAMES = [
  'SENDGRID_WEBHOOK_PUBLIC_KEY', 'MAILGUN_WEBHOOK_SIGNING_KEY', 'POSTMARK_WEBHOOK_AUTH',
  'SPARKPOST_WEBHOOK_AUTH', 'MANDRILL_WEBHOOK_KEY', 'MANDRILL_WEBHOOK_URL', 'RESEND_WEBHOOK_SECRET',
  'BREVO_WEBHOOK_AUTH', 'MAILJET_WEBHOOK_AUTH', 'MAILERSEND_WEBHOOK_SECRET', 'AZURE_WEBHOOK_SECRET',
] as const;

export function readConfig(env: Env): Config {
  const secrets: Record<string, string> = {};
  for (const name of SECRET_NAMES) {
    const v = str(env, name);
    if (v !== undefined) secrets[name] = v;
  }
  return {
    ddbTable: str(env, 'DDB_TABLE') ?? 'rebote',
    awsRegion: str(env, 'AWS_REGION') ?? 'us-east-1',
    awsAccessKeyId: str(env, 'AWS_ACCESS_KEY_ID') ?? '',
    awsSecretAccessKey: str(env, 'AWS_SECRET_ACCESS_KEY') ?? '',
    ddbEndpoint: str(env, 'DDB_ENDPOINT'),
    apiKeys: parseApiKeys(str(env, 'API_KEYS')),
    ingestToken: str(env, 'INGEST_TOKEN'),
    snsTopicArns: list(str(env, 'SNS_TOPIC_ARNS')),
    softBounceLimit: positiveInt(env, 'SOFT_BOUNCE_LIMIT', 3),
    softBounceWindowDays: positiveInt(env, 'SOFT_BOUNCE_WINDOW_DAYS', 14),
    softSuppressionDays: positiveInt(env, 'SOFT_SUPPRESSION_DAYS', 30),
    suppressUnsubscribes: bool(env, 'SUPPRESS_UNSUBSCRIBES', true),
    eventRetentionDays: positiveInt(env, 'EVENT_RETENTION_DAYS', 90),
    forwardTo: str(env, 'FORWARD_TO'),
    secrets,
  };
}
