import type { Money } from '../../engine/money.js';
import { QTY_SCALE, type Price, type Qty, type Side } from '../../engine/units.js';
import { TERMINAL_STATUSES, type EmuOrder } from './emu-order.js';
import type { Refusal } from './refusal.js';
import { formatWireQty } from './wire-units.js';

/**
 * Exact money of the emulated account: one unit is a price unit times a quantity unit
 * (1e-4 dollar x 1e-9 share = 1e-13 dollar), so a fill's notional (qty x price) is an integer
 * and cash moves by exactly what the fills say. BigInt: $100,000 is 1e18 units.
 */
export type NotionalUnits = bigint;

const QTY_SCALE_N = BigInt(QTY_SCALE);
/** Units per dollar (1e13). */
const UNITS_PER_DOLLAR = 10_000n * QTY_SCALE_N;

/**
 * How an account is checked.
 * - `cash`: Alpaca's checks at the door, as on a cash account: no short sales (a sell beyond the
 *   shares available is refused), buying power = cash minus what open buys reserve.
 * - `margin`: the emulator's original single-order account ($100,000, 2x buying power shown,
 *   shorting allowed, no checks), kept so existing single-symbol runs behave as they always did.
 */
export type AccountKind = 'cash' | 'margin';

/**
 * Alpaca values an opening market buy "2.5% to 4% above the current market price" (its order docs,
 * "Buying Power"); the emulator takes the top of that range, on the prevailing ask: a client that
 * passes here passes at Alpaca. A limit buy reserves its limit times its remaining quantity.
 */
export const MARKET_BUY_MARGIN_PCT = 4n;

export interface Holding {
  /** Signed quantity (negative only for a margin account's short). */
  readonly qty: Qty;
  /** Cost basis of the holding, signed as qty. */
  readonly cost: NotionalUnits;
}

export class EmuAccount {
  private cashUnits: NotionalUnits;
  private readonly holdings = new Map<string, Holding>();

  /**
   * @param cash opening cash, Money (1e-4 dollar)
   * @param positions opening long positions per symbol
   * @param openingPrice the cost basis price of an opening position (the emulator uses the mid of its first quote)
   */
  constructor(
    readonly kind: AccountKind,
    cash: Money,
    positions: Readonly<Record<string, Qty>> = {},
    openingPrice: (symbol: string) => Price = () => 0,
  ) {
    this.cashUnits = BigInt(cash) * QTY_SCALE_N;
    for (const [symbol, qty] of Object.entries(positions)) {
      if (qty !== 0) this.holdings.set(symbol, { qty, cost: BigInt(qty) * BigInt(openingPrice(symbol)) });
    }
  }

  /** Cash in exact units. */
  cash(): NotionalUnits {
    return this.cashUnits;
  }

  /** Cash in dollars (a double: for display and valuations only). */
  cashDollars(): number {
    return unitsToDollars(this.cashUnits);
  }

  holding(symbol: string): Holding {
    return this.holdings.get(symbol) ?? { qty: 0, cost: 0n };
  }

  /** Symbols with a non-zero position, in symbol order (Alpaca lists positions in no promised order). */
  heldSymbols(): string[] {
    return [...this.holdings.entries()].filter(([, h]) => h.qty !== 0).map(([s]) => s).sort();
  }

  /**
   * One fill: cash moves by exactly qty x price; the position by qty. The cost basis follows
   * Alpaca's average-cost rule: what adds to a position adds its notional, what reduces it takes
   * its share of the cost away (the average entry price is unchanged), and a fill through zero
   * opens the rest at the fill price.
   */
  applyFill(symbol: string, side: Side, qty: Qty, price: Price): Holding {
    const signed = side === 'buy' ? qty : -qty;
    this.cashUnits -= BigInt(signed) * BigInt(price);
    const h = this.holding(symbol);
    const next = h.qty + signed;
    let cost: NotionalUnits;
    if (h.qty === 0 || Math.sign(h.qty) === Math.sign(signed)) cost = h.cost + BigInt(signed) * BigInt(price);
    else if (Math.sign(next) === Math.sign(h.qty)) cost = h.cost - (h.cost * BigInt(qty)) / BigInt(Math.abs(h.qty));
    else cost = BigInt(next) * BigInt(price);
    const updated: Holding = { qty: next, cost: next === 0 ? 0n : cost };
    this.holdings.set(symbol, updated);
    return updated;
  }

