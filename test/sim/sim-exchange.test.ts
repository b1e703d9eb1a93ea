import { describe, expect, it } from 'vitest';
import { calendarWindows } from '../../src/engine/execution/calendar-windows.js';
import { DEFAULT_WINDOW_TIMES, type ResolvedWindows } from '../../src/engine/trading-day-windows.js';
import { sharesToQty, type Side } from '../../src/engine/units.js';
import type { OrderRequest } from '../../src/engine/execution/types.js';
import { DEFAULT_FILL_MODEL, type FillModelConfig } from '../../src/sim/fill-model-config.js';
import { SimExchange, type VenueReport } from '../../src/sim/sim-exchange.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { OPEN, at, buildTape, px } from './tape-builder.js';

const WINDOWS = calendarWindows(OPEN, DEFAULT_WINDOW_TIMES) as ResolvedWindows;

function venue(tape: Tape, cfg: Partial<FillModelConfig> = {}, uniform: () => number = () => 0.5) {
  const reports: VenueReport[] = [];
  const ex = new SimExchange(tape, { ...DEFAULT_FILL_MODEL, ...cfg }, WINDOWS, uniform, (e) => reports.push(e));
  const fills = (id?: string): [number, number, number][] =>
    reports.flatMap((r) => (r.type === 'fill' && (id === undefined || r.clientOrderId === id) ? [[r.qty / 1e9, r.price / 10_000, r.time - OPEN] as [number, number, number]] : []));
  const types = (): string[] => reports.map((r) => `${r.type}:${'clientOrderId' in r ? r.clientOrderId : ''}`);
  return { ex, reports, fills, types };
}

function order(id: string, side: Side, shares: number, limit: number | null): OrderRequest {
  return { clientOrderId: id, side, type: limit === null ? 'market' : 'limit', qty: sharesToQty(shares), limitPrice: limit === null ? null : px(limit) };
}

const flat = buildTape([
  { t: 0, bid: 50.0, ask: 50.01, bidSize: 300, askSize: 200 },
  { t: 10_000, bid: 50.0, ask: 50.01, bidSize: 300, askSize: 200 },
]);

