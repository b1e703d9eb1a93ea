import { beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import type { Database } from '../../src/store/database.js';
import { listExecutions, readExecution } from '../../src/store/read-executions.js';
import { pairKeyOf, recordExecutions, recordRun } from '../../src/store/record-run.js';
import { StoreError } from '../../src/store/store-error.js';
import { costReport, emptyReport, newRun, richReport, useTempDatabase } from './fixtures.js';

const database = useTempDatabase();
let db: Database;
beforeEach(() => {
  db = database();
});

describe('recordExecutions / readExecution', () => {
  it('round-trips a rich report exactly (partial fills, reject, fallback, 1.5 shares)', () => {
    const runId = newRun(db);
    const report = richReport();
    const [id] = recordExecutions(db, runId, [report]);
    expect(readExecution(db, id as number)).toStrictEqual(report);
  });

  it('round-trips a report with a null arrival and every nullable field null', () => {
    const runId = newRun(db);
    const report = emptyReport();
    const [id] = recordExecutions(db, runId, [report]);
    expect(readExecution(db, id as number)).toStrictEqual(report);
  });

  it('stores integer units and documented convenience columns', () => {
    const runId = newRun(db);
    const [id] = recordExecutions(db, runId, [richReport()]);
    const row = db
      .prepare(
        `SELECT pair_key, qty, typeof(qty) AS qty_type, qty_shares, arrival_mid_usd, alert, used_fallback
         FROM executions WHERE id = ?`,
      )
      .get(id);
    expect(row).toEqual({
      pair_key: 'TQQQ|2024-03-01|buy|1500000000|1709303400000|nominal',
      qty: 1_500_000_000,
      qty_type: 'integer',
      qty_shares: 1.5,
      arrival_mid_usd: 61.24005,
      alert: 1,
      used_fallback: 1,
    });
    const fills = db.prepare('SELECT price_usd, qty_shares, nbbo_bid FROM fills ORDER BY id').all();
    expect(fills).toEqual([
      { price_usd: 61.26, qty_shares: 0.5, nbbo_bid: 612_400 },
      { price_usd: 61.26, qty_shares: 0.25, nbbo_bid: 612_500 },
      { price_usd: 61.27, qty_shares: 0.75, nbbo_bid: null },
    ]);
  });

  it('reads a -0 cost back as 0 (SQLite has no negative zero)', () => {
    const runId = newRun(db);
    const report = richReport({ tca: { ...richReport().tca, costBps: -0 } });
    const [id] = recordExecutions(db, runId, [report]);
    expect(Object.is(readExecution(db, id as number).tca.costBps, 0)).toBe(true);
  });

  it('lists a run in recording order, leaving other runs out', () => {
    const runA = newRun(db);
    const runB = newRun(db, 'paper');
    const reports = [richReport(), emptyReport(), richReport({ executionId: 'exec-2', strategy: 'market' })];
    const ids = recordExecutions(db, runA, reports);
    recordExecutions(db, runB, [richReport()]);
    const listed = listExecutions(db, runA);
    expect(listed.map((e) => e.id)).toEqual(ids);
    expect(listed.map((e) => e.report)).toStrictEqual(reports);
    expect(listed.every((e) => e.runId === runA)).toBe(true);
    expect(listed[0]?.pairKey).toBe(pairKeyOf(reports[0] as ExecutionReport));
    expect(listExecutions(db, 999)).toEqual([]);
  });

  it('writes nothing when one report of the batch is refused, and names it', () => {
    const runId = newRun(db);
    const batch = [richReport(), costReport('dup', 'x', 1, 1), costReport('dup', 'x', 2, 1)];
    expect(() => recordExecutions(db, runId, batch)).toThrow(StoreError);
    expect(() => recordExecutions(db, runId, batch)).toThrow(/execution "dup".*UNIQUE/);
    expect(db.prepare('SELECT count(*) AS n FROM executions').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM fills').get()).toEqual({ n: 0 });
  });

  it('refuses a fractional price or quantity instead of storing a float', () => {
    const runId = newRun(db);
    expect(() => recordExecutions(db, runId, [emptyReport({ qty: 1.5 })])).toThrow(/exec-empty.*cannot store REAL value in INTEGER column executions.qty/);
  });

  it('refuses executions of an unknown run', () => {
    expect(() => recordExecutions(db, 12345, [emptyReport()])).toThrow(/run 12345.*FOREIGN KEY/);
  });

  it('throws a StoreError for an unknown execution id', () => {
    expect(() => readExecution(db, 77)).toThrow(/no execution with id 77/);
  });

  it('inserts 2,000 rich executions in one call', () => {
    const runId = recordRun(db, {
      kind: 'tune',
      command: 'tune',
      config: undefined,
      seed: null,
      dataRef: 'synthetic',
      codeVersion: 'test',
    });
    const reports = Array.from({ length: 2_000 }, (_, i) =>
      richReport({ executionId: `e${i}`, strategy: i % 2 === 0 ? 'ladder' : 'market', decisionTime: 1e12 + i }),
    );
    const ids = recordExecutions(db, runId, reports);
    expect(ids).toHaveLength(2_000);
    expect(db.prepare('SELECT count(*) AS n FROM fills').get()).toEqual({ n: 6_000 });
    expect(db.prepare('SELECT config_json, seed FROM runs WHERE id = ?').get(runId)).toEqual({
      config_json: 'null',
      seed: null,
    });
    expect(listExecutions(db, runId)[1_999]?.report).toStrictEqual(reports[1_999]);
  });
});
