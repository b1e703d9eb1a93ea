import { z } from 'zod';
import { alertConfigSchema, type AlertConfig } from './alerts/alert-config.js';
import { REGULAR_CLOSE_CLOCK, REGULAR_OPEN_CLOCK } from './trading-day-windows.js';

/**
 * The one JSON configuration file. Every field changes behaviour somewhere; the test
 * test/engine/config-wiring.test.ts proves each one is wired. Unknown keys are errors, so a typo
 * never silently falls back to a default.
 */

const CLOCK = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Seconds after midnight of a real 'HH:MM:SS' (or 'HH:MM') wall clock, or null. */
function clockSeconds(text: string): number | null {
  const m = CLOCK.exec(text);
  if (m === null) return null;
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  return h <= 23 && min <= 59 && sec <= 59 ? (h * 60 + min) * 60 + sec : null;
}

const SESSION_OPEN_S = clockSeconds(REGULAR_OPEN_CLOCK)!;
const SESSION_CLOSE_S = clockSeconds(REGULAR_CLOSE_CLOCK)!;

/**
 * A window end: a real ET wall clock, HH:MM:SS (HH:MM is read as HH:MM:00), within the regular
 * session 09:30:00-16:00:00. A half day's earlier close cuts a later end (resolveWindows).
 */
const sessionClock = (def: string) =>
  z
    .string()
    .superRefine((text, ctx) => {
      const s = clockSeconds(text);
      if (s === null) ctx.addIssue({ code: 'custom', message: `expected a real ET time HH:MM:SS, got ${JSON.stringify(text)}` });
      else if (s < SESSION_OPEN_S || s > SESSION_CLOSE_S) {
        ctx.addIssue({ code: 'custom', message: `${text} is outside the regular session ${REGULAR_OPEN_CLOCK}-${REGULAR_CLOSE_CLOCK} ET` });
      }
    })
    .default(def);
const ms = (def: number, max = 3_600_000, min = 0) => z.number().int().min(min).max(max).default(def);
const bps = (def: number) => z.number().min(0).max(5_000).default(def);
const cents = (def: number) => z.number().min(0).max(10_000).default(def);

const premarketClass = (waitMs: number, slippageBudgetBps: number) =>
  z
    .strictObject({ waitMs: ms(waitMs, 1_800_000), slippageBudgetBps: bps(slippageBudgetBps) })
    .default({ waitMs, slippageBudgetBps });

export const FALLBACK_MODES = ['market', 'limit-at-guard', 'stop'] as const;
export type FallbackMode = (typeof FALLBACK_MODES)[number];

export const REPEG_MODES = ['cancel', 'replace'] as const;
export type RepegMode = (typeof REPEG_MODES)[number];

export const REPEG_STEP_MODES = ['fraction', 'ticks', 'list'] as const;
export type RepegStepMode = (typeof REPEG_STEP_MODES)[number];

/**
 * Where a spread class's first limit goes: "marketable" (the far side plus aggressionTicks, the
 * seed's ladder) or inside the spread, at that fraction of it from the near side (0 joins the
 * near side, 0.5 is the mid, 1 the far side).
 */
const entryPrice = z
  .union([z.literal('marketable'), z.number().min(0).max(1)], { error: 'expected "marketable" or a fraction of the spread from 0 to 1' })
  .default('marketable');
export type EntryPrice = 'marketable' | number;

/** A re-peg timeout for one spread class; null: the window's (timeouts.openMs / normalMs). */
const classTimeout = z.number().int().min(1).max(600_000).nullable().default(null);
const classTimeouts = z
  .strictObject({ openMs: classTimeout, normalMs: classTimeout })
  .default({ openMs: null, normalMs: null });