describe('marketable orders take displayed size', () => {
  it('a buy fills at the ask for the displayed size, then walks one tick per displayed size up to its limit', () => {
    const v = venue(flat, { remainder: 'walk' });
    v.ex.orderArrives(at(1000), order('a', 'buy', 700, 50.03));
    expect(v.fills()).toEqual([[200, 50.01, 1000], [200, 50.02, 1000], [200, 50.03, 1000]]);
    expect(v.ex.hasRestingOrder()).toBe(true); // 100 left rests at 50.03
  });

  it('with remainder "rest" the rest waits at the limit instead of walking', () => {
    const v = venue(flat, { remainder: 'rest' });
    v.ex.orderArrives(at(1000), order('a', 'buy', 700, 50.03));
    expect(v.fills()).toEqual([[200, 50.01, 1000]]);
    expect(v.ex.hasRestingOrder()).toBe(true);
  });

  it('a sell walks down from the bid and stops once filled', () => {
    const v = venue(flat);
    v.ex.orderArrives(at(1000), order('s', 'sell', 650, 49.9));
    expect(v.fills()).toEqual([[300, 50.0, 1000], [300, 49.99, 1000], [50, 49.98, 1000]]);
    expect(v.ex.hasRestingOrder()).toBe(false);
  });

  it('a market order walks without a limit; a size below one lot counts as 100 shares', () => {
    const v = venue(buildTape([{ t: 0, bid: 50, ask: 50.01, bidSize: 0, askSize: 0 }]));
    v.ex.orderArrives(at(1000), order('m', 'buy', 250, null));
    expect(v.fills()).toEqual([[100, 50.01, 1000], [100, 50.02, 1000], [50, 50.03, 1000]]);
  });

  it('taken size stays taken over identical snapshots; only new size at the price, or the level coming back, refills it', () => {
    const tape = buildTape([
      { t: 0, bid: 50.0, ask: 50.01, bidSize: 300, askSize: 200 },
      { t: 1_000, bid: 50.0, ask: 50.01, bidSize: 300, askSize: 200 }, // identical: nothing new
      { t: 2_000, bid: 50.0, ask: 50.01, bidSize: 300, askSize: 150 }, // smaller: nothing new
      { t: 3_000, bid: 50.0, ask: 50.01, bidSize: 300, askSize: 260 }, // 60 more than was shown when we took
      { t: 4_000, bid: 50.01, ask: 50.02, bidSize: 300, askSize: 200 }, // 50.01 left the ask: that level cleared
      { t: 5_000, bid: 50.0, ask: 50.01, bidSize: 300, askSize: 200 }, // and came back: new size
    ]);
    const v = venue(tape, { remainder: 'rest' });
    v.ex.orderArrives(at(500), order('a', 'buy', 1_000, 50.01));
    expect(v.fills()).toEqual([[200, 50.01, 500]]);
    v.ex.onQuote(1);
    v.ex.onQuote(2);
    expect(v.fills()).toEqual([[200, 50.01, 500]]);
    v.ex.onQuote(3);
    expect(v.fills()).toEqual([[200, 50.01, 500], [60, 50.01, 3_000]]);
    v.ex.onQuote(4);
    v.ex.onQuote(5);
    expect(v.fills()).toEqual([[200, 50.01, 500], [60, 50.01, 3_000], [200, 50.01, 5_000]]);
  });

  it('what one order took is gone for the next one too, however many snapshots repeat', () => {
    const v = venue(flat, { remainder: 'rest' });
    v.ex.orderArrives(at(1000), order('a', 'buy', 300, 50.01));
    v.ex.cancelArrives(at(2000), 'a');
    v.ex.orderArrives(at(3000), order('b', 'buy', 300, 50.01));
    v.ex.onQuote(1); // the same 200 x 50.01 again
    expect(v.fills('a')).toEqual([[200, 50.01, 1000]]);
    expect(v.fills('b')).toEqual([]);
  });

  it('walked levels are consumed too', () => {
    const v = venue(flat, { remainder: 'walk' });
    v.ex.orderArrives(at(1000), order('a', 'buy', 300, 50.02));
    v.ex.cancelArrives(at(1500), 'a');
    v.ex.orderArrives(at(2000), order('b', 'buy', 300, 50.03));
    expect(v.fills('a')).toEqual([[200, 50.01, 1000], [100, 50.02, 1000]]);
    expect(v.fills('b')).toEqual([[100, 50.02, 2000], [200, 50.03, 2000]]);
  });
});

