import { z } from 'zod';
import { ConfigError, parseConfig, type BetterOrdersConfig } from '../../engine/config.js';
import { applyCandidate, ladderNodeKind } from './apply-candidate.js';
import type { FieldDomain, SearchSpace } from './types.js';

/**
 * A search-space (grid or ranges) file that cannot be used; the message is one line naming file
 * and field. A ConfigError, so the CLI already prints it as one line.
 */
export class SearchSpaceError extends ConfigError {}

/** The ladder fields issue 4 asks to tune, and the ladder family's (issue 10); any other ladder leaf may be tuned too. */
export const TUNABLE_FIELDS = [
  'timeouts.openMs',
  'timeouts.normalMs',
  'maxRepegs',
  'aggressionTicks',
  'escalationTicksPerRepeg',
  'entry.tight',
  'entry.normal',
  'entry.wide',
  'repegStep.mode',
  'repegStep.fraction',
  'repegStep.ticks',
  'spread.tightCents',
  'spread.wideCents',
  'spread.tightBps',
  'spread.wideBps',
  'openWaitMs',
  'maxSlippageBps',
  'fallback.mode',
  'repegMode',
] as const;

/**
 * Ranges for `--random N` when no file is given. Each brackets the default by a factor of a few
 * either way, within what makes sense for a retail order at the open:
 * - timeouts: 0.25-10 s at the open (below ~0.25 s a re-peg cannot even get its cancel confirmed
 *   at opening latencies; 10 s is the progressive baseline's step), 0.5-15 s later;
 * - up to 6 re-pegs, 5 ticks of aggression and 3 ticks of escalation per re-peg (beyond that the
 *   slippage guard caps the limit anyway);
 * - the ladder family: each spread class's entry marketable (the seed's ladder) or at 0, 25, 50
 *   or 75% of the spread, so patience is searched as widely as speed; re-pegs by fraction (even
 *   steps, or 10, 25 or 50% of the spread each) or by 1-3 ticks (an explicit list cannot be
 *   drawn at random; a grid file can sweep one);
 * - spread classes in whole cents (prices above $1 tick in cents) and in bps; tight and wide
 *   ranges overlap for cents, and the few draws with tight > wide are skipped (validCandidates);
 * - a wait for spreads of up to 3 minutes (the open window itself lasts 2);
 * - a guard of 10-200 bps (null, no guard, is a grid choice), every fallback mode, both re-peg modes.
 */
export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  'timeouts.openMs': { min: 250, max: 10_000, integer: true },
  'timeouts.normalMs': { min: 500, max: 15_000, integer: true },
  maxRepegs: { min: 0, max: 6, integer: true },
  aggressionTicks: { min: 0, max: 5, integer: true },
  escalationTicksPerRepeg: { min: 0, max: 3, integer: true },
  'entry.tight': { values: ['marketable', 0, 0.25, 0.5, 0.75] },
  'entry.normal': { values: ['marketable', 0, 0.25, 0.5, 0.75] },
  'entry.wide': { values: ['marketable', 0, 0.25, 0.5, 0.75] },
  'repegStep.mode': { values: ['fraction', 'ticks'] },
  'repegStep.fraction': { values: [null, 0.1, 0.25, 0.5] },
  'repegStep.ticks': { min: 1, max: 3, integer: true },
  'spread.tightCents': { min: 1, max: 5, integer: true },
  'spread.wideCents': { min: 3, max: 15, integer: true },
  'spread.tightBps': { min: 2, max: 10, integer: false },
  'spread.wideBps': { min: 10, max: 40, integer: false },
  openWaitMs: { min: 0, max: 180_000, integer: true },
  maxSlippageBps: { min: 10, max: 200, integer: false },
  'fallback.mode': { values: ['market', 'limit-at-guard', 'stop'] },
  repegMode: { values: ['cancel', 'replace'] },
};

const value = z.union([z.number(), z.string(), z.null()]);
const valuesSchema = z.strictObject({ values: z.array(value) });
const rangeSchema = z.strictObject({ min: z.number(), max: z.number(), integer: z.boolean().optional() });

