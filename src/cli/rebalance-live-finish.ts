import path from 'node:path';
import { booksOf, outcomeOfLegs } from '../engine/rebalance/leg-books.js';
import type { RebalanceMachineSettings } from '../engine/rebalance/machine-types.js';
import type { RebalancePlan, RebalanceSettings, RebalanceTargets } from '../engine/rebalance/plan-types.js';
import { summarizeRebalance } from '../engine/rebalance/summary.js';
import type { Quote } from '../engine/quote.js';
import { dollarsToPrice, qtyToShares, type Qty } from '../engine/units.js';
import type { AccountSnapshot } from '../live/rebalance/account.js';
import type { LiveRebalanceResult } from '../live/rebalance/run-live-rebalance.js';
import type { Database } from '../store/database.js';
import { recordLiveExecution } from '../store/live-executions.js';
import { recordLiveRebalance, setLiveRebalanceStatus } from '../store/live-rebalances.js';
import { recordRun } from '../store/record-run.js';
import { recordAlerts } from '../store/alerts.js';
import { rebalanceDriftAlert } from '../engine/alerts/rebalance-drift.js';
import { formatAlertLine } from '../engine/alerts/format-alert.js';
import type { ExecuteAlerts } from './execute-alerts.js';
import { executionToJson } from './execution-json.js';
import { EXIT } from './exit-codes.js';
import { codeVersion } from './package-paths.js';
import type { LiveRebalanceRequest } from './rebalance-live-args.js';
import { formatRebalance, planToJson } from './rebalance-output.js';
import { etDateOf } from '../engine/et-time.js';

export interface FinishedRebalance {
  readonly rebalanceId: string;
  readonly kind: 'paper' | 'live';
  readonly commandLine: string;
  readonly plan: RebalancePlan;
  readonly settings: RebalanceSettings;
  readonly machine: RebalanceMachineSettings;
  readonly cashBefore: number;
  readonly positionsBefore: Readonly<Record<string, Qty>>;
  readonly targets: RebalanceTargets;
  readonly resuming: boolean;
  readonly decisionTime: number;
  readonly result: LiveRebalanceResult;
  readonly lastQuotes: Readonly<Record<string, Quote | null>>;
  readonly accountAfter: AccountSnapshot | null;
  /** Each leg's alerts (execute's), claimed by the run once it is recorded. */
  readonly alerts: ReadonlyMap<string, ExecuteAlerts>;
}

/**
 * Records the rebalance (a run of its kind; each leg's execution as `execute` records it; the
 * `rebalances` row linking them; the live_rebalances status), prints it, and returns the exit
 * code of the whole rebalance: orders that may still work win over everything (5); then 0 when
 * every leg filled, 3 when anything traded, 4 when nothing did.
 */
