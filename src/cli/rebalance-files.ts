import { decimalRatio } from '../engine/decimal-ratio.js';
import { exactShares, parseDollars, type Money } from '../engine/money.js';
import type { RebalanceTargets } from '../engine/rebalance/plan-types.js';
import type { Qty } from '../engine/units.js';
import { readJsonFile } from '../sim/read-json-file.js';
import { UsageError } from './cli-error.js';

/** A ticker as the config writes them (upper case, e.g. TQQQ, BRK.B). */
const TICKER = /^[A-Z][A-Z0-9.]{0,9}$/;

export interface TargetsFile {
  readonly targets: RebalanceTargets;
  /** Overrides of the command's defaults, when the file sets them. */
  readonly minTradeUsd: number | null;
  readonly driftPct: number | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readJson(file: string, flag: string): unknown {
  try {
    return readJsonFile(file);
  } catch (err) {
    throw new UsageError(`${flag} ${file}: ${(err as Error).message}`);
  }
}

/** A symbol-keyed object of numbers, each checked by `check` (which returns why it is bad, or null). */
function symbolMap(file: string, field: string, raw: unknown, check: (v: number) => string | null): Record<string, number> {
  if (!isObject(raw)) throw new UsageError(`${file}: ${field}: expected an object of SYMBOL: number`);
  const out: Record<string, number> = {};
  for (const [symbol, value] of Object.entries(raw)) {
    if (!TICKER.test(symbol)) throw new UsageError(`${file}: ${field}.${symbol}: expected an upper-case ticker such as TQQQ`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new UsageError(`${file}: ${field}.${symbol}: expected a number, got ${JSON.stringify(value)}`);
    const problem = check(value);
    if (problem !== null) throw new UsageError(`${file}: ${field}.${symbol}: ${problem}`);
    out[symbol] = value;
  }
  return out;
}

const shareProblem = (v: number): string | null => (exactShares(v) === null ? `expected a non-negative share count with at most 9 decimals, got ${v}` : null);

/**
 * The targets file: `{"weights": {SYM: fraction}}` or `{"shares": {SYM: count}}`, optional
 * `minTradeUsd` and `driftPct`. One line naming the field for anything wrong: weights outside
 * 0..1 or above 1 in sum (summed exactly, so 0.1 + 0.2 + 0.7 is 1), negative or over-precise
 * shares, unknown keys, tickers that are not tickers.
 */
export function readTargetsFile(file: string): TargetsFile {
  const raw = readJson(file, '--targets');
  if (!isObject(raw)) throw new UsageError(`${file}: expected an object with "weights" or "shares"`);
  const unknown = Object.keys(raw).find((k) => !['weights', 'shares', 'minTradeUsd', 'driftPct'].includes(k));
  if (unknown !== undefined) throw new UsageError(`${file}: ${unknown}: unknown field (expected weights or shares, minTradeUsd, driftPct)`);
  if (('weights' in raw) === ('shares' in raw)) throw new UsageError(`${file}: give exactly one of "weights" or "shares"`);
  const minTradeUsd = optionalNumber(file, 'minTradeUsd', raw['minTradeUsd'], 0, 1_000_000);
  const driftPct = optionalNumber(file, 'driftPct', raw['driftPct'], 0, 100);
  if ('weights' in raw) {
    const weights = symbolMap(file, 'weights', raw['weights'], (v) => (v >= 0 && v <= 1 ? null : `expected a fraction of equity from 0 to 1, got ${v}`));
    const sum = Object.values(weights).reduce((s, w) => {
      const { num, den } = decimalRatio(w);
      return { num: s.num * den + num * s.den, den: s.den * den };
    }, { num: 0n, den: 1n });
    if (sum.num > sum.den) throw new UsageError(`${file}: weights: they sum to ${Object.values(weights).reduce((a, b) => a + b, 0)}, above 1 (the rest of equity is cash)`);
    return { targets: { kind: 'weights', weights }, minTradeUsd, driftPct };
  }
  const counts = symbolMap(file, 'shares', raw['shares'], shareProblem);
  const shares: Record<string, Qty> = {};
  for (const [s, v] of Object.entries(counts)) shares[s] = exactShares(v)!;
  return { targets: { kind: 'shares', shares }, minTradeUsd, driftPct };
}

function optionalNumber(file: string, field: string, v: unknown, min: number, max: number): number | null {
  if (v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new UsageError(`${file}: ${field}: expected a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

/** The positions file: `{SYM: shares}`, each a non-negative count with at most 9 decimals. */
export function readPositionsFile(file: string): Record<string, Qty> {
  const counts = symbolMap(file, 'positions', readJson(file, '--positions'), shareProblem);
  const out: Record<string, Qty> = {};
  for (const [s, v] of Object.entries(counts)) out[s] = exactShares(v)!;
  return out;
}

/** --cash as exact Money. */
export function parseCash(text: string): Money {
  const m = parseDollars(text);
  if (m === null) throw new UsageError(`--cash ${text}: expected a non-negative dollar amount with at most 4 decimals`);
  return m;
}

/** Every held symbol needs a target: a position without one would be left to chance. */
export function checkPositionsTargeted(targets: RebalanceTargets, positions: Readonly<Record<string, Qty>>, positionsFile: string): void {
  const targeted = new Set(Object.keys(targets.kind === 'weights' ? targets.weights : targets.shares));
  const orphan = Object.entries(positions).find(([s, q]) => q > 0 && !targeted.has(s));
  if (orphan !== undefined) throw new UsageError(`${positionsFile}: ${orphan[0]}: held but has no target (give it a target, 0 to sell it all)`);
}
