import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

// Must show (issue 10): `tune --shard 1/2`, `--shard 2/2` and `tune merge` give the same winner,
// costs and frontier as one sweep: the same JSON, byte for byte, apart from the sweep id and the
// database (there are no times in it).

let dir: string;
let scenario: string;
let grid: string;
beforeAll(() => {
  dir = tempDir();
  scenario = join(dir, 'small.json');
  writeFileSync(
    scenario,
    JSON.stringify({
      name: 'small',
      data: { synthetic: { profile: 'tqqq-like', startDate: '2024-03-04', days: 3, seed: 1 } },
      orders: { sides: ['buy', 'sell'], quantities: [100, 1000], decisionTimes: ['09:30:00', '09:33:00'] },
      seed: 1,
    }),
  );
  grid = join(dir, 'grid.json');
  writeFileSync(grid, JSON.stringify({ 'entry.tight': ['marketable', 0], 'timeouts.openMs': [500, 4000], 'fallback.mode': ['market', 'stop'] }));
});

/** The JSON without the sweep id, the database and the names of the files written (compared separately). */
const withoutIds = (json: string): string => {
  const { sweepId: _id, db: _db, out: _out, frontierOut: _frontier, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify(rest);
};

describe('tune --shard K/N and tune merge', () => {
  it('two shards merged report byte for byte what one sweep does', async () => {
    const sweep = ['tune', '--scenario', scenario, '--grid', grid, '--max-p95-seconds', '30', '--workers', '1'];
    const whole = await runInProcess([...sweep, '--db', join(dir, 'whole.db'), '--json', '--frontier-out', join(dir, 'whole.csv'), '--out', join(dir, 'whole-best.json')]);
    expect(whole.status).toBe(0);

    const one = await runInProcess([...sweep, '--shard', '1/2', '--db', join(dir, 'shard1.db'), '--json']);
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ shard: '1/2', candidates: 8, evaluated: 4 });
    const two = await runInProcess([...sweep, '--shard', '2/2', '--db', join(dir, 'shard2.db')]);
    expect(two.status).toBe(0);
    expect(two.stdout).toMatch(/^sweep \d+: shard 2\/2, 4 of 8 configurations and the baselines stored in .*shard2\.db; combine every shard with: better-orders tune merge/);

    const merged = await runInProcess(['tune', 'merge', join(dir, 'shard2.db'), join(dir, 'shard1.db'), '--json', '--frontier-out', join(dir, 'merged.csv'), '--out', join(dir, 'merged-best.json')]);
    expect(merged.stderr).toBe('');
    expect(merged.status).toBe(0);
    const m = JSON.parse(merged.stdout);
    expect(m.sweepId).toBeNull();
    expect(m.db).toBeNull();
    const w = JSON.parse(whole.stdout);
    expect(withoutIds(merged.stdout)).toBe(withoutIds(whole.stdout));
    expect(m.out).toBe(join(dir, 'merged-best.json'));
    expect(m.winner).toEqual(w.winner);
    expect(m.frontier).toEqual(w.frontier);
    expect(readFileSync(join(dir, 'merged.csv'), 'utf8')).toBe(readFileSync(join(dir, 'whole.csv'), 'utf8'));
    expect(readFileSync(join(dir, 'merged-best.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole-best.json'), 'utf8'));
    // The comparison has teeth: the candidates differ, on the frontier and off it.
    expect(new Set(w.ranking.map((r: { trainObjective: number }) => r.trainObjective)).size).toBeGreaterThan(2);
  });

  it('stores the merge as one sweep that tune --resume reports again', async () => {
    const merged = await runInProcess(['tune', 'merge', join(dir, 'shard1.db'), join(dir, 'shard2.db'), '--db', join(dir, 'merged.db'), '--json']);
    expect(merged.status).toBe(0);
    const m = JSON.parse(merged.stdout);
    expect(m.db).toBe(join(dir, 'merged.db'));
    const again = await runInProcess(['tune', '--resume', String(m.sweepId), '--db', join(dir, 'merged.db'), '--json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ ...m, out: null, frontierOut: null });
  });

  it('refuses an incomplete set of shards in one line', async () => {
    const r = await runInProcess(['tune', 'merge', join(dir, 'shard1.db')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('better-orders: tune merge: shard 2/2 of the sweep is missing or unfinished');
  });
});
