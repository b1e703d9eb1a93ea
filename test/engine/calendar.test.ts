import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  easterSunday,
  isTradingDay,
  nextTradingDays,
  tradingSession,
} from '../../src/engine/calendar.js';
import { addDays, etClockToEpoch, weekdayOf } from '../../src/engine/et-time.js';

/** The exchange's published lists (nyse.com "Holidays & Trading Hours" and its archives). */
const PUBLISHED: Record<number, { holidays: string[]; halfDays: string[] }> = {
  2013: {
    holidays: ['01-01', '01-21', '02-18', '03-29', '05-27', '07-04', '09-02', '11-28', '12-25'],
    halfDays: ['07-03', '11-29', '12-24'],
  },
  2014: {
    holidays: ['01-01', '01-20', '02-17', '04-18', '05-26', '07-04', '09-01', '11-27', '12-25'],
    halfDays: ['07-03', '11-28', '12-24'],
  },
  2023: {
    holidays: ['01-02', '01-16', '02-20', '04-07', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
    halfDays: ['07-03', '11-24'],
  },
  2024: {
    holidays: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
    halfDays: ['07-03', '11-29', '12-24'],
  },
  2025: {
    // 01-09: National Day of Mourning for President Carter.
    holidays: ['01-01', '01-09', '01-20', '02-17', '04-18', '05-26', '06-19', '07-04', '09-01', '11-27', '12-25'],
    halfDays: ['07-03', '11-28', '12-24'],
  },
  2026: {
    holidays: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'],
    halfDays: ['11-27', '12-24'],
  },
};

function daysOfYear(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) out.push(d);
  return out;
}

describe('tradingSession against published NYSE years', () => {
  for (const [yearText, published] of Object.entries(PUBLISHED)) {
    const year = Number(yearText);
    it(`${year}: every weekday is a holiday, a half day or a full day exactly as published`, () => {
      const holidays = new Set(published.holidays.map((md) => `${year}-${md}`));
      const halfDays = new Set(published.halfDays.map((md) => `${year}-${md}`));
      for (const date of daysOfYear(year)) {
        const s = tradingSession(date);
        const wd = weekdayOf(date);
        if (wd === 0 || wd === 6) {
          expect(s, date).toMatchObject({ isOpen: false, reason: 'weekend' });
        } else if (holidays.has(date)) {
          expect(s.isOpen, date).toBe(false);
        } else {
          expect(s, date).toMatchObject({ isOpen: true, halfDay: halfDays.has(date) });
        }
      }
    });
  }
});

describe('tradingSession reasons and hours', () => {
  it('names holidays and special closures', () => {
    expect(tradingSession('2024-11-28')).toEqual({ date: '2024-11-28', isOpen: false, reason: 'holiday: Thanksgiving Day' });
    expect(tradingSession('2012-10-29')).toMatchObject({ reason: 'special closure: Hurricane Sandy' });
    expect(tradingSession('2012-10-30')).toMatchObject({ reason: 'special closure: Hurricane Sandy' });
    expect(tradingSession('2024-03-29')).toMatchObject({ reason: 'holiday: Good Friday' });
    expect(tradingSession('2024-03-30')).toMatchObject({ reason: 'weekend' });
    for (const d of ['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', '2004-06-11', '2007-01-02', '2018-12-05', '2025-01-09']) {
      expect(tradingSession(d), d).toMatchObject({ isOpen: false, reason: expect.stringMatching(/^special closure: /) });
    }
    expect(isTradingDay('2001-09-17')).toBe(true);
  });

  it('opens 09:30 ET: 13:30Z in summer time, 14:30Z in winter', () => {
    expect(tradingSession('2013-10-07')).toEqual({
      date: '2013-10-07',
      isOpen: true,
      openTime: Date.parse('2013-10-07T13:30:00Z'),
      closeTime: Date.parse('2013-10-07T20:00:00Z'),
      halfDay: false,
    });
    expect(tradingSession('2024-01-16')).toMatchObject({
      openTime: Date.parse('2024-01-16T14:30:00Z'),
      closeTime: Date.parse('2024-01-16T21:00:00Z'),
    });
  });

  it('follows the DST switch between Friday and Monday', () => {
    expect(tradingSession('2024-03-08')).toMatchObject({ openTime: Date.parse('2024-03-08T14:30:00Z') });
    expect(tradingSession('2024-03-11')).toMatchObject({ openTime: Date.parse('2024-03-11T13:30:00Z') });
    expect(tradingSession('2024-11-01')).toMatchObject({ openTime: Date.parse('2024-11-01T13:30:00Z') });
    expect(tradingSession('2024-11-04')).toMatchObject({ openTime: Date.parse('2024-11-04T14:30:00Z') });
  });

  it('closes half days at 13:00 ET', () => {
    expect(tradingSession('2024-11-29')).toMatchObject({ halfDay: true, closeTime: Date.parse('2024-11-29T18:00:00Z') });
    expect(tradingSession('2024-07-03')).toMatchObject({ halfDay: true, closeTime: Date.parse('2024-07-03T17:00:00Z') });
    expect(tradingSession('2024-12-24')).toMatchObject({ halfDay: true, closeTime: etClockToEpoch('2024-12-24', '13:00') });
  });
});

