// .dev.vars as wrangler reads it (dotenv's rules, then dotenv-expand's `$NAME` substitution), so
// npm start and the Worker agree on every value; and values written back for wrangler to read.
import { existsSync, readFileSync } from 'node:fs';

/**
 * A .dev.vars line's value as dotenv reads it: a value in quotes up to its closing quote, a
 * comment allowed after it ("…" turns \n and \r into line breaks); else the text before the first
 * #, trimmed. So `DDB_TABLE=rebote  # local` is "rebote", as the Worker sees it.
 */
export function dotEnvValue(raw) {
  const quoted = /^(["'`])(.*?)\1\s*(?:#.*)?$/s.exec(raw);
  if (quoted) return quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n').replace(/\\r/g, '\r') : quoted[2];
  return raw.replace(/#.*$/s, '').trim();
}

/** `$NAME` or `${NAME}` (with `:-`, `-`, `:+` or `+` and a fallback), not after a backslash. */
const REFERENCE = /(?<!\\)\$\{([^{}]+)\}|(?<!\\)\$([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * What wrangler makes of `value` after dotenv-expand: each reference replaced by the value of a
 * variable read before it in the file (wrangler gives .dev.vars no other variables), `${A:-x}`
 * and `${A-x}` by x when A is empty, `${A:+x}` and `${A+x}` by x when A is set; then `\$` is `$`.
 */
export function expandDotEnv(value, earlier) {
  let out = value;
  for (let guard = 0; guard < 100; guard++) {
    const m = REFERENCE.exec(out);
    if (m === null) break;
    const [name, op, fallback] = m[2] !== undefined ? [m[2], null, ''] : splitReference(m[1]);
    const set = earlier[name] ? earlier[name] : '';
    const replacement = op === ':+' || op === '+' ? (set ? fallback : '') : set || fallback;
    out = out.slice(0, m.index) + replacement + out.slice(m.index + m[0].length);
  }
  return out.replace(/\\\$/g, '$');
}

function splitReference(expression) {
  const op = /:\+|\+|:-|-/.exec(expression);
  if (op === null) return [expression, null, ''];
  return [expression.slice(0, op.index), op[0], expression.slice(op.index + op[0].length)];
}

/**
 * Reads .dev.vars: KEY=value lines, `export` allowed, # comments, `$NAME` expanded. `dollars`
 * lists the keys whose written value holds a `$` that wrangler expands, for a warning.
 */
export function readDotEnv(path) {
  const vars = {};
  const dollars = [];
  if (!existsSync(path)) return { vars, dollars };
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const written = dotEnvValue(m[2]);
    if (REFERENCE.test(written)) dollars.push(m[1]);
    vars[m[1]] = expandDotEnv(written, vars);
  }
  return { vars, dollars };
}

/**
 * A `KEY=value` line that wrangler reads back as exactly `value`, every `$` escaped from
 * expansion: in quotes of a kind the value does not hold (dotenv keeps such a value as it is), or,
 * for a value on several lines (a PEM key), in double quotes with its line breaks as \n. Null
 * when no quoting keeps the value as it is.
 */
export function dotEnvLine(key, value) {
  const escaped = value.replace(/\$/g, '\\$');
  // In double quotes, dotenv turns a written \n or \r into a line break.
  const doubleQuotable = !value.includes('"') && !/\\[nr]/.test(value);
  if (/[\r\n]/.test(value)) {
    return doubleQuotable ? `${key}="${escaped.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"` : null;
  }
  const quote = ["'", '`'].find((q) => !value.includes(q)) ?? (doubleQuotable ? '"' : undefined);
  return quote === undefined ? null : `${key}=${quote}${escaped}${quote}`;
}
