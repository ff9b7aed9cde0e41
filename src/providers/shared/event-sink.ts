/**
 * Collects the canonical events of one webhook input in payload order, with the counts SPEC §1
 * answers with. Recipients are normalized here, once, so every provider rejects non-addresses
 * the same way (SPEC §5: counted, never stored).
 */
import type { CanonicalEvent, ParseResult, ProviderName } from '../../core/event.js';
import { normalizeAddress } from '../../core/address.js';
import { stableId } from '../../core/id.js';

/** Everything of an event except what the sink derives (id, provider, recipient). */
export type EventFields = Omit<CanonicalEvent, 'id' | 'provider' | 'recipient'>;

type IdPart = string | number | null | undefined;

export class EventSink {
  private readonly events: CanonicalEvent[] = [];
  private ignored = 0;
  private rejected = 0;

  constructor(private readonly provider: ProviderName) {}

  /**
   * Adds one event for `address`, or counts a rejected recipient. `idParts` gets the normalized
   * recipient so that an id built from a provider event id still differs per recipient.
   * Repeats are kept: the store counts them as duplicates, and /v1/inspect shows what came in.
   */
  add(address: unknown, idParts: (recipient: string) => IdPart[], fields: EventFields): void {
    const recipient = normalizeAddress(address);
    if (recipient === null) {
      this.rejected++;
      return;
    }
    this.events.push({ id: stableId(this.provider, idParts(recipient)), provider: this.provider, recipient, ...fields });
  }

  /** A provider event that is not about deliverability (open, click, send, ...). */
  ignore(count = 1): void {
    this.ignored += count;
  }

  result(): ParseResult {
    return { events: this.events, ignored: this.ignored, rejected: this.rejected };
  }
}
