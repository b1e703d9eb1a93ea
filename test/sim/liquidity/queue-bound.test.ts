/**
 * The queue bound, checked from the tape alone: under the conservative model, every fill a
 * resting order gets from prints is covered by the regular prints at or through its limit since
 * it joined, after the queue the tape displayed ahead of it at joining; and a quote that only
 * touches its limit fills it only once such prints have covered that queue. Quotes that come
 * through the limit are marketable against it (they are bounded by the displayed size instead:
 * flat-tape.test.ts). The oracle below knows nothing of the exchange's bookkeeping: it reads the
 * quotes and prints it fed, and the fills reported.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarWindows } from '../../../src/engine/execution/calendar-windows.js';
import { DEFAULT_WINDOW_TIMES, type ResolvedWindows } from '../../../src/engine/trading-day-windows.js';
import { addTicks } from '../../../src/engine/tick.js';
import { QTY_SCALE, type Side } from '../../../src/engine/units.js';
import { DEFAULT_FILL_MODEL } from '../../../src/sim/fill-model-config.js';
import { SimExchange, type VenueReport } from '../../../src/sim/sim-exchange.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { DATE, OPEN } from '../tape-builder.js';

const WINDOWS = calendarWindows(OPEN + 60_000, DEFAULT_WINDOW_TIMES) as ResolvedWindows;
const BASE = 500_000; // $50.00

const stepArb = fc.record({
  dt: fc.integer({ min: 1, max: 400 }),
  move: fc.integer({ min: -2, max: 2 }),
  spread: fc.integer({ min: 1, max: 4 }),
  bidSize: fc.integer({ min: 0, max: 600 }),
  askSize: fc.integer({ min: 0, max: 600 }),
  prints: fc.array(
    fc.record({ pos: fc.integer({ min: -2, max: 3 }), size: fc.integer({ min: 1, max: 400 }), regular: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }),
    { maxLength: 3 },
  ),
});

const orderArb = fc.record({
  at: fc.double({ min: 0, max: 0.6, noNaN: true }),
  side: fc.constantFrom<Side>('buy', 'sell'),
  shares: fc.integer({ min: 1, max: 3_000 }),
  /** Ticks from the near side toward the far side (negative: behind the NBBO). */
  ticks: fc.integer({ min: -2, max: 4 }),
  /** Cancel it and send a second order this far (share of the tape) later, or not. */
  repeg: fc.option(fc.record({ after: fc.double({ min: 0.01, max: 0.3, noNaN: true }), ticks: fc.integer({ min: -1, max: 4 }) }), { freq: 2 }),
});

interface Built {
  readonly tape: Tape;
  /** Events in replay order: quotes before prints within a millisecond, as the sim driver does. */
  readonly events: readonly { readonly t: number; readonly kind: 'quote' | 'trade'; readonly i: number }[];
}

function build(steps: readonly (typeof stepArb extends fc.Arbitrary<infer T> ? T : never)[]): Built {
  const q = { time: [] as number[], bid: [] as number[], ask: [] as number[], bidSize: [] as number[], askSize: [] as number[] };
  const tr = { time: [] as number[], price: [] as number[], size: [] as number[], regular: [] as number[] };
  const events: { t: number; kind: 'quote' | 'trade'; i: number }[] = [];
  let t = OPEN + 60_000;
  let level = 0;
  for (const s of steps) {
    level = Math.max(-300, Math.min(300, level + s.move));
    const bid = addTicks(BASE, level);
    const ask = addTicks(bid, s.spread);
    events.push({ t, kind: 'quote', i: q.time.length });
    q.time.push(t);
    q.bid.push(bid);
    q.ask.push(ask);
    q.bidSize.push(s.bidSize);
    q.askSize.push(s.askSize);
    for (const p of s.prints) {
      events.push({ t, kind: 'trade', i: tr.time.length });
      tr.time.push(t);
      tr.price.push(p.pos <= 0 ? addTicks(bid, p.pos) : addTicks(ask, p.pos - 1));
      tr.size.push(p.size);
      tr.regular.push(p.regular ? 1 : 0);
    }
    t += s.dt;
  }
  const tape: Tape = {
    symbol: 'TQQQ',
    date: DATE,
    source: 'test:queue-bound',
    quotes: { length: q.time.length, time: Float64Array.from(q.time), bid: Int32Array.from(q.bid), ask: Int32Array.from(q.ask), bidSize: Int32Array.from(q.bidSize), askSize: Int32Array.from(q.askSize) },
    trades: { length: tr.time.length, time: Float64Array.from(tr.time), price: Int32Array.from(tr.price), size: Int32Array.from(tr.size), regular: Uint8Array.from(tr.regular) },
    tradesAreBars: false,
  };
  return { tape, events };
}

