/**
 * The NYSE trading calendar, computed by rule for the simulator (live trading asks Alpaca).
 *
 * Rules follow NYSE Rule 7.2 and the exchange's published holiday lists; the closings history
 * the NYSE publishes supplies the one-off events. Only 2000-2035 is checked against it, so
 * other years are refused rather than answered by rules that did not hold then (Christmas Eve
 * and July 3 early closes changed in the 1990s) or may not hold later.
 */
import type { EpochMs } from './units.js';
import { addDays, etClockToEpoch, isValidDate, weekdayOf } from './et-time.js';

export const CALENDAR_FIRST_YEAR = 2000;
export const CALENDAR_LAST_YEAR = 2035;

export interface OpenSession {
  readonly date: string;
  readonly isOpen: true;
  /** First instant of regular trading (normally 09:30 ET). */
  readonly openTime: EpochMs;
  /** First instant after regular trading (16:00 ET, or 13:00 ET on a half day). */
  readonly closeTime: EpochMs;
  /** A scheduled 13:00 ET early close. */
  readonly halfDay: boolean;
}

export interface ClosedSession {
  readonly date: string;
  readonly isOpen: false;
  /** 'weekend', 'holiday: <name>' or 'special closure: <event>'. */
  readonly reason: string;
}

export type TradingSession = OpenSession | ClosedSession;

const SUN = 0;
const MON = 1;
const THU = 4;
const SAT = 6;

const REGULAR_OPEN = '09:30';
const REGULAR_CLOSE = '16:00';
const EARLY_CLOSE = '13:00';

/** Unscheduled full-day closures. */
const SPECIAL_CLOSURES: ReadonlyMap<string, string> = new Map([
  ['2001-09-11', 'September 11 attacks'],
  ['2001-09-12', 'September 11 attacks'],
  ['2001-09-13', 'September 11 attacks'],
  ['2001-09-14', 'September 11 attacks'],
  ['2004-06-11', 'National Day of Mourning for President Reagan'],
  ['2007-01-02', 'National Day of Mourning for President Ford'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'National Day of Mourning for President George H.W. Bush'],
  ['2025-01-09', 'National Day of Mourning for President Carter'],
]);

/**
 * Sessions whose hours were changed in advance for the whole market. The one- to three-minute
 * moment-of-silence delays (2001-2006) and the 2005-06-01 15:56 systems halt were NYSE-floor
 * events, so they are left out: a replayed open would not show them.
 */
const SPECIAL_HOURS: ReadonlyMap<string, { open?: string; close?: string }> = new Map([
  ['2002-09-11', { open: '12:00' }], // first anniversary of the attacks
  ['2003-12-26', { close: EARLY_CLOSE }], // day after Christmas, federal offices closed
]);

function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The nth (1-based) given weekday of a month, or the last one when n is -1. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n === -1) {
    const last = addDays(ymd(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1), -1);
    return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
  }
  const first = ymd(year, month, 1);
  return addDays(first, ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1));
}

/** Easter Sunday by the anonymous Gregorian (Meeus/Jones/Butcher) algorithm. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** A fixed-date holiday moved off the weekend: Saturday to Friday, Sunday to Monday. */
function nearestWeekday(date: string): string {
  const wd = weekdayOf(date);
  return wd === SAT ? addDays(date, -1) : wd === SUN ? addDays(date, 1) : date;
}

interface YearRules {
  readonly holidays: ReadonlyMap<string, string>;
  readonly halfDays: ReadonlySet<string>;
}

