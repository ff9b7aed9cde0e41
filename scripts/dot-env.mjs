// .dev.vars as wrangler reads it (dotenv rules), so npm start and the Worker agree on every value.
import { existsSync, readFileSync } from 'node:fs';

/**
 * A .dev.vars line's value as wrangler reads it (dotenv's rules): a value in quotes up to its
 * closing quote, a comment allowed after it ("…" turns \n and \r into line breaks); else the text
 * before the first #, trimmed. So `DDB_TABLE=rebote  # local` is "rebote", as the Worker sees it.
 */
export function dotEnvValue(raw) {
  const quoted = /^(["'`])(.*?)\1\s*(?:#.*)?$/s.exec(raw);
  if (quoted) return quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n').replace(/\\r/g, '\r') : quoted[2];
  return raw.replace(/#.*$/s, '').trim();
}

/** Reads .dev.vars: KEY=value lines, `export` allowed, # comments. */
export function readDotEnv(path) {
  if (!existsSync(path)) return {};
  const out = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = dotEnvValue(m[2]);
  }
  return out;
}
