import { readJsonFile } from '../sim/read-json-file.js';
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import type { PlanData } from '../sim/backtest.js';
import { buildPlanFor } from '../sim/plan/build-plan.js';
import { NothingToRun } from '../sim/plan/plan-errors.js';
import { gridCandidates, randomCandidates, validCandidates } from '../analysis/tune/candidates.js';
import { DEFAULT_SEARCH_SPACE, parseSearchSpace, SearchSpaceError } from '../analysis/tune/search-space.js';
import { SweepWorkerError } from '../analysis/tune/sweep-runner.js';
import { OBJECTIVES, type Candidate, type Objective, type SearchSpace } from '../analysis/tune/types.js';
import { parseShard } from '../analysis/tune/sweep-spec.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { UsageError } from './cli-error.js';
import { numberArg } from './number-arg.js';
import { codeVersion, DEFAULT_SCENARIO } from './package-paths.js';
import { startProgress } from './progress.js';
import { stderrLine } from './stderr-line.js';
import { emitReport } from './tune-emit.js';
import { executeSweep, loadSweepSpec, startSweep, type SweepSpec } from './tune-sweep.js';
import type { tuneOptions } from './options/tune.js';

/** The liquidity models of a verdict unless --liquidity says otherwise: a conclusion counts only under both. */
const VERDICT_LIQUIDITY = 'conservative,nominal';


type TuneArgs = Awaited<ReturnType<typeof tuneOptions>['argv']>;

/** The flags a resumed sweep takes from its stored spec instead; giving one would be ignored, so it is an error. */
const SPEC_FLAGS = ['scenario', 'tape', 'symbol', 'date', 'side', 'qty', 'at', 'config', 'grid', 'random', 'space', 'objective', 'test-fraction', 'seed', 'max-p95-seconds', 'liquidity', 'allow-underfill', 'shard'] as const;

function readFlagJson(flag: string, file: string): unknown {
  try {
    return readJsonFile(file);
  } catch (err) {
    throw new UsageError(`--${flag} ${file}: ${(err as Error).message}`);
  }
}

/** Search-space problems are argument problems: say which flag, not "bad config". */
function asUsage<T>(flag: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SearchSpaceError || err instanceof RangeError) throw new UsageError(`--${flag} ${err.message}`);
    throw err;
  }
}

function checkArgs(args: TuneArgs): void {
  if (args.resume !== undefined) {
    if (!Number.isSafeInteger(args.resume) || args.resume < 1) throw new UsageError(`--resume: expected a sweep id, got ${args.resume}`);
    const given = SPEC_FLAGS.filter((f) => args[f] !== undefined);
    if (given.length > 0) throw new UsageError(`--resume reuses the sweep's stored plan and candidates; drop --${given.join(', --')}`);
    return;
  }
  if ((args.grid === undefined) === (args.random === undefined)) throw new UsageError('tune needs exactly one of --grid FILE or --random N');
  if (args.random !== undefined && (!Number.isSafeInteger(args.random) || args.random < 1)) throw new UsageError(`--random: expected a positive whole number of configurations, got ${args.random}`);
  if (args.space !== undefined && args.random === undefined) throw new UsageError('--space goes with --random (a grid file lists its own values)');
  const tf = args['test-fraction'];
  if (tf !== undefined && !(tf > 0 && tf < 1)) throw new UsageError(`--test-fraction: expected a number between 0 and 1 (exclusive), got ${tf}`);
  if (args.workers !== undefined && (!Number.isSafeInteger(args.workers) || args.workers < 1)) throw new UsageError(`--workers: expected a positive whole number, got ${args.workers}`);
  const bound = args['max-p95-seconds'];
  if (bound !== undefined && !(bound > 0 && Number.isFinite(bound))) throw new UsageError(`--max-p95-seconds: expected a positive number of seconds, got ${bound}`);
  if (args.shard !== undefined && parseShard(args.shard) === null) throw new UsageError(`--shard: expected K/N with 1 <= K <= N, got "${args.shard}"`);
  if (args.shard !== undefined) checkShardOutputs(args);
}

/** A shard has no winner of its own: what would describe one belongs to `tune merge`. */
function checkShardOutputs(args: { out?: string | undefined; 'frontier-out'?: string | undefined }): void {
  const given = (['out', 'frontier-out'] as const).filter((f) => args[f] !== undefined);
  if (given.length > 0) throw new UsageError(`--shard: a shard has no winner of its own; give --${given.join(', --')} to \`tune merge\` instead`);
}

