import { existsSync } from 'node:fs';
import type { ExecutionReport } from '../../engine/execution-report.js';
import type { Overlays } from '../overlay/overlay-schema.js';
import { loadTapeSpec, tapeSpecIdentity, type TapeSpec } from '../scenario/tape-spec.js';
import { loadTape } from '../tape/load-tape.js';
import type { Tape } from '../tape/tape.js';

/** The run an execution belongs to, as recorded (the store's ExecutionRun has this shape). */
export interface RecordedRun {
  readonly kind: string;
  /** What the run recorded of its plan (recorded-tapes.ts), among its other settings. */
  readonly config: unknown;
  readonly seed: string | null;
  /** A paper or live run's window tape beside the database. */
  readonly dataRef: string;
}

/** The tape an execution met, or why it cannot be had (then the report draws orders and fills only). */
export type TapeLookup = { readonly tape: Tape; readonly note: string | null } | { readonly tape: null; readonly note: string };

/** The part of a simulated run's recorded config that names its market (recordedTapes). */
interface SimRunConfig {
  readonly tapeSpecs?: readonly TapeSpec[];
  readonly overlays?: Overlays;
  readonly overlaySeed?: string | number;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Reloads the market of a recorded execution: a paper or live run's window tape (written beside
 * the database by `execute`), or a simulated run's tape rebuilt from its recorded spec with the
 * same overlays, so the chart shows exactly what the execution was matched against.
 */
export function tapeOfExecution(report: ExecutionReport, run: RecordedRun): TapeLookup {
  try {
    if (run.kind === 'paper' || run.kind === 'live') {
      if (!existsSync(run.dataRef)) return { tape: null, note: `the recorded window tape ${run.dataRef} is missing` };
      return { tape: loadTape(run.dataRef, { symbol: report.symbol, date: report.date }), note: null };
    }
    const config = (run.config ?? {}) as SimRunConfig;
    if (!Array.isArray(config.tapeSpecs)) return { tape: null, note: 'this run was recorded before runs kept their tape specs: re-run the backtest to chart its market' };
    const spec = config.tapeSpecs.find((s) => {
      const id = tapeSpecIdentity(s, true);
      return id.symbol === report.symbol && id.date === report.date;
    });
    if (spec === undefined) return { tape: null, note: `no tape of ${report.symbol} on ${report.date} among the run's recorded tapes` };
    if (spec.kind === 'file' && !existsSync(spec.path)) return { tape: null, note: `the tape ${spec.path} is no longer there` };
    return { tape: loadTapeSpec(spec, config.overlays ?? {}, config.overlaySeed ?? run.seed ?? 1), note: null };
  } catch (err) {
    return { tape: null, note: `the tape could not be loaded: ${messageOf(err)}` };
  }
}
