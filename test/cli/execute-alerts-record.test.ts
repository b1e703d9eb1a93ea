/**
 * `execute`'s alert plumbing on its own (src/cli/execute-alerts.ts): an alert is in SQLite, with no
 * run, the moment it is published; the run claims it at the end; a database that refuses the
 * alert costs one stderr line, never an exception on the order flow, and the alert still goes out.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import type { DecisionEvent } from '../../src/engine/execution-report.js';
import { ExecuteAlerts } from '../../src/cli/execute-alerts.js';
import { openDatabase } from '../../src/store/open-database.js';
import { readAlerts } from '../../src/store/alerts.js';
import { recordRun } from '../../src/store/record-run.js';

const meta = { executionId: 'e1', symbol: 'TQQQ', side: 'buy' as const, qty: 100_000_000_000 };
const fallback: DecisionEvent = { kind: 'fallback', time: Date.parse('2024-06-03T13:30:05Z'), detail: 'market order for the remaining 100' };

describe('ExecuteAlerts', () => {
  it('records as it is published (no run), prints one stderr line, and the run claims it', () => {
    const db = openDatabase(':memory:');
    const lines: string[] = [];
    const a = new ExecuteAlerts(db, parseConfig({}).alerts, meta, (l) => lines.push(l));
    a.raiser.observe([fallback]);
    expect(readAlerts(db).map((r) => [r.kind, r.runId, r.executionId])).toEqual([['fallback-used', null, 'e1']]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^alert: .*fallback-used\s+e1\s+TQQQ buy 100: fallback: market order/);
    const runId = recordRun(db, { kind: 'paper', command: 'execute', config: {}, seed: null, dataRef: 'x', codeVersion: 'test' });
    a.claim(runId, 'e1');
    expect(readAlerts(db).map((r) => r.runId)).toEqual([runId]);
    db.close();
  });

  it('a database that refuses the alert: one line naming it, no throw, stderr still has the alert', () => {
    const db = openDatabase(':memory:');
    const lines: string[] = [];
    const a = new ExecuteAlerts(db, parseConfig({}).alerts, meta, (l) => lines.push(l));
    db.exec('DROP TABLE alerts');
    expect(() => a.raiser.observe([fallback])).not.toThrow();
    expect(lines.some((l) => /^better-orders: alert fallback-used not recorded: .*alerts/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('alert: ') && l.includes('fallback-used'))).toBe(true);
    expect(() => a.claim(1, 'e1')).not.toThrow();
    expect(lines.at(-1)).toMatch(/^better-orders: the alerts of e1 stay without a run: /);
    db.close();
  });
});
