/// <reference types="node" />
/**
 * Shared by the unit tests of the provider plugins (Resend, Brevo, Mailjet, MailerSend, Azure,
 * Postmark, SparkPost, Mailgun, Mandrill, SendGrid): reads a provider's fixtures
 * (test/fixtures/<provider>/, copied from the corpus, see SOURCES.md there)
 * and checks a parse result against a labels.jsonl row the way the contract suite does, plus the
 * fields a parser alone is responsible for (provider, time format, no bounce on a delivery).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { readConfig } from '../../../src/config.js';
import { suppressionWithoutHistory } from '../../../src/core/policy.js';
import type { ProviderParseResult } from '../../../src/providers/types.js';

export interface Label {
  file: string;
  invalid: boolean;
  ignored: number;
  ambiguous: boolean;
  events: Array<{
    type: string; recipient: string; class: string | null; reason: string | null;
    suppress: boolean; suppression_reason: string | null; reply_code: string | null; status: string | null;
  }>;
}

export interface Fixtures {
  text(path: string): string;
  bytes(path: string): Uint8Array;
  labels(): Label[];
}

export function fixtures(provider: string): Fixtures {
  const root = new URL(`../../fixtures/${provider}/`, import.meta.url);
  const bytes = (path: string) => new Uint8Array(readFileSync(new URL(path, root)));
  const text = (path: string) => readFileSync(new URL(path, root), 'utf8');
  return {
    text,
    bytes,
    labels: () => text('labels.jsonl').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Label),
  };
}

const config = readConfig({});
const BOUNCE_LIKE = new Set(['bounced', 'deferred', 'dropped']);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Asserts that `out` gives what `label` says; class and suppression are advisory on ambiguous rows. */
export function expectLabelled(out: ProviderParseResult, label: Label, provider: string): void {
  expect(out.ignored, 'ignored').toBe(label.ignored);
  expect(out.rejected, 'rejected').toBe(0);
  expect(out.events.map((e) => [e.type, e.recipient])).toEqual(label.events.map((e) => [e.type, e.recipient]));
  label.events.forEach((want, i) => {
    const got = out.events[i]!;
    const where = `${label.file} event ${i}`;
    expect(got.provider, where).toBe(provider);
    expect(got.id, where).toMatch(new RegExp(`^${provider}:[0-9a-f]{32}$`));
    expect(got.occurred_at, where).toMatch(ISO);
    if (!BOUNCE_LIKE.has(want.type)) {
      expect(got.bounce, where).toBeUndefined();
    } else {
      expect(got.bounce, where).toBeDefined();
    }
    if (label.ambiguous) return;
    expect(suppressionWithoutHistory(got, config), `${where} suppression`).toBe(want.suppress ? want.suppression_reason : null);
    if (want.class !== null) expect(got.bounce?.class, `${where} class`).toBe(want.class);
    if (!BOUNCE_LIKE.has(want.type)) return;
    if (want.reason !== null) expect(got.bounce!.reason, `${where} reason`).toBe(want.reason);
    // Exact, null included: a bounce must not invent a reply code or status the sample lacks.
    expect(got.bounce!.reply_code, `${where} reply_code`).toBe(want.reply_code);
    expect(got.bounce!.status, `${where} status`).toBe(want.status);
  });
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The HttpError status a synchronous call throws (fails the test when it does not throw). */
export function statusThrown(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    return (err as { status?: number }).status ?? -1;
  }
  throw new Error('expected an error');
}
