import type { AlertConfig } from '../engine/alerts/alert-config.js';
import type { LegRecord } from '../live/rebalance/run-leg.js';
import type { Database } from '../store/database.js';
import { claimLiveExecution, earlierRecordId, noteArrival, noteChildSent, readLiveExecution, releaseLiveExecution, type LockOwner } from '../store/live-executions.js';
import { readExecution } from '../store/read-executions.js';
import { ExecuteAlerts } from './execute-alerts.js';

/**
 * The live rebalance's legs recorded exactly as `execute` records one execution (live_executions),
 * each with `execute`'s alerts (raised as its log grows, recorded at once, claimed by the run at
 * the end; `alerts` holds them per leg for that claim and the exit grace).
 */
export function legRecordIn(db: Database, owner: LockOwner, pidAlive: (pid: number) => boolean, config: AlertConfig, alerts: Map<string, ExecuteAlerts>): LegRecord {
  const legAlerts = (key: string): ExecuteAlerts => {
    const a = alerts.get(key);
    if (a === undefined) throw new Error(`no alerts opened for leg ${key}`);
    return a;
  };
  return {
    claim: (intent) => {
      const c = claimLiveExecution(db, { ...intent, notional: null }, owner, pidAlive);
      if ('refused' in c) return c;
      if (!alerts.has(intent.executionKey)) alerts.set(intent.executionKey, new ExecuteAlerts(db, config, { executionId: intent.executionKey, symbol: intent.symbol, side: intent.side, qty: intent.qty }));
      return { created: c.created, lastChild: c.row.lastChild };
    },
    release: (key) => releaseLiveExecution(db, key, owner),
    noteArrival: (key, q) => noteArrival(db, key, q),
    noteChildSent: (key, n) => noteChildSent(db, key, n),
    started: (key) => {
      const row = readLiveExecution(db, key)!;
      return { decisionTime: row.decisionTime, arrival: row.arrival };
    },
    earlierReport: (key) => {
      const id = earlierRecordId(db, key);
      return id === null ? null : readExecution(db, id);
    },
    observe: (key, log) => legAlerts(key).raiser.observe(log),
    ended: (key, report, working, observed) => legAlerts(key).raiser.finish(report, working, observed),
  };
}
