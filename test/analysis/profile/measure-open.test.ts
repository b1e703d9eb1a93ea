import { existsSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { measureOpen } from '../../../src/analysis/profile/measure-open.js';
import { loadTape } from '../../../src/sim/tape/load-tape.js';
import { HAS_REAL_DATA, NO_REAL_DATA_REASON, REAL_DATA } from '../../sim/tape/fixtures.js';

// Real Lean tick tapes from ../shared/data/quotes (third-party, read in place, never copied).
const SYMBOLS = ['aig', 'bac', 'ibm'];
const DAYS = ['20131007', '20131008', '20131009'];
const quoteZip = (sym: string, day: string) => path.join(REAL_DATA, 'equity', 'usa', 'tick', sym, `${day}_quote.zip`);
const suite = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(`skipping measureOpen real-tape tests: ${NO_REAL_DATA_REASON}`);

// Windows in ms after midnight ET, straight from the clock readings (no date library involved).
const H = 3_600_000;
const M = 60_000;
const WINDOWS: Array<[number, number]> = [
  [9.5 * H, 9.5 * H + M], [9.5 * H + M, 9.5 * H + 2 * M], [9.5 * H + 2 * M, 9.5 * H + 5 * M],
  [9.5 * H + 5 * M, 10 * H], [10 * H, 16 * H],
];

interface Snapshot { ms: number; bid: number; ask: number }

/**
 * The NBBO rebuilt the plain way from the raw CSV text: each row sets one side (0 = "not in this
 * row"), suspicious rows are dropped, and the state after the last row of each millisecond is
 * that millisecond's snapshot (SOURCE.md).
 */
function referenceSnapshots(zipFile: string): Snapshot[] {
  const text = new AdmZip(zipFile).getEntries()[0]!.getData().toString('utf8');
  const out: Snapshot[] = [];
  let bid = 0;
  let ask = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.split(',');
    if (Number(f[7]) === 1) continue;
    const ms = Number(f[0]);
    if (Number(f[1]) !== 0) bid = Number(f[1]);
    if (Number(f[3]) !== 0) ask = Number(f[3]);
    const last = out[out.length - 1];
    if (last !== undefined && last.ms === ms) Object.assign(last, { bid, ask });
    else out.push({ ms, bid, ask });
  }
  return out;
}

/** Brute-force lower weighted quantile in exact integer arithmetic: q = num / 10. */
function bruteQuantile(intervals: Array<{ value: number; ms: number }>, num: number): number | null {
  const sorted = [...intervals].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, x) => s + x.ms, 0);
  if (total === 0) return null;
  let acc = 0;
  for (const x of sorted) {
    acc += x.ms;
    if (acc * 10 >= num * total) return x.value;
  }
  throw new Error('unreachable');
}

function referenceWindow(snaps: Snapshot[], [from, to]: [number, number]) {
  const coverEnd = Math.min(to, snaps[snaps.length - 1]!.ms);
  const coverStart = Math.max(from, snaps[0]!.ms);
  const cents: Array<{ value: number; ms: number }> = [];
  const bps: Array<{ value: number; ms: number }> = [];
  let stamped = 0;
  for (let k = 0; k < snaps.length; k++) {
    const s = snaps[k]!;
    if (s.ms >= from && s.ms < to) stamped++;
    const next = k + 1 < snaps.length ? snaps[k + 1]!.ms : s.ms;
    const ms = Math.min(next, coverEnd) - Math.max(s.ms, from);
    if (ms <= 0 || s.bid <= 0 || s.ask <= 0 || s.bid >= s.ask) continue;
    cents.push({ value: (s.ask - s.bid) / 100, ms });
    bps.push({ value: ((s.ask - s.bid) / ((s.bid + s.ask) / 2)) * 10_000, ms });
  }
  return {
    spreadCentsMedian: bruteQuantile(cents, 5),
    spreadCentsP90: bruteQuantile(cents, 9),
    spreadBpsMedian: bruteQuantile(bps, 5),
    spreadBpsP90: bruteQuantile(bps, 9),
    quotesPerMinute: coverEnd > coverStart ? stamped / ((coverEnd - coverStart) / M) : null,
  };
}

function closeTo(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) expect(actual, what).toBeNull();
  else expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9);
}

suite('measureOpen on real tick tapes agrees with a brute-force reference from the raw file', () => {
  for (const sym of SYMBOLS) {
    for (const day of DAYS) {
      const file = quoteZip(sym, day);
      it.skipIf(!existsSync(file))(`${sym.toUpperCase()} ${day}: window medians, p90s, rates and 10:00 mid within 1e-9`, () => {
        const measured = measureOpen(loadTape(file));
        const snaps = referenceSnapshots(file);
        expect(measured.windows).toHaveLength(WINDOWS.length);
        WINDOWS.forEach((w, i) => {
          const ref = referenceWindow(snaps, w);
          const got = measured.windows[i]!;
          for (const key of ['spreadCentsMedian', 'spreadCentsP90', 'spreadBpsMedian', 'spreadBpsP90', 'quotesPerMinute'] as const) {
            closeTo(got[key], ref[key], `${got.start} ${key}`);
          }
          expect(ref.spreadCentsMedian, 'the reference found quotes').not.toBeNull();
        });
        const at10 = [...snaps].reverse().find((s) => s.ms <= 10 * H)!;
        closeTo(measured.midAt1000, (at10.bid + at10.ask) / 2 / 10_000, 'midAt1000');
      });
    }
  }
});
