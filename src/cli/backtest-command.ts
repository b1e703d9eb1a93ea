import type { Argv } from 'yargs';
import { runBacktest } from '../sim/backtest.js';
import { LIQUIDITY_NAMES } from '../sim/liquidity/liquidity-model.js';
import { describeFlip, rankingFlips } from '../analysis/summary/ranking-flips.js';
import { summarizeStrategies } from '../analysis/summary/strategy-summary.js';
import { whyNothingStarted } from '../sim/no-start.js';
import { buildPlanFor } from '../sim/plan/build-plan.js';
import { NothingToRun } from '../sim/plan/plan-errors.js';
import { recordedTapes } from '../sim/plan/recorded-tapes.js';
import type { Scenario } from '../sim/scenario/scenario-schema.js';
import { recordAlerts } from '../store/alerts.js';
import { checkDatabaseFolder, openDatabase } from '../store/open-database.js';
import { recordExecutions, recordRun } from '../store/record-run.js';
import { planFromData, type PlanData } from '../sim/backtest.js';
import { backtestAlerts, deliverAlerts, formatAlertCounts } from './backtest-alerts.js';
import { NoExecutionStarted } from './cli-error.js';
import { executionToJson } from './execution-json.js';
import { codeVersion, DEFAULT_SCENARIO } from './package-paths.js';
import { formatSummaryTable } from './summary-table.js';
import { stderrLine } from './stderr-line.js';
import type { backtestOptions } from './options/backtest.js';


type BacktestArgs = Awaited<ReturnType<typeof backtestOptions>['argv']>;

export async function runBacktestCommand(args: BacktestArgs, commandLine: string): Promise<void> {
  let scenario: Scenario;
  let planData: PlanData;
  try {
    ({ scenario, data: planData } = buildPlanFor(
      { scenarioFile: args.scenario, defaultScenario: DEFAULT_SCENARIO, tapes: args.tape, widen: args.widen },
      { symbol: args.symbol, date: args.date, side: args.side, qty: args.qty, at: args.at, strategies: args.strategies, configFile: args.config, seed: args.seed, liquidity: args.liquidity, onNote: stderrLine },
    ));
  } catch (err) {
    // An optional data set that is absent (real-dev without ../shared) is a skip, not a failure.
    if (!(err instanceof NothingToRun)) throw err;
    process.stderr.write(`${err.message}\n`);
    return;
  }
  checkDatabaseFolder(args.db);
  const plan = planFromData(planData);
  const progress = args.json || !process.stderr.isTTY ? undefined : (done: number, total: number, label: string) => process.stderr.write(`\r${done}/${total} ${label}`.padEnd(60));
  const reports = runBacktest(plan, progress);
  if (progress) process.stderr.write('\n');
  // A run in which nothing could execute says why instead of printing a table of dashes.
  const nothing = whyNothingStarted(reports);
  if (nothing !== null) throw new NoExecutionStarted(`${scenario.name}: ${nothing}`);

  // Raised as live would raise them, into the record; delivered to sinks only with --deliver-alerts.
  const { alerts, counts: alertCounts } = backtestAlerts(plan.config, reports);
  const db = openDatabase(args.db);
  let runId: number;
  try {
    runId = recordRun(db, {
      kind: 'sim',
      command: commandLine,
      // With the tapes as specs, so `report` can reload the market an execution met.
      config: {
        config: plan.config,
        fillModel: plan.fillModel,
        liquidity: plan.liquidity,
        scenario: scenario.name,
        widen: scenario.widen ?? null,
        halt: scenario.halt ?? null,
        ...recordedTapes(planData),
      },
      seed: plan.seed,
      dataRef: plan.tapes.map((t) => t.label).join('; '),
      codeVersion: codeVersion(),
    });
    recordExecutions(db, runId, reports);
    recordAlerts(db, runId, alerts);
  } finally {
    db.close();
  }

  if (args.deliverAlerts) await deliverAlerts(plan.config, alerts);
  const summary = summarizeStrategies(reports, { baseline: 'market', seed: plan.seed });
  const flips = rankingFlips(summary);
  if (args.json) {
    const out = { runId, db: args.db, scenario: scenario.name, seed: plan.seed, liquidity: plan.liquidity, summary, flips, alertCounts, alerts, executions: reports.map(executionToJson) };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const days = new Set(reports.map((r) => `${r.symbol} ${r.date}`)).size;
  process.stdout.write(`${scenario.name}: ${reports.length} executions on ${days} open(s), seed ${plan.seed}, liquidity ${plan.liquidity.join(' and ')}\n`);
  process.stdout.write(`${formatSummaryTable(summary, 'market')}\n`);
  process.stdout.write(
    'cost: the whole order, positive = paid versus the arrival mid, an unfilled remainder charged at the far side at the window end (at least crossing at arrival);\n' +
      '95% intervals resample opens; "vs market" pairs the same orders (negative = cheaper than market).\n',
  );
  if (plan.liquidity.length > 1) {
    if (flips.length === 0) process.stdout.write(`no ranking by mean cost flips between ${plan.liquidity.join(' and ')}\n`);
    else for (const f of flips) process.stdout.write(`ranking flips: ${describeFlip(f)}\n`);
  }
  process.stdout.write(`${formatAlertCounts(alertCounts, runId)}\n`);
  process.stdout.write(`recorded as run ${runId} in ${args.db}\n`);
}
