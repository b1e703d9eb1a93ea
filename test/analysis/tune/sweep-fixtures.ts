import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextTradingDays } from '../../../src/engine/calendar.js';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import type { PlanData } from '../../../src/sim/backtest.js';
import { fillModelSchema } from '../../../src/sim/fill-model-config.js';
import { TQQQ_LIKE } from '../../../src/sim/synthetic/index.js';
import { gridCandidates } from '../../../src/analysis/tune/candidates.js';
import type { Candidate } from '../../../src/analysis/tune/types.js';
import type { SweepSpec } from '../../../src/cli/tune-sweep.js';
import type { Database } from '../../../src/store/database.js';
import { readSweepResults } from '../../../src/store/sweeps.js';

/** Four small synthetic opens, two orders each: enough for a train/test split, fast to sweep. */
export function smallPlan(seed: string | number = 1): PlanData {
  return {
    tapeSpecs: nextTradingDays('2024-05-06', 4).map((date) => ({ kind: 'synthetic', profileName: 'tqqq-like', profile: TQQQ_LIKE, date, seed: 5 })),
    overlays: {},
    sides: ['buy', 'sell'],
    quantities: [500e9],
    decisionTimes: ['09:30:00', '09:33:00'],
    strategies: ['ladder'],
    config: DEFAULT_CONFIG,
    fillModel: fillModelSchema.parse({}),
    seed,
  };
}

export const SMALL_GRID: Candidate[] = gridCandidates({
  'timeouts.openMs': { values: [250, 1000, 4000] },
  aggressionTicks: { values: [0, 1, 3] },
  'fallback.mode': { values: ['market', 'stop'] },
});

export function smallSpec(seed: string | number = 1, over: Partial<SweepSpec> = {}): SweepSpec {
  return {
    version: 2,
    plan: smallPlan(seed),
    candidates: SMALL_GRID,
    skipped: 0,
    objective: 'mean',
    testFraction: 0.5,
    seed,
    search: { kind: 'grid', file: '(test)' },
    maxP95Seconds: null,
    allowUnderfill: false,
    shard: null,
    ...over,
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'better-orders-sweep-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Stored results as comparable bytes: index, candidate, and the raw array bytes. */
export function storedBytes(db: Database, sweepId: number): { index: number; candidate: unknown; bytes: string; objective: number; fillRate: number; fallbackRate: number }[] {
  return readSweepResults(db, sweepId).map((r) => ({
    index: r.candidateIndex,
    candidate: r.candidate,
    bytes: [r.costs, r.filled, r.fallback, r.completeMs ?? new Float64Array()].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')).join('|'),
    objective: r.objective,
    fillRate: r.fillRate,
    fallbackRate: r.fallbackRate,
  }));
}