/** Builds the spec of a new sweep from the command line, or null when the scenario has nothing to run. */
function newSpec(args: TuneArgs): SweepSpec | null {
  let plan: PlanData;
  try {
    // The verdict is given under both liquidity models unless asked otherwise (issue 8's rule).
    plan = buildPlanFor(
      { scenarioFile: args.scenario, defaultScenario: DEFAULT_SCENARIO, tapes: args.tape },
      { symbol: args.symbol, date: args.date, side: args.side, qty: args.qty, at: args.at, configFile: args.config, seed: args.seed, liquidity: args.liquidity ?? VERDICT_LIQUIDITY, onNote: stderrLine },
    ).data;
  } catch (err) {
    if (!(err instanceof NothingToRun)) throw err;
    process.stderr.write(`${err.message}\n`);
    return null;
  }
  const seed = args.seed ?? plan.seed;
  let all: Candidate[];
  let search: SweepSpec['search'];
  if (args.grid !== undefined) {
    const file = args.grid;
    all = asUsage('grid', () => gridCandidates(parseSearchSpace(readFlagJson('grid', file), file)));
    search = { kind: 'grid', file };
  } else {
    const n = args.random!;
    const spaceFile = args.space;
    const space: SearchSpace = spaceFile === undefined ? DEFAULT_SEARCH_SPACE : asUsage('space', () => parseSearchSpace(readFlagJson('space', spaceFile), spaceFile));
    all = asUsage('random', () => randomCandidates(space, n, seed));
    search = { kind: 'random', n, space: spaceFile ?? '(default search space)' };
  }
  const { valid, skipped, firstError } = validCandidates(plan.config, all);
  if (valid.length === 0) throw new UsageError(`none of the ${all.length} candidate configuration(s) is valid (e.g. ${firstError ?? '?'})`);
  if (skipped > 0) process.stderr.write(`skipping ${skipped} of ${all.length} candidate(s) that make an invalid configuration (e.g. ${firstError ?? '?'})\n`);
  const objective: Objective = args.objective ?? 'mean';
  return {
    version: 2,
    plan,
    candidates: valid,
    skipped,
    objective,
    testFraction: args['test-fraction'] ?? 0.4,
    seed,
    search,
    maxP95Seconds: args['max-p95-seconds'] ?? null,
    allowUnderfill: args['allow-underfill'] ?? false,
    shard: args.shard === undefined ? null : parseShard(args.shard),
  };
}

/**
 * Ctrl-C stops handing out configurations and lets the ones in flight land in the database, so
 * the sweep can be resumed; a second Ctrl-C quits at once (the stored results are still safe).
 */
function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupting: storing the configurations in flight (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

export async function runTuneCommand(args: TuneArgs): Promise<void> {
  checkArgs(args);
  const db = openDatabase(args.db);
  try {
    await tune(db, args);
  } finally {
    db.close();
  }
}

async function tune(db: Database, args: TuneArgs): Promise<void> {
  let sweepId: number;
  let spec: SweepSpec;
  if (args.resume !== undefined) {
    sweepId = args.resume;
    const stored = loadSweepSpec(db, sweepId);
    spec = stored.spec;
    if (stored.codeVersion !== codeVersion()) {
      process.stderr.write(`sweep ${sweepId} was started by ${stored.codeVersion}, this is ${codeVersion()}: its results may not combine exactly\n`);
    }
    if (spec.shard !== null) checkShardOutputs(args);
  } else {
    const fresh = newSpec(args);
    if (fresh === null) return;
    spec = fresh;
    sweepId = startSweep(db, spec, codeVersion());
  }
  const workers = args.workers ?? Math.max(1, Math.min(availableParallelism(), spec.candidates.length));
  const interrupt = interruptSignal();
  let progress: ReturnType<typeof startProgress> | undefined;
  let outcome;
  try {
    outcome = await executeSweep(db, sweepId, spec, {
      workers,
      signal: interrupt.signal,
      onStart: (done, total) => (progress = startProgress(`sweep ${sweepId}`, total, { unit: 'configs', initial: done })),
      onProgress: (done) => progress?.update(done),
    });
  } catch (err) {
    // A worker's bad tape or config is the user's to fix: keep it the one-line, exit-2 kind.
    if (err instanceof SweepWorkerError && err.errorName !== 'Error' && err.errorName !== 'TypeError') throw new UsageError(err.message);
    throw err;
  } finally {
    progress?.stop();
    interrupt.dispose();
  }
  if (outcome.status === 'interrupted') {
    process.stderr.write(`sweep ${sweepId} interrupted with ${outcome.done} of ${outcome.total} configurations stored; finish it with: better-orders tune --resume ${sweepId} --db ${args.db}\n`);
    process.exitCode = 130;
    return;
  }
  if (outcome.status === 'shard-done') {
    const shard = spec.shard!;
    const summary = { sweepId, db: args.db, shard: `${shard.index}/${shard.count}`, candidates: spec.candidates.length, evaluated: outcome.evaluated };
    process.stdout.write(args.json ? `${JSON.stringify(summary, null, 2)}\n` : `sweep ${sweepId}: shard ${summary.shard}, ${outcome.evaluated} of ${spec.candidates.length} configurations and the baselines stored in ${args.db}; combine every shard with: better-orders tune merge DB...\n`);
    return;
  }
  emitReport(outcome.report, { sweepId, db: args.db, spec }, args);
}
