import { describe, expect, it } from 'vitest';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { formatDollars } from '../../../src/live/emulator/account.js';
import { Venue, type NewOrder, type VenueUpdate } from '../../../src/live/emulator/venue.js';
import { EmulatorSetupError } from '../../../src/live/emulator/tape-set.js';
import { OPEN, at, buildTape, px } from '../../sim/tape-builder.js';

// Two symbols of one day with quotes and prints at interleaved and at equal times (ms after 09:30).
const aaa = buildTape(
  [
    { t: 0, bid: 10.0, ask: 10.01, askSize: 500 },
    { t: 1_000, bid: 10.02, ask: 10.03, askSize: 500 },
    { t: 2_000, bid: 10.04, ask: 10.05, askSize: 500 },
    { t: 3_000, bid: 10.06, ask: 10.07, askSize: 500 },
  ],
  [{ t: 1_000, price: 10.02, size: 100 }],
  { symbol: 'AAA' },
);
const bbb = buildTape(
  [
    { t: 500, bid: 50.0, ask: 50.05, askSize: 500 },
    { t: 1_000, bid: 50.1, ask: 50.15, askSize: 500 },
    { t: 2_500, bid: 50.2, ask: 50.25, askSize: 500 },
  ],
  [{ t: 1_000, price: 50.1, size: 100 }],
  { symbol: 'BBB' },
);

/** A venue on a wall clock the test steps by hand: at speed 1, wall ms = venue ms after 09:30. */
function handVenue(seed = '1') {
  let wall = 0;
  const venue = new Venue([aaa, bbb], { startMs: OPEN - 1, speed: 1, seed, wallClock: () => wall, account: { cash: 10_000 * 10_000, positions: { AAA: 100 * QTY_SCALE } } });
  const seen: string[] = [];
  venue.onQuote((qi, tape) => seen.push(`q ${tape.symbol} ${tape.quotes.time[qi]! - OPEN}`));
  venue.onTrade((ti, tape) => seen.push(`t ${tape.symbol} ${tape.trades!.time[ti]! - OPEN}`));
  const updates: VenueUpdate[] = [];
  venue.onUpdate((u) => updates.push(u));
  const to = (ms: number): void => {
    wall = ms + 1;
    venue.advance();
  };
  return { venue, seen, updates, to };
}

function limit(clientOrderId: string, symbol: string, side: 'buy' | 'sell', shares: number, price: number): NewOrder {
  return { clientOrderId, symbol, side, type: 'limit', timeInForce: 'day', qty: shares * QTY_SCALE, limitPrice: px(price), extendedHours: false };
}

describe('multi-symbol venue', () => {
  it('replays every tape on one clock: time order across symbols; at equal times quotes, then prints, symbols in the order given', () => {
    const { seen, to } = handVenue();
    to(4_000);
    expect(seen).toEqual(['q AAA 0', 'q BBB 500', 'q AAA 1000', 'q BBB 1000', 't AAA 1000', 't BBB 1000', 'q AAA 2000', 'q BBB 2500', 'q AAA 3000']);
  });

  it('matches each order on its own symbol’s tape and books every fill into the one account', () => {
    const { venue, updates, to } = handVenue();
    to(1_200);
    expect(venue.currentQuoteIndex('AAA')).toBe(1);
    expect(venue.currentQuoteIndex('BBB')).toBe(1);
    expect(venue.askNow('BBB')).toBe(px(50.15));
    venue.submit(limit('buy-b', 'BBB', 'buy', 10, 50.3));
    venue.submit(limit('sell-a', 'AAA', 'sell', 40, 9.9));
    to(5_000);
    const fills = updates.filter((u) => u.fill !== undefined).map((u) => [u.order.clientOrderId, u.fill!.price, u.fill!.qty / QTY_SCALE, u.fill!.positionQty / QTY_SCALE]);
    // Each fills at the far side of its own tape's quote prevailing on arrival (the submit latency is under a second here).
    const arrived = (id: string): number => updates.find((u) => u.order.clientOrderId === id && u.event === 'new')!.time;
    const bbbAsk = arrived('buy-b') < at(2_500) ? px(50.15) : px(50.25);
    const aaaBid = arrived('sell-a') < at(2_000) ? px(10.02) : arrived('sell-a') < at(3_000) ? px(10.04) : px(10.06);
    expect(fills).toEqual(expect.arrayContaining([['buy-b', bbbAsk, 10, 10], ['sell-a', aaaBid, 40, 60]]));
    expect(fills).toHaveLength(2);
    expect(venue.account.holding('AAA').qty).toBe(60 * QTY_SCALE);
    expect(venue.account.holding('BBB').qty).toBe(10 * QTY_SCALE);
    const cash = 10_000 * 10_000 * QTY_SCALE - 10 * QTY_SCALE * bbbAsk + 40 * QTY_SCALE * aaaBid;
    expect(venue.account.cash()).toBe(BigInt(cash));
    expect(formatDollars(venue.account.cash())).toBe((cash / 10_000 / QTY_SCALE).toFixed(2));
    expect(venue.openOrders()).toEqual([]);
  });

  it('is deterministic: the same seed and the same wall steps give the same updates', () => {
    const run = (seed: string): string[] => {
      const { venue, updates, to } = handVenue(seed);
      to(100);
      venue.submit(limit('a1', 'AAA', 'buy', 50, 10.5));
      venue.submit(limit('b1', 'BBB', 'buy', 20, 49.0)); // rests below the ask
      to(1_700);
      venue.cancel(venue.orderByClientId('b1')!);
      to(6_000);
      return updates.map((u) => `${u.event} ${u.order.clientOrderId} ${u.time - OPEN} ${u.fill?.price ?? ''}`);
    };
    const first = run('7');
    expect(run('7')).toEqual(first);
    expect(first.filter((e) => e.startsWith('canceled b1'))).toHaveLength(1);
  });

  it('refuses tapes that are not one per symbol of one date, and positions with no tape', () => {
    expect(() => new Venue([aaa, aaa], { startMs: OPEN, speed: 1 })).toThrow(EmulatorSetupError);
    expect(() => new Venue([aaa, { ...bbb, date: '2024-03-05' }], { startMs: OPEN, speed: 1 })).toThrow(/give tapes of one date/);
    expect(() => new Venue([aaa], { startMs: OPEN, speed: 1, account: { cash: 0, positions: { BBB: 1 } } })).toThrow(/^BBB: a position with no tape/);
  });
});
