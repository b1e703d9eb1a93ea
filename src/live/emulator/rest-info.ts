import { randomUUID } from 'node:crypto';
import { nextTradingDays, tradingSession } from '../../engine/calendar.js';
import { addDays, etDateOf } from '../../engine/et-time.js';
import { isRegularHours } from '../../engine/trading-day-windows.js';
import { accountJson, equityUnits, positionsJson } from './account-json.js';
import { isoEt, isoUtc } from './alpaca-json.js';
import { fail, json, type Reply } from './rest-reply.js';
import type { Venue } from './venue.js';
import { priceToWireNumber } from './wire-units.js';

/** Account, positions, clock, calendar and latest quote (docs/ALPACA-WIRE.md), from venue state. */
export function infoRoutes(venue: Venue) {
  // Alpaca account ids are UUIDs; clients that parse them must get one.
  const accountId = randomUUID();
  // Alpaca's last_equity is the equity at the previous close; here, the equity when the emulator started.
  const lastEquity = equityUnits(venue);

  return { account, positions, clock, calendar, latestQuote, latestQuotes };

  function account(): Record<string, unknown> {
    return accountJson(venue, accountId, lastEquity);
  }

  function positions(): unknown[] {
    return positionsJson(venue);
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

  /** The quote prevailing now for `symbol` in Alpaca's latest-quote shape, or null (no tape, or no quote yet). */
  function quoteNow(symbol: string): Record<string, unknown> | null {
    const tape = venue.tapeOf(symbol);
    const qi = venue.currentQuoteIndex(symbol);
    if (tape === undefined || qi < 0) return null;
    const q = tape.quotes;
    return { t: isoUtc(q.time[qi]!), bp: priceToWireNumber(q.bid[qi]!), bs: q.bidSize[qi]!, bx: 'Q', ap: priceToWireNumber(q.ask[qi]!), as: q.askSize[qi]!, ax: 'Q', c: ['R'], z: 'C' };
  }

  function latestQuote(symbol: string, url: URL): Reply {
    if (venue.tapeOf(symbol) === undefined) return fail(404, 40410000, `no quote for ${symbol}`);
    const quote = quoteNow(symbol);
    if (quote === null) return fail(404, 40410000, `no quote for ${symbol} yet`);
    return json(200, { symbol, quote, ...(url.searchParams.get('currency') ? { currency: url.searchParams.get('currency') } : {}) });
  }

  /** GET /v2/stocks/quotes/latest?symbols=A,B: `{quotes: {SYM: quote}}`; a symbol without a quote is left out, as Alpaca does. */
  function latestQuotes(url: URL): Reply {
    const symbols = (url.searchParams.get('symbols') ?? '').split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
    if (symbols.length === 0) return fail(400, 40010001, 'symbols is required');
    const quotes: Record<string, unknown> = {};
    for (const s of symbols) {
      const q = quoteNow(s);
      if (q !== null) quotes[s] = q;
    }
    return json(200, { quotes, ...(url.searchParams.get('currency') ? { currency: url.searchParams.get('currency') } : {}) });
  }
}
