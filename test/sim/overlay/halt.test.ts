import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/sim/plan/build-plan.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import type { ExecutionReport } from '../../../src/engine/execution-report.js';
import { isOnTickGrid } from '../../../src/engine/tick.js';
import { runBacktest } from '../../../src/sim/backtest.js';
import { applyOverlays } from '../../../src/sim/overlay/apply-overlays.js';
import { haltTape } from '../../../src/sim/overlay/halt.js';
import { loadScenario } from '../../../src/sim/scenario/load-scenario.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { MIN, SEC, at, buildTape, px, steadyQuotes } from '../tape-builder.js';
import { fixedLatency, runOn } from '../sim-run.js';

const HALT_SCENARIO = fileURLToPath(new URL('../../../scenarios/halt.json', import.meta.url));
/** $50.00 x $50.01 every 500 ms from 09:30 to 09:40, a print every second. */
const calm = buildTape(
  steadyQuotes(0, 10 * MIN, { bid: 50, spread: 0.01 }),
  Array.from({ length: 600 }, (_, s) => ({ t: s * SEC + 250, price: 50.01, size: 100 })),
);
const times = (tape: Tape) => Array.from(tape.quotes.time);
const fillsOf = (r: ExecutionReport) => r.childOrders.flatMap((c) => c.fills);

describe('haltTape', () => {
  const halted = haltTape(calm, { at: '09:31:00', durationSeconds: 60, gapBps: 100 });
  const [start, end] = [at(MIN), at(2 * MIN)];

  it('removes quotes and trades inside [at, at + duration) and records the halt', () => {
    expect(times(halted).filter((t) => t >= start && t < end)).toEqual([]);
    expect(Array.from(halted.trades!.time).filter((t) => t >= start && t < end)).toEqual([]);
    expect(times(halted)).toContain(end); // the first quote after the halt is kept
    expect(halted.halts).toEqual([{ start, end }]);
    expect(halted.quotes.length).toBe(calm.quotes.length - 120);
  });

  it('moves every later price by the gap, on the grid; earlier prices are untouched', () => {
    const i = times(halted).indexOf(end);
    expect([halted.quotes.bid[i], halted.quotes.ask[i]]).toEqual([px(50.5), px(50.51)]);
    expect([halted.quotes.bid[i - 1], halted.quotes.ask[i - 1]]).toEqual([px(50), px(50.01)]);
    const tradesAfter = Array.from(halted.trades!.price).filter((_, k) => halted.trades!.time[k]! >= end);
    expect(new Set(tradesAfter)).toEqual(new Set([px(50.51)]));
    for (const p of [...halted.quotes.bid, ...halted.quotes.ask]) expect(isOnTickGrid(p)).toBe(true);
  });

  it('keeps valid quotes valid, zero sides zero, and prices positive under a large negative gap', () => {
    const tape = buildTape([{ t: 0, bid: 0.0003, ask: 0.0004 }, { t: 2 * MIN, bid: 0.0003, ask: 0.0004 }, { t: 3 * MIN, bid: 0, ask: 0.0004 }]);
    const h = haltTape(tape, { at: '09:31:00', durationSeconds: 30, gapBps: -4_000 });
    expect(Array.from(h.quotes.bid)).toEqual([3, 2, 0]);
    expect(Array.from(h.quotes.ask)).toEqual([4, 3, 2]); // 2 and 2.4 round together: the ask steps one tick up
  });

  it('never mutates its input and adds to halts already recorded', () => {
    const bidBefore = calm.quotes.bid.slice();
    const twice = haltTape(halted, { at: '09:30:10', durationSeconds: 5, gapBps: 0 });
    expect(calm.quotes.bid).toEqual(bidBefore);
    expect(calm.halts).toBeUndefined();
    expect(twice.halts).toEqual([{ start: at(10 * SEC), end: at(15 * SEC) }, { start, end }]);
  });

  it('refuses a malformed start time', () => {
    expect(() => haltTape(calm, { at: '9:31', durationSeconds: 60, gapBps: 0 })).toThrow(RangeError);
  });
});