describe('resting limits', () => {
  const falling = buildTape([
    { t: 0, bid: 49.98, ask: 50.02, bidSize: 400, askSize: 100 },
    { t: 1000, bid: 49.99, ask: 50.01, askSize: 100 },
    { t: 2000, bid: 49.98, ask: 50.0, askSize: 150 },
    { t: 3000, bid: 49.97, ask: 49.99, askSize: 500 },
  ]);

  it('a resting buy fills at its limit when the ask comes down to it (or below)', () => {
    const v = venue(falling);
    v.ex.orderArrives(at(500), order('a', 'buy', 300, 50.0));
    expect(v.fills()).toEqual([]);
    v.ex.onQuote(1);
    expect(v.fills()).toEqual([]);
    v.ex.onQuote(2);
    expect(v.fills()).toEqual([[150, 50.0, 2000]]);
    v.ex.onQuote(3);
    expect(v.fills()).toEqual([[150, 50.0, 2000], [150, 50.0, 3000]]);
    expect(v.ex.hasRestingOrder()).toBe(false);
  });

  const quiet = [{ t: 0, bid: 50.0, ask: 50.02, bidSize: 300, askSize: 100 }];

  it('prints at the limit fill only once the queue ahead (bid size at joining) is consumed', () => {
    const tape = buildTape(quiet, [
      { t: 1000, price: 50.0, size: 200 },
      { t: 2000, price: 50.0, size: 150 },
      { t: 3000, price: 50.0, size: 500 },
    ]);
    const v = venue(tape);
    v.ex.orderArrives(at(500), order('a', 'buy', 100, 50.0));
    v.ex.onTrade(0);
    expect(v.fills()).toEqual([]);
    v.ex.onTrade(1);
    expect(v.fills()).toEqual([[50, 50.0, 2000]]);
    v.ex.onTrade(2);
    expect(v.fills()).toEqual([[50, 50.0, 2000], [50, 50.0, 3000]]);
  });

  it('prints through the limit trade the queue ahead first (conservative), or fill at once (nominal)', () => {
    const tape = buildTape(quiet, [{ t: 1000, price: 49.99, size: 260 }, { t: 2000, price: 49.98, size: 500 }]);
    const conservative = venue(tape);
    conservative.ex.orderArrives(at(500), order('a', 'buy', 100, 50.0)); // 300 ahead at 50.00
    conservative.ex.onTrade(0);
    conservative.ex.onTrade(1);
    expect(conservative.fills()).toEqual([[100, 50.0, 2000]]);
    const nominal = venue(tape, { liquidity: 'nominal' });
    nominal.ex.orderArrives(at(500), order('a', 'buy', 100, 50.0));
    nominal.ex.onTrade(0);
    expect(nominal.fills()).toEqual([[100, 50.0, 1000]]);
  });

  it('prints that are not regular trades (late, average price, crosses...) fill nothing and eat no queue', () => {
    const tape = buildTape(quiet, [
      { t: 1000, price: 49.9, size: 5_000, regular: false },
      { t: 2000, price: 50.0, size: 300, regular: false },
      { t: 3000, price: 50.0, size: 350 },
    ]);
    const v = venue(tape);
    v.ex.orderArrives(at(500), order('a', 'buy', 100, 50.0));
    for (let i = 0; i < 3; i++) v.ex.onTrade(i);
    expect(v.fills()).toEqual([[50, 50.0, 3000]]); // 300 ahead, then 50 of the one regular print
  });

  it('a quote that only touches the limit fills a queued order only once the queue ahead is used up', () => {
    const touching = buildTape(
      [
        { t: 0, bid: 50.0, ask: 50.02, bidSize: 300, askSize: 100 },
        { t: 1000, bid: 50.0, ask: 50.0, bidSize: 300, askSize: 400 }, // locked at our price
        { t: 3000, bid: 50.0, ask: 50.0, bidSize: 300, askSize: 500 },
      ],
      [{ t: 2000, price: 50.0, size: 300 }],
    );
    const v = venue(touching);
    v.ex.orderArrives(at(500), order('a', 'buy', 200, 50.0));
    v.ex.onQuote(1);
    expect(v.fills()).toEqual([]); // 300 ahead: the locked ask trades nobody on the tape
    v.ex.onTrade(0); // the queue ahead trades
    expect(v.fills()).toEqual([]);
    v.ex.onQuote(2); // front of the queue now: the touching ask fills it
    expect(v.fills()).toEqual([[200, 50.0, 3000]]);
  });

  it('a resting order the far side comes through takes the touch and the depth beyond it, at its limit', () => {
    const tape = buildTape([
      { t: 0, bid: 49.97, ask: 50.03, bidSize: 100, askSize: 100 },
      { t: 1000, bid: 49.97, ask: 49.98, bidSize: 100, askSize: 150 },
    ]);
    const walk = venue(tape);
    walk.ex.orderArrives(at(500), order('a', 'buy', 1_000, 50.0));
    walk.ex.onQuote(1);
    // 49.98 (the touch), 49.99 and 50.00 (the depth rule: what the touch shows, each tick)
    expect(walk.fills()).toEqual([[150, 50.0, 1000], [150, 50.0, 1000], [150, 50.0, 1000]]);
    const rest = venue(tape, { remainder: 'rest' });
    rest.ex.orderArrives(at(500), order('a', 'buy', 1_000, 50.0));
    rest.ex.onQuote(1);
    expect(rest.fills()).toEqual([[150, 50.0, 1000]]);
  });

  it('prints that repeat liquidity we already took from the quotes are not counted twice', () => {
    const tape = buildTape(
      [{ t: 0, bid: 50.0, ask: 50.01, bidSize: 300, askSize: 200 }],
      [{ t: 1000, price: 50.01, size: 200 }, { t: 2000, price: 50.01, size: 150 }],
    );
    const v = venue(tape, { remainder: 'rest' });
    v.ex.orderArrives(at(500), order('a', 'buy', 500, 50.01)); // takes the 200 offered, rests 300 alone at 50.01
    v.ex.onTrade(0); // the tape's buyer of those same 200 shares
    expect(v.fills()).toEqual([[200, 50.01, 500]]);
    v.ex.onTrade(1);
    expect(v.fills()).toEqual([[200, 50.01, 500], [150, 50.01, 2000]]);
  });

  it('nominal credits cancels ahead in proportion to the size shown at the limit; conservative never does', () => {
    const quotes = [
      { t: 0, bid: 50.0, ask: 50.02, bidSize: 400, askSize: 100 },
      { t: 1000, bid: 50.0, ask: 50.02, bidSize: 200, askSize: 100 }, // half the bids at 50.00 cancelled
      { t: 3000, bid: 49.99, ask: 50.02, bidSize: 500, askSize: 100 }, // the level is gone from the tape
    ];
    const tape = buildTape(quotes, [{ t: 2000, price: 50.0, size: 250 }]);
    const nominal = venue(tape, { liquidity: 'nominal' });
    nominal.ex.orderArrives(at(500), order('a', 'buy', 100, 50.0)); // 400 ahead
    nominal.ex.onQuote(1); // 200 ahead
    nominal.ex.onTrade(0); // 200 trade the queue, 50 fill us
    expect(nominal.fills()).toEqual([[50, 50.0, 2000]]);
    const conservative = venue(tape);
    conservative.ex.orderArrives(at(500), order('a', 'buy', 100, 50.0));
    conservative.ex.onQuote(1);
    conservative.ex.onTrade(0);
    conservative.ex.onQuote(2);
    expect(conservative.fills()).toEqual([]);
    const gone = venue(buildTape(quotes, [{ t: 4000, price: 50.0, size: 40 }]), { liquidity: 'nominal' });
    gone.ex.orderArrives(at(500), order('a', 'buy', 100, 50.0));
    gone.ex.onQuote(1);
    gone.ex.onQuote(2); // nothing shown at 50.00 any more: nothing ahead
    gone.ex.onTrade(0);
    expect(gone.fills()).toEqual([[40, 50.0, 4000]]);
  });

  it('an order improving on the bid has no queue ahead', () => {
    const v = venue(buildTape(quiet, [{ t: 1000, price: 50.01, size: 30 }]));
    v.ex.orderArrives(at(500), order('a', 'buy', 100, 50.01));
    v.ex.onTrade(0);
    expect(v.fills()).toEqual([[30, 50.01, 1000]]);
  });

  it('a sell at the ask waits for the ask queue', () => {
    const v = venue(buildTape(quiet, [{ t: 1000, price: 50.02, size: 100 }, { t: 2000, price: 50.02, size: 100 }]));
    v.ex.orderArrives(at(500), order('s', 'sell', 100, 50.02));
    v.ex.onTrade(0);
    expect(v.fills()).toEqual([]);
    v.ex.onTrade(1);
    expect(v.fills()).toEqual([[100, 50.02, 2000]]);
  });

  it('prints never fill an order behind the NBBO', () => {
    const tape = buildTape(
      [{ t: 0, bid: 50.0, ask: 50.02 }, { t: 1500, bid: 50.01, ask: 50.03 }],
      [{ t: 1000, price: 49.9, size: 1000 }, { t: 2000, price: 50.1, size: 1000 }, { t: 2500, price: 49.95, size: 1000 }],
    );
    const v = venue(tape);
    v.ex.orderArrives(at(500), order('b', 'buy', 100, 49.98));
    v.ex.orderArrives(at(600), order('s', 'sell', 100, 50.05));
    for (let i = 0; i < 3; i++) v.ex.onTrade(i);
    expect(v.fills()).toEqual([]);
  });

  it('ignores prints when trade fills are off or the trades are bars', () => {
    const rows = [{ t: 1000, price: 49.0, size: 1000 }];
    for (const [cfg, bars] of [[{ tradeFills: false }, false], [{}, true]] as const) {
      const v = venue(buildTape(quiet, rows, { tradesAreBars: bars }), cfg);
      v.ex.orderArrives(at(500), order('a', 'buy', 100, 50.0));
      v.ex.onTrade(0);
      expect(v.fills()).toEqual([]);
    }
  });
});

