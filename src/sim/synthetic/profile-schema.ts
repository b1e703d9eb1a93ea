import { z } from 'zod';

/**
 * The strict schema of an open profile file (OpenProfile in open-profile.ts): every field typed
 * and bounded, and no field it does not know, so a misspelled field is an error rather than a
 * silently ignored setting that leaves the default (or nothing) in its place. The bounds keep a
 * typo from allocating gigabytes or from walking prices out of the Int32 range.
 */

// 1,000 quotes/s for 16 h is still ~60M rows.
const MAX_RATE = 1000;

const finite = () => z.number({ error: 'must be a finite number' });

/** A number in [min, max], or (min, max] when `minExclusive`. */
function bounded(min: number, max: number, minExclusive = false) {
  return finite().refine((v) => (minExclusive ? v > min : v >= min) && v <= max, { error: `must be in ${minExclusive ? '(' : '['}${min}, ${max}]` });
}

/** A [min, max] pair of numbers in [lo, hi]. */
function range(lo: number, hi: number) {
  return z
    .tuple([bounded(lo, hi), bounded(lo, hi)], { error: 'must be a [min, max] pair' })
    .refine(([a, b]) => a <= b, { error: 'must have min <= max' });
}

export const openProfileSchema = z.strictObject({
  name: z.string({ error: 'must be a non-empty string' }).refine((s) => s.trim() !== '', { error: 'must be a non-empty string' }),
  description: z.string({ error: 'must be a string' }),
  // Prices are stored as Int32 in 1/10,000 dollar: $100,000 leaves room for the walk below 2^31.
  price: bounded(0, 100_000, true),
  dailyVolatility: bounded(0, 1, true),
  baseSpreadTicks: bounded(1, 1000),
  openSpreadPeak: bounded(1, 100),
  openSpreadDecaySeconds: bounded(0, 86_400, true),
  quotesPerSecondOpen: bounded(0, MAX_RATE, true),
  quotesPerSecondMidday: bounded(0, MAX_RATE, true),
  tradesPerSecondOpen: bounded(0, MAX_RATE),
  tradesPerSecondMidday: bounded(0, MAX_RATE),
  typicalSize: bounded(1, 1e8),
  tradeSize: bounded(1, 1e8),
  openGapSigma: bounded(0, 0.5),
  primaryOpenDelaySeconds: range(0, 3600),
  preMarketSpreadMultiplier: range(1, 100).optional(),
  quotesPerSecondPreMarket: bounded(0, MAX_RATE, true).optional(),
  tradesPerSecondPreMarket: bounded(0, MAX_RATE).optional(),
  openActivityDecaySeconds: bounded(0, 86_400, true).optional(),
});

/** `primaryOpenDelaySeconds[0]` for the path ['primaryOpenDelaySeconds', 0]. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/**
 * The one-line reason a value is not a profile, or null when it is one. An unknown field is
 * reported first, with the fields then missing, since together they point at a misspelling.
 */
export function profileProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `profile must be an object (got ${JSON.stringify(value) ?? String(value)})`;
  const r = openProfileSchema.safeParse(value);
  if (r.success) return null;
  const name = (value as { name?: unknown }).name;
  const who = typeof name === 'string' && name !== '' ? ` "${name}"` : '';
  const unknown = r.error.issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown !== undefined) {
    const missing = r.error.issues.filter((i) => i.path.length === 1 && valueAt(value, i.path) === undefined).map((i) => String(i.path[0]));
    const keys = unknown.keys.map((k) => `"${k}"`).join(', ');
    return `invalid open profile${who}: unknown field ${keys}${missing.length > 0 ? ` (missing: ${missing.join(', ')})` : ''}`;
  }
  const issue = r.error.issues[0]!;
  const got = valueAt(value, issue.path);
  return `invalid open profile${who}: ${fieldName(issue.path)} ${issue.message} (got ${JSON.stringify(got) ?? String(got)})`;
}
