import { z } from 'zod';
import { LIQUIDITY_NAMES } from './liquidity/liquidity-model.js';

/**
 * Settings of the simulated broker and exchange (docs: README, "Fill model"). All times in ms.
 * Latencies are drawn as base + uniform(0, jitter) and multiplied at the open by a factor that
 * decays from `openMultiplier` at 09:30 toward 1 with e-folding time `openDecayMs`.
 */
export const fillModelSchema = z.strictObject({
  latency: z
    .strictObject({
      /** Client to exchange for a new order. */
      submitMs: z.number().min(0).max(60_000).default(40),
      /** Client to exchange for a cancel. */
      cancelMs: z.number().min(0).max(60_000).default(40),
      /** Client to exchange for a replace; the old order can still fill meanwhile. */
      replaceMs: z.number().min(0).max(60_000).default(40),
      /** Exchange back to the client for acks, fills and cancel confirmations. */
      reportMs: z.number().min(0).max(60_000).default(15),
      jitterMs: z.number().min(0).max(60_000).default(25),
      openMultiplier: z.number().min(1).max(100).default(3),
      openDecayMs: z.number().min(1).max(3_600_000).default(60_000),
    })
    .default({ submitMs: 40, cancelMs: 40, replaceMs: 40, reportMs: 15, jitterMs: 25, openMultiplier: 3, openDecayMs: 60_000 }),
  /**
   * The liquidity model (liquidity/liquidity-model.ts): "conservative" credits no cancels ahead of
   * a queued order and no hidden size; "nominal" is the best estimate (cancels ahead credited in
   * proportion). `backtest --liquidity` runs one or both.
   */
  liquidity: z.enum(LIQUIDITY_NAMES).default('conservative'),
  /**
   * The depth rule's reach: "walk" takes the levels beyond the touch up to the limit (the
   * liquidity model says what rests there), arriving and resting orders alike; "rest" takes the
   * touch only, and the remainder waits at its limit (market orders wait for the next quotes).
   */
  remainder: z.enum(['walk', 'rest']).default('walk'),
  /** Resting limits also fill from trade prints at their price once the queue ahead is consumed. */
  tradeFills: z.boolean().default(true),
  /** Share of orders the broker rejects at random (0 to 1), to exercise reject handling. */
  rejectRate: z.number().min(0).max(1).default(0),
  /** Shares available to sell; a larger sell is rejected. Null: unlimited. */
  sellableShares: z.number().min(0).nullable().default(null),
  /**
   * Match nothing before the primary exchange's opening quote (`tape.openingQuoteTime`), because
   * the consolidated quotes of 09:30 to then are thin away-venue quotes that rarely trade. Orders
   * arriving earlier rest (market orders included) and meet the first quote from then on as if
   * arriving. No effect on a tape that does not know its opening quote.
   */
  noFillBeforeOpeningQuote: z.boolean().default(false),
});

export type FillModelConfig = z.output<typeof fillModelSchema>;

export const DEFAULT_FILL_MODEL: FillModelConfig = fillModelSchema.parse({});