describe('the simulated exchange during a halt', () => {
  const model = fixedLatency();

  it('a market order decided in the halt waits for the first quote after it, and fills at the gapped price', () => {
    const h = haltTape(calm, { at: '09:31:00', durationSeconds: 20, gapBps: 100 });
    const r = runOn(h, { strategy: 'market', decisionMs: MIN + 5 * SEC, fillModel: model });
    expect(r.outcome).toBe('filled');
    for (const f of fillsOf(r)) expect(f.time).toBeGreaterThanOrEqual(at(MIN + 20 * SEC));
    expect(fillsOf(r)[0]!.price).toBe(px(50.51));
  });

  it('a ladder child resting when the halt starts does not fill inside it; the ladder finishes after it', () => {
    // The ask jumps just before the halt, so the child sent at 09:30:59.900 rests instead of filling.
    const quotes = [...steadyQuotes(0, MIN - 80, { bid: 50, spread: 0.01, everyMs: 20 }), ...steadyQuotes(MIN - 80, 10 * MIN, { bid: 50.05, spread: 0.05 })];
    const h = haltTape(buildTape(quotes, [{ t: MIN + 5 * SEC, price: 49, size: 10_000 }]), { at: '09:31:00', durationSeconds: 20, gapBps: -100 });
    const r = runOn(h, { decisionMs: MIN - 100, fillModel: model });
    expect(r.childOrders[0]!.submittedAt).toBe(at(MIN - 100));
    for (const f of fillsOf(r)) expect(f.time < at(MIN) || f.time >= at(MIN + 20 * SEC)).toBe(true);
    expect(fillsOf(r).some((f) => f.time >= at(MIN + 20 * SEC))).toBe(true);
    expect(r.outcome).toBe('filled');
  });

  it('with a declared halt but quotes still inside, nothing matches until a quote from after it', () => {
    const tape: Tape = { ...calm, halts: [{ start: at(MIN), end: at(MIN + 10 * SEC) }] };
    const r = runOn(tape, { strategy: 'market', decisionMs: MIN + 2 * SEC, fillModel: model });
    expect(fillsOf(r).map((f) => f.time)).toEqual([at(MIN + 10 * SEC)]);
    const free = runOn(calm, { strategy: 'market', decisionMs: MIN + 2 * SEC, fillModel: model });
    expect(fillsOf(free)[0]!.time).toBeLessThan(at(MIN + 3 * SEC)); // the halt is what changed the outcome
  });
});

describe('scenarios/halt.json', () => {
  const scenario = loadScenario(HALT_SCENARIO);
  const plan = buildPlan(scenario, {});
  const reports = runBacktest(plan);

  it('halts every synthetic open a minute or two after 09:30, with decisions before, during and after it', () => {
    expect(scenario.halt).toBeDefined();
    const tape = plan.tapes[0]!.load();
    const [halt] = tape.halts!;
    const open = etClockToEpoch(tape.date, '09:30:00');
    expect(halt!.start - open).toBeGreaterThanOrEqual(MIN);
    expect(halt!.start - open).toBeLessThanOrEqual(2 * MIN);
    const decisions = scenario.orders.decisionTimes.map((c) => etClockToEpoch(tape.date, c));
    expect(decisions.some((d) => d < halt!.start)).toBe(true);
    expect(decisions.some((d) => d >= halt!.start && d < halt!.end)).toBe(true);
    expect(decisions.some((d) => d >= halt!.end)).toBe(true);
  });

  it('never fills inside a halt, and every ladder execution finishes: filled, or failed with a quote reason', () => {
    const haltOf = new Map(plan.tapes.map((s) => {
      const t = s.load();
      return [t.date, t.halts![0]!] as const;
    }));
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) {
      const h = haltOf.get(r.date)!;
      for (const f of fillsOf(r)) expect(f.time < h.start || f.time >= h.end, r.executionId).toBe(true);
      expect(r.reason ?? '', r.executionId).not.toMatch(/did not finish/);
      if (r.strategy === 'ladder' && r.outcome !== 'filled') expect(r.reason, r.executionId).toMatch(/quote/);
    }
    expect(reports.filter((r) => r.strategy === 'ladder' && r.outcome === 'filled').length).toBeGreaterThan(0);
    expect(reports.filter((r) => r.strategy === 'ladder' && r.outcome !== 'filled').length).toBeGreaterThan(0);
  });

  it('applyOverlays with a halt is what the plan applies to each open', () => {
    const base = buildPlan({ ...scenario, halt: undefined }, {}).tapes[0]!.load();
    expect(plan.tapes[0]!.load()).toEqual(applyOverlays(base, { halt: scenario.halt }, scenario.seed));
  });
});
