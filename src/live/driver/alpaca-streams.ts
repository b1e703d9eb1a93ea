import type { Alpaca, streaming } from '@alpacahq/alpaca-trade-api';
import { WebSocket } from 'ws';
import type { Quote } from '../../engine/quote.js';
import { streamUrls } from '../alpaca-endpoint.js';
import type { AlpacaSessionOptions } from './alpaca-session.js';
import { StreamUnavailableError, type BrokerUpdate, type MarketStreams } from './broker-port.js';
import type { RecordedTrade } from './execution-tape-recorder.js';
import { wireToPrice } from './wire-format.js';

/** Time and retry budget of the stream handshakes (DESIGN.md: every handshake has both). */
export interface StreamBudget {
  /** One websocket upgrade + authentication, wall ms. */
  readonly handshakeTimeoutMs: number;
  /** Attempts before giving up (nothing has been sent then). */
  readonly attempts: number;
  readonly backoffMs: number;
}

export const DEFAULT_STREAM_BUDGET: StreamBudget = { handshakeTimeoutMs: 3_000, attempts: 3, backoffMs: 200 };

type Listener<T> = (x: T) => void;

/**
 * The streams of several symbols over ONE stock-stream connection (Alpaca allows one market-data
 * websocket per account): each quote and trade also comes with its symbol, for a fan-out.
 */
export interface SymbolStreams extends MarketStreams {
  onSymbolQuote(fn: (symbol: string, q: Quote) => void): void;
  onSymbolTrade(fn: (symbol: string, t: RecordedTrade) => void): void;
}

/**
 * The trade_updates and stock streams of one execution over the SDK. Every websocket upgrade,
 * including the SDK's own reconnects after a drop, has a handshake timeout (the `ws` option the
 * SDK's default socket factory leaves unset: an upgrade that is never answered would hang
 * forever); opening authenticates both streams within the budget, or fails naming the URL.
 */
export function alpacaStreams(alpaca: Alpaca, opts: AlpacaSessionOptions, symbol: string | readonly string[], budget: StreamBudget = DEFAULT_STREAM_BUDGET): SymbolStreams {
  const symbols = typeof symbol === 'string' ? [symbol] : [...symbol];
  const onUpdate: Listener<BrokerUpdate>[] = [];
  const onQuote: ((symbol: string, q: Quote) => void)[] = [];
  const onTrade: ((symbol: string, t: RecordedTrade) => void)[] = [];
  const onReconnect: Listener<void>[] = [];
  const urls = opts.endpoint !== undefined ? streamUrls(opts.endpoint, opts.feed) : null;
  const wsFactory: streaming.WebSocketFactory = (url, codec) =>
    new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: budget.handshakeTimeoutMs,
      ...(codec === 'msgpack' ? { headers: { 'Content-Type': 'application/msgpack' } } : {}),
    }) as unknown as streaming.WebSocketLike;
  const reconnect = { reconnect: true, initialReconnectMs: 100, maxReconnectMs: 2000, maxReconnectAttempts: 20, wsFactory };
  let trades: streaming.TradingStream | null = null;
  let stocks: streaming.StockDataStream | null = null;

  const build = (): [streaming.TradingStream, streaming.StockDataStream] => {
    const t = alpaca.trading.stream({ ...(urls !== null ? { url: urls.trading } : {}), ...reconnect });
    const s = alpaca.marketData.stockStream({ ...(urls !== null ? { url: urls.stocks } : {}), feed: opts.feed, ...reconnect });
    let authenticatedOnce = false;
    t.onTradeUpdate((u) => {
      const fillPrice = u.event === 'fill' || u.event === 'partial_fill' ? wireToPrice(u.price) : null;
      const executedAt = u.timestamp?.getTime();
      const update: BrokerUpdate = { event: u.event, order: u.order, fillPrice, ...(executedAt !== undefined ? { executedAt } : {}) };
      for (const fn of onUpdate) fn(update);
    });
    t.onConnect(() => {
      t.subscribeTradeUpdates();
      // A reconnect may have lost updates: the driver reconciles every open order through REST.
      if (authenticatedOnce) for (const fn of onReconnect) fn();
      authenticatedOnce = true;
    });
    s.onConnect(() => {
      s.subscribeForQuotes(symbols);
      s.subscribeForTrades(symbols);
    });
    s.onQuote((q) => {
      const bid = wireToPrice(q.bidPrice);
      const ask = wireToPrice(q.askPrice);
      if (bid === null || ask === null) return;
      const quote: Quote = { time: q.timestamp?.getTime() ?? Date.now(), bid, ask, bidSize: Number(q.bidSize), askSize: Number(q.askSize) };
      for (const fn of onQuote) fn(q.symbol, quote);
    });
    s.onTrade((tr) => {
      const price = wireToPrice(tr.price);
      if (price !== null) for (const fn of onTrade) fn(tr.symbol, { time: tr.timestamp?.getTime() ?? Date.now(), price, size: Number(tr.size) });
    });
    return [t, s];
  };

  const close = (): void => {
    trades?.disconnect();
    stocks?.disconnect();
    trades = null;
    stocks = null;
  };

  return {
    onUpdate: (fn) => void onUpdate.push(fn),
    onQuote: (fn) => void onQuote.push((_s, q) => fn(q)),
    onTrade: (fn) => void onTrade.push((_s, t) => fn(t)),
    onSymbolQuote: (fn) => void onQuote.push(fn),
    onSymbolTrade: (fn) => void onTrade.push(fn),
    onReconnect: (fn) => void onReconnect.push(() => fn()),
    close,
    async open() {
      const where = urls === null ? 'Alpaca streams' : `${urls.trading} and ${urls.stocks}`;
      let last = '';
      for (let attempt = 1; attempt <= budget.attempts; attempt++) {
        [trades, stocks] = build();
        trades.connect();
        stocks.connect();
        // The wait covers the upgrade (bounded by its own timeout) plus the authentication frames.
        const wait = budget.handshakeTimeoutMs + 1_000;
        const [a, b] = await Promise.all([trades.waitForAuthenticationResult(wait), stocks.waitForAuthenticationResult(wait)]);
        if (a.authenticated && b.authenticated) return;
        close();
        const rejected = [a, b].find((r) => r.status === 'server_rejected');
        // Bad keys are not retried: the answer would not change.
        if (rejected !== undefined) throw new StreamUnavailableError(`stream authentication refused by ${where} (${rejected.message})`);
        last = [a, b].filter((r) => !r.authenticated).map((r) => r.message).join('; ');
        if (attempt < budget.attempts) await new Promise((r) => setTimeout(r, budget.backoffMs * attempt));
      }
      throw new StreamUnavailableError(`cannot open the streams at ${where}: ${last} (${budget.attempts} attempts of ${budget.handshakeTimeoutMs} ms)`);
    },
  };
}
