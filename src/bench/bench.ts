/**
 * Performance benchmark: `node dist/bench/bench.js` from the repo root prints ONE JSON object.
 * Each measurement is a small function returning plain numbers, so later measurements (sim
 * runs, sweeps) slot in beside the tape load without reshaping the output.
 *
 * The reference is `unzip -p FILE | wc -l`, timed in the same run on the same machine, so the
 * ratio (our load / inflate-and-count) holds across machines of different speed.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadTape } from '../sim/tape/load-tape.js';
import { readZipCsv } from '../sim/tape/zip-csv.js';
import { countLines } from '../sim/tape/csv-bytes.js';

const RUNS = 3;
const TICK_TAPE = path.join('equity', 'usa', 'tick', 'aig', '20131007_quote.zip');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds of each of `runs` calls to `fn`. */
function timeRuns(runs: number, fn: () => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times;
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Loads the tape `runs` times: median load time and what the load produced. */
function measureTapeLoad(file: string, runs: number) {
  let snapshots = 0;
  let trades = 0;
  const times = timeRuns(runs, () => {
    const tape = loadTape(file);
    snapshots = tape.quotes.length;
    trades = tape.trades?.length ?? 0;
  });
  // Raw rows counted outside the timed loads: the loader does not report them.
  const rows = countLines(readZipCsv(file));
  return { rows, snapshots, trades, loadMs: round(median(times)) };
}

/** The external yardstick: inflate and count lines with the system tools. */
function measureUnzipWc(file: string, runs: number) {
  const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
  const times = timeRuns(runs, () => execSync(`unzip -p ${quoted} | wc -l`, { stdio: ['ignore', 'pipe', 'inherit'] }));
  return { unzipWcMs: round(median(times)) };
}

function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB
}

function main(): void {
  const dataRoot = path.resolve(process.cwd(), '..', 'shared', 'data', 'quotes');
  const file = path.join(dataRoot, TICK_TAPE);
  if (!existsSync(file)) {
    console.log(JSON.stringify({ error: `benchmark tape not found: ${file} (the shared quote data is absent)` }));
    return;
  }
  const load = measureTapeLoad(file, RUNS);
  const unzip = measureUnzipWc(file, RUNS);
  console.log(
    JSON.stringify({
      tape: path.relative(process.cwd(), file),
      ...load,
      ...unzip,
      loadRatio: round(load.loadMs / unzip.unzipWcMs, 2),
      peakRssMb: peakRssMb(),
    }),
  );
}

main();
