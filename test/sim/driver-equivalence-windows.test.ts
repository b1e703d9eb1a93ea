/**
 * The sim driver takes each execution's trading windows from a per-day cache instead of asking the
 * calendar (luxon time-zone work) every time. The cache must answer exactly as the calendar does:
 * for any instant, on regular days, weekends, holidays, half days, DST switch days, before the
 * open, after the close, with any window times (including ones that do not fit a half day).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { calendarWindows } from '../../src/engine/execution/calendar-windows.js';
import { DEFAULT_WINDOW_TIMES, type WindowTimes } from '../../src/engine/trading-day-windows.js';
import { cachedCalendarWindows } from '../../src/sim/calendar-windows-cache.js';

const TIMES: readonly WindowTimes[] = [
  DEFAULT_WINDOW_TIMES,
  { waitForSpreadsEnd: '09:30:20', normalEnd: '09:31:00' },
  { waitForSpreadsEnd: '09:30:00', normalEnd: '15:59:59' },
  // Past a half day's 13:00 close: refused on those days only.
  { waitForSpreadsEnd: '09:32:00', normalEnd: '14:00:00' },
];

/** Days that stress the calendar: DST switches, holidays, half days, weekends, year ends. */
const SPECIAL_DAYS = ['2013-10-07', '2024-03-10', '2024-03-11', '2024-11-03', '2024-11-04', '2024-07-03', '2024-07-04', '2024-11-29', '2024-12-24', '2024-12-25', '2023-12-31', '2024-01-01', '2024-03-09', '1999-12-31', '2000-01-03'];

describe('per-day cached calendar windows', () => {
  it('equal the calendar for any instant and window times', () => {
    const dayArb = fc.oneof(
      fc.constantFrom(...SPECIAL_DAYS).map((d) => etClockToEpoch(d, '00:00')),
      fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2035, 0, 1) }),
    );
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -2 * 3_600_000, max: 26 * 3_600_000 }), fc.constantFrom(...TIMES), (day, offset, times) => {
        const t = day + offset;
        expect(cachedCalendarWindows(t, times)).toStrictEqual(calendarWindows(t, times));
      }),
      { numRuns: 3_000 },
    );
  });

  it('answers at the edges of a day and of its session', () => {
    for (const date of SPECIAL_DAYS) {
      for (const times of TIMES) {
        const edges = [etClockToEpoch(date, '00:00'), etClockToEpoch(date, '00:00') - 1, etClockToEpoch(date, '09:30'), etClockToEpoch(date, '09:30') - 1, etClockToEpoch(date, '13:00'), etClockToEpoch(date, '16:00'), etClockToEpoch(date, '16:00') - 1, etClockToEpoch(date, '23:59:59.999')];
        for (const t of edges) expect(cachedCalendarWindows(t, times)).toStrictEqual(calendarWindows(t, times));
      }
    }
  });

  it('passes instants it cannot place to the calendar, errors included', () => {
    for (const t of [NaN, Infinity, -Infinity, 8.64e15, -8.64e15]) {
      let expected: unknown;
      try {
        expected = calendarWindows(t, DEFAULT_WINDOW_TIMES);
      } catch (err) {
        expected = err;
      }
      if (expected instanceof Error) expect(() => cachedCalendarWindows(t, DEFAULT_WINDOW_TIMES)).toThrow(expected.message);
      else expect(cachedCalendarWindows(t, DEFAULT_WINDOW_TIMES)).toStrictEqual(expected);
    }
  });
});
