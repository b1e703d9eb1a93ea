import { addDays, etClockToEpoch, etDateOf } from '../engine/et-time.js';
import { calendarWindows } from '../engine/execution/calendar-windows.js';
import type { ResolvedWindows, WindowTimes } from '../engine/trading-day-windows.js';
import type { EpochMs } from '../engine/units.js';

/** One New York calendar day [start, end) in epoch ms and what `calendarWindows` says about it. */
interface CachedDay {
  readonly start: EpochMs;
  readonly end: EpochMs;
  readonly result: ResolvedWindows | string;
}

/** Days cached in all (over every window-times pair); past this the cache starts over (memory bound). */
const MAX_DAYS = 4_096;
const cache = new Map<string, CachedDay[]>();
let cachedDays = 0;

/**
 * `calendarWindows(t, times)`, memoised per New York day: the calendar and time-zone work (luxon)
 * runs once per date and window times instead of once per execution.
 *
 * Exact by construction: for any t of one day, `calendarWindows` depends on t only through its
 * date, except for the "decision at or after the close" refusal, which is left to
 * `calendarWindows` itself. The day's result is computed at its midnight, which precedes any close.
 */
export function cachedCalendarWindows(t: EpochMs, times: WindowTimes): ResolvedWindows | string {
  const key = keyOf(times);
  let days = cache.get(key);
  let day = days === undefined ? undefined : findDay(days, t);
  if (day === undefined) {
    const computed = computeDay(t, times);
    if (computed === null) return calendarWindows(t, times);
    if (cachedDays >= MAX_DAYS) {
      cache.clear();
      cachedDays = 0;
    }
    days = cache.get(key);
    if (days === undefined) cache.set(key, (days = []));
    days.splice(lastStartAtOrBefore(days, computed.start) + 1, 0, computed);
    cachedDays++;
    day = computed;
  }
  const r = day.result;
  if (typeof r !== 'string' && t >= r.close) return calendarWindows(t, times);
  return r;
}

/** The cache key: every field of the window times (a field added to WindowTimes fails to compile here). */
function keyOf(times: WindowTimes): string {
  const { waitForSpreadsEnd, normalEnd, ...others } = times;
  others satisfies Record<string, never>;
  return `${waitForSpreadsEnd}|${normalEnd}`;
}

/** Index of the last day starting at or before t in `days` (sorted by start), or -1. */
function lastStartAtOrBefore(days: readonly CachedDay[], t: EpochMs): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]!.start <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function findDay(days: readonly CachedDay[], t: EpochMs): CachedDay | undefined {
  const d = days[lastStartAtOrBefore(days, t)];
  return d !== undefined && t < d.end ? d : undefined;
}

/** The day containing t with its windows, or null when its bounds cannot be computed (then nothing is cached). */
function computeDay(t: EpochMs, times: WindowTimes): CachedDay | null {
  try {
    const date = etDateOf(t);
    const start = etClockToEpoch(date, '00:00');
    const end = etClockToEpoch(addDays(date, 1), '00:00');
    // Guard the premise: [start, end) is exactly the instants whose New York date is `date`.
    if (!(start <= t && t < end) || etDateOf(start) !== date || etDateOf(end - 1) !== date || etDateOf(end) === date) return null;
    return { start, end, result: calendarWindows(start, times) };
  } catch {
    return null;
  }
}
