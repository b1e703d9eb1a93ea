/**
 * The ladder family's schedule, step by step, against prices worked out by hand from the README's
 * rules (not from the code): where each limit goes per spread class and re-peg mode, and which
 * timeout each child gets.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, type LadderParams } from '../../../src/engine/config.js';
import { resolveWindows } from '../../../src/engine/trading-day-windows.js';
import { tradingSession } from '../../../src/engine/calendar.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import type { Quote } from '../../../src/engine/quote.js';
import { ladderLimit, ladderTimeoutMs } from '../../../src/engine/strategies/ladder-pricing.js';
import type { Side } from '../../../src/engine/units.js';

const usd = (d: number): number => Math.round(d * 10_000);
const quote = (bid: number, ask: number): Quote => ({ time: 0, bid: usd(bid), ask: usd(ask), bidSize: 100, askSize: 100 });
const params = (ladder: Record<string, unknown>): LadderParams => parseConfig({ ladder }).ladder;
/** Every step's limit in dollars, first child to last re-peg. */
const schedule = (p: LadderParams, side: Side, q: Quote): number[] => Array.from({ length: p.maxRepegs + 1 }, (_, k) => ladderLimit(p, side, q, k) / 10_000);

// $50.00 x $50.10: 10 c, 20 bps: "wide" by both measures. $50.00 x $50.04: "normal". $50.00 x $50.01: "tight".
const WIDE = quote(50, 50.1);
const NORMAL = quote(50, 50.04);
const TIGHT = quote(50, 50.01);