describe('invalid books never match', () => {
  it.each([
    ['crossed', { bid: 50.05, ask: 50.0 }],
    ['zero ask', { bid: 50.0, ask: 0 }],
    ['zero bid', { bid: 0, ask: 50.01 }],
  ])('%s: neither an arriving nor a resting order fills', (_name, bad) => {
    const tape = buildTape([{ t: 0, ...bad }, { t: 1000, ...bad }, { t: 2000, bid: 50.0, ask: 50.01, bidSize: 500, askSize: 500 }]);
    const v = venue(tape);
    v.ex.orderArrives(at(500), order('b', 'buy', 100, 50.1));
    v.ex.orderArrives(at(500), order('s', 'sell', 100, 49.9));
    v.ex.orderArrives(at(500), order('m', 'buy', 100, null));
    v.ex.onQuote(1);
    expect(v.fills()).toEqual([]);
    v.ex.onQuote(2);
    expect(v.fills().map((f) => f[2])).toEqual([2000, 2000, 2000]);
  });
});

describe('cancels', () => {
  it('a cancel after the fill is cancel-rejected; an unknown order is not found', () => {
    const v = venue(flat);
    v.ex.orderArrives(at(1000), order('a', 'buy', 100, 50.01));
    v.ex.cancelArrives(at(1040), 'a');
    v.ex.cancelArrives(at(1050), 'zz');
    expect(v.types()).toEqual(['accepted:a', 'fill:a', 'cancel-rejected:a', 'cancel-rejected:zz']);
    expect(v.reports[2]).toMatchObject({ reason: 'order is already filled or closed' });
    expect(v.reports[3]).toMatchObject({ reason: 'order not found' });
  });

  it('a cancelled order no longer fills', () => {
    const v = venue(buildTape([{ t: 0, bid: 50, ask: 50.02 }, { t: 2000, bid: 49.98, ask: 49.99 }]));
    v.ex.orderArrives(at(500), order('a', 'buy', 100, 50.0));
    v.ex.cancelArrives(at(1000), 'a');
    v.ex.onQuote(1);
    expect(v.types()).toEqual(['accepted:a', 'cancelled:a']);
    expect(v.ex.hasRestingOrder()).toBe(false);
  });
});