describe('conservative liquidity: resting fills are covered by prints after the queue displayed ahead', () => {
  it('holds on generated tapes, both sides, at, inside and behind the near side, across a cancel and re-send', () => {
    let printFills = 0;
    let touchFills = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 120 }), orderArb, (steps, o) => {
        const { tape, events } = build(steps);
        const { quotes: q, trades: tr } = tape;
        const buy = o.side === 'buy';
        const reports: { r: VenueReport; via: 'quote' | 'trade' | 'arrival' }[] = [];
        let via: 'quote' | 'trade' | 'arrival' = 'arrival';
        const ex = new SimExchange(tape, DEFAULT_FILL_MODEL, WINDOWS, () => 0.5, (r) => reports.push({ r, via }));

        // Orders: the first joins at a snapshot's time, the optional second after the first's cancel.
        const first = q.time[0]!;
        const span = q.time[q.length - 1]! - first;
        const plans = [{ id: 'a', at: Math.round(first + o.at * span), ticks: o.ticks }];
        if (o.repeg !== null) plans.push({ id: 'b', at: plans[0]!.at + Math.max(1, Math.round(o.repeg.after * span)), ticks: o.repeg.ticks });
        const joined = new Map<string, { at: number; limit: number; queue: number }>();
        const send = (plan: (typeof plans)[number]): void => {
          const p = events.filter((e) => e.kind === 'quote' && e.t <= plan.at).at(-1)?.i ?? 0;
          const near = buy ? q.bid[p]! : q.ask[p]!;
          const limit = addTicks(near, buy ? plan.ticks : -plan.ticks);
          if (limit <= 0) return;
          // The tape's queue at our price when we join: displayed there if we join the near side.
          const queue = limit === near ? (buy ? q.bidSize[p]! : q.askSize[p]!) : 0;
          joined.set(plan.id, { at: plan.at, limit, queue });
          via = 'arrival';
          ex.orderArrives(plan.at, { clientOrderId: plan.id, side: o.side, type: 'limit', qty: o.shares * QTY_SCALE, limitPrice: limit });
        };
        let next = 0;
        for (const e of events) {
          while (next < plans.length && plans[next]!.at < e.t) {
            if (next === 1) ex.cancelArrives(plans[1]!.at, 'a');
            send(plans[next++]!);
          }
          via = e.kind;
          if (e.kind === 'quote') ex.onQuote(e.i);
          else ex.onTrade(e.i);
        }

        for (const [id, j] of joined) {
          // Regular prints at or through the limit after joining, up to each fill.
          const reaching = (upTo: number): number => {
            let s = 0;
            for (let i = 0; i < tr!.length; i++) {
              const t = tr!.time[i]!;
              const price = tr!.price[i]!;
              if (t > j.at && t <= upTo && tr!.regular![i] === 1 && (buy ? price <= j.limit : price >= j.limit)) s += tr!.size[i]!;
            }
            return s;
          };
          let filledFromPrints = 0;
          for (const { r, via: source } of reports) {
            if (r.type !== 'fill' || r.clientOrderId !== id || source === 'arrival') continue;
            const shares = r.qty / QTY_SCALE;
            if (source === 'trade') {
              filledFromPrints += shares;
              printFills++;
              expect(reaching(r.time)).toBeGreaterThanOrEqual(j.queue + filledFromPrints - 1e-9);
            } else {
              const p = events.filter((e) => e.kind === 'quote' && e.t <= r.time).at(-1)!.i;
              const far = buy ? q.ask[p]! : q.bid[p]!;
              expect(buy ? far <= j.limit : far >= j.limit).toBe(true);
              if (far === j.limit) {
                touchFills++;
                expect(reaching(r.time)).toBeGreaterThanOrEqual(j.queue);
              }
            }
          }
        }
      }),
      { numRuns: 1_500 },
    );
    // The generator must reach both kinds of resting fill.
    expect(printFills).toBeGreaterThan(200);
    expect(touchFills).toBeGreaterThan(20);
  });
});