describe('observance rules', () => {
  const closed = (d: string): boolean => !isTradingDay(d);

  it("does not move a Saturday New Year's Day to Friday", () => {
    expect(isTradingDay('2021-12-31')).toBe(true);
    expect(isTradingDay('2010-12-31')).toBe(true);
    expect(isTradingDay('2027-12-31')).toBe(true);
    expect(closed('2017-01-02') && closed('2012-01-02') && closed('2034-01-02')).toBe(true);
  });

  it('moves Independence Day, Christmas and Juneteenth off weekends', () => {
    for (const d of ['2015-07-03', '2020-07-03', '2026-07-03', '2021-07-05', '2027-07-05']) expect(closed(d), d).toBe(true);
    for (const d of ['2021-12-24', '2027-12-24', '2016-12-26', '2022-12-26']) expect(closed(d), d).toBe(true);
    for (const d of ['2022-06-20', '2027-06-18', '2033-06-20']) expect(closed(d), d).toBe(true);
    expect(isTradingDay('2021-06-18')).toBe(true); // Juneteenth was first observed in 2022
  });

  it('places July 3 and Christmas Eve early closes only on Mon-Thu', () => {
    const half = (d: string): boolean => {
      const s = tradingSession(d);
      return s.isOpen && s.halfDay;
    };
    for (const d of ['2013-07-03', '2014-07-03', '2017-07-03', '2018-07-03', '2019-07-03', '2023-07-03', '2024-07-03', '2025-07-03']) {
      expect(half(d), d).toBe(true);
    }
    for (const d of ['2015-07-02', '2020-07-02', '2026-07-02', '2021-07-02', '2016-07-01', '2021-12-23', '2027-12-23']) {
      expect(half(d), d).toBe(false);
    }
    // Before 2013 a Thursday July 4 put the early close on Friday July 5.
    expect(half('2002-07-05') && !half('2002-07-03')).toBe(true);
    expect(half('2012-07-03') && half('2008-07-03') && half('2001-12-24') && half('2003-12-26')).toBe(true);
  });

  it('opens at noon on 2002-09-11', () => {
    expect(tradingSession('2002-09-11')).toMatchObject({ isOpen: true, openTime: Date.parse('2002-09-11T16:00:00Z') });
  });

  it('computes Easter with the Gregorian algorithm', () => {
    const known: Record<number, string> = { 2000: '04-23', 2008: '03-23', 2011: '04-24', 2019: '04-21', 2038: '04-25', 2285: '03-22' };
    for (const [y, md] of Object.entries(known)) expect(easterSunday(Number(y))).toBe(`${y}-${md}`);
  });
});

describe('nextTradingDays', () => {
  it('starts at fromDate inclusive and skips closed days', () => {
    expect(nextTradingDays('2024-12-23', 4)).toEqual(['2024-12-23', '2024-12-24', '2024-12-26', '2024-12-27']);
    expect(nextTradingDays('2024-12-25', 2)).toEqual(['2024-12-26', '2024-12-27']);
    expect(nextTradingDays('2012-10-26', 2)).toEqual(['2012-10-26', '2012-10-31']);
    expect(nextTradingDays('2024-06-01', 0)).toEqual([]);
  });

  it('refuses bad input and dates beyond the built-in years', () => {
    expect(() => nextTradingDays('2024-06-01', -1)).toThrow(RangeError);
    expect(() => nextTradingDays('2024-06-01', 1.5)).toThrow(RangeError);
    expect(() => tradingSession('2024-02-30')).toThrow(RangeError);
    expect(() => tradingSession('1999-12-31')).toThrow(/outside the built-in NYSE calendar/);
    expect(() => nextTradingDays('2035-12-28', 5)).toThrow(RangeError);
  });

  it('property: results are open, ascending, and nothing open is skipped', () => {
    const firstDay = Date.UTC(CALENDAR_FIRST_YEAR, 0, 1) / 86_400_000;
    const lastDay = Date.UTC(CALENDAR_LAST_YEAR, 11, 1) / 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: firstDay, max: lastDay }), fc.integer({ min: 1, max: 12 }), (day, n) => {
        const from = new Date(day * 86_400_000).toISOString().slice(0, 10);
        const days = nextTradingDays(from, n);
        expect(days).toHaveLength(n);
        let expected = from;
        for (const d of days) {
          while (!isTradingDay(expected)) expected = addDays(expected, 1);
          expect(d).toBe(expected);
          expected = addDays(expected, 1);
        }
      }),
    );
  });
});