describe('broker rules', () => {
  const reject = (v: ReturnType<typeof venue>): string | null => {
    const r = v.reports.find((x) => x.type === 'rejected');
    return r?.type === 'rejected' ? r.reason : null;
  };

  it('rejects a sub-tick limit above $1 but accepts sub-penny below $1', () => {
    const v = venue(flat);
    v.ex.orderArrives(at(1000), { ...order('a', 'buy', 100, 50.0), limitPrice: px(50.005) });
    expect(reject(v)).toMatch(/not on the tick grid/);
    const w = venue(buildTape([{ t: 0, bid: 0.5, ask: 0.5001 }]));
    w.ex.orderArrives(at(1000), order('b', 'buy', 100, 0.4999));
    expect(reject(w)).toBeNull();
  });

  it('rejects market orders before 09:30 ET but accepts limits then', () => {
    const pre = buildTape([{ t: -60_000, bid: 50, ask: 50.01 }]);
    const v = venue(pre);
    v.ex.orderArrives(at(-1), order('m', 'buy', 100, null));
    expect(reject(v)).toMatch(/regular hours/);
    const w = venue(pre);
    w.ex.orderArrives(at(-1), order('l', 'buy', 100, 50.01));
    expect(w.types()).toEqual(['accepted:l', 'fill:l']);
  });

  it('rejects a sell above sellableShares, but not a buy or a sell within it', () => {
    const v = venue(flat, { sellableShares: 100 });
    v.ex.orderArrives(at(1000), order('s', 'sell', 101, 49.0));
    expect(reject(v)).toMatch(/insufficient qty/);
    const w = venue(flat, { sellableShares: 100 });
    w.ex.orderArrives(at(1000), order('s', 'sell', 100, 50.0));
    w.ex.orderArrives(at(1000), order('b', 'buy', 500, 50.01));
    expect(reject(w)).toBeNull();
  });

  it('rejectRate 1 rejects everything; rejectRate 0 never draws from the generator', () => {
    const v = venue(flat, { rejectRate: 1 }, () => 0.999);
    v.ex.orderArrives(at(1000), order('a', 'buy', 100, 50.01));
    expect(reject(v)).toBe('simulated broker reject');
    const w = venue(flat, { rejectRate: 0 }, () => {
      throw new Error('drawn');
    });
    w.ex.orderArrives(at(1000), order('a', 'buy', 100, 50.01));
    expect(reject(w)).toBeNull();
  });

  it('rejects a non-positive quantity', () => {
    const v = venue(flat);
    v.ex.orderArrives(at(1000), { ...order('a', 'buy', 1, 50.01), qty: 0 });
    expect(reject(v)).toMatch(/positive/);
  });
});

