/**
 * The ladder's timing windows within one trading day (DESIGN.md, "Step 1 – open assessment"):
 * wait for spreads to settle right after the open, then execute normally, then use standard
 * execution for the rest of the session.
 */
import type { ClosedSession, OpenSession, TradingSession } from './calendar.js';
import { parseClock } from './et-time.js';
import type { EpochMs } from './units.js';

export type MarketWindow = 'pre-market' | 'wait-for-spreads' | 'normal' | 'standard' | 'closed';

/** Window ends as ET wall clocks ('HH:MM', 'HH:MM:SS' or 'HH:MM:SS.mmm'). */
export interface WindowTimes {
  /** End of the spread-watching wait after the open; default '09:32:00'. */
  readonly waitForSpreadsEnd: string;
  /** End of normal execution, after which standard execution applies; default '09:35:00'. */
  readonly normalEnd: string;
}

export const DEFAULT_WINDOW_TIMES: WindowTimes = Object.freeze({
  waitForSpreadsEnd: '09:32:00',
  normalEnd: '09:35:00',
});

/** Epoch bounds of one day's windows; each window is half-open [start, end). */
export interface ResolvedWindows {
  readonly date: string;
  readonly open: EpochMs;
  readonly waitForSpreadsEnd: EpochMs;
  readonly normalEnd: EpochMs;
  readonly close: EpochMs;
  readonly halfDay: boolean;
}

const REGULAR_OPEN_MS = parseClock('09:30');

/**
 * Epoch bounds of the windows on an open day; null on a closed day, so that
 * `marketWindow(t, resolveWindows(tradingSession(d)))` reads 'closed' all day.
 *
 * Window times are wall clocks for a regular 09:30 open. On a late-open day they move with the
 * open, because the spread widening they guard against follows the actual opening auction.
 * Ends may equal each other (an empty window disables that step) or the close.
 * @throws RangeError for a malformed time, a time before 09:30, ends out of order, or an end
 *   after this day's close (a config that is fine on full days can fail on a 13:00 half day).
 */
export function resolveWindows(session: OpenSession, times?: WindowTimes): ResolvedWindows;
export function resolveWindows(session: ClosedSession, times?: WindowTimes): null;
export function resolveWindows(session: TradingSession, times?: WindowTimes): ResolvedWindows | null;
export function resolveWindows(
  session: TradingSession,
  times: WindowTimes = DEFAULT_WINDOW_TIMES,
): ResolvedWindows | null {
  if (!session.isOpen) return null;
  const afterOpen = (name: keyof WindowTimes): number => {
    const offset = parseClock(times[name]) - REGULAR_OPEN_MS;
    if (offset < 0) throw new RangeError(`${name} ${times[name]} is before the 09:30 ET open`);
    // Adding elapsed ms is exact: DST never changes between 09:30 and 16:00.
    return session.openTime + offset;
  };
  const waitForSpreadsEnd = afterOpen('waitForSpreadsEnd');
  const normalEnd = afterOpen('normalEnd');
  if (normalEnd < waitForSpreadsEnd) {
    throw new RangeError(`normalEnd ${times.normalEnd} is before waitForSpreadsEnd ${times.waitForSpreadsEnd}`);
  }
  if (normalEnd > session.closeTime) {
    throw new RangeError(`normalEnd ${times.normalEnd} is after the close on ${session.date}`);
  }
  return {
    date: session.date,
    open: session.openTime,
    waitForSpreadsEnd,
    normalEnd,
    close: session.closeTime,
    halfDay: session.halfDay,
  };
}

/**
 * Which window instant t falls in. `w` describes one day, so any t before that day's open is
 * 'pre-market' and any t from its close on is 'closed'; null (a closed day) is always 'closed'.
 */
export function marketWindow(t: EpochMs, w: ResolvedWindows | null): MarketWindow {
  if (w === null || t >= w.close) return 'closed';
  if (t < w.open) return 'pre-market';
  if (t < w.waitForSpreadsEnd) return 'wait-for-spreads';
  if (t < w.normalEnd) return 'normal';
  return 'standard';
}

/** True within the regular session [open, close): when market orders are accepted. */
export function isRegularHours(t: EpochMs, w: ResolvedWindows | null): boolean {
  return w !== null && t >= w.open && t < w.close;
}
