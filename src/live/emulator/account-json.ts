import { QTY_SCALE } from '../../engine/units.js';
import { formatDollars, unitsToDollars, type NotionalUnits } from './account.js';
import { assetJson } from './alpaca-json.js';
import type { Venue } from './venue.js';
import { formatWireQty } from './wire-units.js';

/**
 * GET /v2/account and /v2/positions bodies, from the venue's one account over every symbol.
 * Money fields are Alpaca's decimal strings with two places; quantities exact.
 */

/** Twice the mid of `symbol`'s prevailing quote (an integer, so a half-unit mid stays exact), or 0 before any quote. */
function twiceMid(venue: Venue, symbol: string): number {
  const qi = venue.currentQuoteIndex(symbol);
  const q = venue.tapeOf(symbol)?.quotes;
  return q === undefined || qi < 0 ? 0 : q.bid[qi]! + q.ask[qi]!;
}

/** A position's value at the prevailing mid, in exact units. */
function marketValueUnits(venue: Venue, symbol: string): NotionalUnits {
  return (BigInt(venue.account.holding(symbol).qty) * BigInt(twiceMid(venue, symbol))) / 2n;
}

/** Cash plus every position at its mid: the account's equity. */
export function equityUnits(venue: Venue): NotionalUnits {
  let e = venue.account.cash();
  for (const s of venue.account.heldSymbols()) e += marketValueUnits(venue, s);
  return e;
}

export function accountJson(venue: Venue, accountId: string, lastEquity: NotionalUnits): Record<string, unknown> {
  const acct = venue.account;
  let long = 0n;
  let short = 0n;
  for (const s of acct.heldSymbols()) {
    const mv = marketValueUnits(venue, s);
    if (mv > 0n) long += mv;
    else short += mv;
  }
  const equity = formatDollars(equityUnits(venue));
  const cash = acct.cash();
  const positive = cash > 0n ? cash : 0n;
  const bp = acct.buyingPower(venue.openOrders(), (s) => venue.askNow(s));
  const margin = acct.kind === 'margin';
  // A cash account's buying power is a bound (rounded down); the margin account's shows as it always did.
  const bpText = formatDollars(bp, margin ? 'round' : 'floor');
  return {
    id: accountId,
    account_number: 'EMU000001',
    status: 'ACTIVE',
    crypto_status: 'INACTIVE',
    currency: 'USD',
    cash: formatDollars(cash),
    buying_power: bpText,
    regt_buying_power: bpText,
    // A cash account does not day-trade on margin; the margin account shows 4x its cash, as before.
    daytrading_buying_power: margin ? formatDollars(4n * positive) : '0',
    non_marginable_buying_power: margin ? formatDollars(positive) : bpText,
    equity,
    last_equity: formatDollars(lastEquity),
    portfolio_value: equity,
    long_market_value: formatDollars(long),
    short_market_value: formatDollars(short),
    initial_margin: '0',
    maintenance_margin: '0',
    multiplier: margin ? '2' : '1',
    pattern_day_trader: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    shorting_enabled: margin,
    trade_suspended_by_user: false,
    daytrade_count: 0,
    sma: '0',
    created_at: '2020-01-01T00:00:00Z',
  };
}

/** One position, Alpaca's shape; `qty_available` is what a new sell may still take (held minus open sells). */
export function positionJson(venue: Venue, symbol: string): Record<string, unknown> {
  const h = venue.account.holding(symbol);
  const shares = h.qty / QTY_SCALE;
  const avg = unitsToDollars(h.cost) / shares; // dollars
  const mark = twiceMid(venue, symbol) / 2 / 10_000; // dollars
  const available = venue.account.kind === 'margin' ? h.qty : venue.account.sellAvailable(symbol, venue.openOrders());
  const pl = shares * (mark - avg);
  const plpc = avg === 0 ? '0' : String((mark - avg) / avg);
  return {
    asset_id: assetJson(symbol)['id'],
    symbol,
    exchange: 'NASDAQ',
    asset_class: 'us_equity',
    asset_marginable: true,
    qty: formatWireQty(h.qty),
    qty_available: formatWireQty(available),
    avg_entry_price: String(Math.round(avg * 10_000) / 10_000),
    side: shares > 0 ? 'long' : 'short',
    market_value: formatDollars(marketValueUnits(venue, symbol)),
    cost_basis: formatDollars(h.cost),
    unrealized_pl: pl.toFixed(2),
    unrealized_plpc: plpc,
    unrealized_intraday_pl: pl.toFixed(2),
    unrealized_intraday_plpc: plpc,
    current_price: String(Math.round(mark * 10_000) / 10_000),
    lastday_price: String(Math.round(mark * 10_000) / 10_000),
    change_today: '0',
  };
}

/** GET /v2/positions: every non-zero position, in symbol order. */
export function positionsJson(venue: Venue): Record<string, unknown>[] {
  return venue.account.heldSymbols().map((s) => positionJson(venue, s));
}
