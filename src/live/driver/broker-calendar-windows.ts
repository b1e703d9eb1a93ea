import type { OpenSession } from '../../engine/calendar.js';
import { etClockToEpoch, etDateOf } from '../../engine/et-time.js';
import { resolveWindows, type ResolvedWindows, type WindowTimes } from '../../engine/trading-day-windows.js';
import type { EpochMs } from '../../engine/units.js';

/** One day of Alpaca's `GET /v2/calendar` (as the SDK maps it). */
export interface BrokerCalendarDay {
  readonly date: string;
  readonly open: string;
  readonly close: string;
}

/**
 * The execution's windows from the broker's calendar: the session of the ET day of `now`, or the
 * reason the market is shut that day (what startExecution takes as `windows`).
 */
export function brokerWindows(now: EpochMs, calendar: readonly BrokerCalendarDay[], times: WindowTimes): ResolvedWindows | string {
  const date = etDateOf(now);
  const day = calendar.find((d) => d.date.slice(0, 10) === date);
  if (day === undefined) return `market closed on ${date} (broker calendar)`;
  const hhmm = (s: string): string => (/^\d{4}$/.test(s) ? `${s.slice(0, 2)}:${s.slice(2)}` : s);
  const session: OpenSession = {
    date,
    isOpen: true,
    openTime: etClockToEpoch(date, hhmm(day.open)),
    closeTime: etClockToEpoch(date, hhmm(day.close)),
    halfDay: hhmm(day.close) < '16:00',
  };
  return resolveWindows(session, times);
}

/** True inside the regular session [open, close). */
export function inRegularHours(now: EpochMs, windows: ResolvedWindows | null): boolean {
  return windows !== null && now >= windows.open && now < windows.close;
}
