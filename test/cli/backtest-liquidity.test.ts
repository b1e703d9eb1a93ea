import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

describe('backtest --liquidity', () => {
  it('runs every order under each model, tags executions and summary rows, and names flips', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const r = await runInProcess(['backtest', '--date', '2024-03-05', '--qty', '1000', '--liquidity', 'conservative,nominal', '--json', '--db', db]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.liquidity).toEqual(['conservative', 'nominal']);
    expect(out.executions).toHaveLength(2 * 4 * 4 * 2); // 4 decision times x 2 sides x 2 models x 4 strategies
    expect(new Set(out.executions.map((e: { liquidity: string }) => e.liquidity))).toEqual(new Set(['conservative', 'nominal']));
    for (const e of out.executions) expect(typeof e.chargedCostBps).toBe('number');
    expect(out.summary.map((s: { strategy: string; liquidity: string }) => `${s.strategy}/${s.liquidity}`)).toEqual(
      ['ladder', 'market', 'progressive', 'passive'].flatMap((s) => [`${s}/conservative`, `${s}/nominal`]),
    );
    expect(Array.isArray(out.flips)).toBe(true);
    const rows = new Database(db, { readonly: true }).prepare('SELECT liquidity, count(*) AS n, count(charged_cost_bps) AS charged FROM executions GROUP BY liquidity ORDER BY liquidity').all();
    expect(rows).toEqual([{ liquidity: 'conservative', n: 32, charged: 32 }, { liquidity: 'nominal', n: 32, charged: 32 }]);
  });

  it('prints both models side by side and says whether any ranking flips', async () => {
    const dir = tempDir();
    const r = await runInProcess(['backtest', '--date', '2024-03-05', '--liquidity', 'nominal,conservative', '--db', join(dir, 't.db')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/│ ladder\s+│ nominal\s+│/);
    expect(r.stdout).toMatch(/│ ladder\s+│ conservative\s+│/);
    expect(r.stdout).toMatch(/no ranking by mean cost flips between nominal and conservative|ranking flips: /);
  });

  it('refuses an unknown model with one line', async () => {
    const dir = tempDir();
    const r = await runInProcess(['backtest', '--liquidity', 'conservative,optimistic', '--db', join(dir, 'x.db')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toBe('better-orders: --liquidity: unknown liquidity model "optimistic" (choose from conservative, nominal)');
  });
});
