import { tradingSession } from '../calendar.js';
import { etDateOf } from '../et-time.js';
import { resolveWindows, type ResolvedWindows, type WindowTimes } from '../trading-day-windows.js';
import type { EpochMs } from '../units.js';

/** The day's windows from the built-in NYSE calendar, or the reason no order can be placed that day. */
export function calendarWindows(t: EpochMs, times: WindowTimes): ResolvedWindows | string {
  let windows: ResolvedWindows | null;
  const date = etDateOf(t);
  try {
    const session = tradingSession(date);
    if (!session.isOpen) return `market closed on ${session.date} (${session.reason})`;
    windows = resolveWindows(session, times);
  } catch (err) {
    // Out-of-range years and window times that do not fit this day (e.g. a half day).
    return `no trading windows on ${date}: ${(err as Error).message}`;
  }
  if (t >= windows.close) return `decision at or after the close on ${date}`;
  return windows;
}
