import { Alpaca, ApiError } from '@alpacahq/alpaca-trade-api';
import type { Quote } from '../../engine/quote.js';
import type { EpochMs } from '../../engine/units.js';
import { endpointFetch } from '../alpaca-endpoint.js';
import { timedFetch } from './timed-fetch.js';
import type { BrokerCalendarDay } from './broker-calendar-windows.js';
import { wireToPrice } from './wire-format.js';

export type StockFeed = 'iex' | 'sip';

export interface AlpacaSessionOptions {
  readonly keyId: string;
  readonly secret: string;
  /** Paper (default) or live trading hosts. */
  readonly paper: boolean;
  /** One base URL for trading, data and streams (the loopback emulator); default: Alpaca's hosts. */
  readonly endpoint?: string;
  readonly feed: StockFeed;
}

/** Thrown by the live adapter; the message never contains the API keys. */
export class LiveDriverError extends Error {
  override readonly name = 'LiveDriverError';
}

/** Deadline of one REST exchange (connect, answer and body), wall ms. */
export const REST_TIMEOUT_MS = 5_000;

/**
 * The SDK client, configured for order safety: no automatic retry at all (the SDK never retries a
 * POST /v2/orders anyway; the broker gateway decides every retry) and no client-side rate limit.
 * The SDK's own timeout is off (`timeoutMs: 0`): its timer outlives bodiless answers (a cancel's
 * 204) by the whole timeout; timedFetch bounds every exchange instead and names the URL on failure.
 */
export function createAlpaca(opts: AlpacaSessionOptions, timeoutMs = REST_TIMEOUT_MS): Alpaca {
  const timed = timedFetch(timeoutMs);
  return new Alpaca({
    keyId: opts.keyId,
    secret: opts.secret,
    paper: opts.paper,
    retry: false,
    rateLimit: false,
    timeoutMs: 0,
    fetchApi: opts.endpoint !== undefined ? endpointFetch(opts.endpoint, timed) : timed,
  });
}

export async function brokerNow(alpaca: Alpaca): Promise<EpochMs> {
  return (await alpaca.trading.clock.legacyClock()).timestamp.getTime();
}

export async function brokerCalendar(alpaca: Alpaca, now: EpochMs): Promise<BrokerCalendarDay[]> {
  const day = new Date(now);
  const days = await alpaca.trading.calendar.legacyCalendar({ start: day, end: day });
  return days.map((d) => ({ date: d.date instanceof Date ? d.date.toISOString().slice(0, 10) : String(d.date).slice(0, 10), open: d.open, close: d.close }));
}

/** The REST latest quote (the fallback when the stream is silent), or null when there is none. */
export async function latestQuote(alpaca: Alpaca, symbol: string, feed: StockFeed): Promise<Quote | null> {
  try {
    const r = await alpaca.marketData.stocks.stockLatestQuoteSingle({ symbol, feed });
    const q = r.quote;
    const bid = wireToPrice(q.bp);
    const ask = wireToPrice(q.ap);
    if (bid === null || ask === null) return null;
    return { time: new Date(q.t).getTime(), bid, ask, bidSize: Number(q.bs), askSize: Number(q.as) };
  } catch {
    return null;
  }
}

/**
 * A setup read (clock, calendar) with a few retries: it is a safe GET, and one 5xx, 429 or
 * dropped connection should not stop an execution before it starts. Throws a LiveDriverError
 * naming `where` and the reason; `refused` is true when the broker answered 401/403 (keys).
 */
export async function brokerRead<T>(where: string, read: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      const status = err instanceof ApiError ? err.status : null;
      const retryable = status === null || status === 408 || status === 429 || status >= 500;
      if (!retryable || attempt >= attempts) throw new BrokerUnavailable(where, err);
      await new Promise((r) => setTimeout(r, Math.min(400, 50 * 2 ** attempt)));
    }
  }
}

/** The broker could not be used before anything was sent; the message names the endpoint. */
export class BrokerUnavailable extends LiveDriverError {
  /** 401/403: the keys were refused. */
  readonly refused: boolean;
  constructor(where: string, err: unknown) {
    const status = err instanceof ApiError ? err.status : null;
    // A transport failure reaches us as the SDK's FetchError around our TransportError (which names the URL).
    const cause = (err as { cause?: unknown } | null)?.cause;
    const why = status !== null ? `answered ${status} ${err instanceof Error ? err.message : ''}`.trim() : cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
    super(status !== null ? `the broker at ${where} ${why}` : `cannot reach the broker at ${where}: ${why}`, { cause: err });
    this.refused = status === 401 || status === 403;
  }
}
