import path from 'node:path';
import type { PlanData } from '../backtest.js';

/**
 * What a run records of its market so that `report` can rebuild exactly the tapes its executions
 * met (execution-tape.ts reads them back): the tape specs (file paths made absolute, so the report works from any folder), the
 * overlays, and the overlays' seed as typed (seedrandom draws differently for 1 and "1", and
 * runs.seed is text).
 */
export function recordedTapes(data: Pick<PlanData, 'tapeSpecs' | 'overlays' | 'seed'>) {
  return {
    tapeSpecs: data.tapeSpecs.map((spec) => (spec.kind === 'file' ? { ...spec, path: path.resolve(spec.path) } : spec)),
    overlays: data.overlays,
    overlaySeed: data.seed,
  };
}