  /** Shares of `symbol` a new sell may take: held minus what open sells already hold. */
  sellAvailable(symbol: string, open: readonly EmuOrder[]): Qty {
    const held = this.holding(symbol).qty;
    const heldForOrders = heldForSells(symbol, open);
    return Math.max(0, held - heldForOrders);
  }

  /**
   * Buying power: cash minus what every open buy reserves (a limit buy at its limit, a market buy
   * at the prevailing ask plus MARKET_BUY_MARGIN_PCT), never below zero. Sells do not add to it
   * until they fill, as at Alpaca. A margin account shows twice its cash, as before.
   */
  buyingPower(open: readonly EmuOrder[], ask: (symbol: string) => Price | null): NotionalUnits {
    if (this.kind === 'margin') return this.cashUnits > 0n ? 2n * this.cashUnits : 0n;
    let reserved = 0n;
    for (const o of working(open)) if (o.side === 'buy') reserved += buyReserve(o.qty - o.filledQty, o.limitPrice, ask(o.symbol)) ?? 0n;
    const bp = this.cashUnits - reserved;
    return bp > 0n ? bp : 0n;
  }

  /**
   * Alpaca's checks of a new order at the door (cash account only), or null when it passes.
   * `open` are the other orders still working (a replace passes the others than the one it replaces).
   */
  check(order: { readonly symbol: string; readonly side: Side; readonly qty: Qty; readonly limitPrice: Price | null }, open: readonly EmuOrder[], ask: (symbol: string) => Price | null): Refusal | null {
    if (this.kind === 'margin') return null;
    if (order.side === 'sell') {
      const available = this.sellAvailable(order.symbol, open);
      if (order.qty <= available) return null;
      return {
        status: 403,
        code: 40310000,
        message: `insufficient qty available for order (requested: ${formatWireQty(order.qty)}, available: ${formatWireQty(available)})`,
        extra: { available: formatWireQty(available), existing_qty: formatWireQty(this.holding(order.symbol).qty), held_for_orders: formatWireQty(heldForSells(order.symbol, open)), symbol: order.symbol },
      };
    }
    const cost = buyReserve(order.qty, order.limitPrice, ask(order.symbol));
    const bp = this.buyingPower(open, ask);
    // A market buy with no quote yet cannot be valued: refused, never accepted blind.
    if (cost !== null && cost <= bp) return null;
    return { status: 403, code: 40310000, message: 'insufficient buying power', extra: { buying_power: formatDollars(bp, 'floor'), cost_basis: cost === null ? null : formatDollars(cost, 'ceil') } };
  }
}

/** Orders still working; an order being replaced is stood in for by its replacement (counted once). */
function working(open: readonly EmuOrder[]): EmuOrder[] {
  return open.filter((o) => !TERMINAL_STATUSES.has(o.status) && o.status !== 'pending_replace');
}

function heldForSells(symbol: string, open: readonly EmuOrder[]): Qty {
  let held = 0;
  for (const o of working(open)) if (o.side === 'sell' && o.symbol === symbol) held += o.qty - o.filledQty;
  return held;
}

/** What a buy of `qty` reserves: at its limit, or (market) at the ask plus the margin; null when a market buy has no ask. */
export function buyReserve(qty: Qty, limit: Price | null, ask: Price | null): NotionalUnits | null {
  if (limit !== null) return BigInt(qty) * BigInt(limit);
  if (ask === null || ask <= 0) return null;
  const base = BigInt(qty) * BigInt(ask);
  return base + (base * MARKET_BUY_MARGIN_PCT + 99n) / 100n;
}

export function unitsToDollars(u: NotionalUnits): number {
  const whole = u / UNITS_PER_DOLLAR;
  return Number(whole) + Number(u - whole * UNITS_PER_DOLLAR) / Number(UNITS_PER_DOLLAR);
}

/** Dollars with two decimals as Alpaca's account strings: rounded half away from zero, or down / up when a bound must hold. */
export function formatDollars(u: NotionalUnits, mode: 'round' | 'floor' | 'ceil' = 'round'): string {
  const cent = UNITS_PER_DOLLAR / 100n;
  const neg = u < 0n;
  const abs = neg ? -u : u;
  let cents = abs / cent;
  const rest = abs % cent;
  const up = mode === 'round' ? rest * 2n >= cent : rest > 0n && (mode === 'ceil') !== neg;
  if (up) cents += 1n;
  const text = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  return neg && cents > 0n ? `-${text}` : text;
}