describe('the ladder family: limits', () => {
  it('by default every step is the seed ladder: the ask plus aggression, plus escalation per re-peg', () => {
    expect(schedule(params({}), 'buy', WIDE)).toEqual([50.11, 50.11, 50.11]);
    expect(schedule(params({ escalationTicksPerRepeg: 2 }), 'buy', WIDE)).toEqual([50.11, 50.13, 50.15]);
    expect(schedule(params({ aggressionTicks: 0 }), 'sell', NORMAL)).toEqual([50, 50, 50]);
  });

  it('an inside entry with even fraction steps reaches the far side plus aggression at the last re-peg', () => {
    // 0.3, then 0.3 + 0.7/3 = 0.5333 (5.33 ticks up: 6), 0.7667 (7.67: 8), then marketable.
    const p = params({ maxRepegs: 3, entry: { wide: 0.3 } });
    expect(schedule(p, 'buy', WIDE)).toEqual([50.03, 50.06, 50.08, 50.11]);
    // A sell mirrors it from the ask, rounding down: 50.07, 50.04 (5.33 down: 6), 50.02, then the bid minus one tick.
    expect(schedule(p, 'sell', WIDE)).toEqual([50.07, 50.04, 50.02, 49.99]);
  });

  it('fraction steps are exact decimals: 0.1 + 0.2 of a 10-tick spread is 3 ticks, not 4', () => {
    const p = params({ maxRepegs: 2, entry: { wide: 0.1 }, repegStep: { fraction: 0.2 } });
    expect(schedule(p, 'buy', WIDE)).toEqual([50.01, 50.03, 50.11]);
    expect(schedule(p, 'sell', WIDE)).toEqual([50.09, 50.07, 49.99]);
  });

  it('a fraction step never goes past the far side before the last re-peg', () => {
    const p = params({ maxRepegs: 3, aggressionTicks: 2, entry: { wide: 0.5 }, repegStep: { fraction: 0.4 } });
    expect(schedule(p, 'buy', WIDE)).toEqual([50.05, 50.09, 50.1, 50.12]);
  });

  it('tick steps move from the entry price, capped at the marketable price, and end marketable', () => {
    expect(schedule(params({ maxRepegs: 3, entry: { wide: 0 }, repegStep: { mode: 'ticks', ticks: 3 } }), 'buy', WIDE)).toEqual([50, 50.03, 50.06, 50.11]);
    expect(schedule(params({ maxRepegs: 4, entry: { wide: 0 }, repegStep: { mode: 'ticks', ticks: 5 } }), 'buy', WIDE)).toEqual([50, 50.05, 50.1, 50.11, 50.11]);
    expect(schedule(params({ maxRepegs: 2, entry: { wide: 0 }, repegStep: { mode: 'ticks', ticks: 4 } }), 'sell', WIDE)).toEqual([50.1, 50.06, 49.99]);
  });

  it('with no re-peg an inside entry stays inside: only a re-peg is made marketable', () => {
    expect(schedule(params({ maxRepegs: 0, entry: { wide: 0.5 } }), 'buy', WIDE)).toEqual([50.05]);
  });

  it('a list prices each re-peg at its listed fraction, as written (progressive: 0.5, 0.75, 0.95)', () => {
    const p = params({ maxRepegs: 2, entry: { tight: 0.5, normal: 0.5, wide: 0.5 }, repegStep: { mode: 'list', fractions: [0.75, 0.95] } });
    expect(schedule(p, 'buy', WIDE)).toEqual([50.05, 50.08, 50.1]); // 7.5 ticks up: 8; 9.5: 10
    expect(schedule(p, 'sell', WIDE)).toEqual([50.05, 50.02, 50]);
    // A 20-tick spread shows 95% is not the far side: 19 ticks in.
    expect(ladderLimit(p, 'buy', quote(50, 50.2), 2)).toBe(usd(50.19));
  });

  it('each step is priced by the class of its own quote', () => {
    const p = params({ maxRepegs: 2, entry: { normal: 0, wide: 0.5 } });
    expect(ladderLimit(p, 'buy', TIGHT, 0)).toBe(usd(50.02)); // tight: marketable
    expect(ladderLimit(p, 'buy', NORMAL, 0)).toBe(usd(50)); // normal: join the bid
    expect(ladderLimit(p, 'buy', WIDE, 0)).toBe(usd(50.05)); // wide: the mid
    expect(ladderLimit(p, 'buy', NORMAL, 1)).toBe(usd(50.02)); // normal, re-peg 1 of 2: half way
    expect(ladderLimit(p, 'buy', TIGHT, 1)).toBe(usd(50.02)); // the spread tightened: marketable
  });

  it('a list must name one fraction per re-peg', () => {
    expect(() => params({ maxRepegs: 3, repegStep: { mode: 'list', fractions: [0.5] } })).toThrow(/ladder\.repegStep\.fractions: .*one fraction per re-peg/);
    expect(() => params({ entry: { wide: 1.5 } })).toThrow(/ladder\.entry\.wide/);
    expect(() => params({ entry: { wide: 'mid' } })).toThrow('ladder.entry.wide: expected "marketable" or a fraction of the spread from 0 to 1');
  });
});

describe('the ladder family: timeouts', () => {
  const day = '2024-03-04';
  const windows = resolveWindows(tradingSession(day), { waitForSpreadsEnd: '09:32:00', normalEnd: '09:35:00' })!;
  const early = etClockToEpoch(day, '09:33:00');
  const late = etClockToEpoch(day, '10:00:00');
  const p = params({ timeouts: { openMs: 2000, normalMs: 3000, wide: { openMs: 9000 }, tight: { normalMs: 500 } } });

  it('take the window timeout unless the quote class sets its own for that window', () => {
    expect(ladderTimeoutMs(p, early, windows, WIDE)).toBe(9000);
    expect(ladderTimeoutMs(p, late, windows, WIDE)).toBe(3000);
    expect(ladderTimeoutMs(p, early, windows, TIGHT)).toBe(2000);
    expect(ladderTimeoutMs(p, late, windows, TIGHT)).toBe(500);
    expect(ladderTimeoutMs(p, early, windows, NORMAL)).toBe(2000);
    expect(ladderTimeoutMs(p, late, windows, NORMAL)).toBe(3000);
  });

  it('fall back to the window timeout without a usable quote to classify', () => {
    expect(ladderTimeoutMs(p, early, windows, null)).toBe(2000);
    expect(ladderTimeoutMs(p, early, windows, { ...WIDE, ask: WIDE.bid })).toBe(2000);
  });
});
