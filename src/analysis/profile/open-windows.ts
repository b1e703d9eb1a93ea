import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, tradingSession } from '../../engine/calendar.js';
import { etClockOf, etClockToEpoch } from '../../engine/et-time.js';
import type { EpochMs } from '../../engine/units.js';

/**
 * The ET windows the open is measured in: the two minutes the ladder waits for spreads in, the
 * "normal" window to 09:35, the rest of the first half hour, and the remainder of the session.
 */
export const OPEN_WINDOW_CLOCKS: ReadonlyArray<readonly [string, string]> = [
  ['09:30:00', '09:31:00'],
  ['09:31:00', '09:32:00'],
  ['09:32:00', '09:35:00'],
  ['09:35:00', '10:00:00'],
  ['10:00:00', '16:00:00'],
];

export interface OpenWindow {
  /** ET wall clock 'HH:MM:SS'. */
  readonly start: string;
  /** ET wall clock 'HH:MM:SS' (exclusive); the close on a half day. */
  readonly end: string;
  readonly fromMs: EpochMs;
  readonly toMs: EpochMs;
}

/**
 * The close of the regular session: 13:00 on a half day. Dates outside the built-in calendar, or
 * days it calls closed (a tape recorded on a weekend, say), fall back to the ordinary 16:00 so a
 * user's odd tape is still measured rather than refused.
 */
export function sessionCloseMs(date: string): EpochMs {
  const year = Number(date.slice(0, 4));
  if (year >= CALENDAR_FIRST_YEAR && year <= CALENDAR_LAST_YEAR) {
    const session = tradingSession(date);
    if (session.isOpen) return session.closeTime;
  }
  return etClockToEpoch(date, '16:00:00');
}

/** The measurement windows of `date` as instants, each clipped to the session close. */
export function openWindows(date: string): OpenWindow[] {
  const close = sessionCloseMs(date);
  return OPEN_WINDOW_CLOCKS.map(([start, end]) => {
    const fromMs = Math.min(etClockToEpoch(date, start), close);
    const toMs = Math.min(etClockToEpoch(date, end), close);
    return { start: etClockOf(fromMs).slice(0, 8), end: etClockOf(toMs).slice(0, 8), fromMs, toMs };
  });
}
