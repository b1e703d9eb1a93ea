import type { Overlays } from '../overlay/overlay-schema.js';
import { applyOverlays } from '../overlay/apply-overlays.js';
import { generateOpen, type OpenProfile } from '../synthetic/index.js';
import type { OpenShape } from '../synthetic/open-shape.js';
import { loadTape } from '../tape/load-tape.js';
import type { Tape } from '../tape/tape.js';
import { ScenarioError } from './load-scenario.js';

/**
 * One open to replay, as plain data: a tape file or a synthetic day. Being plain (no closures), a
 * spec crosses into worker threads, so each worker can rebuild exactly the tapes of the plan.
 */
export type TapeSpec = (
  | { readonly kind: 'file'; readonly path: string; readonly symbol?: string; readonly date?: string }
  | { readonly kind: 'synthetic'; readonly profileName: string; readonly profile: OpenProfile; readonly date: string; readonly seed: string | number; readonly shape?: OpenShape }
) & {
  /** Refuse the tape unless it is this symbol / date (the --symbol and --date selections). */
  readonly expect?: { readonly symbol?: string; readonly date?: string };
};

export function tapeSpecLabel(spec: TapeSpec): string {
  return spec.kind === 'file' ? spec.path : `synthetic ${spec.profileName} ${spec.date}`;
}

/** Loads (or generates) the tape of a spec, then applies the overlays. */
export function loadTapeSpec(spec: TapeSpec, overlays: Overlays = {}, overlaySeed: string | number = 1): Tape {
  const tape =
    spec.kind === 'file'
      ? loadTape(spec.path, { symbol: spec.symbol, date: spec.date })
      : generateOpen(spec.profile, spec.date, spec.seed, spec.shape === undefined ? {} : { shape: spec.shape });
  const want = spec.expect;
  if ((want?.symbol !== undefined && tape.symbol !== want.symbol) || (want?.date !== undefined && tape.date !== want.date)) {
    throw new ScenarioError(`${tapeSpecLabel(spec)} is ${tape.symbol} on ${tape.date}, not the requested ${want.symbol ?? tape.symbol} on ${want.date ?? tape.date}`);
  }
  return applyOverlays(tape, overlays, overlaySeed);
}
