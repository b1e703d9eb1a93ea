import { beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/engine/alerts/alert.js';
import { claimAlerts, readAlerts, recordAlerts } from '../../src/store/alerts.js';
import type { Database } from '../../src/store/database.js';
import { readExecution } from '../../src/store/read-executions.js';
import { recordExecutions } from '../../src/store/record-run.js';
import { StoreError } from '../../src/store/store-error.js';
import { newRun, richReport, useTempDatabase } from './fixtures.js';

const database = useTempDatabase();
let db: Database;
beforeEach(() => {
  db = database();
});

const fallback: Alert = { kind: 'fallback-used', severity: 'info', executionId: 'exec-1', symbol: 'TQQQ', message: 'TQQQ buy 1.5: fallback: market', time: 2_000 };
const partial: Alert = { kind: 'partial-fill', severity: 'warning', executionId: 'exec-1', symbol: 'TQQQ', message: 'TQQQ buy 1.5: partial', time: 3_000 };
const drift: Alert = { kind: 'rebalance-drift', severity: 'warning', rebalanceId: 'RB1', symbol: null, message: 'rebalance RB1 left ...', time: 1_000 };

describe('alerts table', () => {
  it('round-trips execution and rebalance alerts, in the order they happened', () => {
    const run = newRun(db);
    expect(recordAlerts(db, run, [partial, fallback, drift], 99)).toBe(3);
    expect(readAlerts(db)).toEqual([
      { id: 3, runId: run, executionId: null, rebalanceId: 'RB1', symbol: null, kind: 'rebalance-drift', severity: 'warning', message: 'rebalance RB1 left ...', time: 1_000, recordedAt: 99 },
      { id: 2, runId: run, executionId: 'exec-1', rebalanceId: null, symbol: 'TQQQ', kind: 'fallback-used', severity: 'info', message: fallback.message, time: 2_000, recordedAt: 99 },
      { id: 1, runId: run, executionId: 'exec-1', rebalanceId: null, symbol: 'TQQQ', kind: 'partial-fill', severity: 'warning', message: partial.message, time: 3_000, recordedAt: 99 },
    ]);
  });

  it('an alert already recorded for the same run, subject and kind is skipped, in a run or outside one', () => {
    const run = newRun(db);
    expect(recordAlerts(db, run, [fallback])).toBe(1);
    expect(recordAlerts(db, run, [{ ...fallback, message: 'again' }, partial])).toBe(1);
    expect(recordAlerts(db, null, [fallback, fallback])).toBe(1);
    expect(readAlerts(db).map((a) => [a.runId, a.kind, a.message])).toEqual([
      [run, 'fallback-used', fallback.message],
      [null, 'fallback-used', fallback.message],
      [run, 'partial-fill', partial.message],
    ]);
  });

  it('a live execution\'s alerts, recorded with no run while it ran, are claimed by its run at the end', () => {
    recordAlerts(db, null, [fallback, partial, drift]);
    const run = newRun(db, 'live');
    expect(claimAlerts(db, run, 'exec-1')).toBe(2);
    expect(claimAlerts(db, run, 'exec-1')).toBe(0);
    expect(readAlerts(db, { runId: run }).map((a) => a.kind)).toEqual(['fallback-used', 'partial-fill']);
    expect(readAlerts(db).filter((a) => a.runId === null).map((a) => a.kind)).toEqual(['rebalance-drift']);
  });

  it('filters by time and by run', () => {
    const a = newRun(db);
    const b = newRun(db);
    recordAlerts(db, a, [fallback, partial]);
    recordAlerts(db, b, [drift]);
    expect(readAlerts(db, { since: 2_000 }).map((x) => x.kind)).toEqual(['fallback-used', 'partial-fill']);
    expect(readAlerts(db, { since: 2_001 }).map((x) => x.kind)).toEqual(['partial-fill']);
    expect(readAlerts(db, { runId: b }).map((x) => x.kind)).toEqual(['rebalance-drift']);
    expect(readAlerts(db, { runId: a, since: 2_500 }).map((x) => x.kind)).toEqual(['partial-fill']);
  });

  it('an unknown run or a malformed alert writes nothing and names the run', () => {
    const run = newRun(db);
    expect(() => recordAlerts(db, run + 5, [fallback])).toThrow(StoreError);
    expect(() => recordAlerts(db, run, [partial, { ...fallback, severity: 'loud' as 'info' }])).toThrow(new RegExp(`recording alerts of run ${run} failed: .*CHECK constraint`));
    expect(() => recordAlerts(db, run, [{ ...partial, rebalanceId: 'RB1' } as unknown as Alert])).toThrow(/CHECK constraint/);
    expect(readAlerts(db)).toEqual([]);
  });

  it('keeps the cost bound and the alert rule of decision-log entries with the execution', () => {
    const run = newRun(db);
    const report = richReport();
    const [id] = recordExecutions(db, run, [report]);
    const back = readExecution(db, id!);
    expect(back.tca).toMatchObject({ alertBoundBps: 2.5, alertBoundClass: 'normal' });
    expect(back.events.at(-1)).toEqual({ time: 1_709_303_402_310, kind: 'alert', detail: 'slippage guard capped the limit at 612600', code: 'slippage-guard-hit' });
    // The code belongs to alert entries only.
    expect(() => db.prepare(`INSERT INTO ladder_events (execution_id, seq, time, kind, detail, alert_code) VALUES (?, 99, 0, 'repeg', '', 'wait-ran-out')`).run(id)).toThrow(/CHECK constraint/);
  });
});
