import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, tradingSession, type OpenSession } from '../../src/engine/calendar.js';
import { formatClock } from '../../src/engine/et-time.js';
import {
  DEFAULT_WINDOW_TIMES,
  isRegularHours,
  marketWindow,
  resolveWindows,
  type MarketWindow,
  type ResolvedWindows,
} from '../../src/engine/trading-day-windows.js';

const MIN = 60_000;
const DAY = 86_400_000;

function openSession(date: string): OpenSession {
  const s = tradingSession(date);
  if (!s.isOpen) throw new Error(`${date} is not a trading day`);
  return s;
}

describe('resolveWindows', () => {
  it('resolves the default windows to exact epoch bounds', () => {
    expect(resolveWindows(openSession('2024-03-11'))).toEqual({
      date: '2024-03-11',
      open: Date.parse('2024-03-11T13:30:00Z'),
      waitForSpreadsEnd: Date.parse('2024-03-11T13:32:00Z'),
      normalEnd: Date.parse('2024-03-11T13:35:00Z'),
      close: Date.parse('2024-03-11T20:00:00Z'),
      halfDay: false,
    });
    expect(resolveWindows(openSession('2024-03-08'))).toMatchObject({
      open: Date.parse('2024-03-08T14:30:00Z'),
      waitForSpreadsEnd: Date.parse('2024-03-08T14:32:00Z'),
    });
  });

  it('returns null on a closed day, which reads as closed all day', () => {
    const holiday = tradingSession('2024-12-25');
    const w = resolveWindows(holiday);
    expect(w).toBeNull();
    expect(marketWindow(Date.parse('2024-12-25T14:31:00Z'), w)).toBe('closed');
    expect(isRegularHours(Date.parse('2024-12-25T14:31:00Z'), w)).toBe(false);
  });

  it('uses the 13:00 ET close on a half day', () => {
    const w = resolveWindows(openSession('2024-11-29'));
    expect(w.close).toBe(Date.parse('2024-11-29T18:00:00Z'));
    expect(w.halfDay).toBe(true);
    expect(marketWindow(w.close - 1, w)).toBe('standard');
    expect(marketWindow(w.close, w)).toBe('closed');
    expect(resolveWindows(openSession('2024-11-29'), { waitForSpreadsEnd: '09:32', normalEnd: '13:00' }).normalEnd).toBe(w.close);
  });

  it('cuts windows that end after a half day\'s 13:00 close at the close, instead of failing the day', () => {
    const half = openSession('2024-11-29');
    const w = resolveWindows(half, { waitForSpreadsEnd: '09:32', normalEnd: '13:00:00.001' });
    expect(w.normalEnd).toBe(w.close);
    const late = resolveWindows(half, { waitForSpreadsEnd: '13:30:00', normalEnd: '15:00:00' });
    expect([late.waitForSpreadsEnd, late.normalEnd]).toEqual([late.close, late.close]);
    expect(marketWindow(late.close - 1, late)).toBe('wait-for-spreads');
    // A full day keeps them where they are.
    const full = resolveWindows(openSession('2024-11-27'), { waitForSpreadsEnd: '13:30:00', normalEnd: '15:00:00' });
    expect(full.normalEnd).toBe(Date.parse('2024-11-27T20:00:00Z'));
  });

  it('moves the windows with a late open', () => {
    const w = resolveWindows(openSession('2002-09-11'));
    expect(w.open).toBe(Date.parse('2002-09-11T16:00:00Z'));
    expect(w.waitForSpreadsEnd).toBe(w.open + 2 * MIN);
    expect(w.normalEnd).toBe(w.open + 5 * MIN);
  });

  it('refuses malformed or out-of-order times', () => {
    const s = openSession('2024-06-03');
    expect(() => resolveWindows(s, { waitForSpreadsEnd: '09:35', normalEnd: '09:32' })).toThrow(RangeError);
    expect(() => resolveWindows(s, { waitForSpreadsEnd: '09:29:59', normalEnd: '09:35' })).toThrow(/before the 09:30 ET open/);
    expect(() => resolveWindows(s, { waitForSpreadsEnd: '9:32', normalEnd: '09:35' })).toThrow(RangeError);
    expect(() => resolveWindows(s, { waitForSpreadsEnd: '09:32', normalEnd: '16:00:01' })).toThrow(/after the regular 16:00 ET close/);
  });

  it('allows empty windows', () => {
    const w = resolveWindows(openSession('2024-06-03'), { waitForSpreadsEnd: '09:30', normalEnd: '09:30' });
    expect(marketWindow(w.open, w)).toBe('standard');
  });
});

