import { countAlerts, type AlertCount } from '../analysis/summary/alert-counts.js';
import type { Alert } from '../engine/alerts/alert.js';
import { raiseExecutionAlerts } from '../engine/alerts/raise-execution-alerts.js';
import type { BetterOrdersConfig } from '../engine/config.js';
import type { ExecutionReport } from '../engine/execution-report.js';
import { AlertDispatcher, type DeliveryReport } from '../live/alerts/alert-dispatcher.js';

/** The alerts a backtest's executions raise under the configured rules (what live would have said). */
export function backtestAlerts(config: BetterOrdersConfig, reports: readonly ExecutionReport[]): { alerts: Alert[]; counts: AlertCount[] } {
  const alerts = reports.flatMap((r) => raiseExecutionAlerts(r, config.alerts.rules));
  return { alerts, counts: countAlerts(reports, alerts) };
}

/** "alerts that would have fired: ladder/conservative fallback-used 3/16, ..." or that none would have. */
export function formatAlertCounts(counts: readonly AlertCount[], runId: number): string {
  if (counts.length === 0) return 'alerts that would have fired: none';
  const lines = new Map<string, string[]>();
  for (const c of counts) {
    const group = c.liquidity === null ? c.strategy : `${c.strategy}/${c.liquidity}`;
    lines.set(group, [...(lines.get(group) ?? []), `${c.kind} ${c.fired}/${c.executions}`]);
  }
  const body = [...lines].map(([group, items]) => `  ${group}: ${items.join(', ')}`).join('\n');
  return `alerts that would have fired (executions alerted / executions; \`better-orders alerts --run ${runId}\` lists them):\n${body}`;
}

/**
 * `backtest --deliver-alerts`: sends the run's alerts (already recorded) through the configured
 * sinks, as a rehearsal of what a person would receive; waits at most alerts.exitGraceMs for them.
 */
export function deliverAlerts(config: BetterOrdersConfig, alerts: readonly Alert[]): Promise<DeliveryReport> {
  const dispatcher = new AlertDispatcher(config.alerts);
  for (const a of alerts) dispatcher.publish(a);
  return dispatcher.close();
}
