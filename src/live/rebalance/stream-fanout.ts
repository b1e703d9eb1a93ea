import type { Quote } from '../../engine/quote.js';
import type { SymbolStreams } from '../driver/alpaca-streams.js';
import type { BrokerUpdate, MarketStreams } from '../driver/broker-port.js';
import type { RecordedTrade } from '../driver/execution-tape-recorder.js';

interface LegListeners {
  readonly symbol: string;
  /** `${executionId}:`: every client id of the leg starts with it. */
  readonly prefix: string;
  active: boolean;
  readonly update: ((u: BrokerUpdate) => void)[];
  readonly quote: ((q: Quote) => void)[];
  readonly trade: ((t: RecordedTrade) => void)[];
  readonly reconnect: (() => void)[];
}

/**
 * The legs of a rebalance on ONE trade-updates connection and ONE stock-stream connection (Alpaca
 * allows a single market-data websocket per account): each leg gets a MarketStreams view that
 * sees its own symbol's quotes and trades and the updates of its own client ids only. A leg's
 * `open` waits for the shared handshake (made once); its `close` only detaches it. The shared
 * connections stay up until `close()`, after the last leg.
 */
export class StreamFanout {
  private readonly legs: LegListeners[] = [];
  private opening: Promise<void> | null = null;

  constructor(private readonly shared: SymbolStreams) {
    shared.onUpdate((u) => {
      const id = u.order.clientOrderId ?? '';
      for (const l of this.legs) if (l.active && id.startsWith(l.prefix)) for (const fn of l.update) fn(u);
    });
    shared.onSymbolQuote((symbol, q) => {
      for (const l of this.legs) if (l.active && l.symbol === symbol) for (const fn of l.quote) fn(q);
    });
    shared.onSymbolTrade((symbol, t) => {
      for (const l of this.legs) if (l.active && l.symbol === symbol) for (const fn of l.trade) fn(t);
    });
    // A drop of the trade stream may have lost any leg's updates: every leg reconciles.
    shared.onReconnect(() => {
      for (const l of this.legs) if (l.active) for (const fn of l.reconnect) fn();
    });
  }

  /** Opens the shared connections once (a failure is every leg's failure: nothing was sent). */
  open(): Promise<void> {
    this.opening ??= this.shared.open();
    return this.opening;
  }

  /** The streams of one leg: `symbol`'s market data, and the updates of client ids `${executionId}:n`. */
  leg(symbol: string, executionId: string): MarketStreams {
    const l: LegListeners = { symbol, prefix: `${executionId}:`, active: true, update: [], quote: [], trade: [], reconnect: [] };
    this.legs.push(l);
    return {
      onUpdate: (fn) => void l.update.push(fn),
      onQuote: (fn) => void l.quote.push(fn),
      onTrade: (fn) => void l.trade.push(fn),
      onReconnect: (fn) => void l.reconnect.push(fn),
      open: () => this.open(),
      close: () => {
        l.active = false;
      },
    };
  }

  close(): void {
    for (const l of this.legs) l.active = false;
    this.shared.close();
  }
}
