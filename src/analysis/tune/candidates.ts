import seedrandom from 'seedrandom';
import { ConfigError, type BetterOrdersConfig } from '../../engine/config.js';
import { applyCandidate } from './apply-candidate.js';
import { SearchSpaceError } from './search-space.js';
import type { Candidate, FieldDomain, SearchSpace } from './types.js';

/**
 * Candidates from a search space: the grid (every combination) or N seeded random draws. Fields
 * are taken in the space's own order (a file's key order), which fixes candidate indices and so
 * the tie-break of selection (lower index wins).
 */

/** A grid larger than this is a mistake (a sweep of it would take days), not a plan. */
export const MAX_GRID_CANDIDATES = 1_000_000;

function isRange(d: FieldDomain): d is Extract<FieldDomain, { min: number }> {
  return !('values' in d);
}

/**
 * Every combination of the fields' `values`, first field varying slowest. A range domain has no
 * grid (which points of it?), so it is a SearchSpaceError naming the field; so are an empty
 * `values` and a grid over MAX_GRID_CANDIDATES.
 */
export function gridCandidates(space: SearchSpace): Candidate[] {
  const fields = Object.entries(space);
  let size = 1;
  for (const [field, domain] of fields) {
    if (isRange(domain)) throw new SearchSpaceError(`${field}: a range (min/max) cannot be swept as a grid; list "values" or use random search`, field);
    if (domain.values.length === 0) throw new SearchSpaceError(`${field}: values is empty`, field);
    size *= domain.values.length;
  }
  if (size > MAX_GRID_CANDIDATES) throw new SearchSpaceError(`the grid has ${size} combinations, more than ${MAX_GRID_CANDIDATES}; use random search`, '');
  let out: Record<string, number | string | null>[] = [{}];
  for (const [field, domain] of fields) {
    const values = (domain as { values: readonly (number | string | null)[] }).values;
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [field]: v })));
  }
  return out;
}

/** Draws one value of a domain from a uniform number in [0, 1). */
function draw(domain: FieldDomain, u: () => number): number | string | null {
  if (!isRange(domain)) return domain.values[Math.floor(u() * domain.values.length)]!;
  const { min, max } = domain;
  if (domain.integer === true) return min + Math.floor(u() * (max - min + 1));
  // Two decimals are finer than any ladder field resolves (cents, bps) and keep files readable;
  // rounding may step just past an end that has more decimals, so it is clamped back inside.
  const x = Math.round((min + u() * (max - min)) * 100) / 100;
  return Math.min(max, Math.max(min, x));
}

/**
 * `n` candidates drawn independently from the space with seedrandom (alea, keyed by the seed):
 * integer ranges uniformly over their integers, other ranges uniformly then rounded to 2
 * decimals, lists uniformly. The same space and seed always give the same list, and the first k
 * of n draws equal the k draws asked for alone. Duplicates are possible in small spaces.
 */
export function randomCandidates(space: SearchSpace, n: number, seed: string | number): Candidate[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`random candidates: expected a non-negative integer count, got ${n}`);
  for (const [field, domain] of Object.entries(space)) {
    if (!isRange(domain) && domain.values.length === 0) throw new SearchSpaceError(`${field}: values is empty`, field);
    if (isRange(domain) && !(domain.min <= domain.max)) throw new SearchSpaceError(`${field}: min (${domain.min}) > max (${domain.max})`, field);
  }
  const u = seedrandom.alea(`random-candidates|${seed}`);
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const c: Record<string, number | string | null> = {};
    for (const [field, domain] of Object.entries(space)) c[field] = draw(domain, u);
    out.push(c);
  }
  return out;
}

export interface ValidCandidates {
  /** The candidates that make a valid configuration, in their original order. */
  readonly valid: Candidate[];
  /** Original index of each valid candidate. */
  readonly indices: number[];
  /** How many were dropped. */
  readonly skipped: number;
  /** The first dropped candidate's error ("ladder.spread.tightCents: tightCents must be <= wideCents"), for the log. */
  readonly firstError: string | null;
}

/**
 * Drops the candidates whose configuration is invalid (e.g. tightCents above wideCents, or
 * limit-at-guard without a guard): a combination can be invalid although each value is fine.
 * Errors other than ConfigError are bugs and propagate.
 */
export function validCandidates(config: BetterOrdersConfig, candidates: readonly Candidate[]): ValidCandidates {
  const valid: Candidate[] = [];
  const indices: number[] = [];
  let firstError: string | null = null;
  candidates.forEach((c, i) => {
    try {
      applyCandidate(config, c);
      valid.push(c);
      indices.push(i);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      firstError ??= err.message;
    }
  });
  return { valid, indices, skipped: candidates.length - valid.length, firstError };
}
