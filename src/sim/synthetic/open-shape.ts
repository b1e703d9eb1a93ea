import { z } from 'zod';
import type { ResolvedProfile } from './open-dynamics.js';

/**
 * Scenario "shapes" for the synthetic open generator: deterministic overrides that force the kind
 * of open a test or scenario wants to stress (a big gap, a run, a reversal, thin or broken quotes)
 * instead of waiting for the seeded draws to produce one. Every field is optional; an absent
 * field leaves the profile's behaviour untouched, so `{}` generates exactly the unshaped tape.
 * Shapes draw no extra numbers from the quote and trade streams, so a shaped tape keeps the
 * seed's noise: `gapBps` on seed 7 is seed 7's open with a different gap.
 */

export const BAD_QUOTE_KINDS = ['zero-bid', 'zero-ask', 'crossed', 'locked'] as const;
export type BadQuoteKind = (typeof BAD_QUOTE_KINDS)[number];

const clock = z.string().regex(/^\d{2}:\d{2}:\d{2}$/, 'expected an ET time HH:MM:SS');

/**
 * Invalid snapshots and stale stretches, placed by a seeded Poisson process inside
 * [fromEt, toEt) ET, by default 09:29:00-09:40:00 (where real feeds misbehave: the cross and
 * the re-quoting after it). Every event lies wholly inside that window; nothing outside changes.
 */
export const badQuotesSchema = z.strictObject({
  /** Mean number of bursts per hour of window (so 60 puts about 11 in the default 11 minutes). */
  burstsPerHour: z.number().min(0).max(3600).default(0),
  /** Invalid snapshots per burst, 20-250 ms apart, then the valid quote returns. */
  burstQuotes: z.number().int().min(1).max(1000).default(5),
  /** Kinds drawn uniformly per snapshot. */
  kinds: z.array(z.enum(BAD_QUOTE_KINDS)).min(1).default([...BAD_QUOTE_KINDS]),
  /** Mean number of stale stretches per hour of window. */
  staleGapsPerHour: z.number().min(0).max(3600).default(0),
  /** Length of each stale stretch: no NBBO update for this long, then the current quote returns. */
  staleGapSeconds: z.number().positive().max(3600).default(10),
  fromEt: clock.default('09:29:00'),
  toEt: clock.default('09:40:00'),
});

export const openShapeSchema = z
  .strictObject({
    /** The 09:30 gap, signed bps of the mid, replacing the profile's random gap. */
    gapBps: z.number().min(-5000).max(5000).optional(),
    /** Deterministic drift of the mid from 09:30 on, bps per minute (log-return bps). */
    trendBpsPerMinute: z.number().min(-1000).max(1000).optional(),
    /** The drift changes sign this many seconds after 09:30 (needs trendBpsPerMinute). */
    reversalAfterSeconds: z.number().min(0).max(86_400).optional(),
    /** Multiplies every quote rate (pre-market, open, midday): 0.1 = a thin book. */
    quoteRateFactor: z.number().positive().max(10).optional(),
    /** Multiplies every trade rate; 0 = no prints at all. */
    tradeRateFactor: z.number().min(0).max(10).optional(),
    /** Multiplies the profile's opening spread peak (the result is at least 1x the base spread). */
    spreadPeakFactor: z.number().positive().max(20).optional(),
    badQuotes: badQuotesSchema.optional(),
  })
  .superRefine((s, ctx) => {
    // A reversal of no drift would be a setting that changes nothing: refuse it rather than ignore it.
    if (s.reversalAfterSeconds !== undefined && s.trendBpsPerMinute === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reversalAfterSeconds'], message: 'needs trendBpsPerMinute (the drift it reverses)' });
    }
    const b = s.badQuotes;
    if (b !== undefined && b.toEt <= b.fromEt) {
      ctx.addIssue({ code: 'custom', path: ['badQuotes', 'toEt'], message: `must be after fromEt ${b.fromEt}` });
    }
  });

/**
 * The shape as a field of a larger schema (a scenario). Its issues are re-raised as continuable
 * ones: a surrounding z.union reports a branch's issues only when they are, otherwise it collapses
 * them into one "Invalid input" without the field name.
 */
export const openShapeField = z.unknown().transform((value, ctx): ResolvedShape => {
  const r = openShapeSchema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue, continue: true });
  return z.NEVER;
});

/** A shape as written (fields optional). */
export type OpenShape = z.input<typeof openShapeSchema>;
/** A validated shape, defaults filled in. */
export type ResolvedShape = z.output<typeof openShapeSchema>;
export type BadQuotesShape = z.output<typeof badQuotesSchema>;

/** Validates a shape; throws an Error naming the first bad field (`badQuotes.kinds.0: ...`). */
export function validateShape(value: unknown): ResolvedShape {
  const r = openShapeSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(shape)';
  const extra = issue.code === 'unrecognized_keys' ? `${field === '(shape)' ? '' : `${field}.`}${issue.keys[0] ?? ''}: unknown field` : `${field}: ${issue.message}`;
  throw new Error(`invalid open shape: ${extra}`);
}

/** The profile with the shape's rate and spread factors applied. */
export function shapeProfile(p: ResolvedProfile, s: ResolvedShape): ResolvedProfile {
  const q = s.quoteRateFactor ?? 1;
  const tr = s.tradeRateFactor ?? 1;
  return {
    ...p,
    openSpreadPeak: Math.max(1, p.openSpreadPeak * (s.spreadPeakFactor ?? 1)),
    quotesPerSecondOpen: p.quotesPerSecondOpen * q,
    quotesPerSecondMidday: p.quotesPerSecondMidday * q,
    quotesPerSecondPreMarket: p.quotesPerSecondPreMarket * q,
    tradesPerSecondOpen: p.tradesPerSecondOpen * tr,
    tradesPerSecondMidday: p.tradesPerSecondMidday * tr,
    tradesPerSecondPreMarket: p.tradesPerSecondPreMarket * tr,
  };
}

/** The gap as the log-return the generator adds at 09:30, or undefined to keep the random one. */
export function shapeGapLog(s: ResolvedShape | null): number | undefined {
  return s?.gapBps === undefined ? undefined : Math.log1p(s.gapBps / 10_000);
}

/** Log-return of the shape's drift over [t0, t1) (epoch ms); 0 before 09:30 or without a trend. */
export type Drift = (t0: number, t1: number) => number;

export const NO_DRIFT: Drift = () => 0;

export function shapeDrift(s: ResolvedShape | null, openMs: number): Drift {
  if (s?.trendBpsPerMinute === undefined || s.trendBpsPerMinute === 0) return NO_DRIFT;
  const perMs = s.trendBpsPerMinute / 10_000 / 60_000;
  const flipMs = s.reversalAfterSeconds === undefined ? Number.POSITIVE_INFINITY : openMs + 1000 * s.reversalAfterSeconds;
  const overlap = (a: number, b: number, lo: number, hi: number) => Math.max(0, Math.min(b, hi) - Math.max(a, lo));
  return (t0, t1) => perMs * (overlap(t0, t1, openMs, flipMs) - overlap(t0, t1, flipMs, Number.POSITIVE_INFINITY));
}
