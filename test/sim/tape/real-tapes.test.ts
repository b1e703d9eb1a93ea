import path from 'node:path';
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { loadTape } from '../../../src/sim/tape/load-tape.js';
import { lastIndexAtOrBefore, quoteAt, type QuoteColumns } from '../../../src/sim/tape/tape.js';
import { edt, HAS_REAL_DATA, NO_REAL_DATA_REASON, REAL_DATA } from './fixtures.js';

// Real Lean sample tapes from ../shared/data/quotes (third-party, never copied into the repo).
const lean = (res: string, sym: string, day: string, kind = 'quote') =>
  path.join(REAL_DATA, 'equity', 'usa', res, sym, `${day}_${kind}.zip`);
const suite = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(`skipping real-tape tests: ${NO_REAL_DATA_REASON}`);

function nonDecreasing(times: Float64Array): boolean {
  for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) return false;
  return true;
}

/**
 * Independent reference: for each target (ms after midnight, ascending), the NBBO after every
 * non-suspicious row with time_ms <= target, rebuilt the plain way (split lines, split fields,
 * Number) from the CSV text inflated by adm-zip's own getData.
 */
function referenceNbbo(zipPath: string, targetsMs: readonly number[]) {
  const lines = new AdmZip(zipPath).getEntries()[0]!.getData().toString('utf8').split('\n');
  const out: Array<{ ms: number; bid: number; bidSize: number; ask: number; askSize: number }> = [];
  const state = { ms: -1, bid: 0, bidSize: 0, ask: 0, askSize: 0 };
  let k = 0;
  for (const line of [...lines, '99999999999,0,0,0,0,X,0,0']) { // sentinel row flushes the last targets
    if (line === '') continue;
    const [ms, bid, bidSize, ask, askSize, , , suspicious] = line.split(',').map(Number) as number[];
    while (k < targetsMs.length && ms! > targetsMs[k]!) {
      out.push({ ...state });
      k++;
    }
    if (suspicious === 1) continue;
    state.ms = ms!;
    if (bid !== 0) [state.bid, state.bidSize] = [bid!, bidSize!];
    if (ask !== 0) [state.ask, state.askSize] = [ask!, askSize!];
  }
  return out;
}

const quoteAtTime = (q: QuoteColumns, t: number) => quoteAt(q, lastIndexAtOrBefore(q.time, q.length, t));

suite(HAS_REAL_DATA ? 'real Lean tapes' : `real Lean tapes (skipped: ${NO_REAL_DATA_REASON})`, () => {
  const AIG = lean('tick', 'aig', '20131007');

  it('AIG 2013-10-07 tick: symbol, date, order, collapse, trades, a sane open', () => {
    const tape = loadTape(AIG);
    expect([tape.symbol, tape.date, tape.source, tape.tradesAreBars]).toEqual(['AIG', '2013-10-07', AIG, false]);
    const csv = new AdmZip(AIG).getEntries()[0]!.getData();
    let raw = csv.at(-1) === 0x0a ? 0 : 1; // the last row has no newline in Lean files
    for (let at = csv.indexOf(0x0a); at !== -1; at = csv.indexOf(0x0a, at + 1)) raw++;
    expect(raw).toBe(1_079_935);
    expect(tape.quotes.length).toBeGreaterThan(0);
    expect(tape.quotes.length).toBeLessThan(raw);
    expect(nonDecreasing(tape.quotes.time)).toBe(true);
    expect(tape.quotes.time[0]).toBeGreaterThanOrEqual(edt('2013-10-07', '04:00:00'));
    expect(tape.quotes.time[tape.quotes.length - 1]).toBeLessThan(edt('2013-10-07', '20:01:00'));
    expect(tape.trades!.length).toBeGreaterThan(1000);
    expect(nonDecreasing(tape.trades!.time)).toBe(true);
    const open = quoteAt(tape.quotes, lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, edt('2013-10-07', '09:30:00')) + 1);
    expect(open.time).toBeGreaterThan(edt('2013-10-07', '09:30:00'));
    expect(open.bid).toBeGreaterThan(0);
    expect(open.bid).toBeLessThan(open.ask);
  });

  it('AIG tick snapshots equal a plain reference rebuild of the raw CSV', () => {
    const tape = loadTape(AIG);
    const midnight = edt('2013-10-07', '00:00:00');
    const walls = ['04:00:01', '09:30:00', '09:30:00.500', '09:30:01.234', '09:35:00', '12:00:00', '15:59:59.999', '21:00:00'];
    const refs = referenceNbbo(AIG, walls.map((w) => edt('2013-10-07', w) - midnight));
    walls.forEach((wall, i) => {
      const ref = refs[i]!;
      expect(quoteAtTime(tape.quotes, edt('2013-10-07', wall)), wall).toEqual({
        time: midnight + ref.ms, bid: ref.bid, bidSize: ref.bidSize, ask: ref.ask, askSize: ref.askSize,
      });
    });
  });

  it('IBM 2013-10-07 tick skips its suspicious row', () => {
    const tape = loadTape(lean('tick', 'ibm', '20131007'));
    expect(tape.symbol).toBe('IBM');
    expect(nonDecreasing(tape.quotes.time)).toBe(true);
  });

  it('SPY 2013-10-07 second bars: one snapshot per bar at bar end, trade bars folded', () => {
    const file = lean('second', 'spy', '20131007');
    const tape = loadTape(file);
    const rows = new AdmZip(file).getEntries()[0]!.getData().toString('utf8').trim().split('\n');
    expect([tape.symbol, tape.date, tape.tradesAreBars, tape.quotes.length]).toEqual(['SPY', '2013-10-07', true, rows.length]);
    const first = rows[0]!.split(',').map(Number);
    expect(quoteAt(tape.quotes, 0)).toEqual({
      time: edt('2013-10-07', '00:00:00') + first[0]! + 1000, bid: first[4], bidSize: first[5], ask: first[9], askSize: first[10],
    });
    expect(nonDecreasing(tape.quotes.time)).toBe(true);
    expect(tape.trades!.length).toBeGreaterThan(1000);
    for (let i = 0; i < tape.quotes.length; i++) expect((tape.quotes.time[i]! - edt('2013-10-07', '00:00:00')) % 1000).toBe(0);
  });

  it('IBM 2013-10-07 minute bar closes equal the tick NBBO just before each bar end', () => {
    const bars = loadTape(lean('minute', 'ibm', '20131007'));
    const ticks = loadTape(lean('tick', 'ibm', '20131007'));
    expect([bars.symbol, bars.tradesAreBars]).toEqual(['IBM', true]);
    expect(bars.trades!.length).toBeGreaterThan(300);
    let compared = 0;
    for (let i = 0; i < bars.quotes.length; i++) {
      const end = bars.quotes.time[i]!;
      expect((end - edt('2013-10-07', '00:00:00')) % 60_000).toBe(0);
      const tick = quoteAtTime(ticks.quotes, end - 1); // the bar covers [start, end)
      expect({ ...quoteAt(bars.quotes, i), time: 0 }).toEqual({ ...tick, time: 0 });
      compared++;
    }
    expect(compared).toBe(bars.quotes.length);
  });
});
