/** The benchmark's stretched tapes: longer by whole trading days, or denser by repeated quotes. */
import { describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { withHeartbeats } from '../../bench/dense-tape.js';
import { repeatOverTradingDays } from '../../bench/long-tape.js';
import { lastIndexAtOrBefore } from '../../src/sim/tape/tape.js';
import { DATE, SEC, buildTape } from '../sim/tape-builder.js';

const tape = buildTape(
  [
    { t: -5 * SEC, bid: 10, ask: 10.02 },
    { t: 0, bid: 10, ask: 10.01 },
    { t: 0, bid: 10.01, ask: 10.02 },
    { t: 3, bid: 10.01, ask: 10.03 },
    { t: 2 * SEC, bid: 10.02, ask: 10.04 },
  ],
  [{ t: 1 * SEC, price: 10.01, size: 100 }],
);

describe('repeatOverTradingDays', () => {
  it('replays the day on the next trading days, skipping the weekend, same wall clock', () => {
    const { tape: long, shifts } = repeatOverTradingDays(tape, 10);
    expect(long.quotes.length).toBe(50);
    expect(long.trades!.length).toBe(10);
    // 2024-03-04 is a Monday: the copies fall on Mar 5-8 and 11-15.
    const days = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14', '2024-03-15'];
    expect(shifts).toEqual(days.map((d) => etClockToEpoch(d, '00:00') - etClockToEpoch(DATE, '00:00')));
    for (let k = 0; k < 10; k++) {
      expect(long.quotes.time[k * 5 + 1]).toBe(etClockToEpoch(days[k]!, '09:30:00'));
      expect(long.quotes.bid[k * 5 + 4]).toBe(tape.quotes.bid[4]);
    }
    for (let i = 1; i < long.quotes.length; i++) expect(long.quotes.time[i]!).toBeGreaterThanOrEqual(long.quotes.time[i - 1]!);
  });
});

describe('withHeartbeats', () => {
  it('repeats each update at later distinct milliseconds and keeps the quote prevailing at every instant', () => {
    const dense = withHeartbeats(tape, 10);
    const q = dense.quotes;
    // 5 s gap: 9 repeats; 0 ms: none; 3 ms: 2; 1997 ms: 9; last: none.
    expect(q.length).toBe(5 + 9 + 0 + 2 + 9);
    for (let i = 1; i < q.length; i++) expect(q.time[i]!).toBeGreaterThanOrEqual(q.time[i - 1]!);
    for (let t = tape.quotes.time[0]! - 1; t <= tape.quotes.time[4]! + 1; t += 1) {
      const a = lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, t);
      const b = lastIndexAtOrBefore(q.time, q.length, t);
      expect(b < 0 ? null : [q.bid[b], q.ask[b]]).toEqual(a < 0 ? null : [tape.quotes.bid[a], tape.quotes.ask[a]]);
    }
    expect(dense.trades).toBe(tape.trades);
  });
});
