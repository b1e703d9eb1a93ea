import type { Alert } from '../../engine/alerts/alert.js';
import type { AlertRules } from '../../engine/alerts/alert-config.js';
import { ExecutionAlertRaiser } from '../../engine/alerts/raise-execution-alerts.js';
import type { DecisionEvent, ExecutionMeta, ExecutionReport } from '../../engine/execution-report.js';

/**
 * The live path's side of alerting: a driver calls `observe(journal.decisionLog())` after each
 * step, so a fallback or a reject is published while the order is still working, and `finish`
 * with the report and what its final cancel sweep could not confirm. The alerts are exactly
 * those `raiseExecutionAlerts` gives for the same record (the simulator's), in the same order.
 * `publish` must not block (AlertDispatcher.publish only records and enqueues).
 */
export class LiveExecutionAlerts {
  private readonly raiser: ExecutionAlertRaiser;
  private seen = 0;

  constructor(
    meta: Pick<ExecutionMeta, 'executionId' | 'symbol' | 'side' | 'qty'>,
    rules: AlertRules,
    private readonly publish: (alert: Alert) => void,
  ) {
    this.raiser = new ExecutionAlertRaiser(meta, rules);
  }

  /** Raises the alerts of the log's entries not seen yet; `log` only ever grows. */
  observe(log: readonly DecisionEvent[]): void {
    for (; this.seen < log.length; this.seen += 1) {
      for (const a of this.raiser.onEvent(log[this.seen]!)) this.publish(a);
    }
  }

  /**
   * The end of the execution: any entries not observed yet, then its outcome, cost and unconfirmed
   * orders. `log` is the decision log that was observed, when it is not the report's own: a
   * resumed execution's report is the whole parent order (the earlier attempts' entries first),
   * while only this attempt's log was observed.
   */
  finish(report: ExecutionReport, possiblyWorking?: readonly string[], log: readonly DecisionEvent[] = report.events): void {
    this.observe(log);
    for (const a of this.raiser.finish(report, possiblyWorking)) this.publish(a);
  }
}
