import type { Alert } from '../engine/alerts/alert.js';
import { raiseExecutionAlerts } from '../engine/alerts/raise-execution-alerts.js';
import { rebalanceDriftAlert } from '../engine/alerts/rebalance-drift.js';
import { etClockToEpoch } from '../engine/et-time.js';
import { alertBounds, rebalanceMachineSettings } from '../engine/rebalance/machine-settings.js';
import { summarizeRebalance } from '../engine/rebalance/summary.js';
import { dollarsToPrice } from '../engine/units.js';
import { runSimRebalance } from '../sim/rebalance-driver.js';
import { buildPlanFor } from '../sim/plan/build-plan.js';
import { NothingToRun } from '../sim/plan/plan-errors.js';
import { recordedTapes } from '../sim/plan/recorded-tapes.js';
import { loadTapeSpec, tapeSpecIdentity, tapeSpecLabel, type TapeSpec } from '../sim/scenario/tape-spec.js';
import { recordAlerts } from '../store/alerts.js';
import { checkDatabaseFolder, openDatabase } from '../store/open-database.js';
import { recordRebalance } from '../store/record-rebalance.js';
import { recordRun } from '../store/record-run.js';
import { NoExecutionStarted, UsageError } from './cli-error.js';
import { codeVersion } from './package-paths.js';
import { checkPositionsTargeted, parseCash, readPositionsFile, readTargetsFile } from './rebalance-files.js';
import type { rebalanceOptions } from './options/rebalance.js';
import { formatRebalance, rebalanceToJson, type RebalanceView } from './rebalance-output.js';
import { rebalanceSettings } from './rebalance-settings.js';
import { stderrLine } from './stderr-line.js';

type RebalanceArgs = Awaited<ReturnType<typeof rebalanceOptions>['argv']>;

/** The tape specs of each date, for the symbols the rebalance needs; a needed symbol with no tape on a date is refused. */
function tapesByDate(specs: readonly TapeSpec[], symbols: readonly string[]): Map<string, TapeSpec[]> {
  const byDate = new Map<string, Map<string, TapeSpec>>();
  for (const spec of specs) {
    const { symbol, date } = tapeSpecIdentity(spec, true);
    if (date === null) throw new UsageError(`${tapeSpecLabel(spec)}: cannot tell its date`);
    if (!symbols.includes(symbol)) continue;
    const day = byDate.get(date) ?? new Map<string, TapeSpec>();
    if (day.has(symbol)) throw new UsageError(`${tapeSpecLabel(spec)}: a second tape of ${symbol} on ${date} (a rebalance takes one per symbol)`);
    day.set(symbol, spec);
    byDate.set(date, day);
  }
  if (byDate.size === 0) throw new UsageError(`no tape of ${symbols.join(', ')} among the tapes given`);
  const out = new Map<string, TapeSpec[]>();
  for (const [date, day] of [...byDate].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const missing = symbols.find((s) => !day.has(s));
    if (missing !== undefined) throw new UsageError(`${missing}: no tape for it on ${date} (a rebalance needs one per symbol of the targets and positions)`);
    out.set(date, symbols.map((s) => day.get(s)!));
  }
  return out;
}

