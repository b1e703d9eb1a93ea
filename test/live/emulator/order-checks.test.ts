import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { AuditLog } from '../../../src/live/emulator/audit-log.js';
import { NO_FAULTS } from '../../../src/live/emulator/faults.js';
import { LookupLag } from '../../../src/live/emulator/lookup-lag.js';
import { orderRoutes } from '../../../src/live/emulator/rest-orders.js';
import { UpdateFeed } from '../../../src/live/emulator/update-feed.js';
import { Venue, type VenueUpdate } from '../../../src/live/emulator/venue.js';
import { OPEN, buildTape } from '../../sim/tape-builder.js';

// Two symbols whose quotes move every 200 ms for a minute, with small displayed size (orders walk and rest).
const rows = (base: number, step: number) => Array.from({ length: 300 }, (_, i) => ({ t: i * 200, bid: base + step * Math.sin(i / 7), ask: base + step * Math.sin(i / 7) + 0.02, bidSize: 30, askSize: 30 })).map((q) => ({ ...q, bid: Math.round(q.bid * 100) / 100, ask: Math.round(q.ask * 100) / 100 }));
const aaa = buildTape(rows(20, 0.5), null, { symbol: 'AAA' });
const bbb = buildTape(rows(75, 1.5), null, { symbol: 'BBB' });

type Step =
  | { k: 'order'; symbol: 'AAA' | 'BBB'; side: 'buy' | 'sell'; shares: number; frac: boolean; market: boolean; offsetCents: number }
  | { k: 'cancel'; pick: number }
  | { k: 'wait'; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('order' as const), symbol: fc.constantFrom('AAA' as const, 'BBB' as const), side: fc.constantFrom('buy' as const, 'sell' as const), shares: fc.integer({ min: 1, max: 200 }), frac: fc.boolean(), market: fc.boolean(), offsetCents: fc.integer({ min: -30, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 3_000 }) }) },
);

describe('order checks at the door, through the order routes of a two-symbol venue', () => {
  it('whatever is sent, no position goes below zero, cash and buying power stay non-negative, and cash moves by exactly the fills', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 20_000 }), (steps, cashDollars) => {
        let wall = 0;
        const venue = new Venue([aaa, bbb], { startMs: OPEN, speed: 1, wallClock: () => wall, account: { cash: cashDollars * 10_000, positions: { AAA: 100 * QTY_SCALE } } });
        const audit = new AuditLog();
        const feed = new UpdateFeed(venue);
        const routes = orderRoutes(venue, audit, NO_FAULTS, feed, new LookupLag(0, audit, () => venue.now()));
        const fills: VenueUpdate[] = [];
        venue.onUpdate((u) => {
          if (u.fill !== undefined) fills.push(u);
        });
        const check = (): void => {
          const open = venue.openOrders();
          for (const s of ['AAA', 'BBB']) expect(venue.account.holding(s).qty).toBeGreaterThanOrEqual(0);
          expect(venue.account.cash() >= 0n).toBe(true);
          expect(venue.account.buyingPower(open, (s) => venue.askNow(s)) >= 0n).toBe(true);
          // The oracle: opening cash minus the signed notional of every fill reported.
          let cash = BigInt(cashDollars) * 10_000n * BigInt(QTY_SCALE);
          for (const f of fills) cash -= (f.order.side === 'buy' ? 1n : -1n) * BigInt(f.fill!.qty) * BigInt(f.fill!.price);
          expect(venue.account.cash()).toBe(cash);
        };
        let n = 0;
        try {
          for (const st of steps) {
            if (st.k === 'wait') wall += st.ms;
            else if (st.k === 'cancel') {
              const open = venue.openOrders().filter((o) => o.status !== 'pending_replace');
              if (open.length > 0) routes.cancel(open[st.pick % open.length]!.id);
            } else {
              const qi = venue.currentQuoteIndex(st.symbol);
              const tape = st.symbol === 'AAA' ? aaa : bbb;
              const far = qi < 0 ? tape.quotes.ask[0]! : st.side === 'buy' ? tape.quotes.ask[qi]! : tape.quotes.bid[qi]!;
              const limit = Math.max(100, far + st.offsetCents * 100) / 10_000;
              const qty = st.frac ? `${st.shares}.25` : String(st.shares);
              routes.submit({ symbol: st.symbol, side: st.side, type: st.market ? 'market' : 'limit', time_in_force: 'day', qty, ...(st.market ? {} : { limit_price: limit.toFixed(2) }), client_order_id: `o${++n}` });
            }
            venue.advance();
            check();
          }
          wall += 120_000; // let everything in flight land
          venue.advance();
          check();
        } finally {
          feed.stop();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('checks a replace as a new order with the one it replaces released', () => {
    let wall = 0;
    const venue = new Venue([aaa, bbb], { startMs: OPEN, speed: 1, wallClock: () => wall, account: { cash: 1_000 * 10_000, positions: { AAA: 100 * QTY_SCALE } } });
    const audit = new AuditLog();
    const feed = new UpdateFeed(venue);
    const routes = orderRoutes(venue, audit, NO_FAULTS, feed, new LookupLag(0, audit, () => venue.now()));
    try {
      wall = 100;
      venue.advance();
      const sell = (cid: string, qty: number) => routes.submit({ symbol: 'AAA', side: 'sell', type: 'limit', time_in_force: 'day', qty: String(qty), limit_price: '99.00', client_order_id: cid });
      expect(sell('s1', 60).status).toBe(200);
      expect(sell('s2', 30).status).toBe(200);
      wall = 2_000; // both rest at $99, far above the market
      venue.advance();
      const s1 = venue.orderByClientId('s1')!;
      // 100 held, 30 held for s2: s1 may become at most 70.
      const over = routes.replace(s1.id, { qty: '71', client_order_id: 's1-b' });
      expect(over.status).toBe(403);
      expect((over.body as { message: string }).message).toBe('insufficient qty available for order (requested: 71, available: 70)');
      expect(routes.replace(s1.id, { qty: '70', client_order_id: 's1-c' }).status).toBe(200);
      // A buy's replace at a higher limit must fit the buying power, the old reservation released
      // (BBB trades near $75: these limits rest). $840 reserved, then $980 instead: not $1,820.
      expect(routes.submit({ symbol: 'BBB', side: 'buy', type: 'limit', time_in_force: 'day', qty: '14', limit_price: '60.00', client_order_id: 'b1' }).status).toBe(200);
      wall = 4_000;
      venue.advance();
      const b1 = venue.orderByClientId('b1')!;
      expect(routes.replace(b1.id, { limit_price: '70.00', client_order_id: 'b1-b' }).status).toBe(200); // $980 of $1,000
      wall = 6_000;
      venue.advance();
      const b1b = venue.orderByClientId('b1-b')!;
      expect(b1b.status).toBe('new');
      const tooDear = routes.replace(b1b.id, { limit_price: '71.50', client_order_id: 'b1-c' }); // $1,001
      expect(tooDear.status).toBe(403);
      expect((tooDear.body as { message: string }).message).toBe('insufficient buying power');
    } finally {
      feed.stop();
    }
  });
});
