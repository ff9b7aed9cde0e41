/**
 * Collects the canonical events of one webhook input in payload order, with the counts SPEC §1
 * answers with. Recipients are normalized here, once, so every provider rejects non-addresses
 * the same way (SPEC §5: counted, never stored) and reads a mailbox (`Name <address>`) alike.
 */
import type { CanonicalEvent, ProviderName } from '../../core/event.js';
import { stableId } from '../../core/id.js';
import type { ProviderParseResult } from '../types.js';
import { recipientAddress } from './mailbox.js';

/** Everything of an event except what the sink derives (id, provider, recipient). */
export type EventFields = Omit<CanonicalEvent, 'id' | 'provider' | 'recipient'>;

/** The parts a stable id is made of (see core/id.ts). */
export type IdParts = ReadonlyArray<string | number | null | undefined>;

export class EventSink {
  private readonly events: CanonicalEvent[] = [];
  private ignored = 0;
  private rejected = 0;

  constructor(private readonly provider: ProviderName) {}

  /**
   * Adds one event for `address`, or counts a rejected recipient. `idParts` gets the normalized
   * recipient so that an id built from a provider event id still differs per recipient, and does
   * not depend on how the address was spelled. Repeats are kept: the store counts them as
   * duplicates, and /v1/inspect shows what came in.
   */
  add(address: unknown, idParts: (recipient: string) => IdParts, fields: EventFields): void {
    const recipient = recipientAddress(address);
    if (recipient === null) {
      this.rejected++;
      return;
    }
    this.events.push({ id: stableId(this.provider, idParts(recipient)), provider: this.provider, recipient, ...fields });
  }

  /**
   * For parsers that build whole events themselves (on hot paths, without the closure and spread
   * of `add`): the normalized recipient of `address`, or null after counting it as rejected.
   */
  recipient(address: unknown): string | null {
    const recipient = recipientAddress(address);
    if (recipient === null) this.rejected++;
    return recipient;
  }

  /** Adds an event built whole, its recipient from `recipient()` and its id from `stableId`. */
  push(event: CanonicalEvent): void {
    this.events.push(event);
  }

  /** A provider event that is not about deliverability (open, click, send, ...). */
  ignore(count = 1): void {
    this.ignored += count;
  }

  result(): ProviderParseResult {
    return { events: this.events, ignored: this.ignored, rejected: this.rejected };
  }
}
