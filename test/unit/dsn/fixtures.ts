/// <reference types="node" />
/** Reads the raw bounce emails copied under test/fixtures/dsn (see SOURCES.md there). */
import { readFileSync } from 'node:fs';
import type { CanonicalEvent } from '../../../src/core/event.js';
import { parseBounceEmail, type BounceParse } from '../../../src/dsn/index.js';

const ROOT = new URL('../../fixtures/dsn/', import.meta.url);

export const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, ROOT)));

export const parseFixture = (name: string): Promise<BounceParse> => parseBounceEmail(fixtureBytes(name));

/** A raw email from lines (LF), for the synthetic cases. */
export const email = (...lines: string[]): Uint8Array => new TextEncoder().encode(`${lines.join('\n')}\n`);

/** The parts of an event a test usually compares. */
export function brief(e: CanonicalEvent) {
  return {
    type: e.type,
    recipient: e.recipient,
    class: e.bounce?.class ?? null,
    reason: e.bounce?.reason ?? null,
    status: e.bounce?.status ?? null,
    reply_code: e.bounce?.reply_code ?? null,
  };
}
