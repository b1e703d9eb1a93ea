import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { describe, expect, it } from 'vitest';
import { SOXL_LIKE, TQQQ_LIKE, generateOpen, symbolForProfile } from '../../../src/sim/synthetic/index.js';
import type { OpenProfile } from '../../../src/sim/synthetic/open-profile.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { lastIndexAtOrBefore } from '../../../src/sim/tape/tape.js';
import { addTicks, isOnTickGrid } from '../../../src/engine/tick.js';

const DATE = '2024-03-04'; // a Monday in EST (UTC-5)

function columnsOf(tape: Tape): Array<ArrayLike<number>> {
  const q = tape.quotes;
  const t = tape.trades;
  return [q.time, q.bid, q.ask, q.bidSize, q.askSize, ...(t ? [t.time, t.price, t.size] : [])];
}

describe('generateOpen determinism', () => {
  it('gives identical typed arrays for identical arguments', () => {
    const a = generateOpen(TQQQ_LIKE, DATE, 7);
    const b = generateOpen(TQQQ_LIKE, DATE, 7);
    expect(a.quotes.length).toBe(b.quotes.length);
    const ca = columnsOf(a);
    const cb = columnsOf(b);
    expect(ca.length).toBe(8);
    for (let i = 0; i < ca.length; i++) {
      const x = ca[i] as Float64Array | Int32Array;
      const y = cb[i] as Float64Array | Int32Array;
      expect(Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength))).toBe(true);
    }
  });

  it('differs for a different seed, date or profile', () => {
    const base = generateOpen(TQQQ_LIKE, DATE, 7);
    const others = [
      generateOpen(TQQQ_LIKE, DATE, 8),
      generateOpen(TQQQ_LIKE, DATE, '7x'),
      generateOpen(TQQQ_LIKE, '2024-03-05', 7),
      generateOpen({ ...TQQQ_LIKE, name: 'tqqq2-like' }, DATE, 7),
    ];
    for (const other of others) {
      expect(Array.from(other.quotes.bid.slice(0, 500))).not.toEqual(Array.from(base.quotes.bid.slice(0, 500)));
    }
  });

  it('treats numeric and string seeds alike', () => {
    expect(Array.from(generateOpen(TQQQ_LIKE, DATE, 3).quotes.ask)).toEqual(Array.from(generateOpen(TQQQ_LIKE, DATE, '3').quotes.ask));
  });
});

