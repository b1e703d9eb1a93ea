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

/** The regular session's wall clocks: window ends must lie within them (the config checks it too). */
export const REGULAR_OPEN_CLOCK = '09:30:00';
export const REGULAR_CLOSE_CLOCK = '16:00:00';
const REGULAR_OPEN_MS = parseClock(REGULAR_OPEN_CLOCK);
const REGULAR_CLOSE_MS = parseClock(REGULAR_CLOSE_CLOCK);

/**
 * Epoch bounds of the windows on an open day; null on a closed day, so that
 * `marketWindow(t, resolveWindows(tradingSession(d)))` reads 'closed' all day.
 *
 * Window times are wall clocks for a regular 09:30 open. On a late-open day they move with the
 * open, because the spread widening they guard against follows the actual opening auction.
 * Ends may equal each other (an empty window disables that step). An end after this day's close
 * is the close: a configuration written for 16:00 days still trades on a 13:00 half day, its
 * later windows cut short, instead of failing every execution that day.
 * @throws RangeError for a malformed time, a time outside the regular session (09:30-16:00 ET),
 *   or ends out of order.
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
    const clock = parseClock(times[name]);
    if (clock < REGULAR_OPEN_MS) throw new RangeError(`${name} ${times[name]} is before the 09:30 ET open`);
    if (clock > REGULAR_CLOSE_MS) throw new RangeError(`${name} ${times[name]} is after the regular 16:00 ET close`);
    // Adding elapsed ms is exact: DST never changes between 09:30 and 16:00.
    return Math.min(session.openTime + (clock - REGULAR_OPEN_MS), session.closeTime);
  };
  const waitForSpreadsEnd = afterOpen('waitForSpreadsEnd');
  const normalEnd = afterOpen('normalEnd');
  if (parseClock(times.normalEnd) < parseClock(times.waitForSpreadsEnd)) {
    throw new RangeError(`normalEnd ${times.normalEnd} is before waitForSpreadsEnd ${times.waitForSpreadsEnd}`);
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
