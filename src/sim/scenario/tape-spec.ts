import type { Overlays } from '../overlay/overlay-schema.js';
import { applyOverlays } from '../overlay/apply-overlays.js';
import { generateOpen, symbolForProfile } from '../synthetic/index.js';
import { type OpenProfile } from '../synthetic/open-profile.js';
import type { OpenShape } from '../synthetic/open-shape.js';
import { symbolFromName } from '../tape/generic-csv.js';
import { parseLeanPath } from '../tape/lean-path.js';
import { loadTape } from '../tape/load-tape.js';
import type { Tape } from '../tape/tape.js';

/**
 * One open to replay, as plain data: a tape file or a synthetic day. Being plain (no closures), a
 * spec crosses into worker threads, so each worker can rebuild exactly the tapes of the plan.
 */
export type TapeSpec =
  | { readonly kind: 'file'; readonly path: string; readonly symbol?: string; readonly date?: string }
  | { readonly kind: 'synthetic'; readonly profileName: string; readonly profile: OpenProfile; readonly date: string; readonly seed: string | number; readonly shape?: OpenShape };

export function tapeSpecLabel(spec: TapeSpec): string {
  return spec.kind === 'file' ? spec.path : `synthetic ${spec.profileName} ${spec.date}`;
}

/** Loads (or generates) the tape of a spec, then applies the overlays. */
export function loadTapeSpec(spec: TapeSpec, overlays: Overlays = {}, overlaySeed: string | number = 1): Tape {
  const tape =
    spec.kind === 'file'
      ? loadTape(spec.path, { symbol: spec.symbol, date: spec.date })
      : generateOpen(spec.profile, spec.date, spec.seed, spec.shape === undefined ? {} : { shape: spec.shape });
  return applyOverlays(tape, overlays, overlaySeed);
}

/**
 * The symbol a spec's tape will have, and its date when `needDate`, as cheaply as they can be
 * known: from the spec itself, a Lean path, or a CSV's file name; a CSV's date only by reading it
 * (its first quote). What --symbol and --date select by. Throws TapeFormatError for a CSV that
 * cannot be read.
 */
export function tapeSpecIdentity(spec: TapeSpec, needDate: boolean): { readonly symbol: string; readonly date: string | null } {
  if (spec.kind === 'synthetic') return { symbol: symbolForProfile(spec.profile.name), date: spec.date };
  const lean = parseLeanPath(spec.path);
  if (lean !== null) return { symbol: spec.symbol ?? lean.symbol, date: spec.date ?? lean.date };
  if (!/\.csv$/i.test(spec.path)) {
    // Neither a Lean path nor a CSV: loading says what is wrong with it.
    const tape = loadTape(spec.path, { symbol: spec.symbol, date: spec.date });
    return { symbol: tape.symbol, date: tape.date };
  }
  const symbol = spec.symbol ?? symbolFromName(spec.path);
  if (spec.date !== undefined || !needDate) return { symbol, date: spec.date ?? null };
  return { symbol, date: loadTape(spec.path, { symbol }).date };
}
