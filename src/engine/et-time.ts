/**
 * America/New_York wall time, for the few rules that speak of "09:30 ET" (DESIGN.md, "Units").
 *
 * Everything else in the engine uses epoch milliseconds; this file is the only bridge between
 * the two. Dates are 'YYYY-MM-DD' strings naming a calendar day in New York, clocks are
 * 'HH:MM', 'HH:MM:SS' or 'HH:MM:SS.mmm' wall-clock readings there.
 */
import { DateTime, IANAZone } from 'luxon';
import type { EpochMs } from './units.js';

export const ET_ZONE_NAME = 'America/New_York';
const ET = IANAZone.create(ET_ZONE_NAME);

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?$/;

interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parseCivil(date: string): CivilDate | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** Epoch ms of UTC midnight; setUTCFullYear because Date.UTC maps years 0-99 to 1900-1999. */
function utcMidnight({ year, month, day }: CivilDate): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

function requireCivil(date: string): CivilDate {
  const c = parseCivil(date);
  if (c === null) throw new RangeError(`invalid date ${JSON.stringify(date)}: expected a real calendar day as YYYY-MM-DD`);
  return c;
}

/** True for a real calendar day written exactly as 'YYYY-MM-DD' (so '2023-02-29' is false). */
export function isValidDate(date: string): boolean {
  return parseCivil(date) !== null;
}

/**
 * Milliseconds since midnight for 'HH:MM', 'HH:MM:SS' or 'HH:MM:SS.mmm' (00:00 to 23:59:59.999).
 * Two-digit fields only, so a typo such as '9:30' or '09:3' fails loudly instead of guessing.
 * @throws RangeError naming the bad input and the accepted forms.
 */
export function parseClock(hhmmss: string): number {
  const m = CLOCK_RE.exec(hhmmss);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  const s = Number(m?.[3] ?? '0');
  const ms = Number(m?.[4] ?? '0');
  if (!m || h > 23 || min > 59 || s > 59) {
    throw new RangeError(
      `invalid clock ${JSON.stringify(hhmmss)}: expected HH:MM, HH:MM:SS or HH:MM:SS.mmm between 00:00 and 23:59:59.999`,
    );
  }
  return ((h * 60 + min) * 60 + s) * 1000 + ms;
}

/** 'HH:MM:SS.mmm' for milliseconds since midnight; the inverse of parseClock. */
export function formatClock(msOfDay: number): string {
  if (!Number.isInteger(msOfDay) || msOfDay < 0 || msOfDay >= MS_PER_DAY) {
    throw new RangeError(`invalid time of day ${msOfDay} ms: expected an integer in [0, 86400000)`);
  }
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const ms = msOfDay % 1000;
  const totalS = (msOfDay - ms) / 1000;
  return `${pad(Math.floor(totalS / 3600))}:${pad(Math.floor(totalS / 60) % 60)}:${pad(totalS % 60)}.${pad(ms, 3)}`;
}

function etDateTime(t: EpochMs): DateTime {
  if (!Number.isFinite(t)) throw new RangeError(`invalid instant ${t}: expected finite epoch milliseconds`);
  return DateTime.fromMillis(t, { zone: ET });
}

/** The New York calendar day containing instant t, as 'YYYY-MM-DD'. */
export function etDateOf(t: EpochMs): string {
  return etDateTime(t).toFormat('yyyy-MM-dd');
}

/** The New York wall clock at instant t, as 'HH:MM:SS.mmm'. */
export function etClockOf(t: EpochMs): string {
  return etDateTime(t).toFormat('HH:mm:ss.SSS');
}

/** 'YYYY-MM-DD HH:MM:SS.mmm ET', for logs and reports. */
export function formatEt(t: EpochMs): string {
  return etDateTime(t).toFormat("yyyy-MM-dd HH:mm:ss.SSS 'ET'");
}

/**
 * The instant at which New York clocks read `hhmmss` on `date`.
 *
 * DST edges are resolved explicitly rather than by luxon's defaults: a reading that never
 * happens (02:00-02:59 on the spring-forward Sunday) throws, and a reading that happens twice
 * (01:00-01:59 on the fall-back Sunday) gives the earlier instant, which is the one a
 * schedule "at 01:30" would fire at first.
 * @throws RangeError for a bad date, a bad clock, or a wall time skipped by DST.
 */
export function etClockToEpoch(date: string, hhmmss: string): EpochMs {
  const wallAsUtc = utcMidnight(requireCivil(date)) + parseClock(hhmmss);
  // The zone's offset is one of the offsets in force within a day of this wall time; an
  // instant is a match when the offset actually in force at it maps it back to the wall time.
  const offsets = new Set([ET.offset(wallAsUtc - MS_PER_DAY), ET.offset(wallAsUtc + MS_PER_DAY)]);
  let best: EpochMs | null = null;
  for (const offsetMin of offsets) {
    const candidate = wallAsUtc - offsetMin * MS_PER_MINUTE;
    if (ET.offset(candidate) === offsetMin && (best === null || candidate < best)) best = candidate;
  }
  if (best === null) {
    throw new RangeError(`${date} ${hhmmss} does not exist in ${ET_ZONE_NAME}: clocks skip it for daylight saving`);
  }
  return best;
}

/** Weekday of a 'YYYY-MM-DD' date: 0 = Sunday ... 6 = Saturday. @throws RangeError on a bad date. */
export function weekdayOf(date: string): number {
  return new Date(utcMidnight(requireCivil(date))).getUTCDay();
}

/** The date `days` calendar days after `date` (negative goes back). @throws RangeError on a bad date. */
export function addDays(date: string, days: number): string {
  const start = utcMidnight(requireCivil(date));
  if (!Number.isInteger(days)) throw new RangeError(`invalid day count ${days}: expected an integer`);
  const d = new Date(start + days * MS_PER_DAY);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`${date} + ${days} days leaves the years 0000-9999`);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