function computeYear(year: number): YearRules {
  const holidays = new Map<string, string>();
  // Rule 7.2: a Saturday New Year's Day is not moved to Friday, which would close the
  // exchange on the last trading day of the accounting year.
  const newYear = ymd(year, 1, 1);
  if (weekdayOf(newYear) !== SAT) holidays.set(nearestWeekday(newYear), "New Year's Day");
  holidays.set(nthWeekday(year, 1, MON, 3), 'Martin Luther King, Jr. Day');
  holidays.set(nthWeekday(year, 2, MON, 3), "Washington's Birthday");
  holidays.set(addDays(easterSunday(year), -2), 'Good Friday');
  holidays.set(nthWeekday(year, 5, MON, -1), 'Memorial Day');
  if (year >= 2022) holidays.set(nearestWeekday(ymd(year, 6, 19)), 'Juneteenth National Independence Day');
  holidays.set(nearestWeekday(ymd(year, 7, 4)), 'Independence Day');
  holidays.set(nthWeekday(year, 9, MON, 1), 'Labor Day');
  const thanksgiving = nthWeekday(year, 11, THU, 4);
  holidays.set(thanksgiving, 'Thanksgiving Day');
  holidays.set(nearestWeekday(ymd(year, 12, 25)), 'Christmas Day');

  const halfDays = new Set<string>([addDays(thanksgiving, 1)]);
  const july3 = ymd(year, 7, 3);
  const july3Weekday = weekdayOf(july3);
  // Until 2012, a Thursday July 4 put the early close on Friday July 5 instead of Wednesday July 3.
  if (year <= 2012 && july3Weekday === 3) halfDays.add(ymd(year, 7, 5));
  else if (july3Weekday >= MON && july3Weekday <= THU) halfDays.add(july3);
  const christmasEve = ymd(year, 12, 24);
  if (weekdayOf(christmasEve) >= MON && weekdayOf(christmasEve) <= THU) halfDays.add(christmasEve);
  return { holidays, halfDays };
}

// Memoised per year: pure, and tradingSession is called for every date a sim run touches.
const yearCache = new Map<number, YearRules>();

function rulesFor(year: number): YearRules {
  let rules = yearCache.get(year);
  if (rules === undefined) {
    rules = computeYear(year);
    yearCache.set(year, rules);
  }
  return rules;
}

function requireCalendarDate(date: string): number {
  if (!isValidDate(date)) throw new RangeError(`invalid date ${JSON.stringify(date)}: expected YYYY-MM-DD`);
  const year = Number(date.slice(0, 4));
  if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
    throw new RangeError(
      `${date} is outside the built-in NYSE calendar (${CALENDAR_FIRST_YEAR}-${CALENDAR_LAST_YEAR}); extend src/engine/calendar.ts`,
    );
  }
  return year;
}

/**
 * The NYSE regular session on a New York calendar day, or why there is none.
 * @throws RangeError for a malformed date or one outside CALENDAR_FIRST_YEAR..CALENDAR_LAST_YEAR.
 */
export function tradingSession(date: string): TradingSession {
  const year = requireCalendarDate(date);
  const wd = weekdayOf(date);
  if (wd === SAT || wd === SUN) return { date, isOpen: false, reason: 'weekend' };
  const closure = SPECIAL_CLOSURES.get(date);
  if (closure !== undefined) return { date, isOpen: false, reason: `special closure: ${closure}` };
  const rules = rulesFor(year);
  const holiday = rules.holidays.get(date);
  if (holiday !== undefined) return { date, isOpen: false, reason: `holiday: ${holiday}` };

  const special = SPECIAL_HOURS.get(date);
  const scheduledEarly = rules.halfDays.has(date);
  const close = special?.close ?? (scheduledEarly ? EARLY_CLOSE : REGULAR_CLOSE);
  return {
    date,
    isOpen: true,
    openTime: etClockToEpoch(date, special?.open ?? REGULAR_OPEN),
    closeTime: etClockToEpoch(date, close),
    halfDay: close === EARLY_CLOSE,
  };
}

export function isTradingDay(date: string): boolean {
  return tradingSession(date).isOpen;
}

/**
 * The first `count` trading days on or after `fromDate`, in order.
 * @throws RangeError for a bad date or count, or when the list would run past CALENDAR_LAST_YEAR.
 */
export function nextTradingDays(fromDate: string, count: number): string[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`invalid count ${count}: expected a non-negative integer`);
  }
  requireCalendarDate(fromDate);
  const out: string[] = [];
  for (let d = fromDate; out.length < count; d = addDays(d, 1)) {
    if (isTradingDay(d)) out.push(d);
  }
  return out;
}
