import type { Money } from '../money.js';
import { QTY_SCALE, type Qty } from '../units.js';
import type { RebalanceLeg, RebalanceState } from './machine-types.js';

const SCALE = BigInt(QTY_SCALE);

/** What a buy leg has paid so far, rounded up (Money). */
export function paidBy(leg: RebalanceLeg): Money {
  const q = leg.notional / SCALE;
  return Number(leg.notional % SCALE > 0n ? q + 1n : q);
}

/** What a sell leg has raised so far, rounded down (Money). */
export function raisedBy(leg: RebalanceLeg): Money {
  return Number(leg.notional / SCALE);
}

/**
 * The cash balance now: the cash before, plus what the sells raised (rounded down), minus what the
 * buys paid (rounded up). Rounding against us keeps it at or below the broker's balance.
 */
export function cashOf(state: RebalanceState): Money {
  return state.legs.reduce((cash, leg) => (leg.side === 'sell' ? cash + raisedBy(leg) : cash - paidBy(leg)), state.cashBefore);
}

/** Cash still promised to running buys: what each reserved and has not paid yet. */
export function outstandingOf(state: RebalanceState): Money {
  return state.legs.reduce((sum, leg) => (leg.side === 'buy' && leg.status === 'running' ? sum + Math.max(0, leg.reserved - paidBy(leg)) : sum), 0);
}

/** Positions now: those before, plus what the buys filled, minus what the sells filled. */
export function positionsOf(state: RebalanceState): Record<string, Qty> {
  const out: Record<string, Qty> = { ...state.positionsBefore };
  for (const leg of state.legs) out[leg.symbol] = (out[leg.symbol] ?? 0) + (leg.side === 'buy' ? leg.filledQty : -leg.filledQty);
  return out;
}
