import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

describe('better-orders backtest on the embedded default', () => {
  it('runs with no arguments, prints the comparison table and records the run', async () => {
    const dir = tempDir();
    const r = runCli(['backtest'], dir); // the README's first command: a real process in a fresh folder
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const s of ['ladder', 'market', 'progressive', 'passive']) expect(r.stdout).toMatch(new RegExp(`│ ${s}\\s+│`));
    expect(r.stdout).toContain('cost bps');
    expect(r.stdout).toMatch(/recorded as run 1 in better-orders\.db/);
    const db = new Database(join(dir, 'better-orders.db'), { readonly: true });
    const row = db.prepare('select count(*) n, count(distinct strategy) s from executions').get() as { n: number; s: number };
    db.close();
    expect(row.s).toBe(4);
    expect(row.n).toBeGreaterThan(100);
  });

  it('prints the documented JSON shape with --json, identically for the same seed', async () => {
    const dir = tempDir();
    const args = ['backtest', '--date', '2024-03-05', '--side', 'sell', '--qty', '250.5', '--at', '09:31:00', '--json', '--db', join(dir, 'a.db')];
    const a = await runInProcess(args);
    expect(a.status).toBe(0);
    const out = JSON.parse(a.stdout);
    expect(out.runId).toBe(1);
    expect(out.executions).toHaveLength(4);
    const e = out.executions[0];
    for (const key of ['strategy', 'symbol', 'date', 'side', 'qty', 'decisionTime', 'arrival', 'filledQty', 'avgPrice', 'costBps', 'costCentsPerShare', 'vwapCostBps', 'repegs', 'usedFallback', 'durationMs', 'childOrders']) {
      expect(e).toHaveProperty(key);
    }
    expect(e).toMatchObject({ symbol: 'TQQQ', date: '2024-03-05', side: 'sell', qty: 250.5 });
    expect(Object.keys(e.arrival).sort()).toEqual(['ask', 'bid', 'mid', 'time']);
    expect(Object.keys(e.childOrders[0]).sort()).toEqual(
      ['clientOrderId', 'endedAt', 'fills', 'limitPrice', 'qty', 'rejectReason', 'status', 'submittedAt', 'type'].sort(),
    );
    const b = JSON.parse((await runInProcess(args)).stdout);
    expect(b.executions).toEqual(out.executions);
    const other = JSON.parse((await runInProcess([...args.slice(0, -2), '--seed', '99', '--db', join(dir, 'b.db')])).stdout);
    expect(other.executions).not.toEqual(out.executions);
  });

  it('applies a --config file to the ladder', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ enabled: false }));
    const r = await runInProcess(['backtest', '--date', '2024-03-05', '--strategies', 'ladder', '--config', cfg, '--json', '--db', join(dir, 'c.db')]);
    expect(r.status).toBe(0);
    const events = JSON.parse(r.stdout).executions[0].events as { detail: string }[];
    expect(events[0]!.detail).toContain('ladder (disabled: progressive)');
  });
});
