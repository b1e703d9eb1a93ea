import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { executionSection } from '../analysis/report/execution-section.js';
import { renderReportPage } from '../analysis/report/report-page.js';
import type { ReportSection } from '../analysis/report/report-sections.js';
import { runSection } from '../analysis/report/run-section.js';
import { rebalanceSection, type RebalanceFacts } from '../analysis/report/rebalance-section.js';
import { sweepSection } from '../analysis/report/sweep-section.js';
import { checkSweepSpec } from '../analysis/tune/sweep-spec.js';
import type { Database } from '../store/database.js';
import { readExecutionRun } from '../store/comparisons.js';
import { listExecutions, readExecution } from '../store/read-executions.js';
import { readRun } from '../store/read-runs.js';
import { readRebalance } from '../store/record-rebalance.js';
import { readSweep, readSweepResults } from '../store/sweeps.js';
import { chartAssets } from './chart-assets.js';
import { UsageError } from './cli-error.js';
import { openExistingDatabase } from './existing-db.js';
import { codeVersion } from './package-paths.js';
import { tapeOfExecution } from '../sim/plan/execution-tape.js';
import { executionRowId } from './execution-ref.js';
import { reportFromResults } from './tune-sweep.js';
import type { reportOptions } from './options/report.js';

/** A run with this many executions or fewer gets a chart of each one beside its summary (a paper run, a small backtest). */
export const EXECUTIONS_CHARTED_PER_RUN = 8;

type ReportArgs = Awaited<ReturnType<typeof reportOptions>['argv']>;

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag}: expected an id (a whole number), got "${text}"`);
  return Number(text);
}

function executionSectionOf(db: Database, id: number): ReportSection {
  const report = readExecution(db, id);
  const run = readExecutionRun(db, id);
  const { tape, note } = tapeOfExecution(report, run);
  return executionSection(report, tape, `Execution ${id} (run ${run.runId}, ${run.kind})`, note);
}

function runSections(db: Database, text: string, dbFile: string): ReportSection[] {
  let run;
  try {
    run = readRun(db, wholeNumber('run', text));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`no run ${text} in ${dbFile} (see \`better-orders runs --db ${dbFile}\`)`);
  }
  const executions = listExecutions(db, run.id);
  if (executions.length === 0) throw new UsageError(`run ${run.id} recorded no executions: nothing to report`);
  const sections: ReportSection[] = [runSection(executions.map((e) => e.report), { id: run.id, kind: run.kind, command: run.command, seed: run.seed ?? run.id })];
  if (executions.length <= EXECUTIONS_CHARTED_PER_RUN) for (const e of executions) sections.push(executionSectionOf(db, e.id));
  return sections;
}

function sweepSections(db: Database, text: string, dbFile: string): ReportSection[] {
  const id = wholeNumber('sweep', text);
  const record = readSweep(db, id);
  if (record === undefined) throw new UsageError(`no sweep ${id} in ${dbFile} (see \`better-orders runs --kind tune --db ${dbFile}\`)`);
  const spec = checkSweepSpec(record.spec);
  if (typeof spec === 'string') throw new UsageError(`sweep ${id}: ${spec}`);
  if (spec.shard !== null) throw new UsageError(`sweep ${id} is shard ${spec.shard.index}/${spec.shard.count}: report the sweep \`tune merge\` made of its shards`);
  if (record.openKeys === null || record.status !== 'done') throw new UsageError(`sweep ${id} is ${record.status}: finish it with \`better-orders tune --resume ${id}\` first`);
  const results = new Map(readSweepResults(db, id).map((r) => [r.candidateIndex, r]));
  let verdict;
  try {
    verdict = reportFromResults(spec, results, record.openKeys, `sweep ${id}`);
  } catch (err) {
    throw new UsageError(`sweep ${id}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return [sweepSection(verdict, id)];
}

function rebalanceSections(db: Database, ref: string, dbFile: string): ReportSection[] {
  const r = readRebalance(db, ref);
  if (r === undefined) throw new UsageError(`no rebalance "${ref}" in ${dbFile} (give the id \`rebalance\` printed, e.g. RB-20131007-093000, or its rebalances.id)`);
  const legs = r.executionIds.map((id) => readExecution(db, id));
  const facts: RebalanceFacts = { ...r, targets: r.targets as RebalanceFacts['targets'], summary: r.summary as RebalanceFacts['summary'] };
  // The legs' own charts follow the timeline: each is one execution of the ladder.
  return [rebalanceSection(facts, legs), ...r.executionIds.map((id) => executionSectionOf(db, id))];
}

export function runReportCommand(args: ReportArgs, commandLine: string): void {
  const out = path.resolve(args.out);
  const db = openExistingDatabase(args.db, 'report');
  let sections: ReportSection[];
  let title: string;
  try {
    if (args.run !== undefined) {
      sections = runSections(db, args.run, args.db);
      title = `better-orders report: run ${args.run}`;
    } else if (args.rebalance !== undefined) {
      sections = rebalanceSections(db, args.rebalance, args.db);
      title = `better-orders report: rebalance ${args.rebalance}`;
    } else if (args.sweep !== undefined) {
      sections = sweepSections(db, args.sweep, args.db);
      title = `better-orders report: sweep ${args.sweep}`;
    } else {
      const id = executionRowId(db, args.execution!, args.db);
      sections = [executionSectionOf(db, id)];
      title = `better-orders report: execution ${id}`;
    }
  } finally {
    db.close();
  }
  const html = renderReportPage({ title, provenance: `${commandLine} (database ${path.resolve(args.db)}, ${codeVersion()}, written ${new Date().toISOString()})`, sections }, chartAssets());
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, html);
  process.stdout.write(`wrote ${args.out} (${sections.length} section${sections.length === 1 ? '' : 's'}, ${Math.round(html.length / 1024)} KB): open it in a browser; it needs no network\n`);
}

