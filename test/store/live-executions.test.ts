import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { claimLiveExecution, earlierRecordId, noteArrival, noteChildSent, readLiveExecution, recordLiveExecution, releaseLiveExecution, type LiveIntent } from '../../src/store/live-executions.js';
import { readExecution } from '../../src/store/read-executions.js';
import { newRun, openTemp, richReport, tempDir } from './fixtures.js';

let dir: { dir: string; cleanup: () => void };
let db: Database;
beforeEach(() => {
  dir = tempDir();
  db = openTemp(dir.dir);
});
afterEach(() => {
  db.close();
  dir.cleanup();
});

const intent: LiveIntent = { executionKey: 'E1', kind: 'paper', symbol: 'TQQQ', side: 'buy', qty: 5_000e9, notional: null, decisionTime: 1_000 };
const me = { pid: 111, host: 'h' };
const other = { pid: 222, host: 'h' };
const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

describe('live_executions: the intent, the lock and the progress of an execution', () => {
  it('creates the row with the lock, then refuses a second live process and takes over from a dead one', () => {
    const first = claimLiveExecution(db, intent, me, alive([111]), 10);
    expect(first).toMatchObject({ created: true, row: { executionKey: 'E1', qty: 5_000e9, lock: { pid: 111, host: 'h', since: 10 }, lastChild: 0, arrival: null } });
    // Another process while 111 runs: refused, naming the holder.
    expect(claimLiveExecution(db, intent, other, alive([111, 222]), 20)).toEqual({ refused: expect.stringMatching(/^execution E1 is being run by process 111 on h since /) });
    // 111 died (SIGKILL leaves its lock): taken over.
    expect(claimLiveExecution(db, intent, other, alive([222]), 30)).toMatchObject({ created: false, row: { lock: { pid: 222, since: 30 } } });
    // A lock held on another host is never taken over (its process cannot be checked from here).
    releaseLiveExecution(db, 'E1', other);
    claimLiveExecution(db, intent, { pid: 5, host: 'elsewhere' }, alive([]), 40);
    expect(claimLiveExecution(db, intent, me, alive([]), 50)).toEqual({ refused: expect.stringContaining('process 5 on elsewhere') });
  });

  it('refuses a command that differs from the recorded execution: side, symbol, quantity, paper/live', () => {
    claimLiveExecution(db, intent, me, alive([]), 10);
    releaseLiveExecution(db, 'E1', me);
    expect(claimLiveExecution(db, { ...intent, side: 'sell' }, me, alive([]))).toEqual({ refused: 'execution E1 does not match this command: it is a buy, not a sell' });
    expect(claimLiveExecution(db, { ...intent, symbol: 'SOXL' }, me, alive([]))).toEqual({ refused: 'execution E1 does not match this command: its symbol is TQQQ, not SOXL' });
    expect(claimLiveExecution(db, { ...intent, qty: 10e9 }, me, alive([]))).toEqual({ refused: 'execution E1 does not match this command: its quantity is 5000 shares, not 10' });
    expect(claimLiveExecution(db, { ...intent, kind: 'live' }, me, alive([]))).toEqual({ refused: 'execution E1 does not match this command: it was a paper execution, this is live' });
    expect(readLiveExecution(db, 'E1')?.lock).toBeNull(); // a refusal takes nothing
  });

  it('keeps the first arrival quote and the highest child sent', () => {
    claimLiveExecution(db, intent, me, alive([]), 10);
    noteArrival(db, 'E1', { time: 5, bid: 600_000, ask: 600_100, bidSize: 3, askSize: 4 });
    noteArrival(db, 'E1', { time: 9, bid: 1, ask: 2, bidSize: 1, askSize: 1 });
    noteChildSent(db, 'E1', 2);
    noteChildSent(db, 'E1', 1);
    expect(readLiveExecution(db, 'E1')).toMatchObject({ arrival: { time: 5, bid: 600_000, ask: 600_100, bidSize: 3, askSize: 4 }, lastChild: 2 });
  });

  it('one record per execution: a resumed record replaces the earlier partial one, in one transaction', () => {
    claimLiveExecution(db, { ...intent, executionKey: 'exec-1' }, me, alive([]), 10);
    const run1 = newRun(db, 'paper');
    const firstId = recordLiveExecution(db, run1, richReport({ outcome: 'partial', reason: 'stopped', filledQty: 1e9 }));
    expect(earlierRecordId(db, 'exec-1')).toBe(firstId);
    const run2 = newRun(db, 'paper');
    const secondId = recordLiveExecution(db, run2, richReport());
    const rows = db.prepare("SELECT id, run_id FROM executions WHERE execution_key = 'exec-1'").all();
    expect(rows).toEqual([{ id: secondId, run_id: run2 }]);
    expect(readLiveExecution(db, 'exec-1')?.recordId).toBe(secondId);
    expect(readExecution(db, secondId).outcome).toBe('filled');
    // A simulated execution that happens to share the id is not touched.
    const sim = newRun(db, 'sim');
    recordLiveExecution(db, newRun(db, 'live'), richReport()); // replaces the paper one
    db.prepare('INSERT INTO executions SELECT NULL, ?, execution_key, pair_key, strategy, symbol, date, side, qty, decision_time, arrival_time, arrival_bid, arrival_ask, arrival_bid_size, arrival_ask_size, arrival_mid, outcome, reason, filled_qty, avg_price, cost_bps, cost_cents_per_share, effective_cost_bps, vwap, vwap_cost_bps, alert, repegs, used_fallback, duration_ms, liquidity, charged_cost_bps, rebalance_id, alert_bound_bps, alert_bound_class FROM executions LIMIT 1').run(sim);
    recordLiveExecution(db, newRun(db, 'paper'), richReport());
    expect((db.prepare("SELECT count(*) AS n FROM executions e JOIN runs r ON r.id = e.run_id WHERE e.execution_key = 'exec-1' AND r.kind = 'sim'").get() as { n: number }).n).toBe(1);
    expect((db.prepare("SELECT count(*) AS n FROM executions e JOIN runs r ON r.id = e.run_id WHERE e.execution_key = 'exec-1' AND r.kind IN ('paper', 'live')").get() as { n: number }).n).toBe(1);
  });
});