export function finishLiveRebalance(db: Database, a: LiveRebalanceRequest, f: FinishedRebalance): number {
  const r = f.result;
  const now = Date.now();
  const outcome = outcomeOfLegs(r.legs);
  const working = [...r.possiblyWorking.flatMap((p) => p.orders.map((o) => o.clientOrderId)), ...r.refused.filter((x) => x.mayBeWorking).map((x) => x.executionId)];
  const exitCode = working.length > 0 ? EXIT.mayBeWorking : outcome.status === 'completed' ? EXIT.filled : outcome.status === 'partial' ? EXIT.partial : EXIT.failed;
  const executions = r.legs.flatMap((l) => (l.report === null ? [] : [l.report]));
  const books = booksOf(f.rebalanceId, f.cashBefore, f.positionsBefore, r.legs, { ...outcome, at: now });
  const summary = summarizeRebalance(books, f.plan.equity, executions, f.targets, f.lastQuotes);
  const reason = [outcome.reason, ...r.refused.map((x) => x.message)].filter((x) => x !== null).join('; ') || null;

  let runId: number | null = null;
  try {
    // Each leg's window as a generic CSV tape beside the database (as execute writes its one), named in data_ref.
    const tapes = r.outcomes.flatMap((o) => {
      if (o.result === null) return [];
      const stem = path.join(path.dirname(path.resolve(a.db)), `${o.order.symbol.toLowerCase()}_${o.order.executionId.replaceAll(':', '_')}`);
      return [o.result.tape.writeCsv(`${stem}_quotes.csv`, `${stem}_trades.csv`).quotes];
    });
    const dataRef = tapes.length > 0 ? tapes.join('; ') : `broker:${f.rebalanceId}`;
    runId = recordRun(db, { kind: f.kind, command: f.commandLine, config: { config: a.config, rebalance: f.settings, endpoint: a.endpoint ?? null, feed: a.feed }, seed: null, dataRef, codeVersion: codeVersion() });
    const ids = executions.map((e) => recordLiveExecution(db, runId!, e));
    recordLiveRebalance(db, runId, {
      rebalanceId: f.rebalanceId, date: etDateOf(f.decisionTime), decisionTime: f.decisionTime, planTime: f.decisionTime, outcome: outcome.status, reason,
      cashBefore: dollarsToPrice(summary.cashBefore), cashAfter: dollarsToPrice(summary.cashAfter), equityBefore: dollarsToPrice(summary.equityBefore), equityAfter: dollarsToPrice(summary.equityAfter),
      costBps: summary.costBps, costUsd: summary.costUsd, maxDriftPct: summary.maxDriftPct,
      targets: { ...f.targets, positions: f.positionsBefore, cash: summary.cashBefore }, plan: planToJson(f.plan), summary,
    }, ids);
    setLiveRebalanceStatus(db, f.rebalanceId, working.length > 0 ? 'working' : outcome.status, reason, working.length > 0 ? null : now);
    for (const [key, legAlerts] of f.alerts) legAlerts.claim(runId, key);
    // The weight left off a target, as the simulated rebalance raises it (recorded with the run, printed).
    const drift = rebalanceDriftAlert({ rebalanceId: f.rebalanceId, time: now, targets: summary.targetWeights, weightsAfter: summary.weightsAfter }, a.config.alerts.rules);
    if (drift !== null) {
      recordAlerts(db, runId, [drift]);
      process.stderr.write(`alert: ${formatAlertLine(drift)}\n`);
    }
  } catch (err) {
    runId = null;
    process.stderr.write(`better-orders: the rebalance could not be recorded in ${a.db}: ${err instanceof Error ? err.message : String(err)}\n`);
  }

  const workingLine = working.length > 0 ? `ORDERS MAY STILL BE WORKING at the broker for ${f.rebalanceId}: ${working.join(', ')}; their cancel was not confirmed: check them at the broker` : null;
  if (workingLine !== null) process.stderr.write(`${workingLine}\n`);
  const legs = r.legs.map((l) => ({
    symbol: l.symbol, side: l.side, executionId: l.executionId, plannedQty: qtyToShares(l.plannedQty),
    sentQty: l.report === null ? null : qtyToShares(l.report.qty), filledQty: qtyToShares(l.report?.filledQty ?? 0), outcome: l.report?.outcome ?? 'not-sent', note: l.note,
  }));
  const accountAfter = f.accountAfter === null ? null : { cash: f.accountAfter.cash / 10_000, positions: Object.fromEntries(Object.entries(f.accountAfter.positions).map(([s, q]) => [s, qtyToShares(q)])) };
  if (a.json) {
    const out = {
      rebalanceId: f.rebalanceId, mode: f.kind, resumed: f.resuming, exitCode, possiblyWorking: working, outcome: outcome.status, reason,
      plan: planToJson(f.plan), leftAlone: f.plan.leftAlone, legs, executions: executions.map(executionToJson), summary, accountAfter,
      refused: r.refused, log: r.log, runId, db: a.db,
    };
    process.stdout.write(`${workingLine !== null ? `${workingLine}\n` : ''}${JSON.stringify(out, null, 2)}\n`);
  } else {
    const view = { rebalanceId: f.rebalanceId, date: etDateOf(f.decisionTime), decisionTime: f.decisionTime, planTime: f.decisionTime, outcome, plan: f.plan, executions, summary, log: r.log, alerts: [] };
    const lines = [
      ...(workingLine !== null ? [workingLine] : []),
      `${f.kind}${f.resuming ? ' (resumed)' : ''} ${formatRebalance(view)}`,
      ...legs.filter((l) => l.note !== null).map((l) => `  ${l.side} ${l.symbol}: ${l.note}`),
      ...(accountAfter === null ? [] : [`  account after: cash ${accountAfter.cash.toFixed(2)} USD; ${Object.entries(accountAfter.positions).map(([s, q]) => `${s} ${q}`).join(', ') || 'no positions'}`]),
      runId === null ? '  not recorded' : `recorded as run ${runId} in ${a.db}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return exitCode;
}
