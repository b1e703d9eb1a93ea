/**
 * `backtest` records the alerts its executions raise (no sink delivers them), and `alerts` lists
 * them. Oracles read the executions' orders and outcomes from `backtest --json`, not the rules.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

interface ExecutionJson {
  executionId: string;
  strategy: string;
  outcome: string;
  filledQty: number;
  childOrders: { type: string; status: string }[];
}
interface AlertJson { id: number; runId: number; executionId: string; kind: string; severity: string; message: string; time: number }

let db: string;
let backtest: { runId: number; executions: ExecutionJson[]; alerts: AlertJson[]; alertCounts: { strategy: string; kind: string; fired: number; executions: number }[] };
let text: string;

beforeAll(async () => {
  const dir = tempDir();
  db = join(dir, 'alerts.db');
  // 3,000 shares on a synthetic open: large enough that the ladder chases, hits the guard and falls back.
  const r = await runInProcess(['backtest', '--date', '2024-03-05', '--qty', '3000', '--json', '--db', db]);
  expect(r.status).toBe(0);
  backtest = JSON.parse(r.stdout);
  const t = await runInProcess(['backtest', '--date', '2024-03-05', '--qty', '3000', '--db', join(dir, 'text.db')]);
  expect(t.status).toBe(0);
  text = t.stdout;
});

describe('backtest records the alerts each rule would have fired', () => {
  it('one row per raised alert in the run, the same as --json reports, and the rules match what the orders did', async () => {
    const rows = new Database(db, { readonly: true }).prepare('SELECT run_id, execution_key, kind, severity FROM alerts ORDER BY time, id').all() as { run_id: number; execution_key: string; kind: string; severity: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.run_id === backtest.runId)).toBe(true);
    expect(rows.map((r) => `${r.execution_key} ${r.kind}`).sort()).toEqual(backtest.alerts.map((a) => `${a.executionId} ${a.kind}`).sort());
    const kindsOf = (id: string) => new Set(rows.filter((r) => r.execution_key === id).map((r) => r.kind));
    for (const e of backtest.executions) {
      const k = kindsOf(e.executionId);
      expect(k.has('fallback-used'), e.executionId).toBe(e.strategy !== 'market' && e.childOrders.some((c) => c.type === 'market'));
      expect(k.has('partial-fill'), e.executionId).toBe(e.outcome === 'partial');
      expect(k.has('execution-failed'), e.executionId).toBe(e.filledQty === 0);
      expect(k.has('broker-reject'), e.executionId).toBe(e.childOrders.some((c) => c.status === 'rejected'));
    }
    expect(rows.some((r) => r.kind === 'fallback-used')).toBe(true);
  });

  it('counts per strategy say how often each rule fired, and the text output prints them', async () => {
    for (const c of backtest.alertCounts) {
      const ids = new Set(backtest.executions.filter((e) => e.strategy === c.strategy).map((e) => e.executionId));
      expect(c.executions).toBe(ids.size);
      expect(c.fired).toBe(backtest.alerts.filter((a) => a.kind === c.kind && ids.has(a.executionId)).length);
    }
    expect(text).toMatch(/^alerts that would have fired \(executions alerted \/ executions; `better-orders alerts --run 1` lists them\):$/m);
    expect(text).toMatch(/^ {2}ladder\/conservative: .*fallback-used \d+\/8/m);
  });
});

describe('better-orders alerts', () => {
  it('lists every alert, one line each with time, severity, kind, execution and message', async () => {
    const r = await runInProcess(['alerts', '--db', db]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(backtest.alerts.length);
    const first = backtest.alerts.slice().sort((a, b) => a.time - b.time)[0]!;
    expect(lines[0]).toMatch(/^2024-03-05 09:\d\d:\d\d\.\d{3} ET {2}(info|warning|critical) +\S+ +\S+ {2}TQQQ (buy|sell) 3000: .* \(run 1\)$/);
    expect(lines[0]).toContain(first.message);
  });

  it('--json gives the stored rows; --run and --since filter them', async () => {
    const all = JSON.parse((await runInProcess(['alerts', '--db', db, '--json'])).stdout) as AlertJson[];
    expect(all.map((a) => a.message).sort()).toEqual(backtest.alerts.map((a) => a.message).sort());
    expect(all[0]).toMatchObject({ runId: 1, rebalanceId: null, symbol: 'TQQQ' });
    expect(JSON.parse((await runInProcess(['alerts', '--db', db, '--json', '--run', '2'])).stdout)).toEqual([]);
    const cut = all[Math.floor(all.length / 2)]!.time;
    const later = JSON.parse((await runInProcess(['alerts', '--db', db, '--json', '--since', new Date(cut).toISOString()])).stdout) as AlertJson[];
    expect(later.map((a) => a.id)).toEqual(all.filter((a) => a.time >= cut).map((a) => a.id));
    expect((await runInProcess(['alerts', '--db', db, '--since', '2024-03-06'])).stdout).toBe('no alerts\n');
    expect(JSON.parse((await runInProcess(['alerts', '--db', db, '--json', '--since', '2024-03-05'])).stdout)).toHaveLength(all.length);
  });

  it('refuses a missing database, a bad --since or --run with one line', async () => {
    const dir = tempDir();
    const missing = await runInProcess(['alerts', '--db', join(dir, 'none.db')]);
    expect([missing.status, missing.stderr.trim()]).toEqual([2, `better-orders: alerts: no database ${join(dir, 'none.db')}`]);
    const since = await runInProcess(['alerts', '--db', db, '--since', 'yesterday']);
    expect([since.status, since.stderr.trim()]).toEqual([2, 'better-orders: --since yesterday: expected a date YYYY-MM-DD (New York), an ISO instant with its zone, or an age such as 90m, 12h, 7d']);
    expect((await runInProcess(['alerts', '--db', db, '--since', '2024-02-30'])).stderr.trim()).toBe('better-orders: --since 2024-02-30: not a calendar date');
    expect((await runInProcess(['alerts', '--db', db, '--run', '0'])).stderr.trim()).toBe('better-orders: --run 0: expected a run id (a positive integer)');
  });
});

describe('--since', () => {
  it('an age counts back from now; a date is New York midnight; an instant needs its zone', async () => {
    const { parseSince } = await import('../../src/cli/alerts-command.js');
    const now = 1_717_430_400_000;
    expect(parseSince('90m', now)).toBe(now - 90 * 60_000);
    expect(parseSince('12h', now)).toBe(now - 12 * 3_600_000);
    expect(parseSince('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseSince('2024-06-03', now)).toBe(Date.parse('2024-06-03T04:00:00Z'));
    expect(parseSince('2024-06-03T13:30:00Z', now)).toBe(Date.parse('2024-06-03T13:30:00Z'));
    expect(() => parseSince('2024-06-03T13:30:00', now)).toThrow(/ISO instant with its zone/);
  });
});
