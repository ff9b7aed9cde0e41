/**
 * Collects one input's canonical events for a provider plugin: normalizes each recipient (an
 * address that is not one is counted as rejected, SPEC §5), derives the stable id, and keeps one
 * event per id so an input that names a recipient twice stores it once.
 */
import { normalizeAddress } from '../../core/address.js';
import type { CanonicalEvent, ProviderName } from '../../core/event.js';
import { stableId } from '../../core/id.js';
import type { ProviderParseResult } from '../types.js';

export type EventFields = Omit<CanonicalEvent, 'id' | 'provider' | 'recipient'>;
export type IdParts = ReadonlyArray<string | number | null | undefined>;

export class EventCollector {
  readonly events: CanonicalEvent[] = [];
  ignored = 0;
  rejected = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly provider: ProviderName) {}

  /** `idParts` get the normalized recipient, so the id does not depend on how the address was spelled. */
  add(address: unknown, idParts: (recipient: string) => IdParts, fields: EventFields): void {
    const recipient = normalizeAddress(address);
    if (recipient === null) {
      this.rejected++;
      return;
    }
    const id = stableId(this.provider, idParts(recipient));
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.events.push({ id, provider: this.provider, recipient, ...fields });
  }

  ignore(n = 1): void {
    this.ignored += n;
  }

  result(): ProviderParseResult {
    return { events: this.events, ignored: this.ignored, rejected: this.rejected };
  }
}