describe('marketWindow boundaries, to the millisecond', () => {
  const w = resolveWindows(openSession('2024-06-03'), DEFAULT_WINDOW_TIMES);
  it.each<[string, MarketWindow, boolean]>([
    ['2024-06-03T13:29:59.999Z', 'pre-market', false],
    ['2024-06-03T13:30:00.000Z', 'wait-for-spreads', true],
    ['2024-06-03T13:31:59.999Z', 'wait-for-spreads', true],
    ['2024-06-03T13:32:00.000Z', 'normal', true],
    ['2024-06-03T13:34:59.999Z', 'normal', true],
    ['2024-06-03T13:35:00.000Z', 'standard', true],
    ['2024-06-03T19:59:59.999Z', 'standard', true],
    ['2024-06-03T20:00:00.000Z', 'closed', false],
  ])('%s is %s', (iso, expected, regular) => {
    expect(marketWindow(Date.parse(iso), w)).toBe(expected);
    expect(isRegularHours(Date.parse(iso), w)).toBe(regular);
  });
});

/** An open day in the calendar's range, with arbitrary valid window times for it. */
const dayWithWindows: fc.Arbitrary<ResolvedWindows> = fc
  .integer({ min: Date.UTC(CALENDAR_FIRST_YEAR, 0, 1) / DAY, max: Date.UTC(CALENDAR_LAST_YEAR, 11, 31) / DAY })
  .map((day) => tradingSession(new Date(day * DAY).toISOString().slice(0, 10)))
  .filter((s): s is OpenSession => s.isOpen)
  .chain((s) => {
    const sessionMs = s.closeTime - s.openTime;
    return fc
      .tuple(fc.integer({ min: 0, max: sessionMs }), fc.integer({ min: 0, max: sessionMs }))
      .map(([a, b]) => {
        const base = 9.5 * 60 * MIN; // offsets are relative to a regular 09:30 open
        const times = { waitForSpreadsEnd: formatClock(base + Math.min(a, b)), normalEnd: formatClock(base + Math.max(a, b)) };
        return resolveWindows(s, times);
      });
  });

const RANK: Record<MarketWindow, number> = { 'pre-market': 0, 'wait-for-spreads': 1, normal: 2, standard: 3, closed: 4 };

describe('marketWindow properties', () => {
  it('places any instant in exactly one window, the one it reports', () => {
    fc.assert(
      fc.property(dayWithWindows, fc.integer({ min: -DAY, max: DAY }), (w, dt) => {
        const t = w.open + dt;
        const member: Record<MarketWindow, boolean> = {
          'pre-market': t < w.open,
          'wait-for-spreads': w.open <= t && t < w.waitForSpreadsEnd,
          normal: w.waitForSpreadsEnd <= t && t < w.normalEnd,
          standard: w.normalEnd <= t && t < w.close,
          closed: t >= w.close,
        };
        const hits = (Object.keys(member) as MarketWindow[]).filter((k) => member[k]);
        expect(hits).toEqual([marketWindow(t, w)]);
        expect(isRegularHours(t, w)).toBe(hits[0] !== 'pre-market' && hits[0] !== 'closed');
      }),
    );
  });

  it('is monotone in time', () => {
    fc.assert(
      fc.property(dayWithWindows, fc.integer({ min: -DAY, max: DAY }), fc.integer({ min: 0, max: DAY }), (w, dt, gap) => {
        const t = w.open + dt;
        expect(RANK[marketWindow(t, w)]).toBeLessThanOrEqual(RANK[marketWindow(t + gap, w)]);
      }),
    );
  });
});
