import type { Alert } from '../engine/alerts/alert.js';
import type { AlertConfig } from '../engine/alerts/alert-config.js';
import type { ExecutionMeta } from '../engine/execution-report.js';
import { AlertDispatcher } from '../live/alerts/alert-dispatcher.js';
import { LiveExecutionAlerts } from '../live/alerts/live-execution-alerts.js';
import type { Database } from '../store/database.js';
import { claimAlerts, recordAlerts } from '../store/alerts.js';

/**
 * `execute`'s alerts: raised from the decision log while the order works, each recorded in SQLite
 * (with no run yet) and printed on stderr at once, then delivered to the configured sinks off the
 * order flow. At the end `claim` gives them to the run recorded, and `close` waits at most
 * `alerts.exitGraceMs` for deliveries still under way.
 */
export class ExecuteAlerts {
  readonly dispatcher: AlertDispatcher;
  readonly raiser: LiveExecutionAlerts;

  constructor(
    private readonly db: Database,
    config: AlertConfig,
    meta: Pick<ExecutionMeta, 'executionId' | 'symbol' | 'side' | 'qty'>,
    private readonly writeStderr: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {
    this.dispatcher = new AlertDispatcher(config, { record: (a) => this.record(a), writeStderr });
    this.raiser = new LiveExecutionAlerts(meta, config.rules, (a) => this.dispatcher.publish(a));
  }

  /**
   * On the order flow: a database that cannot take the alert must not stop the order. It is said
   * once on stderr and the alert still goes to the other sinks.
   */
  private record(a: Alert): void {
    try {
      recordAlerts(this.db, null, [a]);
    } catch (err) {
      this.writeStderr(`better-orders: alert ${a.kind} not recorded: ${(err as Error).message}`);
    }
  }

  /**
   * Attaches the alerts recorded while the execution ran to its run. The run is recorded either
   * way: a failure here leaves the alerts with no run (still listed by `alerts`), and says so.
   */
  claim(runId: number, executionId: string): void {
    try {
      claimAlerts(this.db, runId, executionId);
    } catch (err) {
      this.writeStderr(`better-orders: the alerts of ${executionId} stay without a run: ${(err as Error).message}`);
    }
  }

  close(): Promise<unknown> {
    return this.dispatcher.close();
  }
}
