import type { LegRecord } from '../live/rebalance/run-leg.js';
import type { Database } from '../store/database.js';
import { claimLiveExecution, earlierRecordId, noteArrival, noteChildSent, readLiveExecution, releaseLiveExecution, type LockOwner } from '../store/live-executions.js';
import { readExecution } from '../store/read-executions.js';

/** The live rebalance's legs recorded exactly as `execute` records one execution (live_executions). */
export function legRecordIn(db: Database, owner: LockOwner, pidAlive: (pid: number) => boolean): LegRecord {
  return {
    claim: (intent) => {
      const c = claimLiveExecution(db, { ...intent, notional: null }, owner, pidAlive);
      return 'refused' in c ? c : { created: c.created, lastChild: c.row.lastChild };
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
  };
}