describe('generateOpen tape shape', () => {
  it('labels the tape', () => {
    const tape = generateOpen(TQQQ_LIKE, DATE, 'abc');
    expect(tape.symbol).toBe('TQQQ');
    expect(tape.date).toBe(DATE);
    expect(tape.source).toBe(`synthetic:tqqq-like:${DATE}:abc`);
    expect(tape.tradesAreBars).toBe(false);
    expect(generateOpen(SOXL_LIKE, DATE, 1).symbol).toBe('SOXL');
    expect(symbolForProfile('TQQQ_LIKE')).toBe('TQQQ');
    expect(symbolForProfile('custom')).toBe('CUSTOM');
  });

  it.each([1, 2, 3])('keeps times integer, non-decreasing and inside the window (seed %s)', (seed) => {
    const fromMs = etClockToEpoch(DATE, '09:00:00');
    const toMs = etClockToEpoch(DATE, '10:30:00');
    const tape = generateOpen(TQQQ_LIKE, DATE, seed);
    for (const times of [tape.quotes.time, tape.trades!.time]) {
      expect(times.length).toBeGreaterThan(0);
      let prev = fromMs;
      let bad = 0;
      for (const t of times) {
        if (!(Number.isInteger(t) && t >= prev && t < toMs)) bad++;
        prev = t;
      }
      expect(bad).toBe(0);
    }
    expect(tape.quotes.time[0]).toBe(fromMs);
  });

  it.each([
    [TQQQ_LIKE, 11],
    [SOXL_LIKE, 12],
    [{ ...TQQQ_LIKE, name: 'penny-like', price: 0.8, baseSpreadTicks: 3 } as OpenProfile, 13],
    [{ ...TQQQ_LIKE, name: 'edge-like', price: 1.0, dailyVolatility: 0.5 } as OpenProfile, 14],
  ])('emits only valid quotes on the tick grid (%s)', (profile, seed) => {
    const q = generateOpen(profile, DATE, seed).quotes;
    let bad = 0;
    for (let i = 0; i < q.length; i++) {
      const ok =
        q.bid[i]! > 0 &&
        q.ask[i]! > q.bid[i]! &&
        isOnTickGrid(q.bid[i]!) &&
        isOnTickGrid(q.ask[i]!) &&
        q.bidSize[i]! > 0 &&
        q.askSize[i]! > 0;
      if (!ok) bad++;
    }
    expect(bad).toBe(0);
  });

  it.each([21, 22, 23])('prints trades near the prevailing quote and on the grid (seed %s)', (seed) => {
    const tape = generateOpen(TQQQ_LIKE, DATE, seed);
    const q = tape.quotes;
    const tr = tape.trades!;
    expect(tr.length).toBeGreaterThan(1000);
    let atTouch = 0;
    const bad: string[] = [];
    for (let i = 0; i < tr.length; i++) {
      const j = lastIndexAtOrBefore(q.time, q.length, tr.time[i]!);
      const price = tr.price[i]!;
      const ok =
        j >= 0 &&
        isOnTickGrid(price) &&
        price >= addTicks(q.bid[j]!, -3) &&
        price <= addTicks(q.ask[j]!, 3) &&
        tr.size[i]! > 0;
      if (!ok) bad.push(`trade ${i}: ${price} x ${tr.size[i]} vs quote ${q.bid[j]}/${q.ask[j]}`);
      if (price === q.bid[j] || price === q.ask[j]) atTouch++;
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(atTouch / tr.length).toBeGreaterThan(0.8);
  });

  it('honours a custom window, including one that starts after the open', () => {
    const fromMs = etClockToEpoch(DATE, '09:45:00');
    const toMs = etClockToEpoch(DATE, '09:50:00');
    const tape = generateOpen(TQQQ_LIKE, DATE, 5, { fromEt: '09:45:00', toEt: '09:50:00' });
    expect(tape.quotes.time[0]).toBe(fromMs);
    expect(tape.quotes.time[tape.quotes.length - 1]).toBeLessThan(toMs);
    expect(tape.quotes.length).toBeGreaterThan(300);
  });

  it('generates an all-pre-market window', () => {
    const tape = generateOpen(TQQQ_LIKE, DATE, 5, { fromEt: '08:00:00', toEt: '09:00:00' });
    expect(tape.quotes.length).toBeGreaterThan(1000);
    expect(tape.quotes.time[tape.quotes.length - 1]).toBeLessThan(etClockToEpoch(DATE, '09:00:00'));
  });

  it('returns null trades when the profile prints none', () => {
    const silent = { ...TQQQ_LIKE, tradesPerSecondOpen: 0, tradesPerSecondMidday: 0, tradesPerSecondPreMarket: 0 };
    expect(generateOpen(silent, DATE, 1).trades).toBeNull();
  });

  it('rejects bad dates, times, windows and profiles with clear errors', () => {
    expect(() => generateOpen(TQQQ_LIKE, '2024-3-4', 1)).toThrow(/invalid date "2024-3-4"/);
    expect(() => generateOpen(TQQQ_LIKE, '2024-02-30', 1)).toThrow(/invalid date "2024-02-30"/);
    expect(() => generateOpen(TQQQ_LIKE, DATE, 1, { fromEt: '9:00' })).toThrow(/invalid clock "9:00"/);
    expect(() => generateOpen(TQQQ_LIKE, DATE, 1, { fromEt: '10:00:00', toEt: '10:00:00' })).toThrow(/invalid window/);
    expect(() => generateOpen({ ...TQQQ_LIKE, openSpreadPeak: 0 }, DATE, 1)).toThrow(/openSpreadPeak/);
  });
});
