import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open-database.js';
import { listRuns, readRun, resolveExecutionRef } from '../../src/store/read-runs.js';
import { recordExecutions, recordRun } from '../../src/store/record-run.js';
import { createSweep, recordSweepResult, setSweepOpenKeys, setSweepStatus } from '../../src/store/sweeps.js';
import { richReport } from './fixtures.js';

function run(db: ReturnType<typeof openDatabase>, kind: 'sim' | 'paper', createdAt: number, config: unknown = {}): number {
  return recordRun(db, { kind, command: `better-orders ${kind}`, config, seed: 7, dataRef: 'tape.csv', codeVersion: 'test', createdAt });
}

describe('listRuns', () => {
  it('lists runs and sweeps newest first, with counts, strategies in first-recorded order and a subject', () => {
    const db = openDatabase(':memory:');
    const sim = run(db, 'sim', 1_000, { scenario: 'default' });
    recordExecutions(db, sim, [richReport({ executionId: 'a', strategy: 'market' }), richReport({ executionId: 'b', strategy: 'ladder' }), richReport({ executionId: 'c', strategy: 'market' })]);
    const paper = run(db, 'paper', 3_000);
    recordExecutions(db, paper, [richReport({ executionId: 'p', symbol: 'SOXL' })]);
    const sweep = createSweep(db, { version: 2, seed: 'tune-seed', candidates: [{}, {}, {}], plan: {} }, 'test', 2_000);
    setSweepOpenKeys(db, sweep, ['TQQQ|2024-03-01', 'TQQQ|2024-03-01', 'SOXL|2024-03-04']);
    const result = { candidate: null, costs: new Float64Array(3), filled: new Uint8Array(3), fallback: new Uint8Array(3), completeMs: new Float64Array(3), objective: 0, fillRate: 0, fallbackRate: 0 };
    recordSweepResult(db, sweep, { ...result, candidateIndex: -2 });
    recordSweepResult(db, sweep, { ...result, candidateIndex: 0 });
    setSweepStatus(db, sweep, 'done');

    const runs = listRuns(db);
    expect(runs.map((r) => [r.kind, r.id])).toEqual([['paper', paper], ['tune', sweep], ['sim', sim]]);
    expect(runs[0]).toMatchObject({ subject: 'SOXL', executions: 1, strategies: ['ladder'], seed: '7', status: null });
    expect(runs[1]).toMatchObject({ subject: 'SOXL,TQQQ (2 opens)', executions: 6, status: 'done', seed: 'tune-seed' });
    expect(runs[2]).toMatchObject({ subject: 'default', executions: 3, strategies: ['market', 'ladder'] });
    expect(listRuns(db, { kind: 'tune' }).map((r) => r.kind)).toEqual(['tune']);
    expect(listRuns(db, { kind: 'sim' }).map((r) => r.id)).toEqual([sim]);
    expect(listRuns(db, { limit: 2 }).map((r) => r.kind)).toEqual(['paper', 'tune']);
  });

  it('does not fail on a sweep whose spec it cannot read', () => {
    const db = openDatabase(':memory:');
    createSweep(db, 'not an object', 'test', 5);
    expect(listRuns(db)).toMatchObject([{ kind: 'tune', executions: 0, subject: '', seed: null }]);
  });
});

describe('readRun and resolveExecutionRef', () => {
  it('reads a run back and resolves an execution by row id or by key, the newest key winning', () => {
    const db = openDatabase(':memory:');
    const first = run(db, 'paper', 1, { a: 1 });
    const [older] = recordExecutions(db, first, [richReport({ executionId: 'TQQQ-buy' })]);
    const second = run(db, 'paper', 2);
    const [newer, other] = recordExecutions(db, second, [richReport({ executionId: 'TQQQ-buy' }), richReport({ executionId: '17' })]);
    expect(readRun(db, first)).toMatchObject({ kind: 'paper', config: { a: 1 }, seed: '7' });
    expect(() => readRun(db, 99)).toThrow(/no run with id 99/);
    expect(resolveExecutionRef(db, 'TQQQ-buy')).toEqual({ id: newer, matches: 2 });
    expect(resolveExecutionRef(db, String(older))).toEqual({ id: older, matches: 1 });
    // A key that looks like a number but is no row id is still found as a key.
    expect(resolveExecutionRef(db, '17')).toEqual({ id: other, matches: 1 });
    expect(resolveExecutionRef(db, 'nothing')).toBeNull();
  });
});
