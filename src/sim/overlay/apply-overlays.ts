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

