import { randomUUID } from 'node:crypto';
import { nextTradingDays, tradingSession } from '../../engine/calendar.js';
import { addDays, etDateOf } from '../../engine/et-time.js';
import { isRegularHours } from '../../engine/trading-day-windows.js';
import { QTY_SCALE } from '../../engine/units.js';
import { assetJson, isoEt, isoUtc } from './alpaca-json.js';
import { fail, json, type Reply } from './rest-reply.js';
import type { Venue } from './venue.js';
import { formatWireQty, priceToWireNumber } from './wire-units.js';

/** Account, positions, clock, calendar and latest quote (docs/ALPACA-WIRE.md), from venue state. */
export function infoRoutes(venue: Venue) {
  // Alpaca account ids are UUIDs; clients that parse them must get one.
  const accountId = randomUUID();
  return { account, positions, clock, calendar, latestQuote };

  function account(): Record<string, unknown> {
    const equity = venue.cash + marketValue();
    const money = (x: number): string => x.toFixed(2);
    return {
      id: accountId,
      account_number: 'EMU000001',
      status: 'ACTIVE',
      crypto_status: 'INACTIVE',
      currency: 'USD',
      cash: money(venue.cash),
      buying_power: money(Math.max(0, venue.cash) * 2),
      regt_buying_power: money(Math.max(0, venue.cash) * 2),
      daytrading_buying_power: money(Math.max(0, venue.cash) * 4),
      non_marginable_buying_power: money(Math.max(0, venue.cash)),
      equity: money(equity),
      last_equity: money(100_000),
      portfolio_value: money(equity),
      long_market_value: money(Math.max(0, marketValue())),
      short_market_value: money(Math.min(0, marketValue())),
      initial_margin: '0',
      maintenance_margin: '0',
      multiplier: '2',
      pattern_day_trader: false,
      trading_blocked: false,
      transfers_blocked: false,
      account_blocked: false,
      shorting_enabled: true,
      trade_suspended_by_user: false,
      daytrade_count: 0,
      sma: '0',
      created_at: '2020-01-01T00:00:00Z',
    };
  }

  function markPrice(): number {
    const qi = venue.currentQuoteIndex();
    const q = venue.tape.quotes;
    return qi < 0 ? 0 : (q.bid[qi]! + q.ask[qi]!) / 2;
  }

  function marketValue(): number {
    return ((venue.positionQty / QTY_SCALE) * markPrice()) / 10_000;
  }

  function positions(): unknown[] {
    if (venue.positionQty === 0) return [];
    const shares = venue.positionQty / QTY_SCALE;
    const avg = venue.positionCost / shares; // price units
    const mark = markPrice();
    return [
      {
        asset_id: assetJson(venue.tape.symbol)['id'],
        symbol: venue.tape.symbol,
        exchange: 'NASDAQ',
        asset_class: 'us_equity',
        asset_marginable: true,
        qty: formatWireQty(venue.positionQty),
        qty_available: formatWireQty(venue.positionQty),
        avg_entry_price: String(Math.round(avg) / 10_000),
        side: shares > 0 ? 'long' : 'short',
        market_value: ((shares * mark) / 10_000).toFixed(2),
        cost_basis: (venue.positionCost / 10_000).toFixed(2),
        unrealized_pl: ((shares * (mark - avg)) / 10_000).toFixed(2),
        unrealized_plpc: avg === 0 ? '0' : String((mark - avg) / avg),
        unrealized_intraday_pl: ((shares * (mark - avg)) / 10_000).toFixed(2),
        unrealized_intraday_plpc: avg === 0 ? '0' : String((mark - avg) / avg),
        current_price: String(Math.round(mark) / 10_000),
        lastday_price: String(Math.round(mark) / 10_000),
        change_today: '0',
      },
    ];
  }

  function clock(): Record<string, unknown> {
    const now = venue.now();
    const today = etDateOf(now);
    const sessions = [today, ...nextTradingDays(addDays(today, 1), 2)].map(tradingSession);
    const opens = sessions.flatMap((s) => (s.isOpen ? [s] : []));
    const nextOpen = opens.find((s) => s.openTime > now);
    const nextClose = opens.find((s) => s.closeTime > now);
    return {
      timestamp: isoEt(now),
      is_open: isRegularHours(now, venue.windows) && today === venue.tape.date,
      next_open: nextOpen === undefined ? null : isoEt(nextOpen.openTime),
      next_close: nextClose === undefined ? null : isoEt(nextClose.closeTime),
    };
  }

  function calendar(url: URL): Reply {
    const start = url.searchParams.get('start') ?? venue.tape.date;
    const end = url.searchParams.get('end') ?? start;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start.slice(0, 10)) || !/^\d{4}-\d{2}-\d{2}$/.test(end.slice(0, 10))) return fail(422, 40010000, 'invalid start or end date');
    const days: unknown[] = [];
    for (let d = start.slice(0, 10); d <= end.slice(0, 10) && days.length < 400; d = addDays(d, 1)) {
      const s = tradingSession(d);
      if (!s.isOpen) continue;
      const hhmm = (t: number): string => isoEt(t).slice(11, 16);
      days.push({ date: d, open: hhmm(s.openTime), close: hhmm(s.closeTime), session_open: '0400', session_close: '2000', settlement_date: nextTradingDays(addDays(d, 1), 1)[0] ?? d });
    }
    return json(200, days);
  }

  function latestQuote(symbol: string, url: URL): Reply {
    if (symbol !== venue.tape.symbol) return fail(404, 40410000, `no quote for ${symbol}`);
    const qi = venue.currentQuoteIndex();
    if (qi < 0) return fail(404, 40410000, `no quote for ${symbol} yet`);
    const q = venue.tape.quotes;
    return json(200, {
      symbol,
      quote: {
        t: isoUtc(q.time[qi]!),
        bp: priceToWireNumber(q.bid[qi]!),
        bs: q.bidSize[qi]!,
        bx: 'Q',
        ap: priceToWireNumber(q.ask[qi]!),
        as: q.askSize[qi]!,
        ax: 'Q',
        c: ['R'],
        z: 'C',
      },
      ...(url.searchParams.get('currency') ? { currency: url.searchParams.get('currency') } : {}),
    });
  }
}
