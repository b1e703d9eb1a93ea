import { Alpaca } from '@alpacahq/alpaca-trade-api';
import type { Quote } from '../../engine/quote.js';
import type { EpochMs } from '../../engine/units.js';
import { endpointFetch, streamUrls } from '../alpaca-endpoint.js';
import type { BrokerCalendarDay } from './broker-windows.js';
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

/**
 * The SDK client, configured for order safety: no automatic retry at all (the SDK never retries a
 * POST /v2/orders anyway; the driver itself retries only lookups) and no client-side rate limit.
 */
export function createAlpaca(opts: AlpacaSessionOptions): Alpaca {
  return new Alpaca({
    keyId: opts.keyId,
    secret: opts.secret,
    paper: opts.paper,
    retry: false,
    rateLimit: false,
    timeoutMs: 10_000,
    ...(opts.endpoint !== undefined ? { fetchApi: endpointFetch(opts.endpoint) } : {}),
  });
}

export function tradingStream(alpaca: Alpaca, opts: AlpacaSessionOptions) {
  return alpaca.trading.stream({ ...(opts.endpoint !== undefined ? { url: streamUrls(opts.endpoint).trading } : {}), reconnect: true, initialReconnectMs: 100, maxReconnectMs: 2000 });
}

export function stockStream(alpaca: Alpaca, opts: AlpacaSessionOptions) {
  return alpaca.marketData.stockStream({ ...(opts.endpoint !== undefined ? { url: streamUrls(opts.endpoint, opts.feed).stocks } : {}), feed: opts.feed, reconnect: true, initialReconnectMs: 100, maxReconnectMs: 2000 });
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
