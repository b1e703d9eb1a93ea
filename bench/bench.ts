/**
 * Performance benchmark: `npm run bench` from the repo root (bench/ compiles to dist-bench/, never into the shipped dist/) prints ONE JSON object.
 * Each measurement is a small function returning plain numbers, all taken side by side in this
 * one run, on the AIG 2013-10-07 tick tape of ../shared/data/quotes:
 * - loadRatio: our tape load over a plain `unzip -p FILE | wc -l` of the same file (the external
 *   yardstick makes the ratio hold across machines of different speed);
 * - laddersPerSecond: single-thread ladder executions (500 shares, default configuration and fill
 *   model, so the conservative liquidity model), each decided at a different instant between 09:30
 *   and 10:00 ET, both sides; laddersPerSecondNominal (diagnostic) is the same under nominal;
 * - lengthScaling: time per execution on the tape replayed over 10 trading days (10x the
 *   snapshots; orders spread over the 10 days' 09:30-10:00) over that on the original;
 * - densityScaling (diagnostic, no target): for orders decided in the first two minutes, while the
 *   ladder waits for a tight spread, time per execution on the tape with every quote update
 *   followed by up to 9 repeats at later milliseconds (~5x the snapshots over the same session)
 *   over that on the original: near 1 when the simulator jumps to the updates that matter;
 * - workerSpeedup: a tuning sweep of at least 20 s on one worker thread, timed on 2 worker threads
 *   over 1 (the former 2 s sweep, dominated by start-up, is kept as workerSpeedupShortSweep);
 * - helpStartRatio: `better-orders --help` wall time over a bare `node -e 0` (medians of
 *   alternating runs); measured even without the shared data;
 * - peakRssMb: the process's peak resident memory over the whole run (workers included).
 * `targets` states the issue's targets and whether each is met.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_FILL_MODEL, type FillModelConfig } from '../src/sim/fill-model-config.js';
import type { SimExecutionRequest } from '../src/sim/sim-driver.js';
import { loadTape } from '../src/sim/tape/load-tape.js';
import { QuoteIndex, TradeIndex } from '../src/sim/tape/tape-index.js';
import type { Tape } from '../src/sim/tape/tape.js';
import { readZipCsv } from '../src/sim/tape/zip-csv.js';
import { countLines } from '../src/sim/tape/csv-bytes.js';
import { ladderRequests, runAll } from './ladder-runs.js';
import { withHeartbeats } from './dense-tape.js';
import { repeatOverTradingDays } from './long-tape.js';
import { measureHelpStart } from './cli-start.js';
import { median, round, timeRuns } from './timing.js';
import { measureWorkerSpeedup } from './worker-speedup.js';

const RUNS = 3;
const TICK_TAPE = path.join('equity', 'usa', 'tick', 'aig', '20131007_quote.zip');
/** Ladder executions per timed round, and rounds (the median round counts). */
const LADDERS = 6_000;
const LADDER_ROUNDS = 5;
const LENGTH_FACTOR = 10;
/** At most this many snapshots per quote update on the dense tape (the update and its repeats). */
const HEARTBEATS = 10;
/** Candidate configurations of the short sweep timed on 1 and on 2 workers (120 executions each); the long one is sized from it. */
const SWEEP_JOBS = 1_000;

/** Loads the tape `runs` times: median load time, what the load produced, and the last tape. */
function measureTapeLoad(file: string, runs: number) {
  const last: { tape?: Tape } = {};
  const times = timeRuns(runs, () => {
    last.tape = loadTape(file);
  });
  const tape = last.tape!;
  // Raw rows counted outside the timed loads: the loader does not report them.
  const rows = countLines(readZipCsv(file));
  return { tape, rows, snapshots: tape.quotes.length, trades: tape.trades?.length ?? 0, loadMs: round(median(times)) };
}

/** The external yardstick: inflate and count lines with the system tools. */
function measureUnzipWc(file: string, runs: number) {
  const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
  const times = timeRuns(runs, () => execSync(`unzip -p ${quoted} | wc -l`, { stdio: ['ignore', 'pipe', 'inherit'] }));
  return { unzipWcMs: round(median(times)) };
}

/** Building the tape's search index (once per tape; every simulation of the tape shares it). */
function measureIndexBuild(tape: Tape) {
  const times = timeRuns(RUNS, () => {
    new QuoteIndex(tape.quotes).firstTradable(0);
    if (tape.trades !== null) new TradeIndex(tape.trades).rangeSums(0, tape.trades.length - 1);
  });
  return { indexMs: round(median(times)) };
}

/** Executions per second of `requests` on `tape`, median of the timed rounds after one warm-up round. */
function executionsPerSecond(tape: Tape, requests: readonly SimExecutionRequest[], rounds: number, fillModel?: FillModelConfig): number {
  runAll(tape, requests, fillModel); // warm-up: JIT, the tape's index and the day's windows
  return requests.length / (median(timeRuns(rounds, () => runAll(tape, requests, fillModel))) / 1000);
}

