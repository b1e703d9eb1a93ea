import { TERMINAL_CHILD_STATUSES, type DecisionEvent, type ExecutionMeta, type ExecutionReport } from '../execution-report.js';
import { qtyToShares } from '../units.js';
import { RULE_OF_KIND, type AlertRules } from './alert-config.js';
import type { Alert, AlertKind } from './alert.js';

/**
 * Raises an execution's alerts from what it recorded: its decision log and its report, under the
 * configured rules. Pure (no I/O, no clock): the simulator raises them from a finished report, the
 * live path as the decision log grows (so a person hears of a fallback while the order is still
 * working) and then from the report; both give the same alerts, in the same order.
 *
 * Each kind is raised at most once per execution (the first occurrence): a person needs to know
 * that the guard capped the ladder, not how many of its limits it capped.
 */
export class ExecutionAlertRaiser {
  private readonly raised = new Set<AlertKind>();
  private readonly context: string;

  constructor(
    private readonly meta: Pick<ExecutionMeta, 'executionId' | 'symbol' | 'side' | 'qty'>,
    private readonly rules: AlertRules,
  ) {
    this.context = `${meta.symbol} ${meta.side} ${qtyToShares(meta.qty)}`;
  }

  /** The alert a decision-log entry raises, if any (at most one). */
  onEvent(event: DecisionEvent): Alert[] {
    if (event.kind === 'alert' && event.code !== undefined) return this.raise(event.code, event.time, event.detail);
    if (event.kind === 'fallback') return this.raise('fallback-used', event.time, `fallback: ${event.detail}`);
    return [];
  }

  /**
   * The alerts of the finished execution: its outcome and cost, and any order whose end was not
   * confirmed. `possiblyWorking` is what the live path's final sweep could not confirm ended;
   * without it (the simulator), the report's children that never reached a terminal state.
   */
  finish(report: ExecutionReport, possiblyWorking?: readonly string[]): Alert[] {
    const end = report.decisionTime + report.durationMs;
    const out: Alert[] = [];
    const t = report.tca;
    if (t.alert && t.costBps !== null) {
      const bound = t.alertBoundBps === null ? 'its alert bound' : `the ${t.alertBoundBps} bps ${t.alertBoundClass === null ? 'alert bound' : `budget of a ${t.alertBoundClass} pre-market spread`}`;
      out.push(...this.raise('cost-above-bound', end, `cost ${t.costBps.toFixed(2)} bps against the arrival mid, above ${bound}`));
    }
    // A backstop: the engine logs every fallback, but a record read back must raise it all the same.
    if (report.usedFallback) out.push(...this.raise('fallback-used', end, 'fallback used'));
    const reason = report.reason === null ? '' : ` (${report.reason})`;
    if (report.outcome === 'partial') {
      out.push(...this.raise('partial-fill', end, `partial: ${qtyToShares(report.filledQty)} of ${qtyToShares(report.qty)} shares filled${reason}`));
    } else if (report.outcome === 'failed') {
      out.push(...this.raise('execution-failed', end, `failed: nothing filled${reason}`));
    }
    const working = possiblyWorking ?? report.childOrders.filter((c) => !TERMINAL_CHILD_STATUSES.has(c.status)).map((c) => c.clientOrderId);
    if (working.length > 0) {
      out.push(...this.raise('may-still-be-working', end, `orders may still be working at the broker: ${working.join(', ')}; their end was not confirmed`));
    }
    return out;
  }

  private raise(kind: AlertKind, time: number, what: string): Alert[] {
    const rule = this.rules[RULE_OF_KIND[kind]];
    if (!rule.enabled || this.raised.has(kind)) return [];
    this.raised.add(kind);
    const message = `${this.context}: ${what}`.replace(/\s*\n\s*/g, ' ');
    return [{ kind, severity: rule.severity, executionId: this.meta.executionId, symbol: this.meta.symbol, message, time }];
  }
}

/** Every alert of a finished execution, as the live path raises them while it runs (see the class). */
export function raiseExecutionAlerts(report: ExecutionReport, rules: AlertRules, possiblyWorking?: readonly string[]): Alert[] {
  const raiser = new ExecutionAlertRaiser(report, rules);
  return [...report.events.flatMap((e) => raiser.onEvent(e)), ...raiser.finish(report, possiblyWorking)];
}