const ladderParamsShape = z.strictObject({
  /** Re-peg timeouts: `openMs` for children sent before the normal window ends (09:35), `normalMs` after. */
  /**
   * Re-peg timeouts: `openMs` for children sent before the normal window ends (09:35), `normalMs`
   * after; a spread class's own values, when set, replace them for children priced from a quote
   * of that class.
   */
  timeouts: z
    .strictObject({
      openMs: ms(2_000, 600_000, 1),
      normalMs: ms(3_000, 600_000, 1),
      tight: classTimeouts,
      normal: classTimeouts,
      wide: classTimeouts,
    })
    .default({
      openMs: 2_000,
      normalMs: 3_000,
      tight: { openMs: null, normalMs: null },
      normal: { openMs: null, normalMs: null },
      wide: { openMs: null, normalMs: null },
    }),
  maxRepegs: z.number().int().min(0).max(20).default(2),
  /** Ticks beyond the far side for the first marketable limit. */
  aggressionTicks: z.number().int().min(0).max(100).default(1),
  /** Extra ticks added at each re-peg (re-peg k uses aggressionTicks + k * escalation). */
  escalationTicksPerRepeg: z.number().int().min(0).max(100).default(0),
  /** The first limit per spread class of the quote it is priced from (entryPrice). */
  entry: z
    .strictObject({ tight: entryPrice, normal: entryPrice, wide: entryPrice })
    .default({ tight: 'marketable', normal: 'marketable', wide: 'marketable' }),
  /**
   * How re-pegs step from an inside entry toward the marketable price, each priced from a fresh
   * quote: "fraction" adds `fraction` of the spread per re-peg (null: even steps from the entry to
   * the far side), "ticks" moves `ticks` ticks per re-peg from the entry price, never past
   * marketable; in both the last re-peg is marketable. "list" prices re-peg k at `fractions[k-1]`
   * of the spread as written (one per re-peg: progressive is [0.75, 0.95]). No effect on a class
   * whose entry is "marketable".
   */
  repegStep: z
    .strictObject({
      mode: z.enum(REPEG_STEP_MODES).default('fraction'),
      fraction: z.number().gt(0).max(1).nullable().default(null),
      ticks: z.number().int().min(1).max(100).default(1),
      fractions: z.array(z.number().min(0).max(1)).max(20).default([]),
    })
    .default({ mode: 'fraction', fraction: null, ticks: 1, fractions: [] }),
  /**
   * "cancel": cancel, wait for the confirmation, then send the new limit. "replace": one
   * Alpaca-style replace; faster, but the old order may fill while the replace is pending.
   */
  repegMode: z.enum(REPEG_MODES).default('cancel'),
  spread: z
    .strictObject({ tightCents: cents(3), wideCents: cents(5), tightBps: bps(5), wideBps: bps(15) })
    .default({ tightCents: 3, wideCents: 5, tightBps: 5, wideBps: 15 })
    .refine((s) => s.tightCents <= s.wideCents, { message: 'tightCents must be <= wideCents', path: ['tightCents'] })
    .refine((s) => s.tightBps <= s.wideBps, { message: 'tightBps must be <= wideBps', path: ['tightBps'] }),
  windows: z
    .strictObject({ waitForSpreadsEnd: sessionClock('09:32:00'), normalEnd: sessionClock('09:35:00') })
    .refine((w) => (clockSeconds(w.normalEnd) ?? 0) >= (clockSeconds(w.waitForSpreadsEnd) ?? 0), {
      message: 'must be at or after windows.waitForSpreadsEnd',
      path: ['normalEnd'],
    })
    .default({ waitForSpreadsEnd: '09:32:00', normalEnd: '09:35:00' }),
  /** Longest wait for a tight spread in the first window when no pre-market assessment set it. */
  openWaitMs: ms(120_000, 1_800_000),
  /**
   * Slippage guard from the arrival mid; null turns the guard off. Any decimal (12.5, 33.33): the
   * guard takes it exactly as written (pricing.ts guardPrice), so no precision is lost or refused.
   */
  maxSlippageBps: z.number().min(0).max(5_000).nullable().default(50),
  fallback: z
    .strictObject({
      mode: z.enum(FALLBACK_MODES).default('market'),
      /** How long the fallback child may work before it is cancelled and the execution ends. */
      timeoutMs: ms(30_000, 3_600_000, 1),
    })
    .default({ mode: 'market', timeoutMs: 30_000 }),
  /** A quote older than this is stale and never priced against. */
  maxQuoteAgeMs: ms(5_000, 3_600_000, 1),
  /** How long to wait for a valid quote before failing. */
  quoteWaitMs: ms(30_000),
  premarketAssessment: z
    .strictObject({
      enabled: z.boolean().default(true),
      tight: premarketClass(0, 5),
      normal: premarketClass(60_000, 10),
      wide: premarketClass(120_000, 15),
    })
    .default({
      enabled: true,
      tight: { waitMs: 0, slippageBudgetBps: 5 },
      normal: { waitMs: 60_000, slippageBudgetBps: 10 },
      wide: { waitMs: 120_000, slippageBudgetBps: 15 },
    }),
  /**
   * TCA raises an alert when an execution costs more than this against the arrival mid (when the
   * pre-market assessment ran, its class's slippageBudgetBps is the bound instead).
   */
  alertCostBps: bps(25),
});

