import { describe, expect, it } from 'vitest';
import { quoteProblem } from '../../../src/engine/quote.js';
import { createRng } from '../../../src/sim/rng.js';
import { planBadQuotes } from '../../../src/sim/synthetic/bad-quotes.js';
import { generateOpen, TQQQ_LIKE } from '../../../src/sim/synthetic/index.js';
import type { OpenShape } from '../../../src/sim/synthetic/open-shape.js';
import { validateShape } from '../../../src/sim/synthetic/open-shape.js';
import { quoteAt } from '../../../src/sim/tape/tape.js';
import type { QuoteColumns } from '../../../src/sim/tape/tape.js';
import { columnsHash, et } from './shape-helpers.js';

const DATE = '2024-08-05';
const FROM = et(DATE, '09:29:00');
const TO = et(DATE, '09:40:00');
const BAD: OpenShape = {
  badQuotes: { burstsPerHour: 360, burstQuotes: 8, kinds: ['zero-bid', 'zero-ask', 'crossed', 'locked'], staleGapsPerHour: 60, staleGapSeconds: 8 },
};

/** The engine's own verdict on each snapshot, ignoring age (staleness is measured separately). */
function problems(q: QuoteColumns): Array<{ time: number; problem: string }> {
  const out: Array<{ time: number; problem: string }> = [];
  for (let i = 0; i < q.length; i++) {
    const p = quoteProblem(quoteAt(q, i), q.time[i]!, Number.POSITIVE_INFINITY);
    if (p !== null) out.push({ time: q.time[i]!, problem: p });
  }
  return out;
}

/** Indices of the quotes with time in [from, to). */
function slice(q: QuoteColumns, keep: (t: number) => boolean): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < q.length; i++) if (keep(q.time[i]!)) rows.push([q.time[i]!, q.bid[i]!, q.ask[i]!, q.bidSize[i]!, q.askSize[i]!]);
  return rows;
}

describe('badQuotes bursts', () => {
  it.each([1, 2, 3])('puts every kind asked for inside 09:29-09:40 ET and nowhere else (seed %s)', (seed) => {
    const q = generateOpen(TQQQ_LIKE, DATE, seed, { shape: BAD }).quotes;
    const found = problems(q);
    const kinds = new Set(found.map((f) => f.problem));
    expect([...kinds].sort()).toEqual(['crossed', 'locked', 'zero-side']);
    // ~66 bursts of 8 expected, fewer once overlapping events are dropped.
    expect(found.length).toBeGreaterThan(250);
    expect(found.filter((f) => f.time < FROM || f.time >= TO)).toEqual([]);
    let zeroBid = 0;
    let zeroAsk = 0;
    for (let i = 0; i < q.length; i++) {
      if (q.bid[i] === 0) zeroBid++;
      if (q.ask[i] === 0) zeroAsk++;
    }
    expect(zeroBid).toBeGreaterThan(20);
    expect(zeroAsk).toBeGreaterThan(20);
  });

  it('emits only the kinds listed', () => {
    const q = generateOpen(TQQQ_LIKE, DATE, 4, { shape: { badQuotes: { burstsPerHour: 300, kinds: ['crossed'] } } }).quotes;
    const kinds = new Set(problems(q).map((f) => f.problem));
    expect([...kinds]).toEqual(['crossed']);
  });

  it('leaves the stream outside the window and every trade exactly as the unshaped tape', () => {
    const plain = generateOpen(TQQQ_LIKE, DATE, 5);
    const bad = generateOpen(TQQQ_LIKE, DATE, 5, { shape: BAD });
    const outside = (t: number) => t < FROM || t >= TO;
    expect(slice(bad.quotes, outside)).toEqual(slice(plain.quotes, outside));
    expect(columnsHash({ ...bad, quotes: plain.quotes })).toBe(columnsHash(plain));
    expect(slice(bad.quotes, (t) => !outside(t))).not.toEqual(slice(plain.quotes, (t) => !outside(t)));
  });

  it('honours a custom window', () => {
    const shape = { badQuotes: { burstsPerHour: 600, fromEt: '09:45:00', toEt: '09:50:00' } };
    const found = problems(generateOpen(TQQQ_LIKE, DATE, 6, { shape }).quotes);
    expect(found.length).toBeGreaterThan(10);
    expect(found.every((f) => f.time >= et(DATE, '09:45:00') && f.time < et(DATE, '09:50:00'))).toBe(true);
  });
});

describe('badQuotes stale gaps', () => {
  function longestSilence(q: QuoteColumns, from: number, to: number): number {
    let longest = 0;
    for (let i = 1; i < q.length; i++) if (q.time[i]! >= from && q.time[i]! < to) longest = Math.max(longest, q.time[i]! - q.time[i - 1]!);
    return longest;
  }

  it('holds the NBBO without an update for staleGapSeconds inside the window only', () => {
    const shape = { badQuotes: { staleGapsPerHour: 60, staleGapSeconds: 8 } };
    for (const seed of [1, 2, 3]) {
      const plain = generateOpen(TQQQ_LIKE, DATE, seed).quotes;
      const stale = generateOpen(TQQQ_LIKE, DATE, seed, { shape }).quotes;
      // At ~30 updates/s the open never goes quiet for seconds on its own.
      expect(longestSilence(plain, FROM + 60_000, TO)).toBeLessThan(2000);
      expect(longestSilence(stale, FROM, TO)).toBeGreaterThanOrEqual(8000);
      expect(longestSilence(stale, TO, et(DATE, '10:30:00'))).toBe(longestSilence(plain, TO, et(DATE, '10:30:00')));
      expect(problems(stale)).toEqual([]); // stale, not invalid
    }
  });
});

describe('planBadQuotes', () => {
  it('draws events wholly inside the window, never overlapping, at the requested rate', () => {
    const bq = validateShape(BAD).badQuotes!;
    let bursts = 0;
    let gaps = 0;
    const runs = 40;
    for (let s = 0; s < runs; s++) {
      const events = planBadQuotes(bq, DATE, et(DATE, '09:00:00'), et(DATE, '10:30:00'), createRng(`plan:${s}`));
      let busy = -Infinity;
      for (const ev of events) {
        expect(ev.start).toBeGreaterThanOrEqual(FROM);
        expect(ev.end).toBeLessThan(TO);
        expect(ev.start).toBeGreaterThan(busy);
        busy = ev.end;
        if (ev.kind === 'burst') {
          bursts++;
          expect(ev.snapshots).toHaveLength(8);
          const times = ev.snapshots.map((x) => x.time);
          expect(new Set(times).size).toBe(8); // distinct ms: each survives Lean's one-per-ms reader
        } else {
          gaps++;
          expect(ev.end - ev.start).toBe(8000);
        }
      }
    }
    // 360/h and 60/h over 11 minutes: 66 and 11 drawn per day, a few lost to overlaps.
    expect(bursts / runs).toBeGreaterThan(50);
    expect(bursts / runs).toBeLessThan(70);
    expect(gaps / runs).toBeGreaterThan(6);
    expect(gaps / runs).toBeLessThan(13);
  });
});
