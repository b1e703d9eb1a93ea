import type { QuoteColumns, Tape } from '../src/sim/tape/tape.js';

/**
 * The same day with up to `factor` times the quote snapshots: after each millisecond's last
 * snapshot, up to `factor - 1` repeats of it ("heartbeats", same prices and sizes) at distinct
 * later milliseconds before the next update. The NBBO path is unchanged but every wait now sees
 * many more updates, as on a busy symbol, so per-execution time shows whether the simulator steps
 * through quotes or jumps to the ones that matter. Trades are kept as they are.
 */
export function withHeartbeats(tape: Tape, factor: number): Tape {
  const q = tape.quotes;
  const time: number[] = [];
  const rows: number[] = [];
  for (let i = 0; i < q.length; i++) {
    time.push(q.time[i]!);
    rows.push(i);
    if (i + 1 >= q.length) continue;
    const gap = q.time[i + 1]! - q.time[i]!;
    const beats = Math.min(factor - 1, gap - 1);
    for (let j = 1; j <= beats; j++) {
      // Strictly increasing and below the next update: offsets j*gap/factor (gap >= factor) or j.
      time.push(q.time[i]! + (gap >= factor ? Math.floor((j * gap) / factor) : j));
      rows.push(i);
    }
  }
  const pick = (col: Int32Array): Int32Array => Int32Array.from(rows, (r) => col[r]!);
  const quotes: QuoteColumns = { length: rows.length, time: Float64Array.from(time), bid: pick(q.bid), ask: pick(q.ask), bidSize: pick(q.bidSize), askSize: pick(q.askSize) };
  return { ...tape, source: `${tape.source} with heartbeats x${factor}`, quotes };
}
