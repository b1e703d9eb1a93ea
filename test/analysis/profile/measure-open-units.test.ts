import { describe, expect, it } from 'vitest';
import { measureOpen } from '../../../src/analysis/profile/measure-open.js';
import { openWindows } from '../../../src/analysis/profile/open-windows.js';
import { tinyTape } from './tiny-tape.js';

const DATE = '2024-03-04';

describe('measureOpen on hand-built tapes', () => {
  it('names the five windows by their ET clocks', () => {
    const m = measureOpen(tinyTape(DATE, [['09:00:00', 10, 10.01], ['16:30:00', 10, 10.01]]));
    expect(m.windows.map((w) => `${w.start}-${w.end}`)).toEqual([
      '09:30:00-09:31:00', '09:31:00-09:32:00', '09:32:00-09:35:00', '09:35:00-10:00:00', '10:00:00-16:00:00',
    ]);
    expect(m).toMatchObject({ symbol: 'TEST', date: DATE, source: `tiny:TEST:${DATE}`, midAt1000: 10.005 });
  });

  it('carries the quote in force at the window start forward, weighted by time', () => {
    const m = measureOpen(tinyTape(DATE, [
      ['09:29:00', 10, 10.02], // 2 cents, in force from 09:30:00 to 09:30:20
      ['09:30:20', 10, 10.05], // 5 cents for 40 s
      ['09:31:00', 10, 10.01],
      ['10:30:00', 10, 10.01],
    ]));
    const w = m.windows[0]!;
    expect(w.spreadCentsMedian).toBeCloseTo(5, 12); // 2c holds 20 of 60 s, below half
    expect(w.spreadCentsP90).toBeCloseTo(5, 12);
    expect(w.spreadBpsMedian).toBeCloseTo((0.05 / 10.025) * 10_000, 9);
    expect(w.quotesPerMinute).toBe(1); // only the 09:30:20 snapshot is stamped inside
    const longer = measureOpen(tinyTape(DATE, [['09:29:00', 10, 10.02], ['09:30:40', 10, 10.05], ['10:30:00', 10, 10.01]]));
    expect(longer.windows[0]!.spreadCentsMedian).toBeCloseTo(2, 12);
    expect(longer.windows[0]!.spreadCentsP90).toBeCloseTo(5, 12);
  });

  it('does not count the time of zero-side, crossed or locked quotes', () => {
    const m = measureOpen(tinyTape(DATE, [
      ['09:30:00', 10, 10.03], // valid, 10 s
      ['09:30:10', 0, 10.01], // zero bid, 20 s
      ['09:30:30', 10.02, 10.01], // crossed, 15 s
      ['09:30:45', 10.01, 10.01], // locked, 15 s
      ['09:31:00', 10, 10.01],
      ['10:30:00', 10, 10.01],
    ]));
    expect(m.windows[0]!.spreadCentsMedian).toBeCloseTo(3, 12);
    expect(m.windows[0]!.spreadCentsP90).toBeCloseTo(3, 12);
    expect(m.windows[0]!.quotesPerMinute).toBe(4);
    const allBad = measureOpen(tinyTape(DATE, [['09:29:00', 10.02, 10.01], ['09:31:00', 10, 10.01], ['10:30:00', 10, 10.01]]));
    expect(allBad.windows[0]).toMatchObject({ spreadCentsMedian: null, spreadBpsP90: null, quotesPerMinute: 0 });
  });

  it('ends the last window at the 13:00 close on a half day', () => {
    const half = '2013-11-29'; // the day after Thanksgiving
    expect(openWindows(half)[4]).toMatchObject({ start: '10:00:00', end: '13:00:00' });
    const m = measureOpen(tinyTape(half, [
      ['09:00:00', 10, 10.01],
      ['12:00:00', 10, 10.03], // 1 of the 3 covered hours
      ['13:00:00', 10, 10.09], // after the close: ignored
      ['16:00:00', 10, 10.01],
    ]));
    const last = m.windows[4]!;
    expect(last.end).toBe('13:00:00');
    expect(last.spreadCentsMedian).toBeCloseTo(1, 12);
    expect(last.spreadCentsP90).toBeCloseTo(3, 12);
    expect(last.quotesPerMinute).toBeCloseTo(1 / 180, 12);
  });

  it('gives null where the tape covers nothing, and clips rates to what it covers', () => {
    const early = measureOpen(tinyTape(DATE, [['09:00:00', 10, 10.01], ['09:45:00', 10, 10.02]]));
    expect(early.windows[4]).toMatchObject({ spreadCentsMedian: null, spreadCentsP90: null, spreadBpsMedian: null, quotesPerMinute: null });
    expect(early.midAt1000).toBeNull(); // the tape stops before 10:00
    // [09:35, 10:00) is covered for 10 minutes and holds one snapshot, 09:45:00.
    expect(early.windows[3]!.quotesPerMinute).toBeCloseTo(0.1, 12);
    expect(early.windows[3]!.spreadCentsMedian).toBeCloseTo(1, 12); // the last snapshot carries no time

    const late = measureOpen(tinyTape(DATE, [['10:05:00', 10, 10.01], ['10:35:00', 10, 10.01]]));
    for (const w of late.windows.slice(0, 4)) expect(w).toMatchObject({ spreadCentsMedian: null, quotesPerMinute: null });
    expect(late.windows[4]!.quotesPerMinute).toBeCloseTo(2 / 30, 12);
    expect(late.midAt1000).toBeNull(); // no quote in force yet

    const crossedAt10 = measureOpen(tinyTape(DATE, [['09:59:00', 10.02, 10.01], ['10:30:00', 10, 10.01]]));
    expect(crossedAt10.midAt1000).toBeNull();
  });

  it('measures an empty tape as all nulls', () => {
    const m = measureOpen(tinyTape(DATE, []));
    expect(m.midAt1000).toBeNull();
    for (const w of m.windows) expect(Object.values(w).filter((v) => v !== null)).toEqual([w.start, w.end]);
  });
});