/**
 * A base where no single value can break a cross-field rule (tight thresholds at 0, wide ones at
 * their maximum, a guard set), so probing one value at a time finds only the value's own faults.
 * Combinations that break a rule are skipped later, per candidate.
 */
const PROBE_BASE: BetterOrdersConfig = parseConfig({ ladder: { spread: { tightCents: 0, wideCents: 10_000, tightBps: 0, wideBps: 5_000 } } });

/** Why `v` is not a valid value of `field` on its own, or null when it is. */
function probe(field: string, v: number | string | null): string | null {
  try {
    applyCandidate(PROBE_BASE, { [field]: v });
    return null;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message.replace(/^ladder\.[^:]*: /, '');
  }
}

/** The default settings under a group field, to name one of its leaves in a hint. */
function groupOf(field: string): Record<string, unknown> {
  let node: unknown = PROBE_BASE.ladder;
  for (const key of field.split('.')) node = (node as Record<string, unknown>)[key];
  return node as Record<string, unknown>;
}

/** A numeric field that refuses 1.5 takes integers only (1.5 is inside every ladder field's bounds). */
function isIntegerField(field: string): boolean {
  return probe(field, 1.5) !== null && probe(field, 1) === null;
}

/**
 * Reads a search-space file: an object whose keys are dotted ladder fields and whose values are
 * `{ "values": [...] }` (a grid axis or a random pick), a bare array (short for values), or
 * `{ "min": a, "max": b, "integer"?: bool }` (random search only). `integer` defaults to
 * whether the field takes integers only; ranges draw floats rounded to 2 decimals otherwise.
 * Every value and range end is checked against the field's own rules here, so a typo fails
 * before a sweep starts. Throws SearchSpaceError: "FILE: FIELD: what is wrong".
 */
export function parseSearchSpace(raw: unknown, file: string): SearchSpace {
  const fail = (field: string, why: string): never => {
    throw new SearchSpaceError(`${file}: ${field === '' ? '' : `${field}: `}${why}`, field);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('', 'expected an object of dotted ladder fields, e.g. {"timeouts.openMs": [1000, 2000]}');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) fail('', 'no fields to tune');
  const space: Record<string, FieldDomain> = {};
  for (const [field, spec] of entries) {
    const kind = ladderNodeKind(field);
    if (kind === 'group') fail(field, `is a group of fields; name a leaf such as "${field}.${Object.keys(groupOf(field))[0] ?? ''}"`);
    if (kind === null) fail(field, 'unknown ladder field');
    const isRange = typeof spec === 'object' && spec !== null && !Array.isArray(spec) && ('min' in spec || 'max' in spec);
    const schema = isRange ? rangeSchema : valuesSchema;
    const parsed = schema.safeParse(Array.isArray(spec) ? { values: spec } : spec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
      const sub = where.map(String).join('.');
      fail(field, `${sub === '' ? '' : `${sub}: `}${issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message} (expected {"values": [...]} or {"min": a, "max": b})`);
    }
    const domain = parsed.data as FieldDomain;
    if ('values' in domain) {
      if (domain.values.length === 0) fail(field, 'values is empty');
      for (const v of domain.values) {
        const why = probe(field, v);
        if (why !== null) fail(field, `value ${JSON.stringify(v)} is invalid: ${why}`);
      }
      space[field] = { values: [...domain.values] };
      continue;
    }
    if (!Number.isFinite(domain.min) || !Number.isFinite(domain.max)) fail(field, 'min and max must be finite numbers');
    if (domain.min > domain.max) fail(field, `min (${domain.min}) > max (${domain.max})`);
    for (const end of [domain.min, domain.max]) {
      const why = probe(field, end);
      if (why !== null) fail(field, `range end ${end} is invalid: ${why}`);
    }
    const intOnly = isIntegerField(field);
    const integer = domain.integer ?? intOnly;
    if (intOnly && !integer) fail(field, 'takes integers only; drop "integer": false');
    if (integer && (!Number.isInteger(domain.min) || !Number.isInteger(domain.max))) fail(field, `an integer range needs integer ends (got ${domain.min}..${domain.max})`);
    space[field] = { min: domain.min, max: domain.max, integer };
  }
  return space;
}
