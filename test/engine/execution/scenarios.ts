/**
 * Scenario generators for the execution state machine tests: configurations (both re-peg modes),
 * strategies, sides, fractional quantities, prices on both sides of $1.00, decision times in every
 * window and on a holiday, and the quote builder the commands share.
 */
import fc from 'fast-check';
import { parseConfig, REPEG_MODES, type LadderParams, type RepegMode } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import type { ExecutionRequest } from '../../../src/engine/execution/step.js';
import type { ExecutionSettings } from '../../../src/engine/execution/types.js';
import type { Quote } from '../../../src/engine/quote.js';
import { strategySettings, type StrategyName } from '../../../src/engine/strategies/strategy-settings.js';
import type { EpochMs, Price, Qty, Side } from '../../../src/engine/units.js';
import { BrokerModel, floorGrid, gridSteps } from './broker-model.js';

export const DAY = '2024-03-04'; // a Monday, full session
export const HOLIDAY = '2024-07-04'; // Independence Day
export const SYMBOL = 'TQQQ';
export const EXEC_ID = 'x1';
export const SHARE = 1_000_000_000;
export const et = (clock: string, date = DAY): EpochMs => etClockToEpoch(date, clock);
export const OPEN = et('09:30');

// ---------------------------------------------------------------- scenarios

export type PolicyKind = 'ladder' | 'market' | 'progressive' | 'passive';
export const STEP_FRACTIONS: Record<'progressive' | 'passive', readonly number[]> = {
  progressive: [0.5, 0.75, 0.95],
  passive: [0, 0.5, 0.75, 0.95],
};

export interface Setup {
  readonly settings: ExecutionSettings;
  readonly kind: PolicyKind;
  /** The ladder parameters for the symbol (also present when the strategy is a baseline). */
  readonly params: LadderParams;
  readonly request: ExecutionRequest;
  /** Starting mid anchor for generated quotes. */
  readonly ref: Price;
}

export function setupFor(strategy: StrategyName, rawConfig: unknown, req: Omit<ExecutionRequest, 'executionId'>, ref?: Price): Setup {
  const config = parseConfig(rawConfig);
  const settings = strategySettings(strategy, config, SYMBOL);
  const kind: PolicyKind = strategy === 'ladder' ? (config.enabled ? 'ladder' : 'progressive') : strategy;
  const params = config.overrides[SYMBOL] ?? config.ladder;
  const q = req.quote;
  return { settings, kind, params, request: { executionId: EXEC_ID, ...req }, ref: ref ?? (q ? Math.round((q.bid + q.ask) / 2) : 500_000) };
}

export type QuoteKind = 'valid' | 'zero-bid' | 'zero-ask' | 'crossed' | 'locked' | 'stale' | 'out-of-order';
export interface QuoteSpec {
  readonly kind: QuoteKind;
  readonly spreadTicks: number;
  readonly drift: number;
  readonly lagMs: number;
  readonly backMs: number;
}

export const quoteSpecArb: fc.Arbitrary<QuoteSpec> = fc.record({
  kind: fc.oneof(
    { weight: 14, arbitrary: fc.constant<QuoteKind>('valid') },
    { weight: 4, arbitrary: fc.constantFrom<QuoteKind>('zero-bid', 'zero-ask', 'crossed', 'locked', 'stale', 'out-of-order') },
  ),
  spreadTicks: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 40 }), fc.integer({ min: 41, max: 600 })),
  drift: fc.integer({ min: -3, max: 3 }),
  lagMs: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 200 }) }, { weight: 1, arbitrary: fc.integer({ min: 200, max: 4_000 }) }),
  backMs: fc.integer({ min: 1, max: 5_000 }),
});

/** Builds a concrete quote around the model's anchor; moves the anchor by the spec's drift. */
export function buildQuote(spec: QuoteSpec, m: BrokerModel, t: EpochMs, maxAgeMs: number): Quote {
  m.ref = Math.max(2, gridSteps(floorGrid(m.ref), spec.drift));
  const bid = floorGrid(m.ref);
  const ask = gridSteps(bid, Math.max(1, spec.spreadTicks));
  const size = { bidSize: 100, askSize: 100 };
  switch (spec.kind) {
    case 'valid':
      return { time: t - spec.lagMs, bid, ask, ...size };
    case 'zero-bid':
      return { time: t, bid: 0, ask, ...size };
    case 'zero-ask':
      return { time: t, bid, ask: 0, ...size };
    case 'crossed':
      return { time: t, bid: ask, ask: bid, ...size };
    case 'locked':
      return { time: t, bid, ask: bid, ...size };
    case 'stale':
      return { time: t - maxAgeMs - 1 - spec.lagMs, bid, ask, ...size };
    case 'out-of-order':
      return { time: (m.latest?.time ?? t) - spec.backMs, bid, ask, ...size };
  }
}

