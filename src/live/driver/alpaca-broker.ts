import { ApiError, type Alpaca } from '@alpacahq/alpaca-trade-api';
import { BrokerCallError, type BrokerPort } from './broker-port.js';
import { latestQuote, type StockFeed } from './alpaca-session.js';
import { priceToWire, qtyToWire } from './wire-format.js';

/**
 * Classifies an SDK failure for order safety (broker-port.ts). A transport failure reaches us as
 * the SDK's FetchError wrapping our TransportError, whose message names the URL.
 */
export function classifyBrokerError(err: unknown): BrokerCallError {
  if (err instanceof ApiError) {
    const s = err.status;
    const message = err.message || `HTTP ${s}`;
    if (s === 404) return new BrokerCallError('not-found', s, message, { cause: err });
    // Alpaca refuses a second order with a client id it already has: that order exists.
    if (s === 422 && /client_order_id must be unique/i.test(message)) return new BrokerCallError('duplicate', s, message, { cause: err });
    if (s === 408 || s === 429 || s >= 500) return new BrokerCallError('ambiguous', s, message, { cause: err });
    return new BrokerCallError('refused', s, message, { cause: err });
  }
  const cause = (err as { cause?: unknown } | null)?.cause;
  const message = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  return new BrokerCallError('ambiguous', null, message, { cause: err });
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw classifyBrokerError(err);
  }
}

/** The broker port over the SDK's order API (DAY orders, exact wire decimals). */
export function alpacaBroker(alpaca: Alpaca, symbol: string, feed: StockFeed): BrokerPort {
  const orders = alpaca.trading.orders;
  return {
    submit: (o) =>
      call(() => {
        const common = { symbol: o.symbol, side: o.side, qty: qtyToWire(o.qty), timeInForce: 'day' as const, clientOrderId: o.clientOrderId };
        return o.type === 'market' ? orders.market(common) : orders.limit({ ...common, limitPrice: priceToWire(o.limitPrice!), ...(o.extendedHours ? { extendedHours: true } : {}) });
      }),
    lookup: (clientOrderId) => call(() => orders.getOrderByClientOrderId({ clientOrderId })),
    cancel: (orderId) => call(async () => void (await orders.deleteOrderByOrderID({ orderId }))),
    replace: (orderId, o) =>
      call(() => orders.patchOrderByOrderId({ orderId, patchOrderRequest: { qty: qtyToWire(o.qty), limitPrice: o.limitPrice === null ? undefined : priceToWire(o.limitPrice), clientOrderId: o.clientOrderId } })),
    latestQuote: () => latestQuote(alpaca, symbol, feed),
  };
}