export async function runRebalanceCommand(args: RebalanceArgs, commandLine: string): Promise<void> {
  // Without tapes, the rebalance is of the Alpaca account (its own files: rebalance-live-command.ts).
  if (args.tape === undefined && args.scenario === undefined) return (await import('./rebalance-live-command.js')).runLiveRebalanceCommand(args, commandLine);
  for (const flag of ['dry-run', 'resume', 'endpoint', 'paper', 'live'] as const) {
    if (args[flag] !== undefined && args[flag] !== false) throw new UsageError(`--${flag} is for a rebalance on Alpaca; a simulated one (--tape/--scenario) sends nothing anyway`);
  }
  const targetsFile = readTargetsFile(args.targets);
  const positions = args.positions === undefined ? {} : readPositionsFile(args.positions);
  checkPositionsTargeted(targetsFile.targets, positions, args.positions ?? '');
  const cash = parseCash(args.cash ?? '0');
  const rebalance = rebalanceSettings(args, targetsFile);
  const t = targetsFile.targets;
  const symbols = [...new Set([...Object.keys(t.kind === 'weights' ? t.weights : t.shares), ...Object.keys(positions)])].sort();

  let planned: ReturnType<typeof buildPlanFor>;
  try {
    planned = buildPlanFor({ scenarioFile: args.scenario, tapes: args.tape }, { at: args.at, configFile: args.config, seed: args.seed, liquidity: args.liquidity, onNote: stderrLine });
  } catch (err) {
    if (!(err instanceof NothingToRun)) throw err;
    process.stderr.write(`${err.message}\n`);
    return;
  }
  const { scenario, data } = planned;
  if (data.liquidity!.length !== 1) throw new UsageError('--liquidity: a rebalance runs under one liquidity model');
  const fillModel = { ...data.fillModel, liquidity: data.liquidity![0]! };
  const clock = data.decisionTimes[0]!;
  const settings = rebalanceMachineSettings(data.config, symbols, rebalance);
  const alerts = alertBounds(data.config, symbols);
  const days = tapesByDate(data.tapeSpecs, symbols);

  // A mistyped --db is refused before the rebalances run, not after.
  checkDatabaseFolder(args.db);
  const views: RebalanceView[] = [];
  for (const [date, specs] of days) {
    const tapes = specs.map((spec) => loadTapeSpec(spec, data.overlays, data.seed));
    const rebalanceId = `RB-${date.replaceAll('-', '')}-${clock.replaceAll(':', '')}`;
    const decisionTime = etClockToEpoch(date, clock);
    const r = runSimRebalance({ rebalanceId, tapes, targets: t, positions, cash, decisionTime, settings, alertCostBps: alerts, liquidity: fillModel.liquidity }, fillModel, data.seed);
    const summary = summarizeRebalance(r.state, r.plan.equity, r.executions, t, r.lastQuotes);
    // The same alerts a live rebalance would raise: each leg's, then the drift left at the end.
    const rules = data.config.alerts.rules;
    const drift = rebalanceDriftAlert({ rebalanceId, time: r.outcome.at, targets: summary.targetWeights, weightsAfter: summary.weightsAfter }, rules);
    const raised: Alert[] = [...r.executions.flatMap((e) => raiseExecutionAlerts(e, rules)), ...(drift === null ? [] : [drift])];
    views.push({ rebalanceId, date, decisionTime, planTime: r.planTime, outcome: r.outcome, plan: r.plan, executions: r.executions, summary, log: r.log, alerts: raised });
  }

  const db = openDatabase(args.db);
  let runId: number;
  try {
    runId = recordRun(db, {
      kind: 'sim',
      command: commandLine,
      config: { config: data.config, fillModel, rebalance, scenario: scenario.name, ...recordedTapes(data) },
      seed: data.seed,
      dataRef: data.tapeSpecs.map(tapeSpecLabel).join('; '),
      codeVersion: codeVersion(),
    });
    for (const v of views) {
      const s = v.summary;
      recordRebalance(
        db,
        runId,
        {
          rebalanceId: v.rebalanceId, date: v.date, decisionTime: v.decisionTime, planTime: v.planTime,
          outcome: v.outcome.status as 'completed' | 'partial' | 'failed', reason: v.outcome.reason,
          cashBefore: dollarsToPrice(s.cashBefore), cashAfter: dollarsToPrice(s.cashAfter),
          equityBefore: dollarsToPrice(s.equityBefore), equityAfter: dollarsToPrice(s.equityAfter),
          costBps: s.costBps, costUsd: s.costUsd, maxDriftPct: s.maxDriftPct,
          targets: { ...t, positions, cash: s.cashBefore }, plan: rebalanceToJson(v).plan, summary: s,
        },
        v.executions,
      );
      recordAlerts(db, runId, v.alerts);
    }
  } finally {
    db.close();
  }

  if (args.json) {
    const out = views.length === 1 ? { runId, db: args.db, ...rebalanceToJson(views[0]!) } : { runId, db: args.db, rebalances: views.map(rebalanceToJson) };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    for (const v of views) process.stdout.write(`${formatRebalance(v)}\n`);
    process.stdout.write(`recorded as run ${runId} in ${args.db}\n`);
  }
  // A rebalance in which nothing could trade says why, with a non-zero exit.
  const failed = views.filter((v) => v.outcome.status === 'failed');
  if (failed.length > 0) throw new NoExecutionStarted(failed.map((v) => `rebalance ${v.rebalanceId} failed: ${v.outcome.reason}`).join('; '));
}
