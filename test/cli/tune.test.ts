import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

// End-to-end through the built executable (npm test builds dist/ first).

const JSON_KEYS = ['sweepId', 'db', 'objective', 'maxP95Seconds', 'candidates', 'skipped', 'eligible', 'split', 'liquidity', 'winner', 'default', 'baselines', 'frontier', 'byLiquidity', 'flips', 'underfill', 'writeBlocked', 'overfitWarning', 'fillRateWarning', 'ranking', 'out', 'frontierOut'];

let dir: string;
let scenario: string;
beforeAll(() => {
  dir = tempDir();
  scenario = join(dir, 'small.json');
  // Three synthetic opens, two orders each: a real train/test split in about a second.
  writeFileSync(
    scenario,
    JSON.stringify({
      name: 'small',
      data: { synthetic: { profile: 'tqqq-like', startDate: '2024-03-04', days: 3, seed: 1 } },
      orders: { sides: ['buy', 'sell'], quantities: [100], decisionTimes: ['09:30:00'] },
      seed: 1,
    }),
  );
});

describe('better-orders tune', () => {
  it('sweeps random configurations on 2 workers, prints the JSON result and writes a config backtest accepts', async () => {
    const db = join(dir, 'sweeps.db');
    const out = join(dir, 'best.json');
    const r = await runInProcess(['tune', '--scenario', scenario, '--random', '8', '--workers', '2', '--json', '--out', out, '--db', db]);
    expect(r.stderr).toMatch(/100% \(\d+\/\d+\)/);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(JSON_KEYS));
    expect(result.candidates + result.skipped).toBe(8);
    expect(result.db).toBe(db);
    expect(result.out).toBe(out);
    expect(result.winner.index).toBeGreaterThanOrEqual(0);
    expect(Object.keys(result.winner)).toEqual(expect.arrayContaining(['index', 'candidate', 'config', 'train', 'test']));
    expect(result.split.trainOpens.length + result.split.testOpens.length).toBe(3);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(result.winner.config);
    expect(result.liquidity).toEqual({ models: ['conservative', 'nominal'], selection: 'conservative' });
    expect(Object.keys(result.baselines)).toEqual(['market', 'progressive', 'passive']);
    expect(Object.keys(result.byLiquidity)).toEqual(['conservative', 'nominal']);

    const bt = await runInProcess(['backtest', '--scenario', scenario, '--config', out, '--strategies', 'ladder', '--db', join(dir, 'bt.db'), '--json']);
    expect(bt.stderr).toBe('');
    expect(bt.status).toBe(0);
    expect(JSON.parse(bt.stdout).executions).toHaveLength(6);

    // Resuming a finished sweep runs nothing and reports the same result.
    const again = await runInProcess(['tune', '--resume', String(result.sweepId), '--db', db, '--json', '--workers', '1']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ ...result, out: null });
  });

  it('prints a readable summary on stdout and progress lines only on stderr', async () => {
    const grid = join(dir, 'grid.json');
    writeFileSync(grid, JSON.stringify({ 'timeouts.openMs': [500, 2000], 'fallback.mode': ['market', 'stop'] }));
    const r = await runInProcess(['tune', '--scenario', scenario, '--grid', grid, '--workers', '1', '--objective', 'cvar95', '--db', join(dir, 'grid.db')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^sweep \d+: 4 configurations on 3 open\(s\), objective cvar95/);
    expect(r.stdout).toMatch(/winner: configuration #\d/);
    expect(r.stdout).toMatch(/chosen on train under conservative liquidity; reported under conservative and nominal/);
    for (const model of ['conservative', 'nominal']) expect(r.stdout).toContain(`liquidity ${model}`);
    for (const rival of ['default', 'market', 'progressive', 'passive']) expect(r.stdout).toMatch(new RegExp(`^  ${rival} +-?\\d+\\.\\d\\d bps \\[-?\\d`, 'm'));
    expect(r.stdout).toMatch(/no conclusion flips between conservative and nominal|FLIPS between liquidity models/);
    expect(r.stdout).toMatch(/cost against time on train \(conservative\)/);
    expect(r.stdout).not.toMatch(/%\s*\(\d+\/\d+\)/);
    expect(r.stderr).toMatch(/sweep \d+: 100% \(8\/8\)/);
  });

  it.each([
    [['--random', '4', '--grid', 'g.json'], /exactly one of --grid FILE or --random N/],
    [[], /exactly one of --grid FILE or --random N/],
    [['--random', '0'], /--random: expected a positive whole number/],
    [['--random', '4', '--test-fraction', '1'], /--test-fraction: expected a number between 0 and 1/],
    [['--grid', 'nope.json'], /--grid nope.json: cannot read \(ENOENT\)/],
    [['--resume', '99'], /--resume 99: no sweep 99 in /],
    [['--resume', '1', '--random', '3'], /--resume reuses the sweep's stored plan and candidates; drop --random/],
    [['--random', '4', '--max-p95-seconds', '0'], /--max-p95-seconds: expected a positive number of seconds, got 0/],
    [['--random', '4', '--shard', '3/2'], /--shard: expected K\/N with 1 <= K <= N, got "3\/2"/],
    [['--random', '4', '--shard', '1/2', '--out', 'x.json'], /--shard: a shard has no winner of its own; give --out to `tune merge` instead/],
    [['--random', '4', '--liquidity', 'optimistic'], /--liquidity: unknown liquidity model "optimistic"/],
    [['merge', 'nope.db'], /tune merge: nope\.db: no such database/],
  ])('fails with one line for %j', async (args, message) => {
    const r = await runInProcess(['tune', ...args, '--db', join(dir, 'errors.db')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('names the bad field of a grid file', async () => {
    const grid = join(dir, 'bad-grid.json');
    writeFileSync(grid, JSON.stringify({ 'timeouts.openMs': [1000], 'timeouts.opneMs': [5] }));
    const r = await runInProcess(['tune', '--scenario', scenario, '--grid', grid, '--db', join(dir, 'errors.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('timeouts.opneMs: unknown ladder field');
    expect(r.stderr).toContain(grid);
  });
});
