import type { BetterOrdersConfig, LadderParams } from '../../engine/config.js';
import { applyCandidate } from './apply-candidate.js';
import type { Candidate } from './types.js';

/**
 * The tuned configuration as a file: the raw shape `--config` reads ({enabled, symbols, ladder,
 * overrides}), so `backtest --config best.json` (and later `execute`) run exactly what the sweep
 * measured. Every ladder field is written out, not only the tuned ones, so the file does not
 * silently change meaning if a future version changes a default.
 */

type Plain = Record<string, unknown>;

function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The leaves of `over` that differ from `base`, nested as in the settings ({} when none). */
function diff(base: Plain, over: Plain): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    if (isPlainObject(v) && isPlainObject(b)) {
      const d = diff(b, v);
      if (Object.keys(d).length > 0) out[k] = d;
    } else if (JSON.stringify(v) !== JSON.stringify(b)) out[k] = v;
  }
  return out;
}

/**
 * A parsed configuration back in file form. Overrides are written as what differs from `ladder`
 * (as a person would write them); parseConfig merges them back to the same settings.
 */
export function configToRaw(config: BetterOrdersConfig): unknown {
  const ladder = structuredClone(config.ladder) as unknown as Plain;
  const overrides: Record<string, Plain> = {};
  for (const [symbol, params] of Object.entries(config.overrides)) overrides[symbol] = diff(ladder, params as LadderParams as unknown as Plain);
  return { enabled: config.enabled, symbols: [...config.symbols], ladder, overrides };
}

/**
 * `base` with the winning candidate applied, as a config file's JSON value. For any candidate
 * applyCandidate accepts, parseConfig(JSON.parse(JSON.stringify(result))) deep-equals
 * applyCandidate(base, candidate). Throws ConfigError for an invalid candidate.
 */
export function winnerConfig(base: BetterOrdersConfig, candidate: Candidate): unknown {
  return configToRaw(applyCandidate(base, candidate));
}
