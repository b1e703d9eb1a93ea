import type { Quote } from '../../engine/quote.js';
import type { EpochMs, Price, Qty, Side } from '../../engine/units.js';
import type { BrokerOrder } from './order-tracker.js';
import type { RecordedTrade } from './execution-tape-recorder.js';

/**
 * The ports the live driver runs on: the broker's order REST calls, its streams, and two clocks.
 * The Alpaca adapters (alpaca-broker.ts, alpaca-streams.ts) implement them over the SDK; the
 * interleaving tests implement them with fast-check's scheduler.
 */

/**
 * How a broker call failed, as far as order safety is concerned:
 * - `not-found`: the broker does not know the order (404). For a lookup, one miss is not proof.
 * - `duplicate`: a POST refused because the client order id is taken: that order EXISTS.
 * - `refused`: any other definite answer (4xx): the request was processed and had no effect.
 * - `ambiguous`: transport error, timeout, 408, 429 or 5xx: it may or may not have been processed.
 */
export type BrokerFailureKind = 'not-found' | 'duplicate' | 'refused' | 'ambiguous';

export class BrokerCallError extends Error {
  override readonly name = 'BrokerCallError';
  constructor(
    readonly kind: BrokerFailureKind,
    /** HTTP status, or null for a transport error or timeout. */
    readonly status: number | null,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A child order as POSTed (wire conversion is the adapter's job). */
export interface SubmitOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: 'market' | 'limit';
  readonly qty: Qty;
  /** Null for market orders. */
  readonly limitPrice: Price | null;
  /** Outside regular hours (DAY limit orders only). */
  readonly extendedHours: boolean;
}

/** A replace (PATCH) of a working order: the new client id, the quantity and limit it works. */
export interface ReplaceOrder {
  readonly clientOrderId: string;
  readonly qty: Qty;
  readonly limitPrice: Price | null;
}

/**
 * The broker's order REST calls. Each resolves with the broker's answer or rejects with a
 * BrokerCallError; each is bounded in time by the transport (a timeout), never retried inside.
 */
export interface BrokerPort {
  /** POST /v2/orders. */
  submit(order: SubmitOrder): Promise<BrokerOrder>;
  /** GET /v2/orders:by_client_order_id. */
  lookup(clientOrderId: string): Promise<BrokerOrder>;
  /** DELETE /v2/orders/{id}: the cancel is requested (its confirmation comes as the order's status). */
  cancel(orderId: string): Promise<void>;
  /** PATCH /v2/orders/{id}: answers the NEW order. */
  replace(orderId: string, order: ReplaceOrder): Promise<BrokerOrder>;
  /** The latest quote over REST (the fallback when the stream is quiet); null when there is none or the call failed. */
  latestQuote(): Promise<Quote | null>;
}

/** One trade_updates message, in internal units. */
export interface BrokerUpdate {
  readonly event: string;
  readonly order: BrokerOrder;
  /** The fill's own price on fill / partial_fill. */
  readonly fillPrice: Price | null;
  readonly executedAt?: EpochMs;
}

/** The trade-update and market-data streams. */
export interface MarketStreams {
  onUpdate(fn: (u: BrokerUpdate) => void): void;
  onQuote(fn: (q: Quote) => void): void;
  onTrade(fn: (t: RecordedTrade) => void): void;
  /** The trade stream came back after a drop: updates may have been lost meanwhile. */
  onReconnect(fn: () => void): void;
  /**
   * Connects and authenticates both streams, each handshake within a timeout and a bounded number
   * of attempts. Rejects with StreamUnavailableError (naming the URL) when it cannot.
   */
  open(): Promise<void>;
  close(): void;
}

export class StreamUnavailableError extends Error {
  override readonly name = 'StreamUnavailableError';
}

/** Wall time for deadlines and backoff (monotonic ms). */
export interface WallClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const REAL_WALL_CLOCK: WallClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The venue clock of an execution (the engine's time) with its timers. */
export interface DriverClock {
  /** Venue time, epoch ms. */
  now(): EpochMs;
  /** Calls `fn` once venue time reaches `at`. */
  setTimer(at: EpochMs, fn: () => void): void;
  /** Calls `fn` every `wallMs` wall milliseconds until the returned function is called. */
  every(wallMs: number, fn: () => void): () => void;
  /** Wall milliseconds for a venue duration. */
  wallMs(venueMs: number): number;
  cancelAll(): void;
}

/** Broker statuses after which an order can neither fill nor be cancelled any more. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['filled', 'canceled', 'expired', 'rejected', 'replaced', 'done_for_day', 'stopped', 'suspended']);