const ms = (min: number, max: number) => fc.integer({ min, max });

export interface ConfigBias {
  /** Re-peg modes to draw from (default: both, evenly). */
  readonly repegModes?: readonly RepegMode[];
  readonly minRepegs?: number;
  /** Always the ladder, never `enabled: false`. */
  readonly alwaysEnabled?: boolean;
}

/** A fraction with at most two decimals (the oracle of schedule-rule.ts counts in hundredths). */
const hundredthsArb = (min: number, max: number) => fc.integer({ min, max }).map((k) => k / 100);
const entryArb = fc.oneof(fc.constant<'marketable'>('marketable'), hundredthsArb(0, 100));
const classTimeoutArb = fc.option(ms(1, 8_000), { nil: null });

/** The ladder family's settings: entries per class, the re-peg step, and per-class timeouts. */
const familyArb = fc.record({
  entry: fc.record({ tight: entryArb, normal: entryArb, wide: entryArb }),
  mode: fc.constantFrom('fraction', 'ticks', 'list'),
  fraction: fc.option(hundredthsArb(1, 100), { nil: null }),
  ticks: ms(1, 6),
  fractions: fc.array(hundredthsArb(0, 100), { minLength: 6, maxLength: 6 }),
  timeouts: fc.record({ tight: fc.record({ openMs: classTimeoutArb, normalMs: classTimeoutArb }), normal: fc.record({ openMs: classTimeoutArb, normalMs: classTimeoutArb }), wide: fc.record({ openMs: classTimeoutArb, normalMs: classTimeoutArb }) }),
});

function familySettings(f: typeof familyArb extends fc.Arbitrary<infer T> ? T : never, maxRepegs: number, timeouts: { openMs: number; normalMs: number }): Record<string, unknown> {
  return {
    entry: f.entry,
    // A list names one fraction per re-peg.
    repegStep: { mode: f.mode, fraction: f.fraction, ticks: f.ticks, fractions: f.mode === 'list' ? f.fractions.slice(0, maxRepegs) : [] },
    timeouts: { ...timeouts, ...f.timeouts },
  };
}

/** A raw JSON configuration, valid for parseConfig; `bias` narrows it to the cases a test is after. */
export const rawConfigArbWith = (bias: ConfigBias = {}): fc.Arbitrary<Record<string, unknown>> => fc
  .record({
    enabled: bias.alwaysEnabled ? fc.constant(true) : fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    inOverride: fc.boolean(),
    maxRepegs: ms(bias.minRepegs ?? 0, 4),
    aggressionTicks: ms(0, 5),
    escalationTicksPerRepeg: ms(0, 3),
    timeouts: fc.record({ openMs: ms(1, 5_000), normalMs: ms(1, 8_000) }),
    fallback: fc.record({ mode: fc.constantFrom('market', 'limit-at-guard', 'stop'), timeoutMs: ms(1, 60_000) }),
    maxSlippageBps: fc.option(fc.oneof(ms(0, 300), fc.double({ min: 0, max: 500, noNaN: true })), { nil: null }),
    premarket: fc.boolean(),
    classes: fc.tuple(ms(0, 30_000), ms(0, 90_000), ms(0, 180_000), ms(0, 30), ms(0, 60), ms(0, 100)),
    spread: fc.tuple(ms(0, 8), ms(0, 10), ms(0, 30), ms(0, 60)),
    openWaitMs: ms(0, 180_000),
    maxQuoteAgeMs: fc.oneof({ weight: 6, arbitrary: ms(1_000, 10_000) }, { weight: 1, arbitrary: ms(1, 1_000) }),
    quoteWaitMs: fc.oneof({ weight: 4, arbitrary: ms(5_000, 60_000) }, { weight: 1, arbitrary: ms(0, 5_000) }),
    windows: fc.constantFrom(['09:32:00', '09:35:00'], ['09:31:00', '09:33:30'], ['09:30:00', '09:32:00'], ['09:32:00', '09:32:00']),
    repegMode: fc.constantFrom(...(bias.repegModes ?? REPEG_MODES)),
    family: fc.option(familyArb, { nil: null }),
  })
  .map((r) => {
    const [tw, nw, ww, tb, nb, wb] = r.classes;
    const [tc, dc, tbps, dbps] = r.spread;
    const ladder = {
      maxRepegs: r.maxRepegs,
      aggressionTicks: r.aggressionTicks,
      repegMode: r.repegMode,
      escalationTicksPerRepeg: r.escalationTicksPerRepeg,
      timeouts: r.timeouts,
      fallback: r.fallback,
      maxSlippageBps: r.fallback.mode === 'limit-at-guard' && r.maxSlippageBps === null ? 40 : r.maxSlippageBps,
      premarketAssessment: {
        enabled: r.premarket,
        tight: { waitMs: tw, slippageBudgetBps: tb },
        normal: { waitMs: nw, slippageBudgetBps: nb },
        wide: { waitMs: ww, slippageBudgetBps: wb },
      },
      spread: { tightCents: tc, wideCents: tc + dc, tightBps: tbps, wideBps: tbps + dbps },
      openWaitMs: r.openWaitMs,
      maxQuoteAgeMs: r.maxQuoteAgeMs,
      quoteWaitMs: r.quoteWaitMs,
      windows: { waitForSpreadsEnd: r.windows[0], normalEnd: r.windows[1] },
      ...(r.family === null ? {} : familySettings(r.family, r.maxRepegs, r.timeouts)),
    };
    return r.inOverride ? { enabled: r.enabled, overrides: { [SYMBOL]: ladder } } : { enabled: r.enabled, ladder };
  });
