import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { ExecutionReport } from '../engine/execution-report.js';
import { priceToDollars, qtyToShares } from '../engine/units.js';
import { diffMetrics, metricsOf, type FidelityDiff, type FidelityMetrics } from '../analysis/compare/compare-metrics.js';
import { configOfRun, replayExecution } from '../analysis/compare/replay-execution.js';
import { DEFAULT_FILL_MODEL, fillModelSchema, type FillModelConfig } from '../sim/fill-model-config.js';
import { loadTape } from '../sim/tape/load-tape.js';
import { recordComparison, readExecutionRun } from '../store/comparisons.js';
import { readExecution } from '../store/read-executions.js';
import { UsageError } from './cli-error.js';
import { executionRowId } from './execution-ref.js';
import { openExistingDatabase } from './existing-db.js';
import { executionToJson } from './execution-json.js';
import { DEFAULT_COMPARE_SEED, type compareOptions } from './options/compare.js';

type CompareArgs = Awaited<ReturnType<typeof compareOptions>['argv']>;

const dollars = (p: number | null): number | null => (p === null ? null : Math.round(priceToDollars(p) * 1e6) / 1e6 + 0);
const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e6) / 1e6 + 0);

function sideJson(m: FidelityMetrics) {
  return {
    outcome: m.outcome,
    filledQty: qtyToShares(m.filledQty),
    avgPrice: dollars(m.avgPrice),
    costBps: round(m.costBps),
    timeToFillMs: m.timeToFillMs,
    repegs: m.repegs,
    usedFallback: m.usedFallback,
  };
}

function diffJson(d: FidelityDiff) {
  return {
    filledQty: qtyToShares(d.filledQty),
    avgPrice: dollars(d.avgPrice),
    costBps: round(d.costBps),
    timeToFillMs: d.timeToFillMs,
    repegs: d.repegs,
    fallbackAgrees: d.fallbackAgrees,
    outcomeAgrees: d.outcomeAgrees,
  };
}

function fillModelOfRun(configJson: unknown): FillModelConfig {
  const fm = typeof configJson === 'object' && configJson !== null ? (configJson as { fillModel?: unknown }).fillModel : undefined;
  return fm === undefined || fm === null ? DEFAULT_FILL_MODEL : fillModelSchema.parse(fm);
}

export function runCompareCommand(args: CompareArgs): void {
  const seed = args.seed;
  const db = openExistingDatabase(args.db, 'compare');
  try {
    const id = executionRowId(db, args.execution, args.db);
    const real: ExecutionReport = readExecution(db, id);
    const run = readExecutionRun(db, id);
    if (run.kind !== 'paper' && run.kind !== 'live') {
      throw new UsageError(`compare: execution ${id} is a ${run.kind === 'sim' ? 'simulation' : `${run.kind} run`} (kind '${run.kind}'); it has no recorded window to replay, only paper and live executions do`);
    }
    if (!existsSync(run.dataRef)) throw new UsageError(`compare: the recorded tape of execution ${id} is missing: ${run.dataRef}`);
    const config = configOfRun(run.config);
    const fillModel = fillModelOfRun(run.config);
    const tape = loadTape(run.dataRef, { symbol: real.symbol, date: real.date });
    const sim = replayExecution(tape, real, config, fillModel, seed);

    const realM = metricsOf(real);
    const simM = metricsOf(sim);
    const diff = diffMetrics(realM, simM);
    const comparisonId = recordComparison(db, {
      executionId: id,
      seed,
      config: { config, fillModel },
      sim: executionToJson(sim),
      real: realM,
      simulated: simM,
    });

    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ executionId: id, executionKey: real.executionId, kind: run.kind, seed, real: sideJson(realM), simulated: sideJson(simM), diff: diffJson(diff), comparisonId }, null, 2)}\n`,
      );
      return;
    }
    const r = sideJson(realM);
    const s = sideJson(simM);
    const d = diffJson(diff);
    const f = (x: unknown): string => (x === null ? '-' : String(x));
    const rows: [string, unknown, unknown, unknown][] = [
      ['outcome', r.outcome, s.outcome, d.outcomeAgrees ? 'same' : 'differs'],
      ['filled qty', r.filledQty, s.filledQty, d.filledQty],
      ['avg price', r.avgPrice, s.avgPrice, d.avgPrice],
      ['cost bps', r.costBps, s.costBps, d.costBps],
      ['time to fill ms', r.timeToFillMs, s.timeToFillMs, d.timeToFillMs],
      ['re-pegs', r.repegs, s.repegs, d.repegs],
      ['fallback', r.usedFallback, s.usedFallback, d.fallbackAgrees ? 'same' : 'differs'],
    ];
    const w = [16, 14, 14, 14];
    const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' ');
    process.stdout.write(`execution ${id} (${run.kind}, ${real.side} ${qtyToShares(real.qty)} ${real.symbol} ${real.date}) against the simulator, seed ${seed}\n`);
    process.stdout.write(`${line(['', 'real', 'simulated', 'sim - real'])}\n`);
    for (const [name, a, b, c] of rows) process.stdout.write(`${line([name, f(a), f(b), f(c)])}\n`);
    process.stdout.write(`stored as comparison ${comparisonId} in ${args.db}\n`);
  } finally {
    db.close();
  }
}