export const ladderParamsSchema = ladderParamsShape
  .refine((p) => p.fallback.mode !== 'limit-at-guard' || p.maxSlippageBps !== null, {
    message: 'fallback.mode "limit-at-guard" needs maxSlippageBps to be set',
    path: ['fallback', 'mode'],
  })
  .refine((p) => p.repegStep.mode !== 'list' || p.repegStep.fractions.length === p.maxRepegs, {
    message: 'repegStep.mode "list" needs one fraction per re-peg (as many as maxRepegs)',
    path: ['repegStep', 'fractions'],
  });

export type LadderParams = z.output<typeof ladderParamsShape>;

const symbolName = z.string().regex(/^[A-Z][A-Z0-9.]{0,9}$/, 'expected an upper-case ticker such as TQQQ');

export const configSchema = z.strictObject({
  /** false runs the `progressive` baseline wherever the ladder was asked for. */
  enabled: z.boolean().default(true),
  /** Symbols this configuration may trade; empty allows any. */
  symbols: z.array(symbolName).default([]),
  /** Live trading only: an order whose notional (qty x arrival ask/bid, dollars) exceeds this is refused. */
  maxNotionalPerOrder: z.number().positive().max(100_000_000).default(10_000),
  /** Live trading only: a rebalance whose orders add up to more dollars than this (at the arrival far sides) is refused before anything is sent. */
  maxRebalanceNotional: z.number().positive().max(1_000_000_000).default(50_000),
  ladder: z.record(z.string(), z.unknown()).default({}),
  /** Per-symbol partial ladder settings, merged over `ladder`. */
  overrides: z.record(symbolName, z.record(z.string(), z.unknown())).default({}),
  /** Alert rules and where alerts go (alerts/alert-config.ts). */
  alerts: alertConfigSchema,
});

export interface BetterOrdersConfig {
  readonly enabled: boolean;
  readonly symbols: readonly string[];
  readonly maxNotionalPerOrder: number;
  readonly maxRebalanceNotional: number;
  readonly ladder: LadderParams;
  readonly overrides: Readonly<Record<string, LadderParams>>;
  readonly alerts: AlertConfig;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** Dotted path of the offending field, e.g. "ladder.timeouts.openMs". */
    readonly field: string,
  ) {
    super(message);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

function firstIssue(error: z.ZodError, prefix: string): ConfigError {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)];
  // Name the unknown key itself: "ladder.maxRepeg: unknown field" points at the typo.
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].filter((s) => s !== '').join('.');
    return new ConfigError(`${field}: unknown field`, field);
  }
  const field = path.filter((s) => s !== '').join('.') || '(root)';
  return new ConfigError(`${field}: ${issue.message}`, field);
}

function parseLadder(raw: Record<string, unknown>, prefix: string): LadderParams {
  const r = ladderParamsSchema.safeParse(raw);
  if (!r.success) throw firstIssue(r.error, prefix);
  return r.data;
}

/** Validates a parsed JSON value; throws ConfigError naming the first bad field. */
export function parseConfig(raw: unknown): BetterOrdersConfig {
  const top = configSchema.safeParse(raw ?? {});
  if (!top.success) throw firstIssue(top.error, '');
  const ladder = parseLadder(top.data.ladder, 'ladder');
  const overrides: Record<string, LadderParams> = {};
  for (const [symbol, partial] of Object.entries(top.data.overrides)) {
    overrides[symbol] = parseLadder(deepMerge(top.data.ladder, partial), `overrides.${symbol}`);
  }
  const { enabled, symbols, maxNotionalPerOrder, maxRebalanceNotional, alerts } = top.data;
  return { enabled, symbols, maxNotionalPerOrder, maxRebalanceNotional, ladder, overrides, alerts };
}

export const DEFAULT_CONFIG: BetterOrdersConfig = parseConfig({});

/** The ladder settings for one symbol; throws ConfigError when the symbol list excludes it. */
export function ladderParamsFor(config: BetterOrdersConfig, symbol: string): LadderParams {
  if (config.symbols.length > 0 && !config.symbols.includes(symbol)) {
    throw new ConfigError(`symbols: ${symbol} is not in the configured symbol list (${config.symbols.join(', ')})`, 'symbols');
  }
  return config.overrides[symbol] ?? config.ladder;
}
