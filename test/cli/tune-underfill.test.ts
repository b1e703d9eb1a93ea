import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

// No silent underfilling (issue 10). On trending opens, the p90 objective ties a configuration
// that stops after its limits (fallback "stop") with ones that finish with a market order, and
// the tie goes to the stopper, which leaves test orders unfilled. It is not the winner unless
// --allow-underfill says so, and --out never writes an underfilling winner without it.

let dir: string;
let scenario: string;
const grid = (name: string, value: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};

beforeAll(() => {
  dir = tempDir();
  scenario = grid('trend.json', {
    name: 'trend',
    data: { synthetic: { profile: 'tqqq-like', startDate: '2024-05-06', days: 6, seed: 21, shape: { trendBpsPerMinute: 30 } } },
    orders: { sides: ['buy', 'sell'], quantities: [100, 1000], decisionTimes: ['09:30:00', '09:31:00', '09:33:00'] },
    seed: 1,
  });
});

let sweeps = 0;
const tune = (gridFile: string, extra: readonly string[]) =>
  runInProcess(['tune', '--scenario', scenario, '--grid', gridFile, '--objective', 'p90', '--workers', '1', '--json', '--db', join(dir, `sweep-${++sweeps}.db`), ...extra]);

describe('a winner that fills less than the default', () => {
  it('is replaced by the next-best complete candidate, and the note says so', async () => {
    const out = join(dir, 'best.json');
    const r = await tune(grid('mixed.json', { 'fallback.mode': ['stop', 'market'], maxRepegs: [0, 2] }), ['--out', out]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.underfill).toMatchObject({ cheapest: 0, resolution: 'replaced' });
    expect(j.underfill.where).toMatch(/^(train|test) under (conservative|nominal): \d+\.\d% against 100\.0%$/);
    expect(j.winner.candidate['fallback.mode']).toBe('market');
    expect(j.winner.index).not.toBe(0);
    for (const model of ['conservative', 'nominal']) {
      expect(j.byLiquidity[model].winner.train.fillRate).toBe(1);
      expect(j.byLiquidity[model].winner.test.fillRate).toBe(1);
    }
    expect(JSON.parse(readFileSync(out, 'utf8')).ladder.fallback.mode).toBe('market');
  });

  it('is kept and written with --allow-underfill, with the fill-rate warning', async () => {
    const out = join(dir, 'allowed.json');
    const r = await tune(join(dir, 'mixed.json'), ['--allow-underfill', '--out', out]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.winner.index).toBe(0);
    expect(j.underfill).toMatchObject({ cheapest: 0, resolution: 'kept' });
    expect(j.fillRateWarning).toMatch(/^the winner fills \d+\.\d% of test executions by itself against the default's 100\.0%/);
    expect(JSON.parse(readFileSync(out, 'utf8')).ladder.fallback.mode).toBe('stop');
  });

  it('when every candidate underfills, is reported but not written: one line says why, exit 2', async () => {
    const out = join(dir, 'blocked.json');
    const r = await tune(grid('stoppers.json', { 'fallback.mode': ['stop'], maxRepegs: [0, 1] }), ['--out', out]);
    expect(r.status).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.underfill.resolution).toBe('no-complete-candidate');
    expect(j.out).toBeNull();
    expect(existsSync(out)).toBe(false);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('better-orders:'));
    expect(errors).toEqual([expect.stringMatching(/^better-orders: --out .*blocked\.json: not written: the winner #\d fills less than the default \(.*\); add --allow-underfill to write it anyway$/)]);
  });
});
