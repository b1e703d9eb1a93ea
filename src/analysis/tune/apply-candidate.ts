import { ConfigError, DEFAULT_CONFIG, parseConfig, type BetterOrdersConfig, type LadderParams } from '../../engine/config.js';
import type { Candidate } from './types.js';

/**
 * Applying a candidate (dotted ladder fields -> values) to a configuration. The result always
 * goes back through parseConfig, so a tuned configuration obeys exactly the rules a hand-written
 * `--config` file does (bounds, integers, tightCents <= wideCents, limit-at-guard needs a guard).
 */

type Plain = Record<string, unknown>;

function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether `field` ("timeouts.openMs") names a leaf of the ladder settings (a number, string,
 * boolean or null; not a group such as "timeouts"). Checked against the parsed defaults, which
 * hold every field.
 */
export function isLadderLeaf(field: string): boolean {
  return ladderNodeKind(field) === 'leaf';
}

/** What `field` names in the ladder settings: a leaf, a group of fields ("timeouts"), or nothing. */
export function ladderNodeKind(field: string): 'leaf' | 'group' | null {
  let node: unknown = DEFAULT_CONFIG.ladder;
  for (const key of field.split('.')) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) return null;
    node = node[key];
  }
  return isPlainObject(node) ? 'group' : 'leaf';
}

/** A deep copy of plain JSON data (ladder settings hold nothing else). */
function clonePlain<T>(v: T): T {
  return structuredClone(v);
}

/** Writes each candidate field into a copy of `params`; `prefix` names the copy in errors. */
function setFields(params: LadderParams, candidate: Candidate, prefix: string): Plain {
  const out = clonePlain(params) as unknown as Plain;
  for (const [field, value] of Object.entries(candidate)) {
    if (!isLadderLeaf(field)) {
      throw new ConfigError(`${prefix}.${field}: unknown ladder field (tunable fields are leaves such as "timeouts.openMs")`, `${prefix}.${field}`);
    }
    const keys = field.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) node = node[key] as Plain;
    node[keys[keys.length - 1]!] = value;
  }
  return out;
}

/**
 * The configuration with each candidate field set in `ladder` and in every per-symbol override,
 * so a candidate means the same thing on every symbol (a value an override had for that field is
 * replaced). Re-validated through parseConfig: an unknown field or an invalid value (out of
 * bounds, not an integer, tightCents > wideCents...) throws a ConfigError whose message and
 * `field` name it, e.g. "ladder.timeouts.openMs: Too small: expected number to be >=1".
 * An empty candidate returns the configuration unchanged.
 */
export function applyCandidate(config: BetterOrdersConfig, candidate: Candidate): BetterOrdersConfig {
  if (Object.keys(candidate).length === 0) return config;
  const overrides: Record<string, Plain> = {};
  for (const [symbol, params] of Object.entries(config.overrides)) overrides[symbol] = setFields(params, candidate, `overrides.${symbol}`);
  // parseConfig takes the raw file shape; a parsed override is complete, so merging it over the
  // ladder gives it back unchanged.
  return parseConfig({ enabled: config.enabled, symbols: [...config.symbols], ladder: setFields(config.ladder, candidate, 'ladder'), overrides });
}
