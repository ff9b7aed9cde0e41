import type { ParseResult, ProviderName } from '../core/event.js';
import type { Config } from '../config.js';

/** One webhook request as a plugin sees it: no framework objects, just bytes and headers. */
export interface WebhookRequest {
  method: string;
  /** The full URL the provider called (some schemes sign it). */
  url: string;
  headers: Headers;
  body: Uint8Array;
}

/** Effects a plugin may need while verifying, injected so tests can run without network. */
export interface ProviderDeps {
  /** Fetches a PEM certificate (SNS SigningCertURL); the URL has already been validated. */
  fetchCertificate(url: string): Promise<string>;
  now(): Date;
  /**
   * Claims a one-time value of a request (e.g. Mailgun's token) for the body it came with, in one
   * atomic step: true when the value was unused, or used before with this very body (a provider's
   * retry, whose events are duplicates), false when another body used it (a replay).
   */
  claimOnce(claim: OneTimeClaim): Promise<boolean>;
}

export interface OneTimeClaim {
  /** The value, namespaced by the plugin (`mailgun:<token>`). */
  key: string;
  /** A digest of the body that presents it. */
  digest: string;
  /** How long the claim must be kept: as long as the value could still pass verification. */
  ttlSeconds: number;
}

/** A handshake the route must complete besides storing events. */
export interface Handshake {
  /** GET this URL to confirm a subscription (SNS SubscriptionConfirmation). */
  confirmUrl?: string;
  /** Answer the provider with this JSON instead of the usual counts (Event Grid validation). */
  response?: unknown;
}

export interface ProviderParseResult extends ParseResult {
  handshake?: Handshake;
}

/**
 * A provider plugin. `verify` throws an HttpError (401/403) when the request is not authentic,
 * and fails closed when the provider's secret is not configured. `parse` is pure (asynchronous
 * only where a parser is, like MIME): it throws an HttpError 400 on a malformed body and
 * otherwise returns canonical events.
 */
export interface ProviderPlugin {
  name: ProviderName;
  /** Largest body accepted, in bytes (default: the webhook route's limit). */
  bodyLimit?: number;
  /**
   * The part of `verify` that needs no body (a bearer token), run before the body is read, so
   * that a request without the credentials never makes the Worker buffer up to `bodyLimit`.
   */
  precheck?(req: Omit<WebhookRequest, 'body'>, config: Config): void;
  verify(req: WebhookRequest, config: Config, deps: ProviderDeps): Promise<void>;
  /**
   * `receivedAt` (ISO 8601) is when the input arrived: the time of an event whose input carries
   * none (a raw email with no readable Date and no Received trace).
   */
  parse(body: Uint8Array, config: Config, receivedAt?: string): ProviderParseResult | Promise<ProviderParseResult>;
}