describe('replace (Alpaca semantics)', () => {
  it('swaps a working order for its replacement, which works only what is left', () => {
    const v = venue(flat);
    v.ex.orderArrives(at(1_000), order('a', 'buy', 300, 49.99)); // rests below the ask
    v.ex.replaceArrives(at(2_000), 'a', order('b', 'buy', 300, 50.02));
    expect(v.types()).toEqual(['accepted:a', 'replaced:a', 'fill:b', 'fill:b']);
    expect(v.reports[1]).toMatchObject({ newClientOrderId: 'b', qty: sharesToQty(300) });
    expect(v.fills('b')).toEqual([[200, 50.01, 2_000], [100, 50.02, 2_000]]);
  });

  it('refuses the replace of an order that already filled, and one that breaks a broker rule', () => {
    const v = venue(flat);
    v.ex.orderArrives(at(1_000), order('a', 'buy', 100, 50.01));
    v.ex.replaceArrives(at(2_000), 'a', order('b', 'buy', 100, 50.02));
    expect(v.reports.at(-1)).toMatchObject({ type: 'replace-rejected', clientOrderId: 'a', newClientOrderId: 'b', reason: 'order is already filled or closed' });
    v.ex.orderArrives(at(3_000), order('c', 'buy', 100, 49.9));
    v.ex.replaceArrives(at(4_000), 'c', { ...order('d', 'buy', 100, 49.95), limitPrice: 499_550 });
    expect(v.reports.at(-1)).toMatchObject({ type: 'replace-rejected', clientOrderId: 'c', reason: expect.stringContaining('tick grid') });
    v.ex.cancelArrives(at(5_000), 'c'); // the refused replace left 'c' working
    expect(v.reports.at(-1)).toMatchObject({ type: 'cancelled', clientOrderId: 'c' });
  });
});