export const rawConfigArb = rawConfigArbWith();

export const decisionTimeArb: fc.Arbitrary<EpochMs> = fc.oneof(
  { weight: 3, arbitrary: ms(et('04:00'), OPEN - 1) },
  { weight: 1, arbitrary: ms(OPEN - 5_000, OPEN) },
  { weight: 3, arbitrary: ms(OPEN, et('09:32') - 1) },
  { weight: 2, arbitrary: ms(et('09:32'), et('09:35') - 1) },
  { weight: 2, arbitrary: ms(et('09:35'), et('15:58')) },
  { weight: 1, arbitrary: ms(et('15:58'), et('16:30')) },
  { weight: 1, arbitrary: ms(et('08:00', HOLIDAY), et('11:00', HOLIDAY)) },
);

export const qtyArb: fc.Arbitrary<Qty> = fc.oneof(
  ms(1, SHARE - 1), // under one share, down to 1e-9
  ms(1, 500).map((n) => n * SHARE),
  ms(1, 5_000 * SHARE),
);

export const refPriceArb: fc.Arbitrary<Price> = fc.oneof(
  ms(20, 9_999), // below $1.00: 1-unit ticks
  ms(9_900, 10_300), // across the $1.00 boundary
  ms(100, 30_000).map((c) => c * 100), // $1 to $300
);

export const strategyArb: fc.Arbitrary<StrategyName> = fc.oneof(
  { weight: 7, arbitrary: fc.constant<StrategyName>('ladder') },
  { weight: 1, arbitrary: fc.constantFrom<StrategyName>('market', 'progressive', 'passive') },
);

/** Arbitrary scenarios: strategy, configuration, side, quantity, decision time and price level. */
export const setupArbWith = (strategies: fc.Arbitrary<StrategyName>, configs: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Setup> => fc
  .record({
    strategy: strategies,
    raw: configs,
    side: fc.constantFrom<Side>('buy', 'sell'),
    qty: qtyArb,
    decisionTime: decisionTimeArb,
    ref: refPriceArb,
    initial: fc.option(quoteSpecArb, { nil: null }),
    unguarded: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  })
  .map((r) => {
    let base = setupFor(r.strategy, r.raw, { side: r.side, qty: r.qty, decisionTime: r.decisionTime, quote: null }, r.ref);
    if (r.unguarded) {
      // Settings built directly, past the config schema: no guard (even with fallback "limit-at-guard").
      base = { ...base, settings: { ...base.settings, policy: { ...base.settings.policy, maxSlippageBps: null } } };
    }
    if (r.initial === null) return base;
    const scratch = new BrokerModel(base);
    const quote = buildQuote(r.initial, scratch, r.decisionTime, base.settings.maxQuoteAgeMs);
    return { ...base, ref: scratch.ref, request: { ...base.request, quote } };
  });
export const setupArb = setupArbWith(strategyArb, rawConfigArb);
/** The ladder in cancel mode with at least one re-peg: every scenario can re-peg by cancel-then-submit. */
export const cancelSetupArb = setupArbWith(fc.constant<StrategyName>('ladder'), rawConfigArbWith({ repegModes: ['cancel'], minRepegs: 1, alwaysEnabled: true }));
/** The ladder in replace mode with at least one re-peg: every scenario can exercise the replace path. */
export const replaceSetupArb = setupArbWith(fc.constant<StrategyName>('ladder'), rawConfigArbWith({ repegModes: ['replace'], minRepegs: 1, alwaysEnabled: true }));
