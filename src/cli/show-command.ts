import type { Argv } from 'yargs';
import { rankingFlips, describeFlip } from '../analysis/summary/ranking-flips.js';
import { summarizeStrategies } from '../analysis/summary/strategy-summary.js';
import type { Database } from '../store/database.js';
import { readExecution, listExecutions } from '../store/read-executions.js';
import { readExecutionRun } from '../store/comparisons.js';
import { readRun } from '../store/read-runs.js';
import { UsageError } from './cli-error.js';
import { executionRowId } from './execution-ref.js';
import { executionToJson } from './execution-json.js';
import { openExistingDatabase } from './existing-db.js';
import { formatExecution } from './show-execution.js';
import { formatSummaryTable } from './summary-table.js';
import type { showOptions } from './options/show.js';


type ShowArgs = Awaited<ReturnType<typeof showOptions>['argv']>;

function showExecution(db: Database, args: ShowArgs): void {
  const ref = args.execution!;
  const id = executionRowId(db, ref, args.db);
  const report = readExecution(db, id);
  const run = readExecutionRun(db, id);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ id, runId: run.runId, runKind: run.kind, ...executionToJson(report) }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${formatExecution(report, `execution ${id} (run ${run.runId}, ${run.kind})`)}\n`);
}

function showRun(db: Database, args: ShowArgs): void {
  const text = args.run!;
  if (!/^\d+$/.test(text)) throw new UsageError(`--run: expected a run id (a whole number), got "${text}"`);
  let run;
  try {
    run = readRun(db, Number(text));
  } catch {
    throw new UsageError(`no run ${text} in ${args.db} (see \`better-orders runs --db ${args.db}\`)`);
  }
  const executions = listExecutions(db, run.id);
  const summary = summarizeStrategies(executions.map((e) => e.report), { baseline: 'market', seed: run.seed ?? run.id });
  const flips = rankingFlips(summary);
  if (args.json) {
    const list = executions.map((e) => ({ id: e.id, executionId: e.report.executionId, strategy: e.report.strategy, liquidity: e.report.liquidity, symbol: e.report.symbol, date: e.report.date, outcome: e.report.outcome }));
    process.stdout.write(`${JSON.stringify({ run, summary, flips, executions: list }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`run ${run.id} (${run.kind}), recorded ${new Date(run.createdAt).toISOString()} by ${run.codeVersion}\n  ${run.command}\n  data: ${run.dataRef}\n`);
  if (executions.length === 0) {
    process.stdout.write('no executions recorded in this run\n');
    return;
  }
  process.stdout.write(`${formatSummaryTable(summary, 'market')}\n`);
  for (const f of flips) process.stdout.write(`ranking flips: ${describeFlip(f)}\n`);
  process.stdout.write(`${executions.length} execution(s), ids ${executions[0]!.id}-${executions.at(-1)!.id}; see one with: better-orders show --execution ID --db ${args.db}\n`);
}

export function runShowCommand(args: ShowArgs): void {
  const db = openExistingDatabase(args.db, 'show');
  try {
    if (args.execution !== undefined) showExecution(db, args);
    else showRun(db, args);
  } finally {
    db.close();
  }
}

