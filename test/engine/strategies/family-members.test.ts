/**
 * Must show (issue 10): the progressive and passive baselines are members of the ladder family.
 * Each baseline (its own hand-written schedule, baseline-policies.ts) and the ladder run with its
 * family configuration (family-members.ts) are simulated on the same orders, and every child
 * order, fill, cost and outcome must be the same. Only names differ: the strategy, the ids built
 * from it, and the decision log's wording.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextTradingDays } from '../../../src/engine/calendar.js';
import { parseConfig } from '../../../src/engine/config.js';
import type { ExecutionReport } from '../../../src/engine/execution-report.js';
import { sharesToQty } from '../../../src/engine/units.js';
import { runBacktest, type BacktestPlan } from '../../../src/sim/backtest.js';
import { DEFAULT_FILL_MODEL } from '../../../src/sim/fill-model-config.js';
import { loadTapeSpec, tapeSpecLabel, type TapeSpec } from '../../../src/sim/scenario/tape-spec.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { SOXL_LIKE, TQQQ_LIKE } from '../../../src/sim/synthetic/index.js';
import { LEV5_LIKE } from '../../../src/sim/synthetic/builtin-profiles.js';
import { PASSIVE_MEMBER, PROGRESSIVE_MEMBER } from './family-members.js';

const REAL = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'quotes', 'equity', 'usa', 'tick');
const REAL_TAPES = ['aig', 'bac', 'ibm'].flatMap((s) => ['20131007', '20131008', '20131009'].map((d) => join(REAL, s, `${d}_quote.zip`))).filter((p) => existsSync(p));

const SYNTHETIC: TapeSpec[] = [
  ...nextTradingDays('2024-03-04', 4).map((date): TapeSpec => ({ kind: 'synthetic', profileName: 'tqqq-like', profile: TQQQ_LIKE, date, seed: 1 })),
  // Wide, slow opens: resting limits queue, re-peg and reach the fallback.
  ...nextTradingDays('2024-05-06', 3).map((date): TapeSpec => ({ kind: 'synthetic', profileName: 'soxl-like', profile: SOXL_LIKE, date, seed: 3, shape: { spreadPeakFactor: 4, quoteRateFactor: 0.2, tradeRateFactor: 0.05 } })),
  ...nextTradingDays('2024-08-05', 2).map((date): TapeSpec => ({ kind: 'synthetic', profileName: 'lev5-like', profile: LEV5_LIKE, date, seed: 9, shape: { trendBpsPerMinute: 30 } })),
];

/** Tapes are loaded once for both baselines (a real tick day takes a while to read). */
const loaded = new Map<string, Tape>();
function tapeOf(spec: TapeSpec): Tape {
  const label = tapeSpecLabel(spec);
  let tape = loaded.get(label);
  if (tape === undefined) {
    tape = loadTapeSpec(spec);
    loaded.set(label, tape);
  }
  return tape;
}

function plan(specs: readonly TapeSpec[], member: unknown, baseline: 'progressive' | 'passive'): BacktestPlan {
  const tapes = specs.map((spec) => {
    const tape = tapeOf(spec);
    return { label: tapeSpecLabel(spec), load: () => tape };
  });
  return {
    tapes,
    sides: ['buy', 'sell'],
    quantities: [sharesToQty(100), sharesToQty(1_000), sharesToQty(7_500)],
    decisionTimes: ['09:29:00', '09:30:00', '09:30:30', '09:31:40', '09:34:58', '10:00:00'],
    strategies: ['ladder', baseline],
    config: parseConfig(member),
    fillModel: DEFAULT_FILL_MODEL,
    liquidity: ['conservative', 'nominal'],
    seed: 11,
  };
}

/** What the market saw of an execution: everything but its names and the log's wording. */
function behaviour(r: ExecutionReport): unknown {
  const { executionId, strategy: _strategy, events, childOrders, ...rest } = r;
  return {
    ...rest,
    childOrders: childOrders.map((c) => ({ ...c, clientOrderId: c.clientOrderId.slice(executionId.length) })),
    // The ladder logs its open gate letting it go ("go"), which the baselines do not have.
    decisions: events.filter((e) => e.kind !== 'go').map((e) => `${e.time} ${e.kind}`),
  };
}

function pairs(p: BacktestPlan): { ladder: ExecutionReport; baseline: ExecutionReport }[] {
  const reports = runBacktest(p);
  const out: { ladder: ExecutionReport; baseline: ExecutionReport }[] = [];
  for (let i = 0; i < reports.length; i += 2) out.push({ ladder: reports[i]!, baseline: reports[i + 1]! });
  return out;
}

describe.each([
  ['progressive', PROGRESSIVE_MEMBER],
  ['passive', PASSIVE_MEMBER],
] as const)('%s is a member of the ladder family', (baseline, member) => {
  const sets: [string, TapeSpec[]][] = [['synthetic opens (TQQQ-, SOXL- and $5-like; wide, slow and trending)', SYNTHETIC]];
  if (REAL_TAPES.length > 0) sets.push([`the ${REAL_TAPES.length} real development tapes`, REAL_TAPES.map((path): TapeSpec => ({ kind: 'file', path }))]);
  it.each(sets)('the same child orders, fills, costs and outcomes on %s', (_what, specs) => {
    const all = pairs(plan(specs, member, baseline));
    expect(all.length).toBe(specs.length * 6 * 2 * 3 * 2);
    for (const { ladder, baseline: base } of all) {
      expect(ladder.strategy).toBe('ladder');
      expect(base.strategy).toBe(baseline);
      expect(behaviour(ladder)).toEqual(behaviour(base));
    }
    // The comparison has teeth: the orders re-pegged, queued, partly filled and fell back.
    const seen = all.map((p) => p.baseline);
    expect(seen.some((r) => r.repegs >= 2)).toBe(true);
    expect(seen.some((r) => r.usedFallback)).toBe(true);
    expect(seen.some((r) => !r.usedFallback && r.childOrders.length === 1 && r.outcome === 'filled')).toBe(true);
    expect(seen.some((r) => r.childOrders.some((c) => c.fills.length > 1))).toBe(true);
  });
});

describe('a near miss is not a member', () => {
  it('progressive with the seed ladder open wait differs: the comparison can fail', () => {
    const near = { ladder: { ...PROGRESSIVE_MEMBER.ladder, openWaitMs: 120_000 } };
    const differs = pairs(plan(SYNTHETIC.slice(4, 5), near, 'progressive')).some(({ ladder, baseline }) => JSON.stringify(behaviour(ladder)) !== JSON.stringify(behaviour(baseline)));
    expect(differs).toBe(true);
  });
});

if (REAL_TAPES.length === 0) process.stdout.write(`family-members: real tapes absent under ${REAL}; the synthetic opens alone are compared\n`);
