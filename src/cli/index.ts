/**
 * The `rebote` command line, minus the Node I/O (bin/rebote.mjs supplies files and streams, so
 * this stays inside src/'s no-Node-types check). Bundled for Node by scripts/build-cli.mjs; it
 * runs the very modules the Worker runs: src/dsn, src/core, src/catalog.
 */
import { readConfig, type Env } from '../config.js';
import type { CanonicalEvent } from '../core/event.js';
import { suppressionWithoutHistory, type PolicyConfig, type SuppressionReason } from '../core/policy.js';
import { parseEmailFile, type FileParse } from '../dsn/index.js';
import { startsLikeEmail } from '../dsn/mime.js';

export { parseEmailFile } from '../dsn/index.js';
export type { BounceParse, FileParse } from '../dsn/index.js';

export const USAGE = `Usage: rebote inspect [options] [<file|dir|->...]

Decodes raw bounce emails (RFC 3464 DSNs, ARF complaints, MTA text bounces) and prints one
canonical event per line as NDJSON, each with the file it came from, the format that decoded
it and the suppression it would cause for an address with no history. Directories are read
recursively; with no path, or "-", the email is read from standard input. A file found in a
directory that is not an email (no header field at its start) is named and skipped; a file
named on the command line, or standard input, that is not an email is an error.

Options:
  -j, --jobs <n>   decode with n worker threads (default: 1; "auto" = one per CPU)
  -q, --quiet      no summary on standard error
  -h, --help       this text

The policy settings come from the environment when set (SOFT_BOUNCE_LIMIT, ...), else the
defaults README lists under Configuration. Exit status: 0 when every input was read (files
skipped in a directory included), 1 when one could not be read or decoded or a file named on
the command line is not an email, 2 on a usage error.

Also: rebote import <file> and rebote export, against a running Rebote over its API
(rebote import --help); rebote --version.`;

export interface InspectArgs {
  command: 'inspect';
  paths: string[];
  jobs: number | 'auto';
  quiet: boolean;
}

export type ParsedArgs = InspectArgs | { command: 'help' } | { command: 'error'; message: string };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '-h' || argv[0] === '--help') return { command: 'help' };
  const [command, ...rest] = argv;
  if (command !== 'inspect') return { command: 'error', message: `unknown command "${command}"` };
  const out: InspectArgs = { command: 'inspect', paths: [], jobs: 1, quiet: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '-h' || a === '--help') return { command: 'help' };
    if (a === '-q' || a === '--quiet') out.quiet = true;
    else if (a === '-j' || a === '--jobs' || a.startsWith('--jobs=')) {
      const v = a.startsWith('--jobs=') ? a.slice(7) : rest[++i];
      if (v === 'auto') out.jobs = 'auto';
      else if (v !== undefined && /^[1-9]\d{0,2}$/.test(v)) out.jobs = Number(v);
      else return { command: 'error', message: `--jobs needs a positive number or "auto", got "${v ?? ''}"` };
    } else if (a === '--') {
      out.paths = out.paths.concat(rest.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') return { command: 'error', message: `unknown option "${a}"` };
    else out.paths.push(a);
  }
  if (out.paths.length === 0) out.paths.push('-');
  return out;
}

/** The policy the suppression column is computed with: SPEC §3 defaults, or the environment's. */
export function policyFrom(env: Env): PolicyConfig {
  const c = readConfig(env);
  return {
    softBounceLimit: c.softBounceLimit,
    softBounceWindowDays: c.softBounceWindowDays,
    softSuppressionDays: c.softSuppressionDays,
    suppressUnsubscribes: c.suppressUnsubscribes,
  };
}

export interface InspectLine extends CanonicalEvent {
  file: string;
  format: string;
  suppression: SuppressionReason | null;
}

export interface FileResult {
  file: string;
  /** Emails in the file: 1, or the messages of a mailbox file (0 when it could not be read). */
  emails: number;
  /** NDJSON lines, one per event. */
  lines: string[];
  events: number;
  ignored: number;
  rejected: number;
  format: string;
  error?: string;
  /** Set when the file is not an email at all (no header): said, and not counted as one. */
  notEmail?: true;
}

/** Decodes one email and renders its events as NDJSON lines. Never throws. */
export async function inspectBytes(file: string, bytes: Uint8Array, policy: PolicyConfig): Promise<FileResult> {
  let parsed: FileParse;
  try {
    parsed = await parseEmailFile(bytes);
  } catch (err) {
    return { file, emails: 0, lines: [], events: 0, ignored: 0, rejected: 0, format: 'error', error: err instanceof Error ? err.message : String(err) };
  }
  // Named apart when nothing came of it and it does not even start like an email (an Apple Mail
  // .emlx, whose first line is a byte count, still decodes above).
  if (parsed.events.length === 0 && parsed.rejected === 0 && !startsLikeEmail(bytes)) {
    return { file, emails: 0, lines: [], events: 0, ignored: 0, rejected: 0, format: 'not-email', notEmail: true };
  }
  const lines = parsed.events.map((e, i) => {
    const line: InspectLine = { file, format: parsed.eventFormats[i] ?? parsed.format, ...e, suppression: suppressionWithoutHistory(e, policy) };
    return JSON.stringify(line);
  });
  return { file, emails: parsed.messages, lines, events: parsed.events.length, ignored: parsed.ignored, rejected: parsed.rejected, format: parsed.format };
}
