/**
 * Symbol profiles for the synthetic market-open generator (DESIGN.md, "Market-open spread
 * widening"). A profile says how an instrument behaves around 09:30 ET; the generator turns it
 * and a seed into a tape. Numbers are plain dollars, seconds and shares so scenario JSON files
 * can carry profiles as written.
 */
export interface OpenProfile {
  /** Identifier, e.g. "tqqq-like"; the tape symbol is this upper-cased without a "-like" suffix. */
  readonly name: string;
  readonly description: string;
  /** Starting mid, dollars. */
  readonly price: number;
  /** Close-to-close volatility as a fraction (0.04 = 4 %); scaled to per-second by sqrt(23,400 s). */
  readonly dailyVolatility: number;
  /** Regular-session spread away from the open, in ticks. */
  readonly baseSpreadTicks: number;
  /** Spread at 09:30 as a multiple of the base spread (>= 1). */
  readonly openSpreadPeak: number;
  /** E-folding time of the excess spread once the opening quote has stabilised, seconds. */
  readonly openSpreadDecaySeconds: number;
  /** NBBO updates per second right after 09:30. */
  readonly quotesPerSecondOpen: number;
  /** NBBO updates per second once the open's activity has faded. */
  readonly quotesPerSecondMidday: number;
  readonly tradesPerSecondOpen: number;
  readonly tradesPerSecondMidday: number;
  /** Typical displayed size at each side of the NBBO, shares. */
  readonly typicalSize: number;
  /** Typical trade print size, shares. */
  readonly tradeSize: number;
  /** Std-dev of the jump in mid at 09:30 relative to the last pre-market mid, as a fraction. */
  readonly openGapSigma: number;
  /** [min, max] seconds after 09:30 during which the opening quote is still unsettled (spread held at its peak). */
  readonly primaryOpenDelaySeconds: readonly [number, number];
  /** [min, max] pre-market spread as a multiple of the base spread; one level is drawn per day. Default [3, 6]. */
  readonly preMarketSpreadMultiplier?: readonly [number, number];
  /** Pre-market NBBO updates per second. Default half the midday rate. */
  readonly quotesPerSecondPreMarket?: number;
  /** Pre-market trades per second. Default a quarter of the midday rate. */
  readonly tradesPerSecondPreMarket?: number;
  /** E-folding time of the open's extra quote/trade activity and volatility, seconds. Default 300. */
  readonly openActivityDecaySeconds?: number;
}

// The built-in profiles live in builtin-profiles.ts; re-exported here so existing imports keep working.
export { TQQQ_LIKE, SOXL_LIKE, UVXY_LIKE, LEV5_LIKE, builtinProfiles, findBuiltinProfile } from './builtin-profiles.js';

// Caps keep a typo from allocating gigabytes: 1,000 quotes/s for 16 h is still ~60M rows.
const MAX_RATE = 1000;

type Rule = { min: number; max: number; minExclusive?: boolean };

const NUMBER_RULES: Record<string, Rule> = {
  // Prices are stored as Int32 in 1/10,000 dollar: $100,000 leaves room for the walk below 2^31.
  price: { min: 0, max: 100_000, minExclusive: true },
  dailyVolatility: { min: 0, max: 1, minExclusive: true },
  baseSpreadTicks: { min: 1, max: 1000 },
  openSpreadPeak: { min: 1, max: 100 },
  openSpreadDecaySeconds: { min: 0, max: 86_400, minExclusive: true },
  quotesPerSecondOpen: { min: 0, max: MAX_RATE, minExclusive: true },
  quotesPerSecondMidday: { min: 0, max: MAX_RATE, minExclusive: true },
  tradesPerSecondOpen: { min: 0, max: MAX_RATE },
  tradesPerSecondMidday: { min: 0, max: MAX_RATE },
  typicalSize: { min: 1, max: 1e8 },
  tradeSize: { min: 1, max: 1e8 },
  openGapSigma: { min: 0, max: 0.5 },
};

const OPTIONAL_NUMBER_RULES: Record<string, Rule> = {
  quotesPerSecondPreMarket: { min: 0, max: MAX_RATE, minExclusive: true },
  tradesPerSecondPreMarket: { min: 0, max: MAX_RATE },
  openActivityDecaySeconds: { min: 0, max: 86_400, minExclusive: true },
};

const RANGE_RULES: Record<string, Rule & { optional: boolean }> = {
  primaryOpenDelaySeconds: { min: 0, max: 3600, optional: false },
  preMarketSpreadMultiplier: { min: 1, max: 100, optional: true },
};

function fail(name: unknown, field: string, why: string, got: unknown): never {
  const who = typeof name === 'string' && name !== '' ? ` "${name}"` : '';
  throw new Error(`invalid open profile${who}: ${field} ${why} (got ${JSON.stringify(got) ?? String(got)})`);
}

function checkNumber(name: unknown, field: string, v: unknown, r: Rule): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(name, field, 'must be a finite number', v);
  const low = r.minExclusive ? v <= r.min : v < r.min;
  if (low || v > r.max) {
    fail(name, field, `must be in ${r.minExclusive ? '(' : '['}${r.min}, ${r.max}]`, v);
  }
}

/**
 * Checks an untrusted profile (for example from a scenario JSON file) and returns it typed.
 * Throws an Error whose message names the first bad field and the value it had.
 */
export function validateProfile(value: unknown): OpenProfile {
  if (typeof value !== 'object' || value === null) fail(undefined, 'profile', 'must be an object', value);
  const p = value as Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name.trim() === '') fail(p.name, 'name', 'must be a non-empty string', p.name);
  if (typeof p.description !== 'string') fail(p.name, 'description', 'must be a string', p.description);
  for (const [field, rule] of Object.entries(NUMBER_RULES)) checkNumber(p.name, field, p[field], rule);
  for (const [field, rule] of Object.entries(OPTIONAL_NUMBER_RULES)) {
    if (p[field] !== undefined) checkNumber(p.name, field, p[field], rule);
  }
  for (const [field, rule] of Object.entries(RANGE_RULES)) {
    const v = p[field];
    if (v === undefined && rule.optional) continue;
    if (!Array.isArray(v) || v.length !== 2) fail(p.name, field, 'must be a [min, max] pair', v);
    checkNumber(p.name, `${field}[0]`, v[0], rule);
    checkNumber(p.name, `${field}[1]`, v[1], rule);
    if ((v[0] as number) > (v[1] as number)) fail(p.name, field, 'must have min <= max', v);
  }
  return value as OpenProfile;
}
