import type { TapeSource } from '../backtest.js';
import type { Tape } from '../tape/tape.js';
import { haltTape } from './halt.js';
import type { Overlays } from './overlay-schema.js';
import { widenSpreads } from './widen-spreads.js';

export type { Overlays } from './overlay-schema.js';

/**
 * Applies a scenario's overlays to one tape: widening first, then the halt, so the gap moves the
 * widened quotes and the halt window stays empty. `seed` keys the widening noise.
 */
export function applyOverlays(tape: Tape, overlays: Overlays, seed: string | number): Tape {
  let out = tape;
  if (overlays.widen !== undefined) out = widenSpreads(out, overlays.widen, seed);
  if (overlays.halt !== undefined) out = haltTape(out, overlays.halt);
  return out;
}

/** The same sources, each tape passed through applyOverlays as it loads (unchanged when there are none). */
export function withOverlays(sources: readonly TapeSource[], overlays: Overlays, seed: string | number): TapeSource[] {
  if (overlays.widen === undefined && overlays.halt === undefined) return [...sources];
  return sources.map((s) => ({ label: s.label, load: () => applyOverlays(s.load(), overlays, seed) }));
}
