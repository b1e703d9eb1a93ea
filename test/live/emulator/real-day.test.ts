/**
 * The multi-symbol emulator on the real development tapes of one day (AIG, BAC, IBM on
 * 2013-10-07), with the real SDK: the rebalancer's known failure (a buy sized from sells that have
 * not filled yet) is refused as Alpaca refuses it, and goes through once the sell's proceeds are
 * cash; each fill is a price its own tape showed. Skipped when ../shared/data/quotes is absent.
 */
import { Alpaca, ApiError } from '@alpacahq/alpaca-trade-api';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { endpointFetch } from '../../../src/live/alpaca-endpoint.js';
import { startEmulator, type RunningEmulator } from '../../../src/live/emulator/server.js';
import { loadTape } from '../../../src/sim/tape/load-tape.js';
import { lastIndexAtOrBefore, type Tape } from '../../../src/sim/tape/tape.js';
import { hasRealData, REAL_DATA } from '../../cli/run-cli.js';

const suite = hasRealData ? describe : describe.skip;
const DATE = '2013-10-07';
let emu: RunningEmulator | null = null;

afterAll(async () => {
  await emu?.close();
});

async function until<T>(what: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

suite(`emulator on the real ${DATE} open of AIG, BAC and IBM (${hasRealData ? 'present' : 'skipped: ../shared/data/quotes is absent'})`, () => {
  it('refuses a buy funded by an unfilled sell, takes it once the sell has filled; fills true to each tape', async () => {
    const tapes: Tape[] = ['aig', 'bac', 'ibm'].map((s) => loadTape(join(REAL_DATA, 'equity', 'usa', 'tick', s, `${DATE.replace(/-/g, '')}_quote.zip`)));
    emu = await startEmulator({ tapes, startMs: etClockToEpoch(DATE, '09:35:00'), speed: 5, cash: 500 * 10_000, positions: { BAC: 5000 * QTY_SCALE, AIG: 100 * QTY_SCALE, IBM: 10 * QTY_SCALE } });
    const e = emu;
    const alpaca = new Alpaca({ keyId: e.keys.keyId, secret: e.keys.secret, fetchApi: endpointFetch(e.baseUrl), retry: false, rateLimit: false });
    const [aig, bac] = tapes as [Tape, Tape, Tape];
    const quote = (t: Tape): { bid: number; ask: number } => {
      const qi = e.venue.currentQuoteIndex(t.symbol);
      return { bid: t.quotes.bid[qi]! / 10_000, ask: t.quotes.ask[qi]! / 10_000 };
    };
    // Sell 2,000 BAC below the bid: it should raise about $28,000 once it fills.
    const bacBid = quote(bac).bid;
    const sellLimit = Math.floor(bacBid * 0.99 * 100) / 100;
    // A buy of AIG sized from those proceeds, sent before the sell has filled, is refused.
    const aigLimit = Math.ceil(quote(aig).ask * 1.01 * 100) / 100;
    const aigQty = Math.floor((2000 * bacBid * 0.9) / aigLimit);
    const early = await alpaca.trading.orders.limit({ symbol: 'AIG', qty: aigQty, side: 'buy', limitPrice: aigLimit, timeInForce: 'day', clientOrderId: 'early-buy' }).catch((x: unknown) => x);
    expect(early).toBeInstanceOf(ApiError);
    expect((early as ApiError).status).toBe(403);
    expect((early as ApiError).message).toContain('insufficient buying power');
    await alpaca.trading.orders.limit({ symbol: 'BAC', qty: 2000, side: 'sell', limitPrice: sellLimit, timeInForce: 'day', clientOrderId: 'sell-bac' });
    // Selling more BAC than is left after that open sell is refused with Alpaca's numbers.
    const over = await alpaca.trading.orders.market({ symbol: 'BAC', qty: 3001, side: 'sell', timeInForce: 'day', clientOrderId: 'over-bac' }).catch((x: unknown) => x);
    expect((over as ApiError).message).toContain('insufficient qty available for order (requested: 3001, available: 3000)');
    const sold = await until(async () => {
      const o = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'sell-bac' });
      return o.status === 'filled' ? o : undefined;
    });
    const account = await alpaca.trading.account.getAccount();
    expect(Number(account.buyingPower)).toBeGreaterThan(aigQty * aigLimit);
    await alpaca.trading.orders.limit({ symbol: 'AIG', qty: aigQty, side: 'buy', limitPrice: Math.ceil(quote(aig).ask * 1.01 * 100) / 100, timeInForce: 'day', clientOrderId: 'late-buy' });
    const bought = await until(async () => {
      const o = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'late-buy' });
      return o.status === 'filled' ? o : undefined;
    });
    // Each average price is no better than the best far side its own tape showed up to the fill
    // (a sell's bid, a buy's ask: nothing from the future, nothing from the other symbols' tapes)
    // and no worse than the order's limit.
    const lo = lastIndexAtOrBefore(bac.quotes.time, bac.quotes.length, etClockToEpoch(DATE, '09:35:00'));
    const bestUpTo = (tape: Tape, side: 'buy' | 'sell', t: number): number => {
      const far = side === 'buy' ? tape.quotes.ask : tape.quotes.bid;
      const from = lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, etClockToEpoch(DATE, '09:35:00'));
      let best = side === 'buy' ? Infinity : -Infinity;
      for (let i = Math.max(0, from); i <= lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, t); i++) best = side === 'buy' ? Math.min(best, far[i]!) : Math.max(best, far[i]!);
      return best / 10_000;
    };
    expect(lo).toBeGreaterThanOrEqual(0);
    const sellAvg = Number(sold.filledAvgPrice);
    expect(sellAvg).toBeGreaterThanOrEqual(sellLimit);
    expect(sellAvg).toBeLessThanOrEqual(bestUpTo(bac, 'sell', sold.filledAt!.getTime()));
    const buyAvg = Number(bought.filledAvgPrice);
    expect(buyAvg).toBeLessThanOrEqual(Number(bought.limitPrice));
    expect(buyAvg).toBeGreaterThanOrEqual(bestUpTo(aig, 'buy', bought.filledAt!.getTime()));
    const positions = await alpaca.trading.positions.getAllOpenPositions();
    expect(positions.map((p) => [p.symbol, p.qty])).toEqual([['AIG', String(100 + aigQty)], ['BAC', '3000'], ['IBM', '10']]);
    const cash = Number((await alpaca.trading.account.getAccount()).cash);
    expect(cash).toBeCloseTo(500 + 2000 * Number(sold.filledAvgPrice) - aigQty * Number(bought.filledAvgPrice), 2);
    expect(cash).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
