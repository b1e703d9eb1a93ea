import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

// Must show (issue 10), end to end through the built executable on synthetic opens built for it:
// - a trending open, where the side chasing the price pays for every second it waits:
//   --max-p95-seconds changes the winner, and the bound holds on train;
// - a wide open with plenty of prints, where patience pays: the family member the tuner finds
//   (an entry inside the spread) beats the default ladder on the held-out opens.

let dir: string;
const write = (name: string, value: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};

beforeAll(() => {
  dir = tempDir();
});

async function tune(args: readonly string[]) {
  const r = await runInProcess(['tune', ...args, '--workers', '1', '--json']);
  expect(r.stderr).not.toMatch(/better-orders:/);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe('tune --max-p95-seconds on a trending open (waiting is costly)', () => {
  it('changes the winner, and the winner meets the bound on train', async () => {
    // TQQQ-like opens trending 30 bps a minute. Joining the bid on a tight spread saves the spread
    // on the side the price comes to, and costs the other side a re-peg or two: cheaper on
    // average, but slower in the tail.
    const scenario = write('trend.json', {
      name: 'trend',
      data: { synthetic: { profile: 'tqqq-like', startDate: '2024-05-06', days: 6, seed: 21, shape: { trendBpsPerMinute: 30 } } },
      orders: { sides: ['buy', 'sell'], quantities: [100, 1000], decisionTimes: ['09:30:00', '09:31:00', '09:33:00'] },
      seed: 1,
    });
    const grid = write('trend-grid.json', { 'entry.tight': ['marketable', 0], maxRepegs: [1, 3], 'timeouts.openMs': [1000], 'timeouts.normalMs': [1000] });
    const free = await tune(['--scenario', scenario, '--grid', grid, '--db', join(dir, 'free.db')]);
    const bound = 2.5;
    const bounded = await tune(['--scenario', scenario, '--grid', grid, '--db', join(dir, 'bounded.db'), '--max-p95-seconds', String(bound)]);
    expect(free.winner.train.p95Seconds).toBeGreaterThan(bound);
    expect(bounded.winner.index).not.toBe(free.winner.index);
    expect(bounded.winner.train.p95Seconds).toBeLessThanOrEqual(bound);
    expect(bounded.maxP95Seconds).toBe(bound);
    expect(bounded.eligible).toBeLessThan(bounded.candidates);
    // Every eligible candidate in its ranking meets the bound; the cheaper free winner was not eligible.
    for (const r of bounded.ranking) expect(r.trainP95Seconds).toBeLessThanOrEqual(bound);
    expect(free.winner.train.mean).toBeLessThan(bounded.winner.train.mean);
    // The frontier shows the trade: the free winner is on it, slower and cheaper than the bounded one.
    const labels = free.frontier.map((p: { label: string }) => p.label);
    expect(labels).toContain(`#${free.winner.index}`);
    for (let i = 1; i < free.frontier.length; i++) {
      expect(free.frontier[i].p95Seconds).toBeGreaterThan(free.frontier[i - 1].p95Seconds);
      expect(free.frontier[i].meanCostBps).toBeLessThan(free.frontier[i - 1].meanCostBps);
    }
  });

  it('says in one line when no candidate can meet the bound', async () => {
    const scenario = join(dir, 'trend.json');
    const grid = join(dir, 'trend-grid.json');
    const r = await runInProcess(['tune', '--scenario', scenario, '--grid', grid, '--workers', '1', '--db', join(dir, 'none.db'), '--max-p95-seconds', '0.05']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('better-orders:'))).toEqual([
      expect.stringMatching(/^better-orders: no candidate completes 95% of its train orders within 0\.05 s under conservative liquidity; the fastest, #\d+, takes [\d.]+ s$/),
    ]);
  });
});

describe('tune on a wide open where patience pays', () => {
  it('finds a family member inside the spread that beats the default ladder on held-out opens, under both liquidity models', async () => {
    // SOXL-like opens with four times the opening spread and three times the prints: crossing
    // pays the wide spread, a limit inside it gets filled by the prints.
    const scenario = write('patient.json', {
      name: 'patient',
      data: { synthetic: { profile: 'soxl-like', startDate: '2024-05-06', days: 6, seed: 7, shape: { spreadPeakFactor: 4, tradeRateFactor: 3 } } },
      orders: { sides: ['buy', 'sell'], quantities: [100], decisionTimes: ['09:30:00', '09:31:00', '09:33:00', '10:00:00'] },
      seed: 1,
    });
    const grid = write('patient-grid.json', { 'entry.normal': ['marketable', 0, 0.5], 'entry.wide': ['marketable', 0, 0.5], 'timeouts.openMs': [2000, 8000] });
    const r = await tune(['--scenario', scenario, '--grid', grid, '--db', join(dir, 'patient.db')]);
    const entry = r.winner.config.ladder.entry;
    expect([entry.normal, entry.wide].some((e: unknown) => typeof e === 'number')).toBe(true);
    for (const model of ['conservative', 'nominal']) {
      const d = r.byLiquidity[model].default;
      // Default minus winner on the test opens: positive, with the whole interval above zero.
      expect(d.pairedVsWinner.meanDiffBps).toBeGreaterThan(0);
      expect(d.pairedVsWinner.ci95[0]).toBeGreaterThan(0);
      expect(r.byLiquidity[model].winner.test.mean).toBeLessThan(d.test.mean);
    }
    expect(r.flips.map((f: { against: string }) => f.against)).not.toContain('default');
  });
});
