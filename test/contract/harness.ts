/**
 * The shape every provider's test harness has, so one contract suite (test/worker/contract.test.ts)
 * runs against every provider plugin. A harness lives in test/contract/providers/<provider>.ts,
 * default-exports a HarnessFactory, and is picked up by file name: adding a provider needs no
 * edit here.
 */
import type { AppDeps } from '../../src/app.js';
import type { ProviderName } from '../../src/core/event.js';

/** One row of labels.jsonl (shared/corpus/webhooks), with `file` relative to test/fixtures/<provider>/. */
export interface LabelEvent {
  type: string;
  recipient: string;
  class: string | null;
  reason: string | null;
  sender_caused: boolean | null;
  suppress: boolean;
  suppression_reason: string | null;
  reply_code: string | null;
  status: string | null;
}

export interface LabelRow {
  file: string;
  provider: ProviderName;
  invalid: boolean;
  ignored: number;
  events: LabelEvent[];
  ambiguous: boolean;
  notes?: string;
}

/** An HTTP request as the provider would send it. */
export interface ProviderRequest {
  /** Path and query on the Worker, e.g. `/webhooks/mailgun`. */
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface ProviderHarness {
  provider: ProviderName;
  /** Worker env entries that configure the provider (its secrets); without them it must refuse. */
  env: Record<string, string>;
  /** The labelled development samples this harness can replay (copied under test/fixtures). */
  labels: LabelRow[];
  /** The raw text of a labelled file. */
  fixture(file: string): string;
  /**
   * The signed request the provider would send carrying a labelled file's payload (signatures
   * are made with the harness's own secrets and the current time).
   */
  signed(file: string): Promise<ProviderRequest>;
  /** The same payload with a wrong signature or wrong credentials. */
  forged(file: string): Promise<ProviderRequest>;
  /** A correctly signed request whose body is not a valid payload (expect 400). */
  invalid(): Promise<ProviderRequest>;
  /** What /v1/inspect?provider=<name> takes for a labelled file (defaults to the file itself). */
  inspectBody?(file: string): string;
  /** Effects the Worker needs for this provider in tests (e.g. SNS certificates without network). */
  deps?: Partial<AppDeps>;
  /**
   * For a provider that signs a one-time value and not the events (Mailgun's token): the signed
   * request's one-time value presented with other events, which must be refused (401) while a
   * redelivery of the very same request is a duplicate.
   */
  replayedWithOtherEvents?(req: ProviderRequest): ProviderRequest;
}

/** What a file under test/contract/providers/ exports by default. */
export type HarnessFactory = () => Promise<ProviderHarness>;

/** Parses a labels.jsonl text. */
export function parseLabels(text: string): LabelRow[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LabelRow);
}

/** The fixtures bundled into the workerd tests (Vite inlines them: workerd has no file system). */
const FIXTURES = import.meta.glob<string>('../fixtures/**/*', { query: '?raw', import: 'default', eager: true });

/** Reads test/fixtures/<dir>/<file>. */
export function fixtureReader(dir: string): (file: string) => string {
  return (file) => {
    const text = FIXTURES[`../fixtures/${dir}/${file}`];
    if (text === undefined) throw new Error(`no fixture test/fixtures/${dir}/${file}`);
    return text;
  };
}
