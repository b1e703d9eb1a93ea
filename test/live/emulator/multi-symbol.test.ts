import { Alpaca, ApiError } from '@alpacahq/alpaca-trade-api';
import { afterEach, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { endpointFetch, streamUrls } from '../../../src/live/alpaca-endpoint.js';
import { EmulatorSetupError, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/live/emulator/server.js';
import { SOXL_LIKE, TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import type { Tape } from '../../../src/sim/tape/tape.js';

const DATE = '2024-06-03';
const tqqq = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:45:00' });
const soxl = generateOpen(SOXL_LIKE, DATE, 12, { fromEt: '09:25:00', toEt: '09:45:00' });
const open: { emu: RunningEmulator; streams: { disconnect(): void }[] }[] = [];

afterEach(async () => {
  for (const o of open.splice(0)) {
    for (const s of o.streams) s.disconnect();
    await o.emu.close();
  }
});

interface AuditRow {
  seq: number;
  action: string;
  symbol: string | null;
  side: string | null;
  qty: string | null;
  clientOrderId: string | null;
  venueMs: number;
  httpStatus: number;
  outcome: string;
  fault?: string;
}

async function setup(extra: Partial<EmulatorOptions> = {}) {
  const emu = await startEmulator({ tapes: [tqqq, soxl], startMs: etClockToEpoch(DATE, '09:31:00'), speed: 10, cash: 20_000 * 10_000, positions: { TQQQ: 100 * QTY_SCALE }, ...extra });
  const streams: { disconnect(): void }[] = [];
  open.push({ emu, streams });
  const alpaca = new Alpaca({ keyId: emu.keys.keyId, secret: emu.keys.secret, fetchApi: endpointFetch(emu.baseUrl), retry: false, rateLimit: false });
  const audit = async (): Promise<AuditRow[]> => ((await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: AuditRow[] }).orders;
  return { emu, alpaca, audit, streams };
}

async function until<T>(what: () => T | undefined | Promise<T | undefined>, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A marketable limit 2% through the far side of the venue's prevailing quote, in dollars. */
function through(emu: RunningEmulator, tape: Tape, side: 'buy' | 'sell'): number {
  const q = emu.venue.currentQuoteIndex(tape.symbol);
  const p = side === 'buy' ? tape.quotes.ask[q]! : tape.quotes.bid[q]!;
  return Math.round((p / 10_000) * (side === 'buy' ? 1.02 : 0.98) * 100) / 100;
}

/** Exact cents of a dollar string ("19123.45" -> 1912345). */
const cents = (s: string): number => {
  const [w, f = ''] = s.split('.');
  return Number(w) * 100 + Math.sign(Number(w) || 1) * Number(f.padEnd(2, '0').slice(0, 2));
};

describe('the emulator serves several symbols from one account', () => {
  it('opens with the cash and positions given; fills of each symbol move that position and the one cash balance', async () => {
    const { emu, alpaca, audit, streams } = await setup();
    const acct0 = await alpaca.trading.account.getAccount();
    expect(acct0).toMatchObject({ cash: '20000.00', buyingPower: '20000.00', multiplier: '1', shortingEnabled: false });
    const pos0 = await alpaca.trading.positions.getAllOpenPositions();
    expect(pos0.map((p) => [p.symbol, p.qty, p.qtyAvailable])).toEqual([['TQQQ', '100', '100']]);
    const notHeld = await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: 'SOXL' }).catch((e: unknown) => e);
    expect((notHeld as ApiError).status).toBe(404);

    // A buy of SOXL and a sell of TQQQ, both marketable: each fills on its own tape, maybe in
    // several pieces at several prices (the far side's displayed size), each one on trade_updates.
    const ts = alpaca.trading.stream({ url: streamUrls(emu.baseUrl).trading, reconnect: false });
    streams.push(ts);
    const fills: { symbol: string; side: string; price: string; qty: string; positionQty: string }[] = [];
    ts.onTradeUpdate((u) => {
      if (u.event === 'fill' || u.event === 'partial_fill') fills.push({ symbol: u.order.symbol!, side: u.order.side!, price: u.price!, qty: u.qty!, positionQty: u.positionQty! });
    });
    ts.onConnect(() => ts.subscribeTradeUpdates());
    ts.connect();
    expect((await ts.whenAuthenticated()).authenticated).toBe(true);
    await alpaca.trading.orders.limit({ symbol: 'SOXL', qty: 10, side: 'buy', limitPrice: through(emu, soxl, 'buy'), timeInForce: 'day', clientOrderId: 'b-soxl' });
    await alpaca.trading.orders.limit({ symbol: 'TQQQ', qty: 30, side: 'sell', limitPrice: through(emu, tqqq, 'sell'), timeInForce: 'day', clientOrderId: 's-tqqq' });
    const filled = await until(async () => {
      const os = await alpaca.trading.orders.getAllOrders({ status: 'closed' });
      return os.length === 2 && os.every((o) => o.status === 'filled') ? os : undefined;
    }, 8000);
    await until(() => (fills.reduce((n, f) => n + Number(f.qty), 0) === 40 ? true : undefined));
    // Cash moves by exactly each fill's price x qty (prices are whole cents here, quantities whole).
    let moved = 0;
    for (const f of fills) moved += (f.side === 'buy' ? -1 : 1) * Math.round(Number(f.price) * 100) * Number(f.qty);
    const acct = await alpaca.trading.account.getAccount();
    expect(cents(acct.cash!)).toBe(2_000_000 + moved);
    // Each fill reports its own symbol's position after it.
    expect(fills.filter((f) => f.symbol === 'TQQQ').at(-1)!.positionQty).toBe('70');
    expect(fills.filter((f) => f.symbol === 'SOXL').at(-1)!.positionQty).toBe('10');
    const bySymbol = new Map(filled.map((o) => [o.symbol, o]));
    const pos = await alpaca.trading.positions.getAllOpenPositions();
    expect(pos.map((p) => [p.symbol, p.qty])).toEqual([['SOXL', '10'], ['TQQQ', '70']]);
    const soxlPos = await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: 'SOXL' });
    expect(soxlPos.avgEntryPrice).toBe(bySymbol.get('SOXL')!.filledAvgPrice);
    // The audit names symbol, side, qty and client id of each request, in the order received.
    const rows = await audit();
    expect(rows.map((r) => [r.seq, r.action, r.symbol, r.side, r.qty, r.clientOrderId])).toEqual([
      [1, 'submit', 'SOXL', 'buy', '10', 'b-soxl'],
      [2, 'submit', 'TQQQ', 'sell', '30', 's-tqqq'],
    ]);
    expect(rows[0]!.venueMs).toBeLessThanOrEqual(rows[1]!.venueMs);
  });

  it('refuses as Alpaca does: a sell above what is available, a buy beyond buying power, a symbol with no tape', async () => {
    const { emu, alpaca, audit } = await setup();
    const tooMany = await alpaca.trading.orders.market({ symbol: 'TQQQ', qty: 101, side: 'sell', timeInForce: 'day', clientOrderId: 'over' }).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(ApiError);
    expect((tooMany as ApiError).status).toBe(403);
    expect((tooMany as ApiError).code).toBe(40310000);
    expect((tooMany as ApiError).message).toContain('insufficient qty available for order (requested: 101, available: 100)');
    // A resting sell holds its shares: what is left to sell shrinks, and so does qty_available.
    const high = Math.round(tqqq.quotes.ask[emu.venue.currentQuoteIndex('TQQQ')]! * 1.5) / 10_000;
    await alpaca.trading.orders.limit({ symbol: 'TQQQ', qty: 60, side: 'sell', limitPrice: Math.round(high * 100) / 100, timeInForce: 'day', clientOrderId: 'resting-sell' });
    expect((await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: 'TQQQ' })).qtyAvailable).toBe('40');
    const second = await alpaca.trading.orders.market({ symbol: 'TQQQ', qty: 41, side: 'sell', timeInForce: 'day', clientOrderId: 'second' }).catch((e: unknown) => e);
    expect((second as ApiError).message).toContain('insufficient qty available for order (requested: 41, available: 40)');
    // Selling what was never held is refused too (a cash account does not short).
    const short = await alpaca.trading.orders.market({ symbol: 'SOXL', qty: 1, side: 'sell', timeInForce: 'day', clientOrderId: 'short' }).catch((e: unknown) => e);
    expect((short as ApiError).status).toBe(403);
    // $20,000 of cash: a limit buy for more is refused; one that fits reserves its cost.
    const ask = soxl.quotes.ask[emu.venue.currentQuoteIndex('SOXL')]! / 10_000;
    const limit = Math.round(ask * 100) / 100;
    const fit = Math.floor(15_000 / limit);
    const big = await alpaca.trading.orders.limit({ symbol: 'SOXL', qty: Math.ceil(20_001 / limit), side: 'buy', limitPrice: limit, timeInForce: 'day', clientOrderId: 'big' }).catch((e: unknown) => e);
    expect((big as ApiError).status).toBe(403);
    expect((big as ApiError).message).toContain('insufficient buying power');
    await alpaca.trading.orders.limit({ symbol: 'SOXL', qty: fit, side: 'buy', limitPrice: Math.round(limit * 0.5 * 100) / 100, timeInForce: 'day', clientOrderId: 'reserve' });
    const bp = Number((await alpaca.trading.account.getAccount()).buyingPower);
    expect(bp).toBeCloseTo(20_000 - fit * (Math.round(limit * 0.5 * 100) / 100), 2);
    const unknown = await alpaca.trading.orders.market({ symbol: 'NOPE', qty: 1, side: 'buy', timeInForce: 'day', clientOrderId: 'nope' }).catch((e: unknown) => e);
    expect((unknown as ApiError).status).toBe(422);
    expect((unknown as ApiError).message).toContain('asset "NOPE" not found');
    const rows = await audit();
    expect(rows.map((r) => [r.clientOrderId, r.symbol, r.httpStatus])).toEqual([
      ['over', 'TQQQ', 403],
      ['resting-sell', 'TQQQ', 200],
      ['second', 'TQQQ', 403],
      ['short', 'SOXL', 403],
      ['big', 'SOXL', 403],
      ['reserve', 'SOXL', 200],
      ['nope', 'NOPE', 422],
    ]);
  });

  it('reject-sell=SYM refuses every sell of that symbol, and only those', async () => {
    const { emu, alpaca, audit } = await setup({ faults: 'reject-sell=TQQQ', positions: { TQQQ: 100 * QTY_SCALE, SOXL: 50 * QTY_SCALE } });
    const refused = await alpaca.trading.orders.market({ symbol: 'TQQQ', qty: 10, side: 'sell', timeInForce: 'day', clientOrderId: 'rs-1' }).catch((e: unknown) => e);
    expect((refused as ApiError).status).toBe(403);
    expect((refused as ApiError).message).toContain('insufficient qty available for order (requested: 10, available: 0)');
    await alpaca.trading.orders.market({ symbol: 'SOXL', qty: 10, side: 'sell', timeInForce: 'day', clientOrderId: 'rs-2' });
    await alpaca.trading.orders.limit({ symbol: 'TQQQ', qty: 1, side: 'buy', limitPrice: through(emu, tqqq, 'buy'), timeInForce: 'day', clientOrderId: 'rs-3' });
    const rows = await audit();
    expect(rows.map((r) => [r.clientOrderId, r.httpStatus, r.fault ?? null])).toEqual([
      ['rs-1', 403, 'reject-sell'],
      ['rs-2', 200, null],
      ['rs-3', 200, null],
    ]);
  });

  it('serves each symbol’s quotes: latest per symbol, several at once, and on ONE stream connection', async () => {
    const { emu, alpaca, streams } = await setup();
    for (const t of [tqqq, soxl]) {
      const latest = await alpaca.marketData.stocks.stockLatestQuoteSingle({ symbol: t.symbol });
      expect(latest.symbol).toBe(t.symbol);
      const i = t.quotes.time.indexOf(latest.quote.t.getTime());
      expect(i).toBeGreaterThanOrEqual(0);
      expect(latest.quote.ap).toBe(t.quotes.ask[i]! / 10_000);
    }
    const both = await alpaca.marketData.stocks.stockLatestQuotes({ symbols: 'TQQQ,SOXL,NOPE' });
    expect(Object.keys(both.quotes).sort()).toEqual(['SOXL', 'TQQQ']);
    const ds = alpaca.marketData.stockStream({ url: streamUrls(emu.baseUrl).stocks, reconnect: false });
    streams.push(ds);
    const got: { symbol: string; t: number; bid: number; ask: number }[] = [];
    ds.onQuote((q) => got.push({ symbol: q.symbol, t: q.timestamp!.getTime(), bid: q.bidPrice, ask: q.askPrice }));
    ds.onConnect(() => ds.subscribeForQuotes(['TQQQ', 'SOXL']));
    ds.connect();
    expect((await ds.whenAuthenticated()).authenticated).toBe(true);
    await until(() => (got.filter((g) => g.symbol === 'TQQQ').length >= 5 && got.filter((g) => g.symbol === 'SOXL').length >= 5 ? true : undefined), 8000);
    // Every frame is a snapshot of its own symbol's tape, and venue time never runs back across symbols.
    for (const g of got) {
      const t = g.symbol === 'TQQQ' ? tqqq : soxl;
      const i = t.quotes.time.indexOf(g.t);
      expect(i, `${g.symbol} at ${g.t} is on its tape`).toBeGreaterThanOrEqual(0);
      expect([g.bid, g.ask]).toEqual([t.quotes.bid[i]! / 10_000, t.quotes.ask[i]! / 10_000]);
    }
    for (let k = 1; k < got.length; k++) expect(got[k]!.t).toBeGreaterThanOrEqual(got[k - 1]!.t);
  });

  it('values the account at each symbol’s mid: equity = cash + positions, to the cent', async () => {
    // From the tapes' last second on, no quote moves: every read sees the same marks.
    const { emu, alpaca } = await setup({ startMs: etClockToEpoch(DATE, '09:44:59'), positions: { TQQQ: 100 * QTY_SCALE, SOXL: 2_500_000_000 } });
    await until(() => (emu.venue.now() > tqqq.quotes.time[tqqq.quotes.length - 1]! && emu.venue.now() > soxl.quotes.time[soxl.quotes.length - 1]! ? true : undefined));
    const lastMid = (t: Tape): number => (t.quotes.bid[t.quotes.length - 1]! + t.quotes.ask[t.quotes.length - 1]!) / 2;
    const acct = await alpaca.trading.account.getAccount();
    const pos = await alpaca.trading.positions.getAllOpenPositions();
    // In cents: 100 TQQQ and 2.5 SOXL at their last mids (price units / 100 = cents).
    const tqqqValue = (100 * lastMid(tqqq)) / 100;
    const soxlValue = (2.5 * lastMid(soxl)) / 100;
    expect(pos.map((p) => [p.symbol, p.qty, cents(p.marketValue!)])).toEqual([
      ['SOXL', '2.5', Math.round(soxlValue)],
      ['TQQQ', '100', Math.round(tqqqValue)],
    ]);
    expect(cents(acct.equity!)).toBe(Math.round(2_000_000 + tqqqValue + soxlValue));
    expect(acct.longMarketValue).toBe(String(((Math.round(tqqqValue + soxlValue)) / 100).toFixed(2)));
    // Opening positions are carried at the mid prevailing at the start (the file gives no price).
    expect(Number(pos[1]!.avgEntryPrice)).toBeGreaterThan(0);
  });

  it('refuses a set-up that cannot be one venue, with one line naming the tapes', async () => {
    const start = etClockToEpoch(DATE, '09:31:00');
    const other = generateOpen(SOXL_LIKE, '2024-06-04', 3, { fromEt: '09:25:00', toEt: '09:45:00' });
    const again = generateOpen(TQQQ_LIKE, DATE, 99, { fromEt: '09:25:00', toEt: '09:45:00' });
    await expect(startEmulator({ tapes: [tqqq, again], startMs: start, speed: 1 })).rejects.toThrow(new EmulatorSetupError('tape 1 and tape 2 are both TQQQ: give one tape per symbol'));
    await expect(startEmulator({ tapes: [tqqq, other], startMs: start, speed: 1 })).rejects.toThrow(/^tape 1 is TQQQ on 2024-06-03 but tape 2 is SOXL on 2024-06-04: give tapes of one date$/);
    await expect(startEmulator({ tapes: [tqqq], startMs: start, speed: 1, positions: { UVXY: QTY_SCALE } })).rejects.toThrow(/^UVXY: a position with no tape/);
    await expect(startEmulator({ tapes: [], startMs: start, speed: 1 })).rejects.toThrow(EmulatorSetupError);
  });
});

describe('the audit of requests an HTTP fault stopped', () => {
  it('still names the symbol, side and qty of a faulted submit', async () => {
    const { alpaca, audit } = await setup({ faults: 'http5xx=1' });
    const err = await alpaca.trading.orders.market({ symbol: 'SOXL', qty: 3, side: 'buy', timeInForce: 'day', clientOrderId: 'faulted' }).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(500);
    expect((await audit()).map((r) => [r.action, r.symbol, r.side, r.qty, r.httpStatus])).toEqual([['submit', 'SOXL', 'buy', '3', 500]]);
  });
});
