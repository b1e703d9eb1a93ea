import { moneyToDollars, notionalCeil } from '../money.js';
import type { RebalancePlan, SymbolMarket } from './plan-types.js';

/** The rails' verdict on a plan: the most each order and the whole plan may spend or sell, in dollars. */
export interface RailsVerdict {
  /** Per order: the most it can trade for, dollars (a sell at the bid, a buy's whole desire at its cap). */
  readonly orders: readonly { readonly symbol: string; readonly side: 'buy' | 'sell'; readonly usd: number }[];
  readonly totalUsd: number;
  /** One line per rail broken; empty: the plan may be sent. */
  readonly refusals: readonly string[];
}

/**
 * Live trading's rails on a rebalance (pure), checked before anything is sent: each order against
 * maxNotionalPerOrder, as `execute` checks one order (at its arrival far side; a buy at its cap
 * for its whole desired quantity, the most re-sizing can ever send), and the plan's total
 * against maxRebalanceNotional.
 */
export function checkRebalanceRails(plan: RebalancePlan, markets: Readonly<Record<string, SymbolMarket>>, limits: { readonly maxNotionalPerOrder: number; readonly maxRebalanceNotional: number }): RailsVerdict {
  const orders = [
    ...plan.sells.map((o) => ({ symbol: o.symbol, side: o.side, usd: moneyToDollars(notionalCeil(o.qty, markets[o.symbol]!.quote.bid)) })),
    ...plan.buys.map((o) => ({ symbol: o.symbol, side: o.side, usd: moneyToDollars(notionalCeil(o.desiredQty, o.priceCap ?? markets[o.symbol]!.quote.ask)) })),
  ];
  const refusals: string[] = [];
  for (const o of orders) {
    if (o.usd > limits.maxNotionalPerOrder) refusals.push(`the ${o.side} of ${o.symbol} (${o.usd.toFixed(2)} USD) is above maxNotionalPerOrder ${limits.maxNotionalPerOrder}`);
  }
  const totalUsd = orders.reduce((s, o) => s + o.usd, 0);
  if (totalUsd > limits.maxRebalanceNotional) refusals.push(`the plan's orders add up to ${totalUsd.toFixed(2)} USD, above maxRebalanceNotional ${limits.maxRebalanceNotional}`);
  return { orders, totalUsd, refusals };
}
