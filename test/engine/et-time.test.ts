import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  etClockOf,
  etClockToEpoch,
  etDateOf,
  formatClock,
  formatEt,
  isValidDate,
  parseClock,
  weekdayOf,
} from '../../src/engine/et-time.js';

const HOUR = 3_600_000;

describe('parseClock / formatClock', () => {
  it('accepts HH:MM, HH:MM:SS and HH:MM:SS.mmm', () => {
    expect(parseClock('09:30')).toBe(34_200_000);
    expect(parseClock('09:30:00')).toBe(34_200_000);
    expect(parseClock('09:32:00.001')).toBe(34_320_001);
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('23:59:59.999')).toBe(86_399_999);
    expect(formatClock(34_320_001)).toBe('09:32:00.001');
  });

  it.each(['', '9:30', '09:3', '24:00', '09:60', '09:30:60', '09:30:00.5', '09:30:00.1234', ' 09:30', '09h30'])(
    'rejects %j with a RangeError that says what it expected',
    (bad) => {
      expect(() => parseClock(bad)).toThrow(RangeError);
      expect(() => parseClock(bad)).toThrow(/expected HH:MM/);
    },
  );

  it('property: formatClock and parseClock are inverse', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 86_399_999 }), (ms) => parseClock(formatClock(ms)) === ms));
  });
});

describe('dates', () => {
  it('validates real calendar days only', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2000-02-29')).toBe(true);
    expect(isValidDate('2023-02-29')).toBe(false);
    expect(isValidDate('1900-02-29')).toBe(false);
    expect(isValidDate('2024-13-01')).toBe(false);
    expect(isValidDate('2024-04-31')).toBe(false);
    expect(isValidDate('2024-4-01')).toBe(false);
    expect(isValidDate('2024-04-01T00:00')).toBe(false);
  });

  it('adds days and names weekdays across month, year and leap boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('0050-01-01', 31)).toBe('0050-02-01');
    expect(weekdayOf('2024-03-10')).toBe(0);
    expect(weekdayOf('2013-10-07')).toBe(1);
    expect(() => addDays('2024-02-30', 1)).toThrow(RangeError);
  });
});

describe('ET instants', () => {
  it('converts wall clock to epoch on both sides of DST', () => {
    expect(etClockToEpoch('2013-10-07', '09:30')).toBe(Date.parse('2013-10-07T13:30:00Z'));
    expect(etClockToEpoch('2024-01-16', '09:30:00')).toBe(Date.parse('2024-01-16T14:30:00Z'));
    expect(etClockToEpoch('2024-03-08', '09:30')).toBe(Date.parse('2024-03-08T14:30:00Z'));
    expect(etClockToEpoch('2024-03-11', '09:30')).toBe(Date.parse('2024-03-11T13:30:00Z'));
    expect(etClockToEpoch('2024-03-10', '03:00')).toBe(Date.parse('2024-03-10T07:00:00Z'));
  });

  it('refuses a wall time skipped by spring-forward', () => {
    expect(() => etClockToEpoch('2024-03-10', '02:30')).toThrow(RangeError);
    expect(() => etClockToEpoch('2024-03-10', '02:30')).toThrow(/does not exist/);
  });

  it('takes the earlier instant for a wall time repeated by fall-back', () => {
    expect(etClockToEpoch('2024-11-03', '01:30')).toBe(Date.parse('2024-11-03T05:30:00Z'));
    expect(etClockToEpoch('2024-11-03', '02:00')).toBe(Date.parse('2024-11-03T07:00:00Z'));
  });

  it('rejects bad dates and clocks', () => {
    expect(() => etClockToEpoch('2024-02-30', '09:30')).toThrow(RangeError);
    expect(() => etClockToEpoch('2024-02-01', '9:30')).toThrow(RangeError);
    expect(() => etDateOf(Number.NaN)).toThrow(RangeError);
  });

  it('formats instants in ET', () => {
    expect(formatEt(Date.parse('2024-03-11T13:30:00.007Z'))).toBe('2024-03-11 09:30:00.007 ET');
    expect(formatEt(Date.parse('2024-01-02T04:59:59.999Z'))).toBe('2024-01-01 23:59:59.999 ET');
    expect(etDateOf(Date.parse('2024-01-02T04:59:59.999Z'))).toBe('2024-01-01');
    expect(etDateOf(Date.parse('2024-01-02T05:00:00Z'))).toBe('2024-01-02');
  });

  it('property: etClockToEpoch(etDateOf(t), etClockOf(t)) round-trips, except the repeated fall-back hour', () => {
    const start = Date.parse('2000-01-01T00:00:00Z');
    const end = Date.parse('2036-01-01T00:00:00Z');
    // Transition instants (06:00Z/07:00Z), so the DST edges are hit, not just sampled by luck.
    const transitions = ['2024-03-10T07:00:00Z', '2024-11-03T06:00:00Z', '2007-03-11T07:00:00Z', '2006-10-29T06:00:00Z'].map(Date.parse);
    const instant = fc.oneof(
      fc.integer({ min: start, max: end }),
      fc.constantFrom(...transitions).chain((x) => fc.integer({ min: x - 3 * HOUR, max: x + 3 * HOUR })),
    );
    fc.assert(
      fc.property(instant, (t) => {
        const back = etClockToEpoch(etDateOf(t), etClockOf(t));
        // The second 01:xx on fall-back Sunday reads the same as the first, which is what wins.
        const repeated = etClockOf(t - HOUR) === etClockOf(t) && etDateOf(t - HOUR) === etDateOf(t);
        expect(back).toBe(repeated ? t - HOUR : t);
      }),
      { numRuns: 2000 },
    );
  });
});