/** Under the default (conservative) liquidity model, and as a diagnostic under nominal, which replays every quote while an order queues. */
function measureLadders(tape: Tape) {
  const requests = ladderRequests(tape, LADDERS);
  return {
    ladderExecutions: LADDERS,
    laddersPerSecond: Math.round(executionsPerSecond(tape, requests, LADDER_ROUNDS)),
    laddersPerSecondNominal: Math.round(executionsPerSecond(tape, requests, LADDER_ROUNDS, { ...DEFAULT_FILL_MODEL, liquidity: 'nominal' })),
  };
}

/** Per-execution µs of `baseRequests` on `tape` and of `variantRequests` on `variant`, rounds alternating. */
function perExecutionRatio(tape: Tape, baseRequests: readonly SimExecutionRequest[], variant: Tape, variantRequests: readonly SimExecutionRequest[]) {
  runAll(tape, baseRequests);
  runAll(variant, variantRequests);
  const baseMs: number[] = [];
  const variantMs: number[] = [];
  for (let r = 0; r < LADDER_ROUNDS; r++) {
    baseMs.push(...timeRuns(1, () => runAll(tape, baseRequests)));
    variantMs.push(...timeRuns(1, () => runAll(variant, variantRequests)));
  }
  return { baseUs: (median(baseMs) / baseRequests.length) * 1000, variantUs: (median(variantMs) / variantRequests.length) * 1000 };
}

/**
 * Per-execution time on the tape replayed over LENGTH_FACTOR trading days over that on the
 * original: the same orders (same clocks and sides), order i placed on day i mod 10 of the long
 * tape; rounds alternate between the two tapes so drift hits both alike.
 */
function measureLengthScaling(tape: Tape) {
  const long = repeatOverTradingDays(tape, LENGTH_FACTOR);
  const spread = ladderRequests(tape, LADDERS, { dayShift: (i) => long.shifts[i % LENGTH_FACTOR]! });
  const { baseUs, variantUs } = perExecutionRatio(tape, ladderRequests(tape, LADDERS), long.tape, spread);
  return {
    longTapeSnapshots: long.tape.quotes.length,
    perExecutionUs: round(baseUs, 2),
    perExecutionUsLongTape: round(variantUs, 2),
    lengthScaling: round(variantUs / baseUs, 2),
  };
}

/** For orders in the spread-wait window: per-execution time on the tape with heartbeats over the original. */
function measureDensityScaling(tape: Tape) {
  const dense = withHeartbeats(tape, HEARTBEATS);
  const opening = ladderRequests(tape, LADDERS / 3, { windowMs: 2 * 60_000 });
  const { baseUs, variantUs } = perExecutionRatio(tape, opening, dense, opening);
  return {
    denseTapeSnapshots: dense.quotes.length,
    perExecutionUsOpening: round(baseUs, 2),
    perExecutionUsOpeningDenseTape: round(variantUs, 2),
    densityScaling: round(variantUs / baseUs, 2),
  };
}

function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB
}

function targets(m: { loadRatio: number; laddersPerSecond: number; lengthScaling: number; workerSpeedup: number; helpStartRatio: number }) {
  const at = (value: number, bound: number, higherIsBetter: boolean) => ({ target: `${higherIsBetter ? '>=' : '<='} ${bound}`, value, met: higherIsBetter ? value >= bound : value <= bound });
  return {
    loadRatio: at(m.loadRatio, 3, false),
    laddersPerSecond: at(m.laddersPerSecond, 20_000, true),
    lengthScaling: at(m.lengthScaling, 1.5, false),
    workerSpeedup: at(m.workerSpeedup, 1.6, true),
    helpStartRatio: at(m.helpStartRatio, 3, false),
  };
}

async function main(): Promise<void> {
  const dataRoot = path.resolve(process.cwd(), '..', 'shared', 'data', 'quotes');
  const file = path.join(dataRoot, TICK_TAPE);
  const start = measureHelpStart(process.cwd());
  if (!existsSync(file)) {
    console.log(JSON.stringify({ ...start, error: `benchmark tape not found: ${file} (the shared quote data is absent)` }));
    return;
  }
  const { tape, ...load } = measureTapeLoad(file, RUNS);
  const unzip = measureUnzipWc(file, RUNS);
  const loadRatio = round(load.loadMs / unzip.unzipWcMs, 2);
  const peakRssMbAfterLoad = peakRssMb();
  // The sweeps go first, while this thread is as cold as the workers will be (a real `tune` starts
  // cold whatever its worker count), then the single-thread measurements.
  const workers = await measureWorkerSpeedup(file, SWEEP_JOBS);
  const index = measureIndexBuild(tape);
  const ladders = measureLadders(tape);
  const length = measureLengthScaling(tape);
  const density = measureDensityScaling(tape);
  console.log(
    JSON.stringify({
      tape: path.relative(process.cwd(), file),
      ...load,
      ...unzip,
      loadRatio,
      ...index,
      ...ladders,
      ...length,
      ...density,
      ...workers,
      ...start,
      peakRssMbAfterLoad,
      peakRssMb: peakRssMb(),
      targets: targets({ loadRatio, laddersPerSecond: ladders.laddersPerSecond, lengthScaling: length.lengthScaling, workerSpeedup: workers.workerSpeedup, helpStartRatio: start.helpStartRatio }),
    }),
  );
}

await main();
